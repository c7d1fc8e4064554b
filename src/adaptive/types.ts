/**
 * Shapes shared by the adaptive algorithms. Maps keyed by step index use the decimal
 * string of the 0-based index ("0", "1", ...), exactly as they appear in JSON.
 */

/** Per-step metric samples of one analysed work unit (one value per job or instance). */
export interface StepSeries {
  wallSec: number[];
  cpuEff: number[];
  peakRssMb: number[];
  events: number[];
  throughput: number[];
  cpuTimeSec: number[];
  nthreads: number[];
}

/** Maximum of each cgroup memory figure over the proc jobs of a work unit (MB). */
export interface CgroupSummary {
  peakAnonMb: number;
  peakShmemMb: number;
  peakNonreclaimMb: number;
  tmpfsPeakNonreclaimMb: number;
  noTmpfsPeakAnonMb: number;
  gridpackDiskMb: number;
  numJobs?: number;
}

/** Metrics of one work unit (or several merged ones), as produced by §6/§7/§9. */
export interface AnalyzedMetrics {
  steps: Record<string, StepSeries>;
  peakRssMb: number;
  weightedCpuEff: number;
  effectiveCores: number;
  numJobs: number;
  nthreads: number;
  cgroup?: CgroupSummary;
}

/**
 * A work-unit summary as the merge job writes it (`work_unit_metrics.json`, also kept
 * inline in the database). It stays in its on-disk snake_case form: the per-step
 * metric names are read by name.
 */
export interface WorkUnitSummaryJson {
  group_index?: number;
  num_proc_jobs?: number;
  per_step?: Record<string, Record<string, unknown>>;
  cgroup?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Where the memory of one step-0 instance came from (§10.1). */
export type InstanceMemorySource = "probe_peak" | "cgroup_measured" | "probe" | "theoretical";

/** Tuning of one step by the per-step algorithm (§10). */
export interface StepTuning {
  tunedNthreads: number;
  nParallel: number;
  cpuEff: number;
  effectiveCores: number;
  overcommitApplied: boolean;
  projectedRssMb: number | null;
  /** Step 0 only, when the instance split is enabled. */
  idealNParallel?: number;
  idealMemoryMb?: number;
  memorySource?: InstanceMemorySource;
  instanceMemMb?: number;
}

/** Result of `computePerStepNthreads`. */
export interface PerStepResult {
  originalNthreads: number;
  perStep: Record<string, StepTuning>;
}

/** Per-step entry of a pipeline split (§11). */
export interface PipelineStepTuning {
  tunedNthreads: number;
  nParallel: number;
  cpuEff: number;
  effectiveCores: number;
  projectedRssMb: number;
  overcommitApplied: boolean;
}

/** Result of `computeAllStepSplit`. */
export interface PipelineSplitResult {
  originalNthreads: number;
  nPipelines: number;
  perStep: Record<string, PipelineStepTuning>;
}

/** Where the memory of a split job came from (§12 step 5). */
export type JobSplitMemorySource =
  | "probe_peak"
  | "cgroup_measured"
  | "cgroup_gridpack_estimated"
  | "cgroup_no_tmpfs_data"
  | "probe_rss"
  | "prior_rss"
  | "default";

/** Per-step entry of a job split. */
export interface JobSplitStep {
  tunedNthreads: number;
  cpuEff: number;
  effectiveCores: number;
  avgRssMb: number;
  nParallel: number;
  overcommitApplied: boolean;
  projectedRssMb: number | null;
}

/** Result of `computeJobSplit` (§12). */
export interface JobSplitResult {
  tunedNthreads: number;
  jobMultiplier: number;
  newNumJobs: number;
  newEventsPerJob: number;
  newRequestCpus: number;
  newRequestMemoryMb: number;
  /** Absent when there is no step 0 (nothing was decided). */
  memorySource?: JobSplitMemorySource;
  perStep: Record<string, JobSplitStep>;
}

/** Result of `computeThroughputOptimization` (§13). */
export interface ThroughputResult {
  tunedEventsPerJob: number;
  measuredWallPerEventSec: number;
  estimatedTotalWallSec: number;
  totalMedianWallSec: number;
}

/** Step indices of a step map in ascending numeric order. */
export function stepIndices(steps: Record<string, unknown>): number[] {
  return Object.keys(steps)
    .map((k) => Number(k))
    .sort((a, b) => a - b);
}

/** An empty series for a new step. */
export function emptyStepSeries(): StepSeries {
  return {
    wallSec: [],
    cpuEff: [],
    peakRssMb: [],
    events: [],
    throughput: [],
    cpuTimeSec: [],
    nthreads: [],
  };
}
