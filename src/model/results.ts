/**
 * Shapes of what a matrix run saves: one RunRecord per invocation, one WorkflowResult
 * per workflow, with its performance data. The results store persists these; the
 * reports render them; nothing else is needed to re-render a report later.
 */

export type ResultStatus = "passed" | "failed" | "skipped" | "error" | "timeout";

/** One job's measurement of one step (one sample per instance/pipeline when a step ran split). */
export interface StepSample {
  /** 1-based round (work unit index + 1 for adaptive runs; 1 otherwise). */
  round: number;
  /** 1-based step number. */
  step: number;
  /** proc node index. */
  node: number;
  /** Parallel instance or pipeline index within the job (0 when not split). */
  instance: number;
  nThreads: number;
  wallSec: number;
  cpuSec: number;
  cpuEff: number | null;
  rssMb: number | null;
  eventsProcessed: number | null;
  eventsWritten: number | null;
  throughputEvS: number | null;
}

/** Aggregated performance of one step (of one round). */
export interface StepPerf {
  round: number;
  step: number;
  stepName: string;
  /** Number of samples. */
  n: number;
  /** Jobs the samples came from. */
  nJobs: number;
  nThreads: number;
  /** Concurrent instances (parallel step-0 instances or pipelines) per job. */
  instances: number;
  wallSecMean: number;
  wallSecStddev: number;
  wallSecMin: number;
  wallSecMax: number;
  cpuEffMean: number | null;
  cpuEffStddev: number | null;
  rssMbMean: number | null;
  rssMbStddev: number | null;
  rssMbMax: number | null;
  eventsTotal: number;
  throughputEvS: number | null;
}

/** Per-round totals of an adaptive run (one entry for a non-adaptive run). */
export interface RoundPerf {
  round: number;
  jobs: number;
  cpusPerJob: number;
  /** Threads label for the round (e.g. per-step list) as chosen by the decision that produced it. */
  threadsLabel: string;
  requestMemoryMb: number;
  events: number;
  coreHours: number;
  evPerCoreHour: number;
  /** Mean CPU efficiency per job relative to its request_cpus, 0..1. */
  cpuEffPerJob: number | null;
  /** Peak cgroup/RSS memory of one job, MB. */
  peakMemoryMb: number | null;
  /** Jobs held or killed for exceeding their memory request. */
  oomJobs: number;
  /** Phase times of the round's work unit(s), seconds. */
  processingSec: number;
  mergeSec: number;
  cleanupSec: number;
  /** Virtual time of the round's first proc start and last proc end, seconds from the first round's start. */
  startSec: number | null;
  endSec: number | null;
}

export interface TimeBreakdown {
  processingSec: number;
  mergeSec: number;
  cleanupSec: number;
  overheadSec: number;
  totalSec: number;
}

export interface CpuTimeline {
  /** Sample interval, seconds. */
  intervalSec: number;
  /** Cores busy in each interval (mean over the interval). */
  cores: number[];
  avgCores: number;
  peakCores: number;
  /** Cores the workflow's jobs requested in total when all run at once. */
  expectedCores: number;
  /** Round boundaries (seconds), for plots: midpoint between a round's last proc end and the next's first start. */
  roundMarks: number[];
}

export interface DatasetOutput {
  datasetName: string;
  mergedFiles: number;
  mergedBytes: number;
  /** Events recorded in the merged files' metadata. */
  mergedEvents: number;
  unmergedLeft: number;
  /** Whether a step of the request keeps output of this dataset's tier (only those must have merged files). */
  kept?: boolean;
}

export interface OutputSummary {
  mergedFiles: number;
  mergedBytes: number;
  unmergedCleaned: boolean;
  datasets: DatasetOutput[];
}

export interface PerfData {
  numProcJobs: number;
  coresPerJob: number;
  totalEvents: number;
  coreHours: number;
  evPerCoreHour: number;
  peakRssMb: number | null;
  steps: StepPerf[];
  rounds: RoundPerf[];
  samples: StepSample[];
  time: TimeBreakdown;
  cpu: CpuTimeline;
  output: OutputSummary;
}

/** Replan decisions of an adaptive run, as written by the replan nodes (replan_<k>_decisions.json). */
export interface AdaptiveData {
  decisions: Record<string, unknown>[];
  /** Round-2+ projections vs measurements (convergence check), one entry per later round. */
  convergence: ConvergenceCheck[];
}

export interface ConvergenceCheck {
  round: number;
  quantity: "memory_mb" | "effective_cores";
  step: number;
  projected: number;
  measured: number;
  /** (measured - projected) / projected. */
  relError: number;
  /** |relError| > 0.20 */
  flagged: boolean;
}

export interface WorkflowResult {
  wfId: number;
  title: string;
  status: ResultStatus;
  /** Why it failed/was skipped ("" when passed). Several reasons joined with "; ". */
  reason: string;
  /** Time the workflow took on its backend's clock (virtual seconds on sim). */
  elapsedSec: number;
  /** Real seconds the runner spent on it. */
  wallSec: number;
  /** completed | failed | removed | timeout | not_run */
  dagStatus: string;
  dagExitCode: number | null;
  rescueDags: string[];
  submitDir: string;
  seed: number;
  backend: string;
  perf: PerfData | null;
  adaptive: AdaptiveData | null;
}

export interface RunRecord {
  runId: number;
  startedAt: string;
  endedAt: string | null;
  selection: string;
  backend: string;
  seed: number;
  gitCommit: string;
  versions: Record<string, string>;
  argv: string[];
  counts: { passed: number; failed: number; skipped: number; error: number; timeout: number };
}
