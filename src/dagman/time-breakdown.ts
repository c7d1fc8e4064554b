import type { DagmanOutEvent } from "./dagman-out-parse.js";

/** Where a work unit's wall time went, in seconds (matrix.md §5.10). */
export interface TimeBreakdown {
  /** Last proc_* termination − first proc_* execution. */
  processing: number;
  /** merge termination − merge execution (last of each seen; 0 if either is missing). */
  merge: number;
  /** cleanup termination − cleanup execution (same rule). */
  cleanup: number;
  /** (cleanup end, else merge end, else last proc end) − first proc start − the three phases. */
  overhead: number;
  /** First proc_* execution (epoch seconds). */
  start: number;
  /** The end used for the overhead (epoch seconds). */
  end: number;
}

/**
 * Split a work unit's run into processing, merge, cleanup and overhead from the
 * ULOG_EXECUTE / ULOG_JOB_TERMINATED events of its group DAG, using the events' own
 * (braced) times. Node classes: names starting `proc_`, exactly `merge`, exactly
 * `cleanup`. Undefined when no proc node both started and terminated.
 */
export function timeBreakdown(events: DagmanOutEvent[]): TimeBreakdown | undefined {
  const procStarts: number[] = [];
  const procEnds: number[] = [];
  const last: Record<string, number | undefined> = {};
  for (const ev of events) {
    if (ev.eventTime === undefined) continue;
    const phase =
      ev.kind === "ULOG_EXECUTE" ? "start" : ev.kind === "ULOG_JOB_TERMINATED" ? "end" : undefined;
    if (!phase) continue;
    if (ev.node.startsWith("proc_")) (phase === "start" ? procStarts : procEnds).push(ev.eventTime);
    else if (ev.node === "merge" || ev.node === "cleanup")
      last[`${ev.node}.${phase}`] = ev.eventTime;
  }
  if (procStarts.length === 0 || procEnds.length === 0) return undefined;
  const start = Math.min(...procStarts);
  const procEnd = Math.max(...procEnds);
  const span = (node: string) => {
    const s = last[`${node}.start`];
    const e = last[`${node}.end`];
    return s !== undefined && e !== undefined && e >= s ? e - s : 0;
  };
  const processing = procEnd - start;
  const merge = span("merge");
  const cleanup = span("cleanup");
  const end = last["cleanup.end"] ?? last["merge.end"] ?? procEnd;
  return {
    processing,
    merge,
    cleanup,
    overhead: end - start - (processing + merge + cleanup),
    start,
    end,
  };
}
