import type { AdLookup, ClassAdValue } from "./classad-expr.js";

/** HTCondor `JobStatus` codes used by the pool (formats.md §6.6). */
export const JobStatus = {
  Idle: 1,
  Running: 2,
  Removed: 3,
  Completed: 4,
  Held: 5,
} as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];

/** HoldReasonCode values the pool sets (HTCondor manual, job ClassAd attributes). */
export const HoldCode = {
  /** condor_hold by a user. */
  UserRequest: 1,
  /** The job's periodic_hold (or on_exit_hold) expression evaluated to true. */
  JobPolicy: 3,
  /** Resource limit exceeded; subcode 102 = memory, 104 = disk (formats.md §9 item 14). */
  ResourceLimit: 34,
} as const;
export const HoldSubCode = { Memory: 102, Disk: 104 } as const;

/** A machine type in the pool description; `count` identical machines are created. */
export interface MachineSpec {
  name: string;
  count: number;
  cores: number;
  memoryMb: number;
  diskKb: number;
  /** Advertised as GLIDEIN_CMSSite. */
  site: string;
}

export interface PoolConfig {
  /** Seconds between negotiation cycles. */
  negotiationIntervalSec: number;
  /**
   * Seconds between a running job's reports to the schedd (HTCondor's
   * SHADOW_QUEUE_UPDATE_INTERVAL, 900 by default): its RemoteUserCpu is as of the last one.
   */
  shadowUpdateIntervalSec?: number;
  /** Cluster id of the first submitted job; later jobs count up from it. */
  firstClusterId: number;
  machines: MachineSpec[];
}

/** What a job's ClassAd needs of its pool: the time, and how often running jobs report. */
export interface JobAdClock {
  readonly now: number;
  readonly shadowUpdateIntervalSec: number;
}

/** Memory usage of one run, as the cgroup sees it (RSS of all processes + tmpfs), in MB. */
export type MemoryUsage =
  /** The peak and the time (seconds after the job started) it is reached. */
  | { peakMb: number; atSec: number }
  /** Usage steps: from `atSec` (after start) on, the cgroup holds `mb` until the next step. */
  | { timeline: ReadonlyArray<{ atSec: number; mb: number }> };

/** What a started job will do, decided by its driver when it starts. */
export interface JobRunPlan {
  /** Seconds from start to exit, if no limit stops it first. */
  durationSec: number;
  /** Exit code of a normal termination (default 0). Ignored when `signal` is set. */
  exitCode?: number;
  /** Signal number of an abnormal termination (e.g. 9). */
  signal?: number;
  memory?: MemoryUsage;
  /** Resident set size (MB) shown in image-size reports; default: the cgroup usage. */
  rssMb?: number;
  /** CPU use over the run: `cores` busy from `start` to `end` (seconds after start). */
  cpu?: ReadonlyArray<CpuSegment>;
  /** CPU seconds of the whole run, when `cpu` is not given (spread evenly over the run). */
  cpuSec?: number;
}

/** A stretch of CPU use: `cores` cores busy from `start` to `end`. */
export interface CpuSegment {
  start: number;
  end: number;
  cores: number;
}

/** What a driver is told when its job starts on a slot. */
export interface JobStartInfo {
  jobId: number;
  now: number;
  machine: string;
  site: string;
  slotName: string;
  cpus: number;
  memoryMb: number;
  diskKb: number;
  /** NumJobStarts including this start (1 on the first). */
  attempt: number;
}

/** Decides the run of a job each time it starts (the payload model lives behind it). */
export type JobDriver = (start: JobStartInfo) => JobRunPlan;

/** How a job run ended. */
export type JobExit =
  | { exitCode: number; signal?: undefined }
  | { signal: number; exitCode?: undefined };

export interface HoldInfo {
  reason: string;
  code: number;
  subCode: number;
}

export interface ImageSizeInfo {
  /** Peak cgroup memory of the run so far (MB). */
  memoryUsageMb: number;
  residentSetSizeKb: number;
}

