/**
 * Round optimisation (adaptive.md §16.1): from the metrics of the completed work units,
 * the resources of the next round — memory, job split, events per job and step-0
 * instances. `optimizeRound` is pure; `computeRoundOptimization` gathers the metrics
 * (inline summaries, else the work-unit directories) and calls it.
 *
 * Fixes reference bug §20 item 12: the reference divided wall times measured at the
 * pre-split events per job by the post-split events per job, overstating the time per
 * event by the job multiplier. Here the time per event uses the events per job the
 * metrics were measured at (`measuredEventsPerJob`, default `eventsPerJob`), and the
 * rescaling starts from the post-split events per job.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_SAFETY_MARGIN, MIN_MEMORY_MB, SANDBOX_OVERHEAD_MB } from "./constants.js";
import { NoMetricsError } from "./errors.js";
import { computeJobSplit } from "./job-split.js";
import { mergeRoundMetrics } from "./merge-rounds.js";
import { computePerStepNthreads } from "./per-step.js";
import { roundHalfEven, truncInt } from "./py-arith.js";
import { computeThroughputOptimization } from "./throughput.js";
import type {
  AnalyzedMetrics,
  JobSplitMemorySource,
  StepTuning,
  ThroughputResult,
  WorkUnitSummaryJson,
} from "./types.js";
import { analyzeWuMetrics } from "./wu-metrics.js";
import { wuMetricsToAnalyzed } from "./wu-summary.js";

export interface RoundParams {
  originalNthreads: number;
  requestCpus: number;
  defaultMemoryPerCore: number;
  maxMemoryPerCore: number;
  safetyMargin?: number;
  /** Events per job of the request; 0 disables the job split. */
  eventsPerJob?: number;
  /** Events per job the metrics were measured at (default `eventsPerJob`). */
  measuredEventsPerJob?: number;
  jobsPerWu?: number;
  minRequestCpus?: number;
  /** Largest RSS seen in earlier rounds; the memory never sizes below it. */
  historicalPeakRssMb?: number;
  splitTmpfs?: boolean;
  /** Target job wall time; 0 disables the events-per-job rescaling. */
  targetWallTimeSec?: number;
  /** Index of the round just completed; the rescaling starts at round 1. */
  currentRound?: number;
}

export interface RoundOptimizationInput extends RoundParams {
  submitDir: string;
  completedWus: readonly string[];
  inlineWuMetrics?: readonly WorkUnitSummaryJson[] | null;
}

export type RoundMemorySource = "default" | "fjr_rss" | "fjr_rss_split" | JobSplitMemorySource;

export interface MetricsSummary {
  weightedCpuEff: number;
  effectiveCores: number;
  peakRssMb: number;
  numJobs: number;
  nthreads: number;
  cgroupPeakMb?: number;
}

/** Resources for the next round (the reference's `adaptive_params`). */
export interface AdaptiveParams {
  metricsSummary: MetricsSummary | null;
  tunedNthreads: number;
  tunedMemoryMb: number;
  tunedRequestCpus: number;
  jobMultiplier: number;
  memorySource: RoundMemorySource;
  measuredMemoryMb?: number;
  perStep: Record<string, StepTuning>;
  /** Present only when it differs from the input events per job. */
  tunedEventsPerJob?: number;
  throughputOptimization?: ThroughputResult;
}

/**
 * Optimises the next round from the analysed metrics of the completed work units
 * (oldest first). With no metrics, returns the defaults.
 */
