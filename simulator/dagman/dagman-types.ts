import type { NodeRun } from "./node.js";

/** How a DAGMan process ended. */
export interface DagmanExit {
  exitCode: number;
  /** DAG_Status: 0 ok, 2 node failed, 3 aborted by ABORT-DAG-ON, 4 removed. */
  dagStatus: number;
  rescueFile?: string;
}

/** What reaches a DAGMan process between its passes: job events and finished scripts. */
export type Inbox =
  | { kind: "execute"; node: NodeRun; time: number }
  | { kind: "terminated"; node: NodeRun; time: number; ret: number }
  | { kind: "held"; node: NodeRun; time: number }
  | { kind: "released"; node: NodeRun; time: number }
  | { kind: "aborted"; node: NodeRun; time: number }
  | { kind: "script"; node: NodeRun; time: number; which: "PRE" | "POST"; code: number };

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
