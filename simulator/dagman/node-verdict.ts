import { formatJobId } from "../../src/dagman/index.js";
import type { DagNode } from "../../src/dagman/model.js";

/** Which component's value decides the node: the last one that ran. */
export type DecidedBy = "pre" | "job" | "post";

export type Verdict =
  | { kind: "done" }
  | { kind: "abort"; returnValue: number; text: string }
  | { kind: "retry"; maxRetries: number }
  | { kind: "error"; details: string };

/**
 * DAGMan's decision for a node whose last component returned `value` (manual, RETRY and
 * ABORT-DAG-ON): 0 is success; ABORT-DAG-ON fires on a PRE or POST value, or on the job's
 * value when the node has no POST, and beats retry; RETRY n reruns the whole node while
 * fewer than n retries were used, unless the value equals UNLESS-EXIT (0 there is ignored).
 */
export function nodeVerdict(
  def: DagNode,
  retriesUsed: number,
  value: number,
  by: DecidedBy,
  cluster: number,
): Verdict {
  if (value === 0) return { kind: "done" };
  const abort = def.abortDagOn;
  if (abort && abort.value === value && (by !== "job" || !def.post)) {
    const who = by === "post" ? "POST script" : by === "pre" ? "PRE script" : "job";
    return {
      kind: "abort",
      returnValue: abort.returnValue ?? value,
      text: `Aborting DAG because we got the ABORT exit value from a ${who} of node ${def.name}`,
    };
  }
  const r = def.retry;
  const stop = r?.unlessExit !== undefined && r.unlessExit !== 0 && r.unlessExit === value;
  if (r && retriesUsed < r.count && !stop) return { kind: "retry", maxRetries: r.count };
  const details =
    by === "post"
      ? `POST script failed with status ${value}`
      : by === "pre"
        ? `PRE script failed with status ${value}`
        : `Job proc (${formatJobId(cluster)}) failed with status ${value}`;
  return { kind: "error", details };
}
