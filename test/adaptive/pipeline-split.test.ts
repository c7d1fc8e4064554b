import { describe, expect, it } from "vitest";
import { computeAllStepSplit } from "../../src/adaptive/index.js";
import { metricsOf } from "./metrics-builder.js";

const threeSteps = () =>
  metricsOf([
    { eff: [0.1], rss: [2400] },
    { eff: [0.3], rss: [3000] },
    { eff: [0.6], rss: [2000] },
  ]);

describe("computeAllStepSplit (adaptive.md §11)", () => {
  it("worked example: 3 pipelines in 6500 MB, threads 1/2/2", () => {
    const r = computeAllStepSplit(threeSteps(), 8, 8, 6500);
    expect(r.nPipelines).toBe(3);
    expect(Object.values(r.perStep).map((s) => s.tunedNthreads)).toEqual([1, 2, 2]);
    expect(Object.values(r.perStep).map((s) => s.projectedRssMb)).toEqual([780, 1800, 600]);
  });

  it("uniform threads: 2/2/2 at the same pipeline count", () => {
    const r = computeAllStepSplit(threeSteps(), 8, 8, 6500, { uniform: true });
    expect(r.nPipelines).toBe(3);
    expect(Object.values(r.perStep).map((s) => s.tunedNthreads)).toEqual([2, 2, 2]);
  });

  it("nothing fits: one pipeline and an empty per-step map", () => {
    expect(computeAllStepSplit(threeSteps(), 8, 8, 1000)).toEqual({
      originalNthreads: 8,
      nPipelines: 1,
      perStep: {},
    });
  });

  it("a cap above the original thread count grows the projection", () => {
    const m = metricsOf([{ eff: [0.9], rss: [1000] }], 2);
    const r = computeAllStepSplit(m, 2, 8, 3000, { uniform: true });
    expect(r.nPipelines).toBe(1);
    expect(r.perStep["0"]).toMatchObject({ tunedNthreads: 8, projectedRssMb: 3000 });
  });

  it("without steps every core gets a pipeline", () => {
    expect(computeAllStepSplit(metricsOf([]), 8, 8, 0).nPipelines).toBe(8);
  });
});
