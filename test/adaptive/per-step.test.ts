import { describe, expect, it } from "vitest";
import { computePerStepNthreads, fitInstances } from "../../src/adaptive/index.js";
import { InputError } from "../../src/model/errors.js";
import { cgroupOf, metricsOf } from "./metrics-builder.js";

/** §10.3: 8-core slot, step 0 eff [0.25, 0.27], RSS [1800, 1850]. */
const lowEff = () =>
  metricsOf([
    { eff: [0.25, 0.27], rss: [1800, 1850] },
    { eff: [0.95], rss: [2200] },
  ]);

describe("computePerStepNthreads, §10.3 worked examples", () => {
  it("0.26 × 8 = 2.08 cores gives 4 instances of 2 threads (11760 MB fits 24000)", () => {
    const s0 = computePerStepNthreads(lowEff(), 8, { requestCpus: 8, maxMemoryMb: 24000 }).perStep[
      "0"
    ];
    expect(s0).toMatchObject({
      tunedNthreads: 2,
      nParallel: 4,
      idealNParallel: 4,
      idealMemoryMb: 11760,
      instanceMemMb: 2190,
      memorySource: "theoretical",
      overcommitApplied: false,
      projectedRssMb: null,
    });
    expect(s0.effectiveCores).toBeCloseTo(2.08, 12);
  });

  it("tmpfs add-on and an 11000 MB ceiling reduce to 2 instances of 4 threads", () => {
    const s0 = computePerStepNthreads(lowEff(), 8, {
      requestCpus: 8,
      maxMemoryMb: 11000,
      splitTmpfs: true,
    }).perStep["0"];
    expect(s0).toMatchObject({
      tunedNthreads: 4,
      nParallel: 2,
      instanceMemMb: 3690,
      idealMemoryMb: 17760,
    });
  });

  it("the design example: 0.55 × 8 = 4.4 → 2 instances of 4 threads", () => {
    const m = metricsOf([{ eff: [0.55], rss: [2000] }]);
    const s0 = computePerStepNthreads(m, 8, { requestCpus: 8, maxMemoryMb: 24000 }).perStep["0"];
    expect(s0).toMatchObject({ tunedNthreads: 4, nParallel: 2, idealMemoryMb: 7800 });
  });

  it("step-0 overcommit falls back to the threads that fit: 2 × 7T, projected 2910", () => {
    const m = metricsOf([{ eff: [0.45], rss: [1800] }]);
    const s0 = computePerStepNthreads(m, 8, {
      requestCpus: 8,
      maxMemoryMb: 9000,
      overcommitMax: 2.0,
    }).perStep["0"];
    expect(s0).toMatchObject({
      tunedNthreads: 7,
      nParallel: 2,
      instanceMemMb: 2160,
      overcommitApplied: true,
      projectedRssMb: 2910,
    });
  });

  it("overcommit 1.25 on 2-thread instances: round(2.5) = 2, so nothing changes", () => {
    const s0 = computePerStepNthreads(lowEff(), 8, {
      requestCpus: 8,
      maxMemoryMb: 24000,
      overcommitMax: 1.25,
    }).perStep["0"];
    expect(s0).toMatchObject({
      tunedNthreads: 2,
      nParallel: 4,
      overcommitApplied: false,
      projectedRssMb: null,
    });
  });
});

