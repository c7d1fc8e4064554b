import { describe, expect, it } from "vitest";
import {
  computeJobSplit,
  type JobSplitInput,
  mergeRoundMetrics,
} from "../../src/adaptive/index.js";
import { cgroupOf, metricsOf } from "./metrics-builder.js";

/** The §12 worked-example request: 8 threads, 2000/3000 MB per core, 5000 events, 8 jobs. */
const base: JobSplitInput = {
  originalNthreads: 8,
  requestCpus: 8,
  memoryPerCoreMb: 2000,
  maxMemoryPerCoreMb: 3000,
  eventsPerJob: 5000,
  numJobsWu: 8,
};
const lowEff = () =>
  metricsOf([
    { eff: [0.3], rss: [2500] },
    { eff: [0.7], rss: [2800] },
  ]);

describe("computeJobSplit, §12 worked examples", () => {
  it("0.535 × 8 = 4.28 → 4 cores × 2: 16 jobs of 2500 events, 8000 MB from prior RSS", () => {
    const m = metricsOf([
      { eff: [0.52, 0.55, 0.54, 0.53], rss: [5100, 5200, 5150, 5120] },
      { eff: [0.8, 0.82, 0.79, 0.81], rss: [4000, 4100, 4050, 4020] },
    ]);
    const r = computeJobSplit(m, base);
    expect(r).toMatchObject({
      tunedNthreads: 4,
      jobMultiplier: 2,
      newNumJobs: 16,
      newEventsPerJob: 2500,
      newRequestCpus: 4,
      newRequestMemoryMb: 8000,
      memorySource: "prior_rss",
    });
    expect(r.perStep["0"].avgRssMb).toBe(5142.5);
    expect(r.newNumJobs * r.newRequestCpus).toBe(8 * 8);
  });

  it("0.30 → 2.4 → 2 is raised to the floor of 4; with min_request_cpus 2 it stays 2", () => {
    expect(computeJobSplit(lowEff(), base)).toMatchObject({ tunedNthreads: 4, jobMultiplier: 2 });
    const r = computeJobSplit(lowEff(), { ...base, minRequestCpus: 2 });
    // Prior RSS 2800 → max(3360, 3800) = 3800, raised to the 2-core floor of 4000.
    expect(r).toMatchObject({
      tunedNthreads: 2,
      jobMultiplier: 4,
      newNumJobs: 32,
      newEventsPerJob: 1250,
      newRequestMemoryMb: 4000,
      memorySource: "prior_rss",
    });
  });

  it("16 threads at 0.205 → 4 × 4; 4 threads at 0.41 with min 2 → 2 × 2", () => {
    const m16 = metricsOf([{ eff: [0.2, 0.21], rss: [4000, 4100] }], 16);
    expect(computeJobSplit(m16, { ...base, originalNthreads: 16, requestCpus: 16 })).toMatchObject({
      tunedNthreads: 4,
      jobMultiplier: 4,
    });
    const m4 = metricsOf([{ eff: [0.4, 0.42], rss: [2100, 2150] }], 4);
    expect(
      computeJobSplit(m4, { ...base, originalNthreads: 4, requestCpus: 4, minRequestCpus: 2 }),
    ).toMatchObject({ tunedNthreads: 2, jobMultiplier: 2 });
  });

  it("a floor of 5 gives 5 cores but multiplier 1; min_threads 3 gives 3 cores × 2", () => {
    expect(computeJobSplit(lowEff(), { ...base, minRequestCpus: 5 })).toMatchObject({
      tunedNthreads: 5,
      jobMultiplier: 1,
      newNumJobs: 8,
    });
    expect(computeJobSplit(lowEff(), { ...base, minRequestCpus: 2, minThreads: 3 })).toMatchObject({
      tunedNthreads: 3,
      jobMultiplier: 2,
      newEventsPerJob: 2500,
    });
  });

  it("fewer events than the multiplier: one event per job, multiplier = events", () => {
    const r = computeJobSplit(lowEff(), { ...base, eventsPerJob: 3, minRequestCpus: 2 });
    expect(r).toMatchObject({
      tunedNthreads: 2,
      jobMultiplier: 3,
      newEventsPerJob: 1,
      newNumJobs: 24,
    });
    expect(computeJobSplit(lowEff(), { ...base, eventsPerJob: 5001 }).newEventsPerJob).toBe(2500);
  });

  it("without step 0 the request is unchanged and no memory source is reported", () => {
    const m = metricsOf([{ eff: [0.3], rss: [2500] }]);
    m.steps = { "1": m.steps["0"] };
    expect(computeJobSplit(m, base)).toEqual({
      tunedNthreads: 8,
      jobMultiplier: 1,
      newNumJobs: 8,
      newEventsPerJob: 5000,
      newRequestCpus: 8,
      newRequestMemoryMb: 16000,
      perStep: {},
    });
  });
});

