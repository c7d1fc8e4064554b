/**
 * Builders for hand-made result fixtures: defaults for every field, so a fixture states
 * only what it is about.
 */
import type { RoundPerf, StepPerf, StepSample, WorkflowResult } from "../../src/model/results.js";

export function step(p: Partial<StepPerf> & Pick<StepPerf, "round" | "step">): StepPerf {
  return {
    stepName: "",
    n: 8,
    nJobs: 8,
    nThreads: 8,
    instances: 1,
    wallSecMean: 100,
    wallSecStddev: 0,
    wallSecMin: 100,
    wallSecMax: 100,
    cpuEffMean: 0.5,
    cpuEffStddev: 0,
    rssMbMean: 1000,
    rssMbStddev: 0,
    rssMbMax: 1000,
    eventsTotal: 400,
    throughputEvS: null,
    ...p,
  };
}

export function round(p: Partial<RoundPerf> & Pick<RoundPerf, "round">): RoundPerf {
  return {
    jobs: 8,
    cpusPerJob: 8,
    threadsLabel: "8T",
    requestMemoryMb: 16000,
    events: 400,
    coreHours: 1,
    evPerCoreHour: 400,
    cpuEffPerJob: null,
    peakMemoryMb: null,
    oomJobs: 0,
    processingSec: 0,
    mergeSec: 0,
    cleanupSec: 0,
    startSec: null,
    endSec: null,
    ...p,
  };
}

/** One sample per job and step, walls spread around the step mean. */
/** A measured step: walls [mean, sd, min, max], efficiency [mean, sd], RSS [mean, sd, max]. */
export function measured(
  at: { round: number; step: number; name: string; nThreads: number },
  wall: [number, number, number, number],
  eff: [number, number],
  rss: [number, number, number],
  more: Partial<StepPerf> = {},
): StepPerf {
  return step({
    round: at.round,
    step: at.step,
    stepName: at.name,
    nThreads: at.nThreads,
    wallSecMean: wall[0],
    wallSecStddev: wall[1],
    wallSecMin: wall[2],
    wallSecMax: wall[3],
    cpuEffMean: eff[0],
    cpuEffStddev: eff[1],
    rssMbMean: rss[0],
    rssMbStddev: rss[1],
    rssMbMax: rss[2],
    ...more,
  });
}

export function samples(
  nodes: number,
  steps: { step: number; wall: number; eff: number; rss: number }[],
): StepSample[] {
  const out: StepSample[] = [];
  for (let node = 0; node < nodes; node++) {
    for (const s of steps) {
      const wall = s.wall + (node - (nodes - 1) / 2) * 2;
      out.push({
        round: 1,
        step: s.step,
        node,
        instance: 0,
        nThreads: 8,
        wallSec: wall,
        cpuSec: wall * 8 * s.eff,
        cpuEff: s.eff,
        rssMb: s.rss,
        eventsProcessed: 50,
        eventsWritten: 50,
        throughputEvS: 50 / wall,
      });
    }
  }
  return out;
}

export function base(wfId: number, title: string): Omit<WorkflowResult, "perf" | "adaptive"> {
  return {
    wfId,
    title,
    status: "passed",
    reason: "",
    elapsedSec: 0,
    wallSec: 0.05,
    dagStatus: "completed",
    dagExitCode: 0,
    rescueDags: [],
    submitDir: `work/wf_${wfId.toFixed(1)}`,
    seed: 42,
    backend: "sim",
  };
}
