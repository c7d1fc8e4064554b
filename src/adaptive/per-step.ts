/**
 * Per-step thread tuning (adaptive.md §10): step 0 as several concurrent instances in one
 * slot, sized against the slot's memory ceiling, and optional CPU overcommit for steps
 * whose efficiency sits in the 50–90 % band.
 */
import { InputError } from "../model/errors.js";
import {
  DEFAULT_SAFETY_MARGIN,
  MAX_PARALLEL,
  MIN_INSTANCE_MEMORY_MB,
  OVERCOMMIT_MAX_EFF,
  OVERCOMMIT_MIN_EFF,
  PER_THREAD_OVERHEAD_MB,
  SANDBOX_OVERHEAD_MB,
  TMPFS_PER_INSTANCE_MB,
} from "./constants.js";
import { nearestPowerOf2 } from "./effective-cores.js";
import { floorDiv, meanOr, roundHalfEven, truncInt } from "./py-arith.js";
import type {
  AnalyzedMetrics,
  CgroupSummary,
  InstanceMemorySource,
  PerStepResult,
  StepTuning,
} from "./types.js";
import { stepIndices } from "./types.js";

export interface PerStepOptions {
  requestCpus?: number;
  /** Accepted for parity with the reference; not used by the algorithm. */
  defaultMemoryMb?: number;
  /** Slot memory ceiling (MB); 0 disables the memory checks. */
  maxMemoryMb?: number;
  /** Thread overcommit factor; 1.0 (the default) disables overcommit. */
  overcommitMax?: number;
  /** Split step 0 into concurrent instances (default true). */
  split?: boolean;
  probeRssMb?: number;
  probeJobPeakTotalMb?: number;
  probeNumInstances?: number;
  safetyMargin?: number;
  cgroup?: CgroupSummary | null;
  minThreads?: number;
  splitTmpfs?: boolean;
}

interface InstanceMemory {
  mem: number;
  source: InstanceMemorySource;
}

/** Memory of one step-0 instance, from the first available source (§10.1 step 2). */
export function instanceMemory(avgRss: number, o: Required<PerStepOptions>): InstanceMemory {
  const m = 1.0 + o.safetyMargin;
  if (o.probeJobPeakTotalMb > 0 && o.probeNumInstances > 0) {
    const marginal = (o.probeJobPeakTotalMb - SANDBOX_OVERHEAD_MB) / o.probeNumInstances;
    return { mem: Math.max(marginal, MIN_INSTANCE_MEMORY_MB) * m, source: "probe_peak" };
  }
  const tmpfsPeak = o.cgroup?.tmpfsPeakNonreclaimMb ?? 0;
  if (tmpfsPeak > 0) {
    return { mem: Math.max(tmpfsPeak * m, MIN_INSTANCE_MEMORY_MB), source: "cgroup_measured" };
  }
  const gridpack = o.cgroup?.gridpackDiskMb ?? 0;
  const tmpfsAddOn = o.splitTmpfs ? (gridpack > 0 ? gridpack : TMPFS_PER_INSTANCE_MB) : 0;
  if (o.probeRssMb > 0) return { mem: o.probeRssMb * m + tmpfsAddOn, source: "probe" };
  return { mem: avgRss * m + tmpfsAddOn, source: "theoretical" };
}

/**
 * Largest instance count (from `nPar` down to 2) whose slot memory fits the ceiling,
 * trying divisors of the core count first; 1 when none fits.
 */
export function fitInstances(
  nPar: number,
  requestCpus: number,
  instMem: number,
  maxMemoryMb: number,
): number {
  const candidates: number[] = [];
  for (let p = nPar; p >= 2; p--) candidates.push(p);
  const ordered = [
    ...candidates.filter((p) => requestCpus % p === 0),
    ...candidates.filter((p) => requestCpus % p !== 0),
  ];
  for (const p of ordered) {
    if (SANDBOX_OVERHEAD_MB + p * instMem <= maxMemoryMb) return p;
  }
  return 1;
}

