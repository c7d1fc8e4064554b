/**
 * Headline figures of one workflow result, shared by the store (queryable columns), the
 * regression comparison and the reports, so all three agree on what "CPU efficiency" or
 * "peak memory" of a workflow means.
 */
import type { PerfData, StepPerf, WorkflowResult } from "../model/results.js";

export interface HeadlineMetrics {
  totalEvents: number | null;
  coreHours: number | null;
  evPerCoreHour: number | null;
  /** CPU efficiency per job relative to request_cpus, 0..1 (last round for adaptive runs). */
  cpuEff: number | null;
  peakRssMb: number | null;
}

/**
 * Share of a job's requested cores that one step kept busy: mean efficiency × threads ×
 * concurrent instances / request_cpus. Null without an efficiency or a core count.
 */
export function stepCpuShare(step: StepPerf, requestCpus: number): number | null {
  if (step.cpuEffMean === null || requestCpus <= 0) return null;
  return (step.cpuEffMean * step.nThreads * Math.max(1, step.instances)) / requestCpus;
}

/** Memory of one job during a step: largest per-instance RSS × concurrent instances. */
export function stepJobRssMb(step: StepPerf): number | null {
  if (step.rssMbMax === null) return null;
  return step.rssMbMax * Math.max(1, step.instances);
}

/**
 * Wall-weighted CPU share over steps (weights: the slowest job's wall of each step), the
 * figure of the "Total" row of a performance table.
 */
export function weightedStepCpuShare(
  steps: readonly StepPerf[],
  requestCpus: number,
): number | null {
  let weighted = 0;
  let walls = 0;
  for (const s of steps) {
    const share = stepCpuShare(s, requestCpus);
    if (share === null || s.wallSecMax <= 0) continue;
    weighted += share * s.wallSecMax;
    walls += s.wallSecMax;
  }
  return walls > 0 ? weighted / walls : null;
}

/** CPU efficiency of a workflow: the last round's per-job figure, else the step estimate. */
export function workflowCpuEff(perf: PerfData): number | null {
  for (let i = perf.rounds.length - 1; i >= 0; i--) {
    const eff = perf.rounds[i].cpuEffPerJob;
    if (eff !== null) return eff;
  }
  return weightedStepCpuShare(perf.steps, perf.coresPerJob);
}

/** Peak memory of one job: the recorded peak RSS, else the largest round peak. */
export function workflowPeakRssMb(perf: PerfData): number | null {
  if (perf.peakRssMb !== null) return perf.peakRssMb;
  const peaks = perf.rounds.map((r) => r.peakMemoryMb).filter((v): v is number => v !== null);
  return peaks.length > 0 ? Math.max(...peaks) : null;
}

export function headlineMetrics(result: WorkflowResult): HeadlineMetrics {
  const perf = result.perf;
  if (perf === null) {
    return {
      totalEvents: null,
      coreHours: null,
      evPerCoreHour: null,
      cpuEff: null,
      peakRssMb: null,
    };
  }
  return {
    totalEvents: perf.totalEvents,
    coreHours: perf.coreHours,
    evPerCoreHour: perf.evPerCoreHour,
    cpuEff: workflowCpuEff(perf),
    peakRssMb: workflowPeakRssMb(perf),
  };
}