describe("computeJobSplit memory sources (§12 step 5)", () => {
  const tmpfs = { ...base, memoryPerCoreMb: 1000, maxMemoryPerCoreMb: 2000, splitTmpfs: true };

  it("probe peak: total 6200 for 2 instances → (3000 + 1600) × 1.2 = 5520", () => {
    const r = computeJobSplit(lowEff(), {
      ...base,
      memoryPerCoreMb: 1000,
      maxMemoryPerCoreMb: 2000,
      probeJobPeakTotalMb: 6200,
      probeNumInstances: 2,
    });
    expect(r).toMatchObject({ newRequestMemoryMb: 5520, memorySource: "probe_peak" });
  });

  it("cgroup measured: the larger phase (tmpfs 4500 vs anon 3200) × 1.2 = 5400", () => {
    const cg = cgroupOf({
      peakNonreclaimMb: 4500,
      tmpfsPeakNonreclaimMb: 4500,
      noTmpfsPeakAnonMb: 3200,
    });
    expect(computeJobSplit(lowEff(), { ...tmpfs, cgroup: cg })).toMatchObject({
      tunedNthreads: 4,
      newRequestMemoryMb: 5400,
      memorySource: "cgroup_measured",
    });
  });

  it("gridpack estimate doubles the cores until they hold (3754 + 2200) × 1.2 = 7144", () => {
    const cg = cgroupOf({
      peakAnonMb: 3754,
      peakNonreclaimMb: 3754,
      noTmpfsPeakAnonMb: 3754,
      gridpackDiskMb: 2200,
    });
    expect(computeJobSplit(lowEff(), { ...tmpfs, minRequestCpus: 2, cgroup: cg })).toMatchObject({
      tunedNthreads: 4,
      jobMultiplier: 2,
      newRequestMemoryMb: 7144,
      memorySource: "cgroup_gridpack_estimated",
    });
  });

  it("cgroup without tmpfs data: the top of the window", () => {
    const cg = cgroupOf({ peakAnonMb: 3000, peakNonreclaimMb: 3000 });
    expect(computeJobSplit(lowEff(), { ...tmpfs, cgroup: cg })).toMatchObject({
      tunedNthreads: 4,
      newRequestMemoryMb: 8000,
      memorySource: "cgroup_no_tmpfs_data",
    });
  });

  it("probe RSS, plus 2000 MB of tmpfs when the gridpack size is unknown", () => {
    const wide = { memoryPerCoreMb: 250, maxMemoryPerCoreMb: 2000 };
    expect(computeJobSplit(lowEff(), { ...tmpfs, ...wide, probeRssMb: 1663 })).toMatchObject({
      newRequestMemoryMb: 1995 + 2000,
      memorySource: "probe_rss",
    });
    expect(
      computeJobSplit(lowEff(), { ...base, ...wide, probeRssMb: 1663 }).newRequestMemoryMb,
    ).toBe(1995);
  });

  it("prior RSS with tmpfs: max(1800, 1500 + 2000) = 3500 → max(4200, 4500) = 4500", () => {
    const m = metricsOf([
      { eff: [0.3], rss: [1500] },
      { eff: [0.7], rss: [1800] },
    ]);
    expect(computeJobSplit(m, tmpfs)).toMatchObject({
      tunedNthreads: 4,
      newRequestMemoryMb: 4500,
      memorySource: "prior_rss",
    });
  });

  it("unknown tmpfs cost: at most one halving per round", () => {
    const m = metricsOf([{ eff: [0.2], rss: [1500] }]);
    const opts = { ...tmpfs, minRequestCpus: 2 };
    expect(computeJobSplit(m, opts)).toMatchObject({ tunedNthreads: 4, jobMultiplier: 2 });
    expect(computeJobSplit(m, { ...opts, lastRoundNthreads: 4 })).toMatchObject({
      tunedNthreads: 2,
      jobMultiplier: 4,
    });
  });

  it("no RSS at all: the default, i.e. the bottom of the window", () => {
    const m = metricsOf([{ eff: [0.3], rss: [] }]);
    expect(computeJobSplit(m, base)).toMatchObject({
      newRequestMemoryMb: 8000,
      memorySource: "default",
    });
  });
});

describe("§19.3 convergence over rounds", () => {
  const round = (eff: number[]) => metricsOf([{ eff, rss: [3000] }]);
  const split = (rounds: ReturnType<typeof round>[]) =>
    computeJobSplit(mergeRoundMetrics(rounds, 8), { ...base, numJobsWu: 2 });

  it("0.81 → 0.809 → 0.784 overall keeps 8 threads; 0.65 in round 1 splits at once", () => {
    const r1 = round([0.8, 0.82]);
    const r2 = round([0.807]);
    const r3 = round([0.709]);
    expect(split([r1]).tunedNthreads).toBe(8);
    expect(split([r1, r2]).perStep["0"].cpuEff).toBeCloseTo(0.809, 12);
    expect(split([r1, r2]).tunedNthreads).toBe(8);
    expect(split([r1, r2, r3]).perStep["0"].effectiveCores).toBeCloseTo(6.272, 12);
    expect(split([r1, r2, r3]).jobMultiplier).toBe(1);
    expect(split([round([0.65])])).toMatchObject({ tunedNthreads: 4, jobMultiplier: 2 });
  });

  it("simulator run: 5.9 cores keep 8T; averaging in 0.5625 gives 5.2 and 4 jobs × 4T", () => {
    const r1 = round([0.7375]);
    expect(split([r1]).tunedNthreads).toBe(8);
    const r = split([r1, round([0.5625])]);
    expect(r.perStep["0"].effectiveCores).toBeCloseTo(5.2, 12);
    expect(r).toMatchObject({ tunedNthreads: 4, jobMultiplier: 2, newNumJobs: 4 });
  });
});
