/**
 * HTCondor job event log ("user log": the submit file's `log =` and DAGMan's
 * `<dag>.nodes.log`), formats.md §6.12. Each event is a header line
 * `NNN (cluster.proc.subproc) <date> <time> <text>`, indented detail lines, and a `...`
 * line. Current versions write `YYYY-MM-DD HH:MM:SS`, older ones `MM/DD HH:MM:SS`.
 *
 * Times are epoch seconds; the date fields are read and written as UTC wall-clock time
 * (a live pool writes the access point's local time, which only shifts all events alike).
 * The reader is event-log-parse.ts, the writer event-log-writer.ts; both are re-exported here.
 */

/** How a job or script ended: normally with a return value, or killed by a signal. */
export type ExitStatus =
  | { normal: true; returnValue: number }
  | { normal: false; signal: number; coreFile?: string };

/** CPU usage in seconds (`Usr d hh:mm:ss, Sys d hh:mm:ss`). */
export interface Rusage {
  userSec: number;
  sysSec: number;
}

/** One row of the "Partitionable Resources" table of event 005. */
export interface ResourceRow {
  usage?: number;
  request?: number;
  allocated?: number;
}

export type LogValue = string | number | boolean;

export interface EventBase {
  cluster: number;
  /** Default 0. */
  proc?: number;
  /** Default 0. */
  subproc?: number;
  /** Epoch seconds. */
  time: number;
}

export interface SubmitEvent extends EventBase {
  kind: "submit";
  host?: string;
  dagNode?: string;
}
export interface ExecuteEvent extends EventBase {
  kind: "execute";
  host?: string;
  slotName?: string;
  /** `Key = value` lines (Cpus, Disk, Memory, GPUs, CondorScratchDir, ...). */
  attrs?: Record<string, LogValue>;
}
export interface EvictedEvent extends EventBase {
  kind: "evicted";
  checkpointed?: boolean;
  runRemoteUsage?: Rusage;
}
export type TerminatedEvent = EventBase & {
  kind: "terminated";
  runRemoteUsage?: Rusage;
  totalRemoteUsage?: Rusage;
  runBytesSent?: number;
  runBytesReceived?: number;
  /** Keyed by the row name as printed: `Cpus`, `Disk (KB)`, `Memory (MB)`, `TimeExecute (s)`. */
  resources?: Record<string, ResourceRow>;
} & ExitStatus;
export interface ImageSizeEvent extends EventBase {
  kind: "imageSize";
  imageSizeKb: number;
  memoryUsageMb?: number;
  residentSetSizeKb?: number;
  proportionalSetSizeKb?: number;
}
export interface AbortedEvent extends EventBase {
  kind: "aborted";
  reason?: string;
}
export interface HeldEvent extends EventBase {
  kind: "held";
  reason?: string;
  /** HoldReasonCode (e.g. 34 = resource limit exceeded). */
  reasonCode?: number;
  /** HoldReasonSubCode (e.g. 102 = memory). */
  reasonSubcode?: number;
}
export interface ReleasedEvent extends EventBase {
  kind: "released";
  reason?: string;
}
export type PostScriptTerminatedEvent = EventBase & {
  kind: "postScriptTerminated";
  dagNode?: string;
} & ExitStatus;
export interface JobAdInformationEvent extends EventBase {
  kind: "jobAdInformation";
  attrs: Record<string, LogValue>;
}
/** Any other event code, kept as text. */
export interface OtherEvent extends EventBase {
  kind: "other";
  code: number;
  text: string;
  details?: string[];
}

export type JobLogEvent =
  | SubmitEvent
  | ExecuteEvent
  | EvictedEvent
  | TerminatedEvent
  | ImageSizeEvent
  | AbortedEvent
  | HeldEvent
  | ReleasedEvent
  | PostScriptTerminatedEvent
  | JobAdInformationEvent
  | OtherEvent;

/** Event codes of the kinds decoded here. */
export const EVENT_CODES = {
  submit: 0,
  execute: 1,
  evicted: 4,
  terminated: 5,
  imageSize: 6,
  aborted: 9,
  held: 12,
  released: 13,
  postScriptTerminated: 16,
  jobAdInformation: 28,
} as const satisfies Record<Exclude<JobLogEvent["kind"], "other">, number>;

/** A parsed event with what was read: code, header text, detail lines (trimmed), line number. */
export type ParsedLogEvent = JobLogEvent & {
  code: number;
  text: string;
  details: string[];
  line: number;
};

export function eventCode(ev: JobLogEvent): number {
  return ev.kind === "other" ? ev.code : EVENT_CODES[ev.kind];
}

export { parseEventLog, parseLiteral } from "./event-log-parse.js";
export { formatEvent, formatEventLog, formatLogDate } from "./event-log-writer.js";
