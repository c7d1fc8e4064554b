import type { SubmitModel } from "../../src/dagman/model.js";
import type { SimFs } from "../fs.js";
import type { JobRunPlan } from "../pool/types.js";

/** A deterministic random source (one per job attempt or script run). */
export interface Rand {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Normal draw with the given mean and standard deviation. */
  normal(mean: number, sd: number): number;
}

/** What a job payload sees when it starts on a slot. */
export interface JobContext {
  fs: SimFs;
  /** The job's initial working directory (the node's DIR, absolute). */
  iwd: string;
  /** The submit description as read at (re)submission. */
  submit: SubmitModel;
  /** argv parsed from the submit file's `arguments`. */
  argv: string[];
  /** Executable as named in the submit file. */
  executable: string;
  nodeName: string;
  /** The submit file as the DAG names it (for messages); default `<nodeName>.sub`. */
  submitFile?: string;
  /**
   * Where stdout and stderr go: the submit file's `output`/`error` with its macros
   * expanded, relative to the iwd or absolute; undefined when discarded (no file named, as
   * HTCondor's default is /dev/null, or /dev/null).
   */
  output: string | undefined;
  error: string | undefined;
  /** 0 on the first attempt ($RETRY). */
  attempt: number;
  clusterId: number;
  /** Virtual time (epoch seconds) at which the job starts executing. */
  startTime: number;
  /** The slot the job runs in. */
  slot: { cpus: number; memoryMb: number; site: string; machine: string };
  rand: Rand;
}

/**
 * What a job will do, decided when it starts: the pool's run plan (duration, exit code or
 * signal, cgroup memory, CPU segments) plus `complete`, which the DAGMan layer calls when
 * the job terminates normally (exit code or signal, not when held or removed) to write the
 * job's artifacts (outputs, reports, metrics) at the job's end time.
 */
export interface JobPlan extends JobRunPlan {
  complete(endTime: number): void;
}

export type PayloadModel = (ctx: JobContext) => JobPlan;

/** What a PRE/POST script sees. */
export interface ScriptContext {
  fs: SimFs;
  /** The node's DIR (absolute): scripts run there. */
  iwd: string;
  /** Absolute path of the DAG file the node belongs to. */
  dagFile: string;
  node: string;
  kind: "PRE" | "POST";
  /** Arguments after macro substitution. */
  args: string[];
  now: number;
  /** For POST: the job's return value ($RETURN), -1002 when removed, -signo when killed. */
  jobReturn?: number;
  /** For POST: the hold reason code of the last hold of this attempt, if any. */
  holdReasonCode?: number;
  /** For POST: the hold reason subcode of that hold (102 memory, 104 disk). */
  holdReasonSubCode?: number;
  /**
   * The CMS site (`MATCH_GLIDEIN_CMSSite`) the node's job last ran at, when it ran: what
   * elect_site.sh asks condor_history for, and the site the POST collector records.
   */
  matchedSite?: string;
  /** For POST: what the job log and queue tell about the attempt. */
  job?: ScriptJobInfo;
  attempt: number;
  maxRetries: number;
  rand: Rand;
}

/** Facts about a job attempt a POST script reads from the job log and queue. */
export interface ScriptJobInfo {
  wallTimeSec?: number;
  cpuTimeSec?: number;
  /** Peak memory of the attempt (MB). */
  memoryMb?: number;
  holdReason?: string;
  /** The `PeriodicRemoveReason` when periodic_remove removed the job. */
  periodicRemoveReason?: string;
}

export interface ScriptResult {
  exitCode: number;
  /** Virtual seconds the script takes (including any sleep it does). */
  durationSec: number;
}

export type ScriptModel = (ctx: ScriptContext) => ScriptResult;
