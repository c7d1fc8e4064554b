/**
 * Merging the analysed metrics of several completed work units, oldest first
 * (adaptive.md §9). Efficiencies measured at a reduced thread count are normalised to
 * the original count so that samples from different rounds are comparable:
 * `norm_eff = raw_eff × step_threads / original_threads`.
 *
 * Fixes reference bug §20 item 2: the reference seeded the merged RSS lists with the
 * latest entry and then appended every entry's RSS again, so the latest entry's RSS
 * counted twice and skewed per-step averages. Here every entry's RSS samples are
 * appended exactly once, in input order.
 */
import { peakRss, weightedCpuEff } from "./effective-cores.js";
import { mean } from "./py-arith.js";
import { type AnalyzedMetrics, type StepSeries, stepIndices } from "./types.js";

function copySeries(s: StepSeries): StepSeries {
  return {
    wallSec: [...s.wallSec],
    cpuEff: [...s.cpuEff],
    peakRssMb: [...s.peakRssMb],
    events: [...s.events],
    throughput: [...s.throughput],
    cpuTimeSec: [...s.cpuTimeSec],
    nthreads: [...s.nthreads],
  };
}

/** Thread count a step ran with: the mean of its samples, else the entry's job-level count. */
function stepThreads(step: StepSeries, entry: AnalyzedMetrics): number {
  return step.nthreads.length > 0 ? mean(step.nthreads) : entry.nthreads;
}

/** A single work unit: its efficiencies normalised to `originalNthreads`. */
function normaliseSingle(entry: AnalyzedMetrics, originalNthreads: number): AnalyzedMetrics {
  const steps: Record<string, StepSeries> = {};
  for (const si of stepIndices(entry.steps)) {
    const step = copySeries(entry.steps[si]);
    const nt = stepThreads(step, entry);
    if (originalNthreads > 0 && nt !== originalNthreads) {
      const ratio = nt / originalNthreads;
      step.cpuEff = step.cpuEff.map((e) => e * ratio);
    }
    steps[si] = step;
  }
  const weighted = weightedCpuEff(steps);
  const out: AnalyzedMetrics = {
    steps,
    peakRssMb: entry.peakRssMb,
    weightedCpuEff: weighted,
    effectiveCores: weighted * originalNthreads,
    numJobs: entry.numJobs,
    nthreads: originalNthreads,
  };
  if (entry.cgroup) out.cgroup = { ...entry.cgroup };
  return out;
}

/**
 * Merges analysed metrics (oldest first) into one. Wall time, events, throughput and
 * CPU time come from the latest entry (or from the first entry having a step the latest
 * lacks); RSS and normalised efficiency samples accumulate over all entries. The cgroup
 * summary kept is the one with the largest non-reclaimable peak (the worst case).
 * Inputs are not modified. Throws on an empty list.
 */
export function mergeRoundMetrics(
  roundMetrics: readonly AnalyzedMetrics[],
  originalNthreads: number,
): AnalyzedMetrics {
  if (roundMetrics.length === 0) throw new Error("mergeRoundMetrics: no metrics to merge");
  if (roundMetrics.length === 1) return normaliseSingle(roundMetrics[0], originalNthreads);

  const latest = roundMetrics[roundMetrics.length - 1];
  const merged: Record<string, StepSeries> = {};
  const seed = (s: StepSeries): StepSeries => ({
    ...copySeries(s),
    cpuEff: [],
    peakRssMb: [],
    nthreads: [],
  });
  for (const si of stepIndices(latest.steps)) merged[si] = seed(latest.steps[si]);

  for (const entry of roundMetrics) {
    for (const si of stepIndices(entry.steps)) {
      const step = entry.steps[si];
      merged[si] ??= seed(step);
      merged[si].peakRssMb.push(...step.peakRssMb);
      const ratio = originalNthreads > 0 ? stepThreads(step, entry) / originalNthreads : 1.0;
      merged[si].cpuEff.push(...step.cpuEff.map((e) => e * ratio));
    }
  }

  const weighted = weightedCpuEff(merged);
  const out: AnalyzedMetrics = {
    steps: merged,
    peakRssMb: peakRss(merged),
    weightedCpuEff: weighted,
    effectiveCores: weighted * originalNthreads,
    numJobs: latest.numJobs,
    nthreads: originalNthreads,
  };
  let worst = 0;
  for (const entry of roundMetrics) {
    const peak = entry.cgroup?.peakNonreclaimMb ?? 0;
    if (entry.cgroup && peak > worst) {
      worst = peak;
      out.cgroup = { ...entry.cgroup };
    }
  }
  return out;
}
