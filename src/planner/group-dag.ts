import type { DagModel, DagNode } from "../dagman/model.js";
import { flat } from "./lfn.js";
import type { CategoryThrottles } from "./types.js";

/** Exit code by which a POST script says "do not retry this node". */
export const NO_RETRY_EXIT = 42;
/** Exit code by which a POST script aborts the work unit's DAG. */
export const ABORT_EXIT = 43;

export const RETRIES = { landing: 3, proc: 5, merge: 2, cleanup: 1 } as const;

const POST_ARGS = ["$JOB", "$RETURN", "$RETRY", "$MAX_RETRIES"];
// Shared by every proc node of a plan (models are never mutated in place).
const POST = Object.freeze({ executable: "post_script.sh", args: POST_ARGS });
const PROC_RETRY = Object.freeze({ count: RETRIES.proc, unlessExit: NO_RETRY_EXIT });
const ABORT = Object.freeze({ value: ABORT_EXIT, returnValue: 1 });

/**
 * The merge-group DAG: landing -> every proc -> merge -> cleanup. Landing elects the
 * site in its POST; each later node pins itself to it in a PRE; proc and merge nodes
 * classify failures in a POST whose exit code drives RETRY ... UNLESS-EXIT 42 and
 * ABORT-DAG-ON 43 RETURN 1. `procs` are the proc node names (proc_NNNNNN).
 */
export function groupDag(
  groupIndex: number,
  procs: string[],
  pool: "local" | "global",
  throttles: CategoryThrottles,
): DagModel {
  const pin = (sub: string) => ({ executable: "pin_site.sh", args: [sub, "elected_site"] });
  const post = POST;
  const nodes: DagNode[] = [];
  nodes.push({
    name: "landing",
    kind: "JOB",
    file: "landing.sub",
    post: { executable: "elect_site.sh", args: ["elected_site", "landing.log", pool] },
    retry: { count: RETRIES.landing, unlessExit: NO_RETRY_EXIT },
    retryWithNode: true,
  });
  for (const name of procs) {
    const file = flat(name, ".sub");
    nodes.push({
      name,
      kind: "JOB",
      file,
      pre: pin(file),
      post,
      retry: PROC_RETRY,
      abortDagOn: ABORT,
      category: "Processing",
    });
  }
  nodes.push({
    name: "merge",
    kind: "JOB",
    file: "merge.sub",
    pre: pin("merge.sub"),
    post,
    retry: { count: RETRIES.merge, unlessExit: NO_RETRY_EXIT },
    abortDagOn: { value: ABORT_EXIT, returnValue: 1 },
    category: "Merge",
  });
  nodes.push({
    name: "cleanup",
    kind: "JOB",
    file: "cleanup.sub",
    pre: pin("cleanup.sub"),
    retry: { count: RETRIES.cleanup },
    category: "Cleanup",
  });
  return {
    header: [` Merge group ${groupIndex}`],
    nodeStatusFile: { file: "group.dag.status" },
    nodes,
    edges: [
      { parents: ["landing"], children: procs },
      { parents: procs, children: ["merge"] },
      { parents: ["merge"], children: ["cleanup"] },
    ],
    maxJobs: {
      Processing: throttles.Processing,
      Merge: throttles.Merge,
      Cleanup: throttles.Cleanup,
    },
    other: [],
  };
}
