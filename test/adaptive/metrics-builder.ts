/** Builds analysed metrics for tests from a compact per-step description. */
import type { AnalyzedMetrics, CgroupSummary, StepSeries } from "../../src/adaptive/index.js";
import { peakRss, weightedCpuEff } from "../../src/adaptive/index.js";

export interface StepSpec {
  eff?: number[];
  rss?: number[];
  wall?: number[];
  threads?: number[];
  events?: number[];
}

/** Analysed metrics of one work unit run at `nthreads`, steps in the given order (0, 1, ...). */
export function metricsOf(
  steps: StepSpec[],
  nthreads = 8,
  cgroup?: CgroupSummary,
): AnalyzedMetrics {
  const series: Record<string, StepSeries> = {};
  steps.forEach((s, i) => {
    series[i] = {
      wallSec: s.wall ?? [1000],
      cpuEff: s.eff ?? [],
      peakRssMb: s.rss ?? [],
      events: s.events ?? [],
      throughput: [],
      cpuTimeSec: [],
      nthreads: s.threads ?? [nthreads],
    };
  });
  const weighted = weightedCpuEff(series);
  const out: AnalyzedMetrics = {
    steps: series,
    peakRssMb: peakRss(series),
    weightedCpuEff: weighted,
    effectiveCores: weighted * nthreads,
    numJobs: 1,
    nthreads,
  };
  if (cgroup) out.cgroup = cgroup;
  return out;
}

/** A cgroup summary with the given figures, the rest 0. */
export function cgroupOf(fields: Partial<CgroupSummary>): CgroupSummary {
  return {
    peakAnonMb: 0,
    peakShmemMb: 0,
    peakNonreclaimMb: 0,
    tmpfsPeakNonreclaimMb: 0,
    noTmpfsPeakAnonMb: 0,
    gridpackDiskMb: 0,
    ...fields,
  };
}
