/**
 * From the DAGMan job's ClassAd to a `DagJobState` (pure).
 *
 * JobStatus codes: 1 idle, 2 running, 3 removed, 4 completed, 5 held, 6 transferring
 * output, 7 suspended. Completed is NOT success: a DAG whose nodes failed also leaves the
 * queue as Completed, with ExitCode 1, so `completed` always carries the exit code and the
 * caller judges success by `exitCode === 0` (and by the absence of rescue files).
 */
import type { DagJobState } from "../types.js";
import { adBoolean, adNumber, adString, type ClassAd } from "./condor-parse.js";

export const JOB_STATUS = {
  idle: 1,
  running: 2,
  removed: 3,
  completed: 4,
  held: 5,
  transferringOutput: 6,
  suspended: 7,
} as const;

/** Scheduler universe: the universe of DAGMan jobs (outer and sub-DAGs). */
export const SCHEDULER_UNIVERSE = 7;

/** What the backend asks of the DAGMan job in the queue and in the history. */
export const DAG_JOB_ATTRS = [
  "ClusterId",
  "ProcId",
  "JobStatus",
  "ExitCode",
  "ExitBySignal",
  "ExitSignal",
  "HoldReason",
  "DAG_Status",
  "DAG_NodesTotal",
  "DAG_NodesDone",
  "DAG_NodesFailed",
  "DAG_NodesQueued",
];

function completed(ad: ClassAd, where: string): DagJobState {
  const exitCode = adNumber(ad, "ExitCode");
  if (exitCode !== undefined) return { state: "completed", exitCode };
  if (adBoolean(ad, "ExitBySignal")) {
    const sig = adNumber(ad, "ExitSignal");
    return { state: "unknown", detail: `${where}: completed, killed by signal ${sig ?? "?"}` };
  }
  return { state: "unknown", detail: `${where}: completed without ExitCode` };
}

/**
 * State of a DAGMan job still in the queue. Held and suspended jobs are waiting, so they
 * count as `queued`; transferring output counts as `running`.
 */
export function queueState(ad: ClassAd): DagJobState {
  const status = adNumber(ad, "JobStatus");
  switch (status) {
    case JOB_STATUS.idle:
    case JOB_STATUS.held:
    case JOB_STATUS.suspended:
      return { state: "queued" };
    case JOB_STATUS.running:
    case JOB_STATUS.transferringOutput:
      return { state: "running" };
    case JOB_STATUS.removed:
      return { state: "removed" };
    case JOB_STATUS.completed:
      return completed(ad, "queue");
    default:
      return { state: "unknown", detail: `queue: JobStatus ${status ?? "missing"}` };
  }
}

/** State of a DAGMan job from its history ad: 4 with ExitCode → completed, 3 → removed. */
export function historyState(ad: ClassAd): DagJobState {
  const status = adNumber(ad, "JobStatus");
  if (status === JOB_STATUS.completed) return completed(ad, "history");
  if (status === JOB_STATUS.removed) return { state: "removed" };
  return { state: "unknown", detail: `history: JobStatus ${status ?? "missing"}` };
}

/** Node counters DAGMan publishes in its job ad (undefined when not published yet). */
export interface DagNodeCounts {
  total?: number;
  done?: number;
  failed?: number;
  queued?: number;
  /** DAG_Status: 0 ok, 1 error, 2 node(s) failed, 3 aborted, 4 removed, 5 cycle, 6 halted. */
  dagStatus?: number;
  holdReason?: string;
}

export function dagNodeCounts(ad: ClassAd): DagNodeCounts {
  return {
    total: adNumber(ad, "DAG_NodesTotal"),
    done: adNumber(ad, "DAG_NodesDone"),
    failed: adNumber(ad, "DAG_NodesFailed"),
    queued: adNumber(ad, "DAG_NodesQueued"),
    dagStatus: adNumber(ad, "DAG_Status"),
    holdReason: adString(ad, "HoldReason"),
  };
}
