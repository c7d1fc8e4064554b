import { formatJobId } from "../../src/dagman/index.js";
import type { SimFs } from "../fs.js";
import type { Rand, ScriptContext, ScriptJobInfo } from "../payload/types.js";
import type { SimContext } from "./context.js";
import { type NodeRun, substituteMacros } from "./node.js";

/** The DAG a script's node belongs to, as its script sees it. */
export interface ScriptDag {
  file: string;
  relFile: string;
  failedCount: number;
}

/**
 * What a PRE or POST script of a node is run with: its arguments after DAGMan's macro
 * substitution ($JOB $RETRY $MAX_RETRIES $DAG_STATUS $FAILED_COUNT, and for POST $RETURN
 * $JOBID $PRE_SCRIPT_RETURN, each only as a whole argument) and the facts of the attempt.
 * Its random stream is made when the script first draws (most never do).
 */
class NodeScriptContext implements ScriptContext {
  readonly fs: SimFs;
  readonly iwd: string;
  readonly dagFile: string;
  readonly node: string;
  readonly args: string[];
  readonly now: number;
  readonly jobReturn?: number;
  readonly holdReasonCode?: number;
  readonly holdReasonSubCode?: number;
  readonly job?: ScriptJobInfo;
  readonly attempt: number;
  readonly maxRetries: number;
  readonly matchedSite?: string;
  private stream?: Rand;

  constructor(
    private readonly ctx: SimContext,
    n: NodeRun,
    readonly kind: "PRE" | "POST",
    private readonly dag: ScriptDag,
    job: { info?: ScriptJobInfo; matchedSite?: string },
  ) {
    const post = kind === "POST";
    const script = post ? n.def.post! : n.def.pre!;
    this.fs = ctx.fs;
    this.iwd = n.dir;
    this.dagFile = dag.file;
    this.node = n.def.name;
    this.args = substituteMacros(script.args, n, (macro) => {
      switch (macro) {
        case "$DAG_STATUS":
          return "0";
        case "$FAILED_COUNT":
          return String(dag.failedCount);
        case "$RETURN":
          return post ? String(n.jobReturn ?? 0) : undefined;
        case "$JOBID":
          return post ? formatJobId(n.cluster ?? 0) : undefined;
        case "$PRE_SCRIPT_RETURN":
          return post ? String(n.preReturn ?? -1) : undefined;
        default:
          return undefined;
      }
    });
    this.now = ctx.sim.now;
    // Every field is set, for PRE too, and in one order: PRE and POST contexts then share one
    // shape, and the scripts reading them stay monomorphic.
    this.jobReturn = post ? n.jobReturn : undefined;
    this.holdReasonCode = post ? n.holdCode : undefined;
    this.holdReasonSubCode = post ? n.holdSubCode : undefined;
    this.job = post ? job.info : undefined;
    this.attempt = n.retry;
    this.maxRetries = n.def.retry?.count ?? 0;
    this.matchedSite = job.matchedSite;
    this.stream = undefined;
  }

  get rand(): Rand {
    this.stream ??= this.ctx.rng.once(
      `script:${this.dag.relFile}:${this.node}:${this.kind}:${this.attempt}`,
    );
    return this.stream;
  }
}

export function scriptContext(
  ctx: SimContext,
  n: NodeRun,
  which: "PRE" | "POST",
  dag: ScriptDag,
  job: { info?: ScriptJobInfo; matchedSite?: string },
): ScriptContext {
  return new NodeScriptContext(ctx, n, which, dag, job);
}
