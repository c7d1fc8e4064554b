/**
 * The POST-script protocol of processing and merge nodes, as pure functions: classify a failed
 * attempt, then choose the POST exit code DAGMan acts on (0 success, 1 retry, 42 stop retrying
 * this node — RETRY … UNLESS-EXIT 42, 43 abort the work unit — ABORT-DAG-ON … 43), and the
 * work-unit POST decision over all processing records.
 */

export const ERROR_CATEGORIES = [
  "success",
  "transient",
  "permanent",
  "data",
  "infrastructure",
  "infrastructure_memory",
  "catastrophic",
] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

export const CLASSIFIER_ACTIONS = [
  "none",
  "retry",
  "retry_with_cooloff",
  "permanent_failure",
] as const;
export type ClassifierAction = (typeof CLASSIFIER_ACTIONS)[number];

export const PERMANENT_CODES: ReadonlySet<number> = new Set([
  70, 73, 7000, 7001, 7002, 8001, 8006, 8009, 8023, 8026, 8501, 50110, 50113, 50664, 71102, 71104,
  71105,
]);
export const DATA_CODES: ReadonlySet<number> = new Set([8016, 8021, 8027, 8028, 8034]);
export const MEMORY_CODES: ReadonlySet<number> = new Set([50660, 50661, 8004, 8030, 8031]);
export const INFRASTRUCTURE_CODES: ReadonlySet<number> = new Set([
  ...MEMORY_CODES,
  50,
  71,
  72,
  74,
  81,
  8020,
  8033,
  8035,
  10003,
  10004,
  10005,
  10006,
  10007,
  10008,
  10009,
  10018,
  10032,
  10042,
  10043,
  60311,
  60315,
  60316,
  60321,
]);
/** Generator filter produced zero events. */
export const EXIT_NO_EVENTS = 80;
/** HTCondor hold code "resource limit exceeded"; subcodes 102 memory, 104 disk. */
export const HOLD_RESOURCE_LIMIT = 34;

/** Log-tail patterns that turn a transient failure into an infrastructure (stage-out) one. */
const STAGEOUT_PATTERNS: readonly RegExp[] = [
  /permission (refused|denied)/i,
  /\bHTTP\S*\s*(403|507)\b/i,
  /\b(403 forbidden|507 insufficient storage)\b/i,
  /failed[^\n]*\b(gfal-mkdir|gfal-copy|xrdcp)\b/i,
  /\b(gfal-mkdir|gfal-copy|xrdcp)\b[^\n]*failed/i,
  /stage-?out[^\n]*failed/i,
  /no space left on device/i,
];

export interface FailureInput {
  /** Job exit code (`$RETURN`; −signo for a signal kill). */
  jobExitCode: number;
  /** CMSSW exit code from the job report (first FrameworkError), null/0 when none. */
  cmsswExitCode?: number | null;
  errorMessage?: string;
  logTail?: string;
  periodicRemoveReason?: string | null;
  /** Hold reason code/subcode of the attempt, when it was held before removal. */
  holdReasonCode?: number | null;
  holdReasonSubCode?: number | null;
  /** The job's input files (copied into `badInputFiles` for data errors). */
  inputFiles?: readonly string[];
}

export interface Classification {
  category: ErrorCategory;
  retryable: boolean;
  action: ClassifierAction;
  memoryExceeded: boolean;
  badInputFiles: string[];
}

function make(
  category: ErrorCategory,
  retryable: boolean,
  memoryExceeded = false,
  badInputFiles: string[] = [],
): Classification {
  let action: ClassifierAction = "permanent_failure";
  if (category === "success") action = "none";
  else if (retryable) action = category === "infrastructure" ? "retry_with_cooloff" : "retry";
  return { category, retryable, action, memoryExceeded, badInputFiles };
}

