/**
 * Job split (adaptive.md §12): when step 0 keeps few cores busy, run proportionally more
 * jobs with fewer cores and fewer events each, and size their memory from the best
 * measurement available.
 */
import {
  CGROUP_HEADROOM_MB,
  DEFAULT_SAFETY_MARGIN,
  JOB_SPLIT_TMPFS_MB,
  MIN_INSTANCE_MEMORY_MB,
  SANDBOX_OVERHEAD_MB,
} from "./constants.js";
import { nearestPowerOf2 } from "./effective-cores.js";
import { floorDiv, mean, meanOr, truncInt } from "./py-arith.js";
import type {
  AnalyzedMetrics,
  CgroupSummary,
  JobSplitMemorySource,
  JobSplitResult,
  JobSplitStep,
} from "./types.js";
import { stepIndices } from "./types.js";

export interface JobSplitInput {
  originalNthreads: number;
  requestCpus: number;
  /** Default (floor) memory per core of the window (MB). */
  memoryPerCoreMb: number;
  /** Maximum memory per core of the window (MB). */
  maxMemoryPerCoreMb: number;
  eventsPerJob: number;
  /** Proc jobs per work unit before the split. */
  numJobsWu: number;
  safetyMargin?: number;
  probeJobPeakTotalMb?: number;
  probeNumInstances?: number;
  probeRssMb?: number;
  splitTmpfs?: boolean;
  cgroup?: CgroupSummary | null;
  /** Threads of the last round (limits the unknown-tmpfs halving); 0 = original. */
  lastRoundNthreads?: number;
  minThreads?: number;
  minRequestCpus?: number;
}

type Params = Required<Omit<JobSplitInput, "cgroup">> & { cgroup: CgroupSummary | null };

function withDefaults(input: JobSplitInput): Params {
  return {
    ...input,
    safetyMargin: input.safetyMargin ?? DEFAULT_SAFETY_MARGIN,
    probeJobPeakTotalMb: input.probeJobPeakTotalMb ?? 0,
    probeNumInstances: input.probeNumInstances ?? 0,
    probeRssMb: input.probeRssMb ?? 0,
    splitTmpfs: input.splitTmpfs ?? false,
    cgroup: input.cgroup ?? null,
    lastRoundNthreads: input.lastRoundNthreads ?? 0,
    minThreads: input.minThreads ?? 2,
    minRequestCpus: input.minRequestCpus ?? 4,
  };
}

/** Cores per split job and the job multiplier, tmpfs adjustments included (steps 1–3). */
function splitCores(step0Eff: number[], p: Params): { tuned: number; multiplier: number } {
  const original = p.originalNthreads;
  const effCores = meanOr(step0Eff, 0.5) * original;
  const floor = Math.max(p.minThreads, p.minRequestCpus);
  let tuned = Math.min(Math.max(nearestPowerOf2(effCores), floor), original);
  let multiplier = Math.max(floorDiv(original, tuned), 1);
  const cg = p.cgroup;
  if (p.splitTmpfs && !(cg && cg.tmpfsPeakNonreclaimMb > 0)) {
    if (cg && cg.gridpackDiskMb > 0) {
      const est = truncInt((cg.peakAnonMb + cg.gridpackDiskMb) * (1.0 + p.safetyMargin));
      while (tuned < original && tuned * p.maxMemoryPerCoreMb < est) tuned *= 2;
      tuned = Math.min(Math.max(tuned, floor), original);
      multiplier = floorDiv(original, tuned);
    } else {
      const prev = p.lastRoundNthreads || original;
      const minT = Math.max(floorDiv(prev, 2), floor);
      if (tuned < minT) {
        tuned = minT;
        multiplier = floorDiv(original, tuned);
      }
    }
  }
  return { tuned, multiplier };
}