describe("computePerStepNthreads, instance memory and limits", () => {
  it("probe peak: marginal (6200 − 3000) / 2 = 1600 → 1920 per instance", () => {
    const s0 = computePerStepNthreads(lowEff(), 8, {
      requestCpus: 8,
      maxMemoryMb: 24000,
      probeJobPeakTotalMb: 6200,
      probeNumInstances: 2,
    }).perStep["0"];
    expect(s0).toMatchObject({ memorySource: "probe_peak", instanceMemMb: 1920, nParallel: 4 });
  });

  it("measured tmpfs peak wins over the probe RSS; the gridpack size is the tmpfs add-on", () => {
    const cg = cgroupOf({ tmpfsPeakNonreclaimMb: 2000, gridpackDiskMb: 900 });
    const opts = { requestCpus: 8, maxMemoryMb: 24000, probeRssMb: 1000, splitTmpfs: true };
    const measured = computePerStepNthreads(lowEff(), 8, { ...opts, cgroup: cg }).perStep["0"];
    expect(measured).toMatchObject({ memorySource: "cgroup_measured", instanceMemMb: 2400 });
    const probe = computePerStepNthreads(lowEff(), 8, {
      ...opts,
      cgroup: cgroupOf({ gridpackDiskMb: 900 }),
    }).perStep["0"];
    expect(probe).toMatchObject({ memorySource: "probe", instanceMemMb: 2100 });
  });

  it("no instance fits: one instance at the original thread count", () => {
    const s0 = computePerStepNthreads(lowEff(), 8, { requestCpus: 8, maxMemoryMb: 5000 }).perStep[
      "0"
    ];
    expect(s0).toMatchObject({
      tunedNthreads: 8,
      nParallel: 1,
      idealNParallel: 4,
      idealMemoryMb: 11760,
    });
  });

  it("divisors of the core count are tried first", () => {
    expect(fitInstances(4, 6, 1000, 6500)).toBe(3);
    expect(fitInstances(4, 8, 1500, 7000)).toBe(2);
    // 3 instances would fit (7500 MB), but the divisor 2 is tried first.
    expect(fitInstances(3, 8, 1500, 7500)).toBe(2);
    expect(fitInstances(3, 9, 1500, 7500)).toBe(3);
    expect(fitInstances(4, 8, 5000, 7000)).toBe(1);
  });

  it("throws like the reference when step 0 cannot be split", () => {
    expect(() => computePerStepNthreads(lowEff(), 8, { requestCpus: 0 })).toThrow(InputError);
    const idle = metricsOf([{ eff: [], rss: [1000] }]);
    expect(() => computePerStepNthreads(idle, 8, { requestCpus: 8 })).toThrow(
      /step 0 cannot be split/,
    );
    expect(
      computePerStepNthreads(idle, 8, { requestCpus: 8, split: false }).perStep["0"].tunedNthreads,
    ).toBe(8);
  });
});

describe("computePerStepNthreads, sequential-step overcommit band (§10.2)", () => {
  const band = (eff: number) =>
    computePerStepNthreads(
      metricsOf([
        { eff: [0.3], rss: [1000] },
        { eff: [eff], rss: [2000] },
      ]),
      8,
      {
        requestCpus: 8,
        maxMemoryMb: 10000,
        overcommitMax: 1.5,
        split: false,
      },
    ).perStep["1"];

  it("applies from 0.50 up to (not including) 0.90", () => {
    expect(band(0.5)).toMatchObject({
      tunedNthreads: 12,
      overcommitApplied: true,
      projectedRssMb: 3000,
    });
    expect(band(0.8999)).toMatchObject({ tunedNthreads: 12, overcommitApplied: true });
    expect(band(0.9)).toMatchObject({
      tunedNthreads: 8,
      overcommitApplied: false,
      projectedRssMb: null,
    });
    expect(band(0.4999)).toMatchObject({ tunedNthreads: 8, overcommitApplied: false });
  });

  it("limits the extra threads to what the memory ceiling allows", () => {
    const s1 = computePerStepNthreads(
      metricsOf([
        { eff: [0.3], rss: [1] },
        { eff: [0.7], rss: [2600] },
      ]),
      8,
      {
        maxMemoryMb: 3300,
        overcommitMax: 2.0,
        split: false,
      },
    ).perStep["1"];
    expect(s1).toMatchObject({ tunedNthreads: 10, projectedRssMb: 3100, overcommitApplied: true });
  });
});
