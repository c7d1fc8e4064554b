import { formatJobId } from "../../src/dagman/index.js";
import type { ScriptContext, ScriptJobInfo } from "../payload/types.js";
import type { SimContext } from "./context.js";
import { type NodeRun, substituteMacros } from "./node.js";

/**
 * What a PRE or POST script of a node is run with: its arguments after DAGMan's macro
 * substitution ($JOB $RETRY $MAX_RETRIES $DAG_STATUS $FAILED_COUNT, and for POST $RETURN
 * $JOBID $PRE_SCRIPT_RETURN, each only as a whole argument) and the facts of the attempt.
 */
export function scriptContext(
  ctx: SimContext,
  n: NodeRun,
  which: "PRE" | "POST",
  dag: { file: string; relFile: string; failedCount: number },
  job: { info?: ScriptJobInfo; matchedSite?: string },
): ScriptContext {
  const script = which === "PRE" ? n.def.pre! : n.def.post!;
  const extra: Record<string, string> = {
    $DAG_STATUS: "0",
    $FAILED_COUNT: String(dag.failedCount),
  };
  const post = which === "POST";
  if (post) {
    extra.$RETURN = String(n.jobReturn ?? 0);
    extra.$JOBID = formatJobId(n.cluster ?? 0);
    extra.$PRE_SCRIPT_RETURN = String(n.preReturn ?? -1);
  }
  const streamName = `script:${dag.relFile}:${n.def.name}:${which}:${n.retry}`;
  let rand: ScriptContext["rand"] | undefined;
  return {
    fs: ctx.fs,
    iwd: n.dir,
    dagFile: dag.file,
    node: n.def.name,
    kind: which,
    args: substituteMacros(script.args, n, extra),
    now: ctx.sim.now,
    jobReturn: post ? n.jobReturn : undefined,
    holdReasonCode: post ? n.holdCode : undefined,
    holdReasonSubCode: post ? n.holdSubCode : undefined,
    job: post ? job.info : undefined,
    attempt: n.retry,
    maxRetries: n.def.retry?.count ?? 0,
    // Made when the script first draws (most never do).
    get rand() {
      rand ??= ctx.rng.stream(streamName);
      return rand;
    },
    matchedSite: job.matchedSite,
  };
}
