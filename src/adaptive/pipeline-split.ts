/**
 * Pipeline split (adaptive.md §11): N complete step chains run side by side in one slot,
 * each step with at most `request_cpus // N` threads. The largest N whose projected
 * memory fits the slot wins.
 */
import {
  DEFAULT_SAFETY_MARGIN,
  MIN_INSTANCE_MEMORY_MB,
  PER_THREAD_OVERHEAD_MB,
} from "./constants.js";
import { nearestPowerOf2 } from "./effective-cores.js";
import { floorDiv, meanOr } from "./py-arith.js";
import type { AnalyzedMetrics, PipelineSplitResult, PipelineStepTuning } from "./types.js";
import { stepIndices } from "./types.js";

export interface PipelineSplitOptions {
  /** Give every step the same thread count (the per-pipeline cap). */
  uniform?: boolean;
  safetyMargin?: number;
}

/**
 * Chooses the number of pipelines for a slot of `requestCpus` cores and
 * `requestMemoryMb` memory. Returns one pipeline and an empty `perStep` when no count fits.
 */
export function computeAllStepSplit(
  metrics: AnalyzedMetrics,
  originalNthreads: number,
  requestCpus: number,
  requestMemoryMb: number,
  options: PipelineSplitOptions = {},
): PipelineSplitResult {
  const uniform = options.uniform ?? false;
  const m = 1.0 + (options.safetyMargin ?? DEFAULT_SAFETY_MARGIN);
  const steps = stepIndices(metrics.steps).map((si) => {
    const s = metrics.steps[si];
    const cpuEff = meanOr(s.cpuEff, 0.0);
    const effCores = cpuEff * originalNthreads;
    const ideal =
      effCores > 0 ? Math.min(nearestPowerOf2(effCores), originalNthreads) : originalNthreads;
    return { si, cpuEff, effCores, ideal, avgRss: meanOr(s.peakRssMb, 0) };
  });

  for (let n = requestCpus; n >= 1; n--) {
    const cap = floorDiv(requestCpus, n);
    const perStep: Record<string, PipelineStepTuning> = {};
    let worst = 0;
    for (const st of steps) {
      const t = Math.max(uniform ? cap : Math.min(st.ideal, cap), 1);
      const reduced = st.avgRss - (originalNthreads - t) * PER_THREAD_OVERHEAD_MB;
      const proj = Math.max(reduced, MIN_INSTANCE_MEMORY_MB) * m;
      worst = Math.max(worst, proj);
      perStep[st.si] = {
        tunedNthreads: t,
        nParallel: 1,
        cpuEff: st.cpuEff,
        effectiveCores: st.effCores,
        projectedRssMb: proj,
        overcommitApplied: false,
      };
    }
    if (n * worst <= requestMemoryMb) {
      return { originalNthreads, nPipelines: n, perStep };
    }
  }
  return { originalNthreads, nPipelines: 1, perStep: {} };
}
