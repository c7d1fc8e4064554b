/**
 * `<node>.post.json`: the POST collector's record of one attempt of a processing or merge
 * node (overwritten each attempt), read by the work-unit POST, the early-abort rule and the
 * control plane.
 */
import { z } from "zod";
import type { FjrReport } from "./fjr.js";
import { fjrNumber } from "./fjr.js";
import { parseJsonText, readTextFile, writeJsonFile } from "./json-io.js";
import {
  CLASSIFIER_ACTIONS,
  type Classification,
  type ClassifierAction,
  ERROR_CATEGORIES,
  type ErrorCategory,
  exitSignalOf,
  isFinalAttempt,
} from "./post-classify.js";

export interface PostJobInfo {
  exit_code: number;
  exit_signal: number | null;
  hold_reason: string | null;
  wall_time_sec: number;
  cpu_time_sec: number;
  memory_mb: number;
  site: string;
  schedd: string;
  periodic_remove_reason: string | null;
}

export interface CmsswStepStatus {
  status: string;
  exit_code: number | null;
}

export interface CmsswSummary {
  exit_code: number | null;
  steps: Record<string, CmsswStepStatus>;
  error_message: string;
  input_files: string[];
  output_files: string[];
  performance: {
    peak_rss_mb: number | null;
    avg_event_time_sec: number | null;
    events_read: number | null;
    events_written: number | null;
  };
}

export interface PostRecord {
  node_name: string;
  /** ISO 8601 UTC. */
  timestamp: string;
  /** `$RETRY`. */
  attempt: number;
  max_retries: number;
  final: boolean;
  job: PostJobInfo;
  cmssw: CmsswSummary;
  classification: {
    category: ErrorCategory;
    retryable: boolean;
    bad_input_files: string[];
    action: ClassifierAction;
    memory_exceeded: boolean;
  };
  log_tail: string;
}

/** Longest stderr tail kept in a record. */
export const LOG_TAIL_MAX = 10000;

/** The last `LOG_TAIL_MAX` characters of a log. */
export function logTail(text: string, max = LOG_TAIL_MAX): string {
  return text.length > max ? text.slice(text.length - max) : text;
}

export function emptyCmsswSummary(): CmsswSummary {
  return {
    exit_code: null,
    steps: {},
    error_message: "",
    input_files: [],
    output_files: [],
    performance: {
      peak_rss_mb: null,
      avg_event_time_sec: null,
      events_read: null,
      events_written: null,
    },
  };
}

/**
 * The `cmssw` block from a job's step reports (in step order): exit code and message of the
 * first FrameworkError; per-step status from `Step` (else `step<K>`); primary input LFNs (PFN
 * when the LFN is empty); output LFNs/PFNs; peak RSS over steps; the last step's average
 * event time and written events; the first step's events read.
 */
export function cmsswSummaryFromReports(reports: readonly FjrReport[]): CmsswSummary {
  const out = emptyCmsswSummary();
  reports.forEach((r, i) => {
    const err = r.errors[0];
    if (err && out.exit_code === null) {
      out.exit_code = err.exitStatus;
      out.error_message = err.message;
    }
    const name = r.step?.name || `step${i + 1}`;
    const code = r.step?.exitCode ?? err?.exitStatus ?? 0;
    out.steps[name] = { status: code === 0 ? "success" : "failed", exit_code: code };
    for (const f of r.inputFiles) {
      if ((f.inputType ?? "primaryFiles") === "primaryFiles") out.input_files.push(f.lfn || f.pfn);
    }
    for (const f of r.outputFiles) out.output_files.push(f.lfn || f.pfn);
    const rss = fjrNumber(r, "ApplicationMemory", "PeakValueRss");
    if (rss !== undefined)
      out.performance.peak_rss_mb = Math.max(out.performance.peak_rss_mb ?? 0, rss);
  });
  if (reports.length > 0 && out.exit_code === null) out.exit_code = 0;
  const first = reports[0];
  const last = reports[reports.length - 1];
  if (first) {
    const reads = first.inputFiles.map((f) => f.eventsRead).filter((n): n is number => n !== null);
    if (reads.length) out.performance.events_read = reads.reduce((a, b) => a + b, 0);
  }
  if (last) {
    out.performance.avg_event_time_sec = fjrNumber(last, "Timing", "AvgEventTime") ?? null;
    const written = last.outputFiles
      .map((f) => f.totalEvents)
      .filter((n): n is number => n !== null);
    if (written.length) out.performance.events_written = written.reduce((a, b) => a + b, 0);
  }
  return out;
}