export function optimizeRound(
  metricsList: readonly AnalyzedMetrics[],
  params: RoundParams,
): AdaptiveParams {
  const original = params.originalNthreads;
  const requestCpus = params.requestCpus;
  const margin = params.safetyMargin ?? DEFAULT_SAFETY_MARGIN;
  const eventsPerJob = params.eventsPerJob ?? 0;
  const splitTmpfs = params.splitTmpfs ?? false;
  if (metricsList.length === 0) {
    return {
      tunedNthreads: original,
      tunedMemoryMb: params.defaultMemoryPerCore * requestCpus,
      tunedRequestCpus: requestCpus,
      jobMultiplier: 1,
      perStep: {},
      metricsSummary: null,
      memorySource: "default",
    };
  }
  const merged = mergeRoundMetrics(metricsList, original);
  const cgroup = merged.cgroup ?? null;
  const summary: MetricsSummary = {
    weightedCpuEff: merged.weightedCpuEff,
    effectiveCores: merged.effectiveCores,
    peakRssMb: merged.peakRssMb,
    numJobs: merged.numJobs,
    nthreads: merged.nthreads,
  };

  // Memory from the FJR RSS, never below the historical peak.
  const peak = Math.max(merged.peakRssMb, params.historicalPeakRssMb ?? 0);
  let measuredMemoryMb = peak > 0 ? roundHalfEven(peak) : 0;
  const measured =
    peak > 0 ? truncInt(peak * (1.0 + margin)) : params.defaultMemoryPerCore * requestCpus;
  let source: RoundMemorySource = peak > 0 ? "fjr_rss" : "default";
  if (cgroup && cgroup.peakNonreclaimMb > 0)
    summary.cgroupPeakMb = roundHalfEven(cgroup.peakNonreclaimMb);
  let tunedMemory = Math.max(
    MIN_MEMORY_MB,
    Math.min(measured, params.maxMemoryPerCore * requestCpus),
  );

  // Job split.
  let cpus = requestCpus;
  let multiplier = 1;
  let tunedEpj = eventsPerJob;
  if (eventsPerJob > 0) {
    const split = computeJobSplit(merged, {
      originalNthreads: original,
      requestCpus,
      memoryPerCoreMb: params.defaultMemoryPerCore,
      maxMemoryPerCoreMb: params.maxMemoryPerCore,
      eventsPerJob,
      numJobsWu: params.jobsPerWu ?? 8,
      safetyMargin: margin,
      cgroup,
      minRequestCpus: params.minRequestCpus ?? 4,
      splitTmpfs,
    });
    if (split.jobMultiplier > 1) {
      cpus = split.newRequestCpus;
      multiplier = split.jobMultiplier;
      tunedEpj = split.newEventsPerJob;
      tunedMemory = split.newRequestMemoryMb;
      source = split.memorySource ?? source;
    }
  }

  // Events per job toward the target wall time.
  let throughput: ThroughputResult | null = null;
  const target = params.targetWallTimeSec ?? 0;
  if ((params.currentRound ?? 0) >= 1 && target > 0 && tunedEpj > 0) {
    throughput = computeThroughputOptimization(merged, tunedEpj, target, {
      measuredEventsPerJob: params.measuredEventsPerJob ?? eventsPerJob,
    });
    if (throughput) tunedEpj = throughput.tunedEventsPerJob;
  }

  // Step-0 instances inside the (possibly split) job.
  const maxMemory = params.maxMemoryPerCore * cpus;
  const perStep = computePerStepNthreads(merged, original, {
    requestCpus: cpus,
    defaultMemoryMb: params.defaultMemoryPerCore * cpus,
    maxMemoryMb: maxMemory,
    safetyMargin: margin,
    cgroup,
    splitTmpfs,
  }).perStep;
  for (const tuning of Object.values(perStep)) {
    if (tuning.nParallel > 1 && tuning.instanceMemMb) {
      const need = SANDBOX_OVERHEAD_MB + tuning.nParallel * tuning.instanceMemMb;
      const capped = Math.max(MIN_MEMORY_MB, Math.min(truncInt(need), maxMemory));
      if (capped > tunedMemory) {
        tunedMemory = capped;
        measuredMemoryMb = truncInt(need);
        source = "fjr_rss_split";
      }
    }
  }

  const out: AdaptiveParams = {
    metricsSummary: summary,
    tunedNthreads: cpus,
    tunedMemoryMb: tunedMemory,
    tunedRequestCpus: cpus,
    jobMultiplier: multiplier,
    memorySource: source,
    measuredMemoryMb,
    perStep,
  };
  if (tunedEpj !== eventsPerJob) out.tunedEventsPerJob = tunedEpj;
  if (throughput) out.throughputOptimization = throughput;
  return out;
}

/**
 * Analysed metrics of the completed work units: the inline summaries when any converts,
 * else `submitDir/<wu>` for every completed work unit. Work units without metrics or
 * without a directory are skipped.
 */
export function collectRoundMetrics(
  submitDir: string,
  completedWus: readonly string[],
  inline?: readonly WorkUnitSummaryJson[] | null,
): AnalyzedMetrics[] {
  const out: AnalyzedMetrics[] = [];
  for (const summary of inline ?? []) {
    try {
      out.push(wuMetricsToAnalyzed(summary));
    } catch (err) {
      if (!(err instanceof NoMetricsError)) throw err;
    }
  }
  if (out.length > 0) return out;
  for (const wu of completedWus) {
    const dir = join(submitDir, wu);
    if (!existsSync(dir)) continue;
    try {
      out.push(analyzeWuMetrics(dir));
    } catch (err) {
      if (!(err instanceof NoMetricsError)) throw err;
    }
  }
  return out;
}

/** Gathers the metrics of the completed work units and optimises the next round. */
export function computeRoundOptimization(input: RoundOptimizationInput): AdaptiveParams {
  const metrics = collectRoundMetrics(input.submitDir, input.completedWus, input.inlineWuMetrics);
  return optimizeRound(metrics, input);
}
