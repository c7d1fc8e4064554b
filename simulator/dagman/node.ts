import type { DagAbortOn, DagNode, DagRetry, DagScript } from "../../src/dagman/model.js";
import { NodeStatusCode } from "../../src/dagman/node-status.js";
import type { JobPlan } from "../payload/types.js";
import type { DagmanProcess } from "./dagman.js";

/** DAGMan's node states, as the node status file codes them. */
export const S = NodeStatusCode;
export type NodeState = NodeStatusCode;

/** Run-time state of one node of a DAG. */
export interface NodeRun {
  def: DagNode;
  /** Position in the DAG file (the order DAGMan considers nodes in). */
  index: number;
  state: NodeState;
  parents: NodeRun[];
  children: NodeRun[];
  /** Parents not yet DONE. */
  waiting: number;
  /** Retries used so far ($RETRY). */
  retry: number;
  /** PRE finished successfully for the current attempt. */
  preDone: boolean;
  preReturn?: number;
  /** Job (cluster) id of the current attempt. */
  cluster?: number;
  jobReturn?: number;
  holdCode?: number;
  holdSubCode?: number;
  held: boolean;
  idle: boolean;
  details: string;
  plan?: JobPlan;
  inner?: DagmanProcess;
  /** Directory the node's job and scripts run in. */
  dir: string;
  /** Times of the current attempt's job (for reports). */
  submittedAt?: number;
}

/**
 * Full copies (see `fullNodeDef`) made one at a time, frozen: the nodes of a DAG mostly share
 * one POST, RETRY and ABORT-DAG-ON object, one after the other, and then share one copy.
 */
class LastCopy<T extends object> {
  private given?: T;
  private copy?: T;

  constructor(private readonly make: (v: T) => T) {}

  of(v: T | undefined): T | undefined {
    if (v === undefined) return undefined;
    if (v !== this.given) {
      this.copy = Object.freeze(this.make(v));
      this.given = v;
    }
    return this.copy;
  }
}

const fullScript = (s: DagScript): DagScript => ({
  executable: s.executable,
  args: s.args,
  defer: s.defer,
  debug: s.debug,
});
const preCopies = new LastCopy(fullScript);
const postCopies = new LastCopy(fullScript);
const retryCopies = new LastCopy<DagRetry>((r) => ({ count: r.count, unlessExit: r.unlessExit }));
const abortCopies = new LastCopy<DagAbortOn>((a) => ({
  value: a.value,
  returnValue: a.returnValue,
}));

/**
 * A node definition with every field present (undefined when the DAG does not give it), its
 * scripts, RETRY and ABORT-DAG-ON too (frozen, see `LastCopy`): parsed and planned nodes come
 * with the fields they use in varying order, and the simulator reads them all through one
 * shape.
 */
export function fullNodeDef(d: DagNode): DagNode {
  const full: { [K in keyof Required<DagNode>]: DagNode[K] } = {
    name: d.name,
    kind: d.kind,
    file: d.file,
    dir: d.dir,
    noop: d.noop,
    done: d.done,
    pre: preCopies.of(d.pre),
    post: postCopies.of(d.post),
    retry: retryCopies.of(d.retry),
    abortDagOn: abortCopies.of(d.abortDagOn),
    category: d.category,
    priority: d.priority,
    vars: d.vars,
    preSkip: d.preSkip,
    retryWithNode: d.retryWithNode,
  };
  return full;
}

export function newNodeRun(def: DagNode, dir: string, index: number): NodeRun {
  // Every field is set here, the optional ones too: nodes then share one shape however
  // far their lifecycles went, and the code walking them stays monomorphic.
  return {
    def: fullNodeDef(def),
    index,
    state: S.NOT_READY,
    parents: [],
    children: [],
    waiting: 0,
    retry: 0,
    preDone: false,
    preReturn: undefined,
    cluster: undefined,
    jobReturn: undefined,
    holdCode: undefined,
    holdSubCode: undefined,
    held: false,
    idle: false,
    details: "",
    plan: undefined,
    inner: undefined,
    dir,
    submittedAt: undefined,
  };
}

/**
 * `$JOB $RETRY $MAX_RETRIES $RETURN ...` substituted as whole arguments, as DAGMan does:
 * the node's own macros, then `extra` (the script's: $DAG_STATUS, $RETURN, ...).
 */
export function substituteMacros(
  args: readonly string[],
  n: NodeRun,
  extra: (macro: string) => string | undefined,
): string[] {
  // Pushed, not mapped: an array made by `map` has another elements kind once `map` is
  // compiled, and the scripts reading the arguments would see two kinds of array.
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) out.push(substituted(args[i], n, extra));
  return out;
}

function substituted(a: string, n: NodeRun, extra: (macro: string) => string | undefined): string {
  if (a.charCodeAt(0) !== 36) return a; // "$"
  switch (a) {
    case "$JOB":
      return n.def.name;
    case "$RETRY":
      return String(n.retry);
    case "$MAX_RETRIES":
      return String(n.def.retry?.count ?? 0);
    default:
      return extra(a) ?? a;
  }
}