export interface PostRecordInput {
  nodeName: string;
  timestamp: Date;
  attempt: number;
  maxRetries: number;
  job: Omit<PostJobInfo, "exit_signal" | "schedd" | "cpu_time_sec"> & {
    exit_signal?: number | null;
    schedd?: string;
    cpu_time_sec?: number;
  };
  cmssw?: CmsswSummary;
  classification: Classification;
  /** Full stderr text; the record keeps its tail. */
  stderr?: string;
}

/** An empty list shared by records (frozen: it stays empty). */
const NO_FILES: string[] = [];
Object.freeze(NO_FILES);

/** `emptyCmsswSummary()` frozen through. */
function frozenEmptyCmssw(): CmsswSummary {
  const s = emptyCmsswSummary();
  Object.freeze(s.steps);
  Object.freeze(s.performance);
  return Object.freeze({ ...s, input_files: NO_FILES, output_files: NO_FILES });
}

/** The `cmssw` block of every record made without reports: one frozen value. */
const NO_CMSSW = frozenEmptyCmssw();

type RecordClassification = PostRecord["classification"];

/** The classification blocks made so far that name no bad input file (a handful at most). */
const plainBlocks: RecordClassification[] = [];

/**
 * The `classification` block of a record. Most name no bad input file: records of the same
 * classification then share one frozen block (records are kept as they are, never changed).
 */
function classificationBlock(c: Classification): RecordClassification {
  if (c.badInputFiles.length > 0) return recordClassification(c, c.badInputFiles);
  for (const b of plainBlocks) {
    if (
      b.category === c.category &&
      b.retryable === c.retryable &&
      b.action === c.action &&
      b.memory_exceeded === c.memoryExceeded
    ) {
      return b;
    }
  }
  const block = Object.freeze(recordClassification(c, NO_FILES));
  plainBlocks.push(block);
  return block;
}

function recordClassification(c: Classification, badInputFiles: string[]): RecordClassification {
  return {
    category: c.category,
    retryable: c.retryable,
    bad_input_files: badInputFiles,
    action: c.action,
    memory_exceeded: c.memoryExceeded,
  };
}

/** The last time formatted and its text: the POSTs of one DAGMan pass share their time. */
let lastMs = Number.NaN;
let lastIso = "";

function isoTime(d: Date): string {
  const ms = d.getTime();
  if (ms !== lastMs) {
    lastIso = d.toISOString();
    lastMs = ms;
  }
  return lastIso;
}

/**
 * Assemble a record; `final` and the signal (from a negative exit code) are derived. Parts
 * that are the same in many records (the empty `cmssw` block, a plain classification) are
 * shared frozen values.
 */
export function buildPostRecord(input: PostRecordInput): PostRecord {
  const c = input.classification;
  return {
    node_name: input.nodeName,
    timestamp: isoTime(input.timestamp),
    attempt: input.attempt,
    max_retries: input.maxRetries,
    final: isFinalAttempt(input.job.exit_code, c.retryable, input.attempt, input.maxRetries),
    job: {
      exit_code: input.job.exit_code,
      exit_signal: input.job.exit_signal ?? exitSignalOf(input.job.exit_code),
      hold_reason: input.job.hold_reason,
      wall_time_sec: input.job.wall_time_sec,
      cpu_time_sec: input.job.cpu_time_sec ?? 0,
      memory_mb: input.job.memory_mb,
      site: input.job.site,
      schedd: input.job.schedd ?? "",
      periodic_remove_reason: input.job.periodic_remove_reason,
    },
    cmssw: input.cmssw ?? NO_CMSSW,
    classification: classificationBlock(c),
    log_tail: logTail(input.stderr ?? ""),
  };
}

