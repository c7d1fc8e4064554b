import { formatDagmanTime } from "./dagman-time.js";

/**
 * The `.dagman.out` lines WMS2 reads, as DAGMan writes them (formats.md §6.10). Each line
 * starts with the time DAGMan wrote it (`MM/DD/YY HH:MM:SS`); event lines end with the
 * event's own time in braces. Times are epoch seconds, rendered in UTC.
 */

/** Job event names as DAGMan prints them (`ULOG_` + the event). */
export type UlogEvent =
  | "ULOG_SUBMIT"
  | "ULOG_EXECUTE"
  | "ULOG_JOB_EVICTED"
  | "ULOG_JOB_TERMINATED"
  | "ULOG_IMAGE_SIZE"
  | "ULOG_SHADOW_EXCEPTION"
  | "ULOG_JOB_ABORTED"
  | "ULOG_JOB_HELD"
  | "ULOG_JOB_RELEASED"
  | "ULOG_POST_SCRIPT_TERMINATED"
  | "ULOG_PRESKIP";

export type DagmanOutRecord =
  | { kind: "submitting"; time: number; node: string }
  | { kind: "assigned"; time: number; jobId: string }
  | {
      kind: "event";
      time: number;
      event: UlogEvent;
      node: string;
      jobId: string;
      eventTime: number;
    }
  | { kind: "node-failed"; time: number; node: string; jobId: string; status: number }
  | { kind: "post-failed"; time: number; node: string; status: number }
  | { kind: "retrying"; time: number; node: string; retry: number; maxRetries: number }
  | { kind: "rescue"; time: number; file: string }
  | { kind: "exiting"; time: number; dagmanCluster: number; pid: number; status: number }
  | { kind: "text"; time: number; text: string };

/** HTCondor job id as DAGMan prints it: `cluster.proc.subproc`. */
export function formatJobId(cluster: number, proc = 0, subproc = 0): string {
  return `${cluster}.${proc}.${subproc}`;
}

function message(r: DagmanOutRecord): string {
  switch (r.kind) {
    case "submitting":
      return `Submitting HTCondor Node ${r.node} job(s)...`;
    case "assigned":
      return `\tassigned HTCondor ID (${r.jobId})`;
    case "event":
      return `Event: ${r.event} for HTCondor Node ${r.node} (${r.jobId}) {${formatDagmanTime(r.eventTime)}}`;
    case "node-failed":
      return `Node ${r.node} job proc (${r.jobId}) failed with status ${r.status}.`;
    case "post-failed":
      return `POST Script of node ${r.node} failed with status ${r.status}`;
    case "retrying":
      return `Retrying node ${r.node} (retry #${r.retry} of ${r.maxRetries})...`;
    case "rescue":
      return `Writing Rescue DAG to ${r.file}...`;
    case "exiting":
      return `**** condor_scheduniv_exec.${r.dagmanCluster}.0 (condor_DAGMAN) pid ${r.pid} EXITING WITH STATUS ${r.status}`;
    case "text":
      return r.text;
  }
}

/** One `.dagman.out` line (without newline). */
export function formatDagmanOutLine(r: DagmanOutRecord): string {
  return `${formatDagmanTime(r.time)} ${message(r)}`;
}

/** Several lines, each ending in a newline (ready to append to the file). */
export function formatDagmanOut(records: DagmanOutRecord[]): string {
  return records.map((r) => `${formatDagmanOutLine(r)}\n`).join("");
}
