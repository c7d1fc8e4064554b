import { type DagmanZone, parseDagmanTime } from "./dagman-time.js";

/** One job event line: `Event: ULOG_X for HTCondor Node N (c.p.s) {time}`. */
export interface DagmanOutEvent {
  /** When DAGMan wrote the line (epoch seconds, the line's timestamp read as UTC). */
  time: number;
  /** When the event happened (the braced time), or undefined if the line has none. */
  eventTime?: number;
  /** Event name as printed, e.g. "ULOG_EXECUTE". */
  kind: string;
  node: string;
  jobId: string;
}

export interface DagmanOutParse {
  events: DagmanOutEvent[];
  /** Job submissions, with the id from the following "assigned HTCondor ID" line. */
  submits: Array<{ time: number; node: string; jobId?: string }>;
  nodeFailures: Array<{ time: number; node: string; jobId: string; status: number }>;
  postFailures: Array<{ time: number; node: string; status: number }>;
  retries: Array<{ time: number; node: string; retry: number; maxRetries: number }>;
  rescueFiles: string[];
  /** The final EXITING line, if DAGMan has exited. */
  exit?: { time: number; dagmanCluster: number; pid: number; status: number };
}

/**
 * Timestamp, optional debug-level tags such as `(D_ALWAYS)` or `(D_ALWAYS:2)`, message.
 * Tags never contain blanks, which keeps them apart from messages like `(retry #1 of 5)`.
 */
const LINE = /^(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d)\s+(?:\([A-Z_:0-9|]+\)\s+)*(.*)$/;
const EVENT =
  /^Event: (ULOG_\w+) for (?:HTCondor|Condor) Node (\S+) \(([\d.]+)\)(?: \{(\d\d\/\d\d\/\d\d \d\d:\d\d:\d\d)\})?/;
const SUBMITTING = /^Submitting (?:HTCondor|Condor) Node (\S+) job\(s\)/;
const ASSIGNED = /^assigned (?:HTCondor|Condor) ID \(([\d.]+)\)/;
const NODE_FAILED = /^Node (\S+) job proc \(([\d.]+)\) failed with status (-?\d+)/;
const POST_FAILED = /^POST Script of [Nn]ode (\S+) failed with status (-?\d+)/;
const RETRYING = /^Retrying node (\S+) \(retry #(\d+) of (\d+)\)/;
const RESCUE = /^Writing Rescue DAG to (.+?)\.\.\.$/;
const EXITING =
  /^\*\*\*\* condor_scheduniv_exec\.(\d+)\.\d+ \(condor_DAGMAN\) pid (\d+) EXITING WITH STATUS (-?\d+)/;

/**
 * Pick the lines WMS2 uses out of a `.dagman.out` file, its times read in `zone` (a live
 * DAGMan writes local time). Every other line, and any line cut short (a file being
 * written), is skipped; this reader never throws.
 */
export function parseDagmanOut(text: string, zone: DagmanZone = "utc"): DagmanOutParse {
  const out: DagmanOutParse = {
    events: [],
    submits: [],
    nodeFailures: [],
    postFailures: [],
    retries: [],
    rescueFiles: [],
  };
  let pendingSubmit: { time: number; node: string; jobId?: string } | undefined;
  const handlers: Array<[RegExp, (m: RegExpExecArray, time: number) => void]> = [
    [
      EVENT,
      (m, time) => {
        const ev: DagmanOutEvent = { time, kind: m[1], node: m[2], jobId: m[3] };
        const eventTime = m[4] === undefined ? undefined : parseDagmanTime(m[4], zone);
        if (eventTime !== undefined) ev.eventTime = eventTime;
        out.events.push(ev);
      },
    ],
    [
      SUBMITTING,
      (m, time) => {
        pendingSubmit = { time, node: m[1] };
        out.submits.push(pendingSubmit);
      },
    ],
    [
      ASSIGNED,
      (m) => {
        if (pendingSubmit && pendingSubmit.jobId === undefined) pendingSubmit.jobId = m[1];
      },
    ],
    [
      NODE_FAILED,
      (m, time) => out.nodeFailures.push({ time, node: m[1], jobId: m[2], status: Number(m[3]) }),
    ],
    [POST_FAILED, (m, time) => out.postFailures.push({ time, node: m[1], status: Number(m[2]) })],
    [
      RETRYING,
      (m, time) =>
        out.retries.push({ time, node: m[1], retry: Number(m[2]), maxRetries: Number(m[3]) }),
    ],
    [RESCUE, (m) => out.rescueFiles.push(m[1])],
    [
      EXITING,
      (m, time) => {
        out.exit = { time, dagmanCluster: Number(m[1]), pid: Number(m[2]), status: Number(m[3]) };
      },
    ],
  ];
  for (const raw of text.split("\n")) {
    const line = LINE.exec(raw.replace(/\r$/, ""));
    if (!line) continue;
    const time = parseDagmanTime(line[1], zone);
    if (time === undefined) continue;
    const msg = line[2].trim();
    for (const [re, handle] of handlers) {
      const m = re.exec(msg);
      if (m) {
        handle(m, time);
        break;
      }
    }
  }
  return out;
}