const numOrNull = z.number().nullable().default(null);
const textOrNull = z.string().nullable().default(null);
const jobSchema = z.looseObject({
  exit_code: z.number().int(),
  exit_signal: z.number().int().nullable().default(null),
  hold_reason: textOrNull,
  wall_time_sec: z.number().default(0),
  cpu_time_sec: z.number().default(0),
  memory_mb: z.number().default(0),
  site: z.string().default("unknown"),
  schedd: z.string().default(""),
  periodic_remove_reason: textOrNull,
});
const cmsswSchema = z.looseObject({
  exit_code: z.number().int().nullable().default(null),
  steps: z.record(
    z.string(),
    z.looseObject({ status: z.string(), exit_code: z.number().int().nullable().default(null) }),
  ),
  error_message: z.string().nullable().default(""),
  input_files: z.array(z.string()).default([]),
  output_files: z.array(z.string()).default([]),
  performance: z
    .looseObject({
      peak_rss_mb: numOrNull,
      avg_event_time_sec: numOrNull,
      events_read: numOrNull,
      events_written: numOrNull,
    })
    .default({
      peak_rss_mb: null,
      avg_event_time_sec: null,
      events_read: null,
      events_written: null,
    }),
});
const postSchema = z.looseObject({
  node_name: z.string().min(1),
  timestamp: z.string(),
  attempt: z.number().int().nonnegative(),
  max_retries: z.number().int().nonnegative(),
  final: z.boolean(),
  job: jobSchema,
  cmssw: z.preprocess((v) => v ?? emptyCmsswSummary(), cmsswSchema),
  classification: z.looseObject({
    category: z.enum(ERROR_CATEGORIES),
    retryable: z.boolean(),
    bad_input_files: z.array(z.string()).default([]),
    action: z.enum(CLASSIFIER_ACTIONS),
    memory_exceeded: z.boolean().default(false),
  }),
  log_tail: z.string().default(""),
});

/** Validate the text of `<node>.post.json`. */
export function parsePostRecord(text: string, file: string): PostRecord {
  const r = parseJsonText(text, file, postSchema);
  return { ...r, cmssw: { ...r.cmssw, error_message: r.cmssw.error_message ?? "" } } as PostRecord;
}

/** Read and validate `<node>.post.json`. */
export function readPostRecord(file: string): PostRecord {
  return parsePostRecord(readTextFile(file), file);
}

/**
 * The parts of `<node>.post.json` the early-abort rule (`ProcRecordVote`) and the work-unit
 * POST (`WuRecordView`) read.
 */
export interface PostRecordView {
  final: boolean;
  job: { exit_code: number; site: string };
  classification: { category: ErrorCategory };
}

const postViewSchema = z.looseObject({
  final: z.boolean(),
  job: jobSchema.pick({ exit_code: true, site: true }),
  classification: z.looseObject({ category: z.enum(ERROR_CATEGORIES) }),
});

/** Validate only the `PostRecordView` parts of a `<node>.post.json` text. */
export function parsePostRecordView(text: string, file: string): PostRecordView {
  const r = parseJsonText(text, file, postViewSchema);
  return {
    final: r.final,
    job: { exit_code: r.job.exit_code, site: r.job.site },
    classification: { category: r.classification.category },
  };
}

export function writePostRecord(file: string, record: PostRecord): void {
  writeJsonFile(file, record);
}
