import type { NodeRun } from "./node.js";

/** How a DAGMan process ended. */
export interface DagmanExit {
  exitCode: number;
  /** DAG_Status: 0 ok, 2 node failed, 3 aborted by ABORT-DAG-ON, 4 removed. */
  dagStatus: number;
  rescueFile?: string;
}

/**
 * DAGMan's exit (the manual's rules): removed by condor_rm → exit 1, DAG_Status 4; stopped
 * by ABORT-DAG-ON → its RETURN value, DAG_Status 3; else exit 0 and DAG_Status 0 only when
 * every node is done, otherwise exit 1 and DAG_Status 2. Completion is not success.
 */
export function dagmanExit(
  failedNodes: number,
  removed: boolean,
  aborting: { returnValue: number } | undefined,
): DagmanExit {
  if (removed) return { exitCode: 1, dagStatus: 4 };
  if (aborting) return { exitCode: aborting.returnValue, dagStatus: 3 };
  return failedNodes === 0 ? { exitCode: 0, dagStatus: 0 } : { exitCode: 1, dagStatus: 2 };
}

/** What reaches a DAGMan process between its passes: job events and finished scripts. */
export type Inbox =
  | { kind: "execute"; node: NodeRun; time: number }
  | { kind: "terminated"; node: NodeRun; time: number; ret: number }
  | { kind: "held"; node: NodeRun; time: number }
  | { kind: "released"; node: NodeRun; time: number }
  | { kind: "aborted"; node: NodeRun; time: number }
  | { kind: "script"; node: NodeRun; time: number; which: "PRE" | "POST"; code: number }
  /** A script deferred by SCRIPT DEFER is due to run again. */
  | { kind: "script-due"; node: NodeRun; time: number; which: "PRE" | "POST" };

/** The user-log event DAGMan reports in dagman.out for each job event it reads. */
export const ULOG_EVENT = {
  execute: "ULOG_EXECUTE",
  held: "ULOG_JOB_HELD",
  released: "ULOG_JOB_RELEASED",
  terminated: "ULOG_JOB_TERMINATED",
  aborted: "ULOG_JOB_ABORTED",
} as const;

/** First point of DAGMan's scan grid strictly after `now`. */
export function nextGrid(now: number, interval: number, origin: number): number {
  const k = Math.floor((now - origin) / interval) + 1;
  return origin + k * interval;
}