/**
 * Classify one attempt; the first matching rule wins: removal reason (zombie ⇒
 * infrastructure, not retryable; hard wall time ⇒ permanent); both codes 0 ⇒ success; hold
 * code 34 (102 ⇒ infrastructure_memory, 104 ⇒ infrastructure); then by the CMSSW code if
 * non-zero else the job code: 80 ⇒ permanent, permanent set (8001 mentioning
 * site-local-config ⇒ infrastructure), data set, memory set, infrastructure set; otherwise
 * transient, or infrastructure when the log tail shows a stage-out failure.
 */
export function classifyFailure(input: FailureInput): Classification {
  const removal = (input.periodicRemoveReason ?? "").toLowerCase();
  if (removal.includes("zombie")) return make("infrastructure", false);
  if (removal.includes("hard wall time")) return make("permanent", false);
  const cmssw = input.cmsswExitCode ?? 0;
  if (cmssw === 0 && input.jobExitCode === 0) return make("success", false);
  if (input.holdReasonCode === HOLD_RESOURCE_LIMIT) {
    if (input.holdReasonSubCode === 102) {
      return make("infrastructure_memory", true, true);
    }
    if (input.holdReasonSubCode === 104) return make("infrastructure", true);
  }
  const code = cmssw !== 0 ? cmssw : input.jobExitCode;
  if (code === EXIT_NO_EVENTS) return make("permanent", false);
  if (PERMANENT_CODES.has(code)) {
    const msg = (input.errorMessage ?? "").toLowerCase();
    if (code === 8001 && msg.includes("site-local-config")) return make("infrastructure", true);
    return make("permanent", false);
  }
  if (DATA_CODES.has(code)) return make("data", false, false, [...(input.inputFiles ?? [])]);
  if (MEMORY_CODES.has(code)) return make("infrastructure_memory", true, true);
  if (INFRASTRUCTURE_CODES.has(code)) return make("infrastructure", true);
  const tail = input.logTail ?? "";
  if (STAGEOUT_PATTERNS.some((p) => p.test(tail))) return make("infrastructure", true);
  return make("transient", true);
}

/** A record is final when the job succeeded, the failure is not retryable, or retries are used up. */
export function isFinalAttempt(
  jobExitCode: number,
  retryable: boolean,
  attempt: number,
  maxRetries: number,
): boolean {
  return jobExitCode === 0 || !retryable || attempt >= maxRetries;
}

/** Signal number of a `$RETURN` value (−signo), null for exit codes and DAGMan's −100x codes. */
export function exitSignalOf(returnCode: number): number | null {
  return returnCode < 0 && returnCode > -1000 ? -returnCode : null;
}

/** The part of a processing record the early-abort rule looks at. */
export interface ProcRecordVote {
  final: boolean;
  job: { exit_code: number };
}

export interface PostPolicyInput {
  /** `$RETURN`. */
  jobExitCode: number;
  /** `$RETRY` (0 on the first attempt). */
  retry: number;
  /** Category of this attempt; null when the collector crashed (treated as transient). */
  category: ErrorCategory | null;
  /** `request_memory` (MB) of the node's submit file, for the memory bump. */
  requestMemoryMb?: number;
  /** Every `proc_*.post.json` of the work unit, including the one just written for this node. */
  procRecords: readonly ProcRecordVote[];
  /** Number of `proc_*.sub` files of the work unit. */
  numProcJobs: number;
}

export type PostExitCode = 0 | 1 | 42 | 43;

export interface PostDecision {
  exitCode: PostExitCode;
  category: ErrorCategory;
  /** Seconds the POST script sleeps before exiting. */
  sleepSec: number;
  /** New `request_memory` to write into the node's submit file. */
  bumpMemoryTo?: number;
}

/** Cool-off of a transient failure: 60·2^retry s, at most 600 s. */
export function transientSleepSec(retry: number): number {
  return Math.min(60 * 2 ** retry, 600);
}

