import { describe, expect, it } from "vitest";
import { stepProfileOf } from "../../../simulator/payload/manifest.js";
import {
  type ProcStepSpec,
  planSteps,
  spreadShare,
} from "../../../simulator/payload/proc-steps.js";
import { stepResources } from "../../../src/model/step-resources.js";
import { noDraws, rand, step } from "./helpers.js";

type Over = Record<string, unknown>;

function spec(kind: "GEN" | "DIGI" | "RECO", threads = 8, over: Over = {}, nParallel = 1) {
  const s = step(kind, over) as Parameters<typeof stepProfileOf>[0];
  return { profile: stepProfileOf(s, "manifest.json"), threads, nParallel, keepOutput: true };
}

function plan(
  steps: ProcStepSpec[],
  events: number,
  extra: Partial<Parameters<typeof planSteps>[0]> = {},
) {
  return planSteps({ steps, events, nPipelines: 1, splitTmpfs: false, rand: noDraws, ...extra });
}

describe("step resources (the law of src/model/step-resources.ts)", () => {
  it("GEN, linear law, 8 threads, 100 events: wall 0.8475 s, cpu 5.0 s, RSS 3500 MB", () => {
    const [run] = plan([spec("GEN")], 100).runs;
    expect(run.wallSec).toBeCloseTo(5 / 5.9, 12);
    expect(run.wallSec).toBeCloseTo(0.8475, 4);
    expect(run.cpuSec).toBe(5);
    expect(run.rssMb).toBe(3500);
    expect(run.anonMb).toBe(3500);
    expect(run.outputEvents).toBe(100);
    expect(run.outputKb).toBe(5000);
    expect(run.cpuSec / (run.wallSec * run.threads)).toBeCloseTo(0.7375, 12);
  });

  it("amdahl law with a fixed serial overhead", () => {
    // s = 0.2, 4 threads: speedup 1/(0.2 + 0.8/4) = 2.5; wall = 10 + 100·0.1/2.5 = 14 s.
    const s = spec("DIGI", 4, {
      scaling: "amdahl",
      serial_fraction: 0.2,
      wall_sec_per_event: 0.1,
      fixed_overhead_sec: 10,
      base_memory_mb: 1000,
      marginal_per_thread_mb: 100,
      subprocess_memory_mb: 300,
    });
    const [run] = plan([s], 100).runs;
    expect(run.wallSec).toBeCloseTo(14, 12);
    expect(run.cpuSec).toBeCloseTo(20, 12);
    expect(run.rssMb).toBe(1400);
    expect(run.anonMb).toBe(1700);
  });
});

describe("planSteps", () => {
  it("chains filter efficiencies: each step reads the rounded events the previous wrote", () => {
    const steps = [
      spec("GEN", 8, { filter_efficiency: 0.10231 }),
      spec("DIGI", 8, { filter_efficiency: 0.5 }),
      spec("RECO"),
    ];
    const p = plan(steps, 500);
    expect(p.runs.map((r) => [r.inputEvents, r.outputEvents])).toEqual([
      [500, 51],
      [51, 26],
      [26, 26],
    ]);
    expect(p.runs[1].inputs).toEqual([{ name: "step1_GEN-SIM.root", events: 51, kb: 2550 }]);
    expect(p.runs[1].startSec).toBe(p.runs[0].endSec);
    expect(p.durationSec).toBe(p.runs[2].endSec);
    expect(p.noEvents).toBe(false);
  });

  it("stops after step 1 when it wrote no events", () => {
    const p = plan([spec("GEN", 8, { filter_efficiency: 0.001 }), spec("RECO")], 100);
    expect(p.noEvents).toBe(true);
    expect(p.runs).toHaveLength(1);
  });

  it("runs step-0 instances concurrently with the events spread, then the next step", () => {
    const p = plan([spec("GEN", 2, {}, 3), spec("RECO", 8)], 10);
    const inst = p.runs.filter((r) => r.step === 1);
    expect(inst.map((r) => [r.kind, r.inst, r.inputEvents, r.startSec])).toEqual([
      ["inst", 0, 4, 0],
      ["inst", 1, 3, 0],
      ["inst", 2, 3, 0],
    ]);
    expect(inst.map((r) => r.jobOutput)).toEqual([
      "inst0_step1_GEN-SIM.root",
      "inst1_step1_GEN-SIM.root",
      "inst2_step1_GEN-SIM.root",
    ]);
    const next = p.runs[3];
    expect(next.startSec).toBe(Math.max(...inst.map((r) => r.endSec)));
    expect(next.startSec).toBeCloseTo((4 * 0.05) / 1.7, 12);
    expect(next.inputEvents).toBe(10);
    expect(next.inputs.map((f) => f.name)).toEqual(inst.map((r) => r.fjrOutput));
  });

  it("runs whole chains as pipelines (n_parallel ignored), duration the longest chain", () => {
    const p = plan([spec("GEN", 4, {}, 4), spec("RECO", 4)], 11, { nPipelines: 2 });
    expect(p.runs.map((r) => [r.step, r.kind, r.inst, r.inputEvents])).toEqual([
      [1, "pipe", 0, 6],
      [1, "pipe", 1, 5],
      [2, "pipe", 0, 6],
      [2, "pipe", 1, 5],
    ]);
    expect(p.runs[2].startSec).toBe(p.runs[0].endSec);
    expect(p.runs[3].startSec).toBe(p.runs[1].endSec);
    expect(p.runs[2].jobOutput).toBe("pipe0_step2_RECO.root");
    expect(p.runs[2].fjrOutput).toBe("step2_RECO.root");
    expect(p.durationSec).toBe(p.runs[2].endSec);
  });

  it("split_tmpfs puts the tmpfs footprint on step 0 only", () => {
    const steps = [spec("GEN", 8, { tmpfs_mb: 1500 }), spec("RECO", 8, { tmpfs_mb: 700 })];
    expect(plan(steps, 10, { splitTmpfs: true }).runs.map((r) => r.tmpfsMb)).toEqual([1500, 0]);
    expect(plan(steps, 10).runs.map((r) => r.tmpfsMb)).toEqual([0, 0]);
  });

  it("draws noise deterministically; zero noise draws nothing and is exact", () => {
    const noisy = [spec("GEN", 8, { noise: 0.1 }), spec("RECO", 8, { noise: 0.1 })];
    const a = plan(noisy, 100, { rand: rand(7) });
    const b = plan(noisy, 100, { rand: rand(7) });
    const c = plan(noisy, 100, { rand: rand(8) });
    expect(a).toEqual(b);
    expect(a.runs[0].wallSec).not.toBe(c.runs[0].wallSec);
    expect(a.runs[0].wallSec).not.toBeCloseTo(5 / 5.9, 6);
    // Wall and CPU share one factor, so the CPU efficiency is the law's.
    expect(a.runs[0].cpuSec / (a.runs[0].wallSec * 8)).toBeCloseTo(0.7375, 12);
    const gen = spec("GEN");
    const exact = plan([gen], 100, { rand: noDraws }).runs[0];
    const law = stepResources(gen.profile, 8, 100);
    expect([exact.wallSec, exact.cpuSec, exact.rssMb]).toEqual([law.wallSec, law.cpuSec, 3500]);
  });

  it("spreads remainders to the first parts", () => {
    expect([0, 1, 2, 3].map((i) => spreadShare(10, 4, i))).toEqual([3, 3, 2, 2]);
    expect([0, 1].map((i) => spreadShare(1, 2, i))).toEqual([1, 0]);
  });
});