/** Callbacks for the layer above (DAGMan interpreter, log writers, accounting). */
export interface PoolListener {
  onSubmit?(job: PoolJob): void;
  onExecute?(job: PoolJob): void;
  onImageSize?(job: PoolJob, usage: ImageSizeInfo): void;
  onTerminate?(job: PoolJob, exit: JobExit): void;
  onHold?(job: PoolJob, hold: HoldInfo): void;
  onRelease?(job: PoolJob): void;
  onRemove?(job: PoolJob, info: { reason: string; wasRunning: boolean }): void;
}

export interface JobSubmit {
  requestCpus: number;
  /** MiB, as `request_memory`. */
  requestMemoryMb: number;
  /** KiB, as `request_disk`. */
  requestDiskKb: number;
  /** `+DESIRED_Sites`: when non-empty the job runs only at these sites. */
  desiredSites?: readonly string[];
  /** `Requirements` expression (ClassAd subset); empty means true. */
  requirements?: string;
  /** File (or other source) named in expression syntax errors. */
  requirementsSource?: string;
  /** `priority` (JobPrio); higher is negotiated first. */
  priority?: number;
  /** Further job ClassAd attributes (e.g. DAGNodeName, DAGManJobId). */
  attrs?: Record<string, ClassAdValue>;
  /**
   * The submit file's own attributes (`+Name = value`), by lower-cased name, evaluated in
   * the job's ad `my`: asked for a name the job's ad has no other value for.
   */
  submitted?: (lowerCasedName: string, my: AdLookup) => ClassAdValue;
  driver: JobDriver;
  /** Listener for this job only (called after the pool-wide listeners). */
  listener?: PoolListener;
}

/** One execution of a job on a slot (a job has one per start). */
export interface JobRun {
  jobId: number;
  machine: string;
  site: string;
  slotName: string;
  cpus: number;
  memoryMb: number;
  diskKb: number;
  start: number;
  /** Undefined while running. */
  end?: number;
  outcome?: "completed" | "held" | "removed";
  /** Peak cgroup memory (MB) seen during the run. */
  memoryPeakMb: number;
  /** CPU seconds used (only the part before the end when the run was cut short). */
  cpuSec: number;
  /**
   * The plan's CPU segments (seconds after `start`) once the run has ended, when the plan
   * gave them; `runCpuSegments` gives them in absolute time, cut at the end of the run.
   */
  cpuPlan?: ReadonlyArray<CpuSegment>;
}

/** Read-only view of a job in the queue (its ClassAd-like state). */
export interface PoolJob {
  readonly id: number;
  readonly cluster: number;
  readonly proc: 0;
  readonly status: JobStatus;
  readonly requestCpus: number;
  readonly requestMemoryMb: number;
  readonly requestDiskKb: number;
  readonly priority: number;
  readonly desiredSites: readonly string[];
  readonly requirements: string;
  readonly attrs: Readonly<Record<string, ClassAdValue>>;
  readonly submitTime: number;
  readonly numJobStarts: number;
  readonly numHolds: number;
  /** The current run (while running) or the last one. */
  readonly lastRun?: Readonly<JobRun>;
  readonly exitCode?: number;
  readonly exitSignal?: number;
  readonly completionTime?: number;
  readonly hold?: Readonly<HoldInfo>;
  readonly lastHold?: Readonly<HoldInfo>;
  /** Why the job cannot match any machine even on an empty pool (idle jobs only). */
  readonly unmatchableReason?: string;
  /** Virtual time of the last status change (EnteredCurrentStatus). */
  readonly enteredCurrentStatus: number;
  /**
   * The job ClassAd for policy expressions (e.g. periodic_release): RequestCpus,
   * RequestMemory, RequestDisk, JobPrio, JobStatus, NumJobStarts, NumHolds, HoldReason,
   * HoldReasonCode, HoldReasonSubCode, EnteredCurrentStatus, JobCurrentStartDate,
   * CompletionDate, ExitCode, ExitSignal, QDate, ClusterId, ProcId, DESIRED_Sites,
   * RemoteUserCpu, RemoteSysCpu, CumulativeRemoteUserCpu, CumulativeRemoteSysCpu and the
   * submitted attributes. Evaluate with `compileExpr(text)(job.ad, otherAd)`.
   */
  readonly ad: AdLookup;
  /** One attribute of `ad` by its lower-cased name (what `ad(name)` answers). */
  attr(lowerCasedName: string): ClassAdValue;
}