/** Memory measured for one split job and its source (step 5, before the clamp). */
function splitJobMemory(
  metrics: AnalyzedMetrics,
  tuned: number,
  p: Params,
): { measured: number; source: JobSplitMemorySource } {
  const m = 1.0 + p.safetyMargin;
  const cg = p.cgroup;
  if (p.probeJobPeakTotalMb > 0 && p.probeNumInstances > 0) {
    const marginal = Math.max(
      (p.probeJobPeakTotalMb - SANDBOX_OVERHEAD_MB) / p.probeNumInstances,
      MIN_INSTANCE_MEMORY_MB,
    );
    return { measured: truncInt((SANDBOX_OVERHEAD_MB + marginal) * m), source: "probe_peak" };
  }
  if (p.splitTmpfs && cg && cg.peakNonreclaimMb > 0) {
    if (cg.tmpfsPeakNonreclaimMb > 0) {
      const binding = Math.max(cg.tmpfsPeakNonreclaimMb, cg.noTmpfsPeakAnonMb);
      return { measured: truncInt(binding * m), source: "cgroup_measured" };
    }
    if (cg.gridpackDiskMb > 0) {
      return {
        measured: truncInt((cg.peakAnonMb + cg.gridpackDiskMb) * m),
        source: "cgroup_gridpack_estimated",
      };
    }
    return { measured: tuned * p.maxMemoryPerCoreMb, source: "cgroup_no_tmpfs_data" };
  }
  if (p.probeRssMb > 0) {
    const gridpack = cg?.gridpackDiskMb ?? 0;
    const tmpfs = p.splitTmpfs ? (gridpack > 0 ? gridpack : JOB_SPLIT_TMPFS_MB) : 0;
    return { measured: truncInt(p.probeRssMb * m) + tmpfs, source: "probe_rss" };
  }
  let peak = 0;
  for (const si of stepIndices(metrics.steps)) {
    peak = Math.max(peak, meanOr(metrics.steps[si].peakRssMb, 0));
  }
  if (peak > 0) {
    let e = peak;
    const step0Rss = metrics.steps[0]?.peakRssMb ?? [];
    if (p.splitTmpfs && step0Rss.length > 0) e = Math.max(e, mean(step0Rss) + JOB_SPLIT_TMPFS_MB);
    return {
      measured: Math.max(truncInt(e * m), truncInt(e) + CGROUP_HEADROOM_MB),
      source: "prior_rss",
    };
  }
  return { measured: 0, source: "default" };
}

/**
 * Splits each job into `multiplier` jobs of `tuned` cores. Memory is clamped into the
 * per-core window of the tuned core count (no 4000 MB floor). Without a step 0 the
 * request is returned unchanged (and without `memorySource`).
 */
export function computeJobSplit(metrics: AnalyzedMetrics, input: JobSplitInput): JobSplitResult {
  const p = withDefaults(input);
  const original = p.originalNthreads;
  const step0 = metrics.steps[0];
  if (!step0) {
    return {
      tunedNthreads: original,
      jobMultiplier: 1,
      newNumJobs: p.numJobsWu,
      newEventsPerJob: p.eventsPerJob,
      newRequestCpus: p.requestCpus,
      newRequestMemoryMb: p.memoryPerCoreMb * p.requestCpus,
      perStep: {},
    };
  }
  const cores = splitCores(step0.cpuEff, p);
  const tuned = cores.tuned;
  let multiplier = cores.multiplier;
  let newEpj = floorDiv(p.eventsPerJob, multiplier);
  if (newEpj < 1) {
    newEpj = 1;
    multiplier = p.eventsPerJob;
  }
  const { measured, source } = splitJobMemory(metrics, tuned, p);
  const lo = tuned * p.memoryPerCoreMb;
  const hi = tuned * p.maxMemoryPerCoreMb;
  let memory = Math.max(lo, Math.min(measured, hi));
  if (measured > hi) memory = hi;

  const perStep: Record<string, JobSplitStep> = {};
  for (const si of stepIndices(metrics.steps)) {
    const s = metrics.steps[si];
    const cpuEff = meanOr(s.cpuEff, 0.0);
    perStep[si] = {
      tunedNthreads: tuned,
      cpuEff,
      effectiveCores: cpuEff * original,
      avgRssMb: meanOr(s.peakRssMb, 0),
      nParallel: 1,
      overcommitApplied: false,
      projectedRssMb: null,
    };
  }
  return {
    tunedNthreads: tuned,
    jobMultiplier: multiplier,
    newNumJobs: p.numJobsWu * multiplier,
    newEventsPerJob: newEpj,
    newRequestCpus: tuned,
    newRequestMemoryMb: memory,
    memorySource: source,
    perStep,
  };
}
