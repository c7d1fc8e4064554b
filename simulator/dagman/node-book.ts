import { type NodeRun, type NodeState, S } from "./node.js";

/** What the node status file shows of a node, as one number (state, held, idle, retries). */
function shownKey(n: NodeRun): number {
  return n.state + 8 * ((n.held ? 1 : 0) + (n.idle ? 2 : 0)) + 32 * n.retry;
}

/** 1 for a node whose job is queued and idle (not held), else 0. */
function idleJob(n: NodeRun): number {
  return n.state === S.SUBMITTED && n.idle && !n.held ? 1 : 0;
}

/**
 * The node states of one DAG, kept up to date as they change instead of scanned on every
 * pass: the number of nodes in each state, the READY nodes, the idle node jobs, and how
 * many nodes differ (state, retries, held or idle) from what the node status file showed
 * when last written. Every change of those fields goes through it.
 */
export class NodeBook {
  /** Nodes per state, indexed by the state code. */
  readonly counts: number[] = [0, 0, 0, 0, 0, 0, 0, 0];
  /** Node jobs queued and idle, held ones not counted (what DAGMAN_MAX_JOBS_IDLE limits). */
  idleJobs = 0;
  private readonly ready = new Set<NodeRun>();
  private shown: Float64Array | undefined;
  private differing = 0;

  constructor(private readonly nodes: readonly NodeRun[]) {
    for (const n of nodes) {
      this.counts[n.state]++;
      if (n.state === S.READY) this.ready.add(n);
      this.idleJobs += idleJob(n);
    }
  }

  setState(n: NodeRun, state: NodeState): void {
    if (n.state === state) return;
    const before = shownKey(n);
    const wasIdle = idleJob(n);
    this.counts[n.state]--;
    if (n.state === S.READY) this.ready.delete(n);
    n.state = state;
    this.counts[state]++;
    if (state === S.READY) this.ready.add(n);
    this.idleJobs += idleJob(n) - wasIdle;
    this.changed(n, before);
  }

  setFlags(n: NodeRun, held: boolean, idle: boolean): void {
    const before = shownKey(n);
    const wasIdle = idleJob(n);
    n.held = held;
    n.idle = idle;
    this.idleJobs += idleJob(n) - wasIdle;
    this.changed(n, before);
  }

  addRetry(n: NodeRun): void {
    const before = shownKey(n);
    n.retry++;
    this.changed(n, before);
  }

  get anyReady(): boolean {
    return this.ready.size > 0;
  }

  /** READY nodes in the order DAGMan takes them: higher PRIORITY first, then the DAG's order. */
  readyInOrder(): NodeRun[] {
    return [...this.ready].sort(
      (a, b) => (b.def.priority ?? 0) - (a.def.priority ?? 0) || a.index - b.index,
    );
  }

  /** Some node differs from the last status write (always true before the first one). */
  get changedSinceShown(): boolean {
    return this.shown === undefined || this.differing > 0;
  }

  /** The status file now shows every node as it is. */
  markShown(): void {
    const shown = this.shown ?? new Float64Array(this.nodes.length);
    for (const n of this.nodes) shown[n.index] = shownKey(n);
    this.shown = shown;
    this.differing = 0;
  }

  private changed(n: NodeRun, before: number): void {
    const shown = this.shown;
    if (!shown) return;
    const after = shownKey(n);
    if (before === after) return;
    const s = shown[n.index];
    this.differing += (after !== s ? 1 : 0) - (before !== s ? 1 : 0);
  }
}
