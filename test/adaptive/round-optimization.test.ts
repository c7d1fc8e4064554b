import { describe, expect, it } from "vitest";
import { optimizeRound, type RoundParams } from "../../src/adaptive/index.js";
import { cgroupOf, metricsOf } from "./metrics-builder.js";

/** §16.1: 8 cores, 2000/3000 MB per core, 5000 events per job, 8 jobs per work unit. */
const params: RoundParams = {
  originalNthreads: 8,
  requestCpus: 8,
  defaultMemoryPerCore: 2000,
  maxMemoryPerCore: 3000,
  eventsPerJob: 5000,
  jobsPerWu: 8,
};
const traceMetrics = (step0Eff = 0.535) =>
  metricsOf(
    [
      { eff: [step0Eff], rss: [5150, 5200] },
      { eff: [0.8], rss: [4040, 4100] },
    ],
    8,
    cgroupOf({
      peakAnonMb: 5500,
      peakShmemMb: 300,
      peakNonreclaimMb: 5800,
      noTmpfsPeakAnonMb: 5500,
    }),
  );

describe("optimizeRound (adaptive.md §16.1)", () => {
  it("worked trace: 4 cores, 8000 MB, multiplier 2, 2500 events; step 0 reported at 8 threads", () => {
    const r = optimizeRound([traceMetrics()], params);
    expect(r).toMatchObject({
      tunedNthreads: 4,
      tunedRequestCpus: 4,
      tunedMemoryMb: 8000,
      jobMultiplier: 2,
      memorySource: "prior_rss",
      measuredMemoryMb: 5200,
      tunedEventsPerJob: 2500,
    });
    expect(r.metricsSummary?.cgroupPeakMb).toBe(5800);
    expect(r.perStep["0"]).toMatchObject({ tunedNthreads: 8, nParallel: 1, instanceMemMb: 6210 });
    expect(r.throughputOptimization).toBeUndefined();
  });

  it("scenarios A/B: memory from the FJR RSS, 5200 × 1.2 = 6240, cgroup diagnostic only", () => {
    // A busy step 0 (0.85 × 8 → 8 threads): neither a job split nor instances.
    const noSplit = { ...params, eventsPerJob: 0 };
    const a = optimizeRound([traceMetrics(0.85)], noSplit);
    expect(a).toMatchObject({ tunedMemoryMb: 6240, memorySource: "fjr_rss", jobMultiplier: 1 });
    const withoutCgroup = traceMetrics(0.85);
    delete withoutCgroup.cgroup;
    const b = optimizeRound([withoutCgroup], noSplit);
    expect(b).toMatchObject({ tunedMemoryMb: 6240, memorySource: "fjr_rss" });
    expect(b.metricsSummary?.cgroupPeakMb).toBeUndefined();
  });

  it("scenario C: no usable RSS at 8 cores gives the default 2000 × 8 = 16000", () => {
    const m = metricsOf([{ eff: [0.535], rss: [] }]);
    expect(optimizeRound([m], { ...params, eventsPerJob: 0 })).toMatchObject({
      tunedMemoryMb: 16000,
      memorySource: "default",
      measuredMemoryMb: 0,
    });
  });

  it("at 8 cores without a job split, 2 × 4T instances raise the memory to 3000 + 2 × 6210", () => {
    const r = optimizeRound([traceMetrics()], { ...params, eventsPerJob: 0 });
    expect(r).toMatchObject({
      tunedMemoryMb: 15420,
      measuredMemoryMb: 15420,
      memorySource: "fjr_rss_split",
    });
  });

  it("efficiency 0.24: 4 cores, then 2 × 2T inside, memory 3000 + 2 × 3060 = 9120", () => {
    const m = metricsOf([
      { eff: [0.24], rss: [2550] },
      { eff: [0.8], rss: [2000] },
    ]);
    const r = optimizeRound([m], params);
    expect(r).toMatchObject({
      tunedRequestCpus: 4,
      jobMultiplier: 2,
      tunedMemoryMb: 9120,
      measuredMemoryMb: 9120,
      memorySource: "fjr_rss_split",
    });
    expect(r.perStep["0"]).toMatchObject({ tunedNthreads: 2, nParallel: 2, instanceMemMb: 3060 });
  });

  it("the historical peak is a floor for the memory", () => {
    const r = optimizeRound([traceMetrics(0.85)], {
      ...params,
      eventsPerJob: 0,
      historicalPeakRssMb: 6000,
    });
    expect(r).toMatchObject({ tunedMemoryMb: 7200, measuredMemoryMb: 6000 });
  });

  it("no metrics: the request's defaults", () => {
    expect(optimizeRound([], params)).toEqual({
      tunedNthreads: 8,
      tunedMemoryMb: 16000,
      tunedRequestCpus: 8,
      jobMultiplier: 1,
      perStep: {},
      metricsSummary: null,
      memorySource: "default",
    });
  });

  it("after a split, events per job are rescaled from the measured time per event (bug 12 fixed)", () => {
    const m = metricsOf([{ eff: [0.535], rss: [2000], wall: [1500] }]);
    const r = optimizeRound([m], {
      ...params,
      eventsPerJob: 1000,
      currentRound: 1,
      targetWallTimeSec: 2100,
    });
    expect(r.jobMultiplier).toBe(2);
    // 1500 s at 1000 events = 1.5 s/event; 1500 s left after start-up → 1000 events.
    expect(r.throughputOptimization).toMatchObject({
      measuredWallPerEventSec: 1.5,
      tunedEventsPerJob: 1000,
    });
    expect(r.tunedEventsPerJob).toBeUndefined();
  });

  it("without a split, the rescaled events per job are reported when they change", () => {
    const m = metricsOf([{ eff: [0.85], rss: [3000], wall: [1500] }]);
    const r = optimizeRound([m], {
      ...params,
      eventsPerJob: 1000,
      currentRound: 1,
      targetWallTimeSec: 28800,
    });
    expect(r).toMatchObject({ jobMultiplier: 1, tunedEventsPerJob: 2000 });
  });
});
