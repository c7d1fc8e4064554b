/**
 * DAGMan's NODE_STATUS_FILE (formats.md §6.8): a sequence of new-ClassAd records, one
 * `DagStatus` record, one `NodeStatus` record per node, and a closing `StatusEnd`.
 */

/** Node status codes (also used by the DagStatus record's `DagStatus`). */
export const NodeStatusCode = {
  NOT_READY: 0,
  READY: 1,
  PRERUN: 2,
  SUBMITTED: 3,
  POSTRUN: 4,
  DONE: 5,
  ERROR: 6,
  FUTILE: 7,
} as const;
export type NodeStatusCode = (typeof NodeStatusCode)[keyof typeof NodeStatusCode];

/** The names DAGMan prints in the comments, indexed by code. */
export const NODE_STATUS_NAMES = [
  "STATUS_NOT_READY",
  "STATUS_READY",
  "STATUS_PRERUN",
  "STATUS_SUBMITTED",
  "STATUS_POSTRUN",
  "STATUS_DONE",
  "STATUS_ERROR",
  "STATUS_FUTILE",
] as const;

export interface DagStatusAd {
  /** The DAG file(s) DAGMan was started with. */
  dagFiles: string[];
  /** Epoch seconds of this write. */
  timestamp: number;
  /** Whole-DAG state as a node code: 3 while running, 5 success, 6 failure. */
  dagStatus: number;
  nodesTotal: number;
  nodesDone: number;
  nodesPre: number;
  nodesQueued: number;
  nodesPost: number;
  nodesReady: number;
  nodesUnready: number;
  /** Written by newer DAGMan versions only. */
  nodesFutile?: number;
  nodesFailed: number;
  jobProcsHeld: number;
  /** Idle job procs; DAGMan's comment says this includes held ones. */
  jobProcsIdle: number;
}

export interface NodeStatusAd {
  node: string;
  nodeStatus: number;
  /** e.g. "", "idle", "Job proc (9231.0.0) failed with status 1", "Had an ancestor node fail". */
  statusDetails: string;
  retryCount: number;
  jobProcsQueued: number;
  jobProcsHeld: number;
}

export interface StatusEndAd {
  endTime: number;
  /** Epoch seconds of the next planned write; 0 when none (the DAG has ended). */
  nextUpdate: number;
}

export interface NodeStatusSnapshot {
  dag: DagStatusAd;
  nodes: NodeStatusAd[];
  end: StatusEndAd;
}

export interface NodeStatusSummary {
  total: number;
  done: number;
  failed: number;
  futile: number;
  held: number;
  running: number;
  idle: number;
}

/**
 * Counts as the WMS2 monitor reports them (formats.md §6.8): done = NodesDone,
 * failed = NodesFailed, held = JobProcsHeld,
 * running = max(0, NodesQueued − JobProcsIdle − JobProcsHeld) + NodesPost,
 * idle = JobProcsIdle + NodesReady + NodesUnready + NodesPre.
 * Since DAGMan counts held procs among the idle ones, held jobs appear in both `held`
 * and `idle` and lower `running` twice over; the formula is kept as the reference has it.
 */
export function summarizeNodeStatus(snapshot: NodeStatusSnapshot): NodeStatusSummary {
  const d = snapshot.dag;
  return {
    total: d.nodesTotal,
    done: d.nodesDone,
    failed: d.nodesFailed,
    futile: d.nodesFutile ?? 0,
    held: d.jobProcsHeld,
    running: Math.max(0, d.nodesQueued - d.jobProcsIdle - d.jobProcsHeld) + d.nodesPost,
    idle: d.jobProcsIdle + d.nodesReady + d.nodesUnready + d.nodesPre,
  };
}