function tuneStepZero(
  meanEff: number,
  effCores: number,
  avgRss: number,
  original: number,
  o: Required<PerStepOptions>,
): StepTuning {
  let tuned = Math.max(Math.min(nearestPowerOf2(effCores), original), o.minThreads);
  let nPar = Math.max(Math.min(floorDiv(o.requestCpus, tuned), MAX_PARALLEL), 1);
  const idealNPar = nPar;
  const { mem: instMem, source } = instanceMemory(avgRss, o);
  if (o.maxMemoryMb > 0 && nPar > 1 && instMem > 0) {
    nPar = fitInstances(nPar, o.requestCpus, instMem, o.maxMemoryMb);
    if (nPar > 1) tuned = Math.max(floorDiv(o.requestCpus, nPar), o.minThreads);
  }
  if (nPar <= 1) {
    tuned = original;
    nPar = 1;
  }
  const idealMemory = idealNPar > 1 ? SANDBOX_OVERHEAD_MB + idealNPar * instMem : o.maxMemoryMb;
  let overcommit = false;
  let projected: number | null = null;
  if (o.overcommitMax > 1.0 && nPar > 1 && instMem > 0) {
    const tunedOc = Math.min(
      roundHalfEven(tuned * o.overcommitMax),
      truncInt(original * o.overcommitMax),
    );
    const extra = tunedOc - tuned;
    if (extra > 0 && o.maxMemoryMb > 0) {
      const proj = instMem + extra * PER_THREAD_OVERHEAD_MB;
      if (SANDBOX_OVERHEAD_MB + nPar * proj <= o.maxMemoryMb) {
        tuned = tunedOc;
        projected = proj;
        overcommit = true;
      } else {
        const avail = o.maxMemoryMb - SANDBOX_OVERHEAD_MB;
        const perInst = avail > 0 ? avail / nPar : 0;
        const safe = Math.max(0, truncInt((perInst - instMem) / PER_THREAD_OVERHEAD_MB));
        if (safe > 0) {
          tuned += safe;
          projected = instMem + safe * PER_THREAD_OVERHEAD_MB;
          overcommit = true;
        }
      }
    }
  }
  return {
    tunedNthreads: tuned,
    nParallel: nPar,
    cpuEff: meanEff,
    effectiveCores: effCores,
    overcommitApplied: overcommit,
    projectedRssMb: projected,
    idealNParallel: idealNPar,
    idealMemoryMb: roundHalfEven(idealMemory),
    memorySource: source,
    instanceMemMb: roundHalfEven(instMem),
  };
}

/** Overcommit of a sequentially running step (§10.2). */
function overcommitStep(
  meanEff: number,
  hasEff: boolean,
  avgRss: number,
  original: number,
  o: Required<PerStepOptions>,
) {
  const out = { tuned: original, projected: null as number | null, applied: false };
  if (!(o.overcommitMax > 1.0 && hasEff && avgRss > 0)) return out;
  if (!(meanEff >= OVERCOMMIT_MIN_EFF && meanEff < OVERCOMMIT_MAX_EFF)) return out;
  const oc = roundHalfEven(original * o.overcommitMax);
  const extra = oc - original;
  if (extra > 0 && o.maxMemoryMb > 0) {
    const proj = avgRss + extra * PER_THREAD_OVERHEAD_MB;
    if (proj <= o.maxMemoryMb) return { tuned: oc, projected: proj, applied: true };
    const safe = Math.max(0, truncInt((o.maxMemoryMb - avgRss) / PER_THREAD_OVERHEAD_MB));
    if (safe > 0) {
      return {
        tuned: original + safe,
        projected: avgRss + safe * PER_THREAD_OVERHEAD_MB,
        applied: true,
      };
    }
  }
  return out;
}

function withDefaults(options: PerStepOptions): Required<PerStepOptions> {
  return {
    requestCpus: options.requestCpus ?? 0,
    defaultMemoryMb: options.defaultMemoryMb ?? 0,
    maxMemoryMb: options.maxMemoryMb ?? 0,
    overcommitMax: options.overcommitMax ?? 1.0,
    split: options.split ?? true,
    probeRssMb: options.probeRssMb ?? 0,
    probeJobPeakTotalMb: options.probeJobPeakTotalMb ?? 0,
    probeNumInstances: options.probeNumInstances ?? 0,
    safetyMargin: options.safetyMargin ?? DEFAULT_SAFETY_MARGIN,
    cgroup: options.cgroup ?? null,
    minThreads: options.minThreads ?? 2,
    splitTmpfs: options.splitTmpfs ?? false,
  };
}

/**
 * Tunes every step: step 0 (when `split`) as concurrent instances, the other steps (and
 * an unsplit step 0) with optional overcommit. Throws when `split` is on and step 0
 * exists but cannot be tuned (`requestCpus` ≤ 0 or zero efficiency), as the reference does.
 */
export function computePerStepNthreads(
  metrics: AnalyzedMetrics,
  originalNthreads: number,
  options: PerStepOptions = {},
): PerStepResult {
  const o = withDefaults(options);
  const perStep: Record<string, StepTuning> = {};
  for (const si of stepIndices(metrics.steps)) {
    const step = metrics.steps[si];
    const meanEff = meanOr(step.cpuEff, 0.0);
    const effCores = meanEff * originalNthreads;
    const avgRss = meanOr(step.peakRssMb, 0);
    if (si === 0 && o.split) {
      if (!(o.requestCpus > 0 && effCores > 0)) {
        throw new InputError(
          `step 0 cannot be split: request_cpus=${o.requestCpus}, effective cores=${effCores}`,
        );
      }
      perStep[si] = tuneStepZero(meanEff, effCores, avgRss, originalNthreads, o);
      continue;
    }
    const oc = overcommitStep(meanEff, step.cpuEff.length > 0, avgRss, originalNthreads, o);
    perStep[si] = {
      tunedNthreads: oc.tuned,
      nParallel: 1,
      cpuEff: meanEff,
      effectiveCores: effCores,
      overcommitApplied: oc.applied,
      projectedRssMb: oc.projected,
    };
  }
  return { originalNthreads, perStep };
}