/** Memory bump of an out-of-memory failure: ×3/2, integer. */
export function bumpedMemoryMb(requestMemoryMb: number): number {
  return Math.floor((requestMemoryMb * 3) / 2);
}

/**
 * POST exit code, in the reference order: job exit 0 ⇒ 0; infrastructure_memory ⇒ bump
 * request_memory; if at least min(numProcJobs, 3) (and at least 1) processing records are
 * final with this exit code ⇒ 43; then transient ⇒ sleep, 1; infrastructure_memory ⇒ sleep
 * 60, 1; permanent, data, infrastructure ⇒ 42; catastrophic ⇒ 43; anything else ⇒ 1.
 */
export function postExitCode(input: PostPolicyInput): PostDecision {
  const category: ErrorCategory = input.category ?? "transient";
  if (input.jobExitCode === 0) return { exitCode: 0, category, sleepSec: 0 };
  const bump: Partial<PostDecision> = {};
  if (category === "infrastructure_memory" && input.requestMemoryMb !== undefined) {
    bump.bumpMemoryTo = bumpedMemoryMb(input.requestMemoryMb);
  }
  const needed = Math.max(1, Math.min(input.numProcJobs, 3));
  const same = input.procRecords.filter((r) => r.final && r.job.exit_code === input.jobExitCode);
  if (same.length >= needed) return { exitCode: 43, category, sleepSec: 0, ...bump };
  switch (category) {
    case "transient":
      return { exitCode: 1, category, sleepSec: transientSleepSec(input.retry) };
    case "infrastructure_memory":
      return { exitCode: 1, category, sleepSec: 60, ...bump };
    case "permanent":
    case "data":
    case "infrastructure":
      return { exitCode: 42, category, sleepSec: 0 };
    case "catastrophic":
      return { exitCode: 43, category, sleepSec: 0 };
    default:
      return { exitCode: 1, category, sleepSec: 0 };
  }
}

/** The part of a processing record the work-unit POST looks at. */
export interface WuRecordView {
  job: { site: string };
  classification: { category: ErrorCategory };
}

export interface WuPostDecision {
  exitCode: 0 | 1 | 42;
  /** Site to exclude from the landing job before the work unit is retried. */
  excludeSite?: string;
  /** Delete inner rescue DAGs, elected-site files and the POST records before retrying. */
  cleanup: boolean;
}

/**
 * Work-unit POST (`wu_post.sh`): sub-DAG success ⇒ 0; any permanent/data record ⇒ 42; no
 * records ⇒ clean up, 1; a dominant failing site (≥ 2 infrastructure(-memory) failures that
 * are ≥ 80 % of the site's failures; most such failures wins, ties by name) ⇒ exclude it,
 * clean up, 1; otherwise 42.
 */
export function wuPostDecision(
  returnCode: number,
  records: readonly WuRecordView[],
): WuPostDecision {
  if (returnCode === 0) return { exitCode: 0, cleanup: false };
  const cats = records.map((r) => r.classification.category);
  if (cats.some((c) => c === "permanent" || c === "data")) return { exitCode: 42, cleanup: false };
  if (records.length === 0) return { exitCode: 1, cleanup: true };
  const perSite = new Map<string, { failures: number; infra: number }>();
  for (const r of records) {
    const c = r.classification.category;
    if (c === "success") continue;
    const s = perSite.get(r.job.site) ?? { failures: 0, infra: 0 };
    s.failures += 1;
    if (c === "infrastructure" || c === "infrastructure_memory") s.infra += 1;
    perSite.set(r.job.site, s);
  }
  const dominant = [...perSite.entries()]
    .filter(([, s]) => s.infra >= 2 && s.infra >= 0.8 * s.failures)
    .sort((a, b) => b[1].infra - a[1].infra || a[0].localeCompare(b[0]))[0];
  if (!dominant) return { exitCode: 42, cleanup: false };
  return { exitCode: 1, excludeSite: dominant[0], cleanup: true };
}
