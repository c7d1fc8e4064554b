import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/matrix/catalog.js";
import { stepResources, stepSpeedup } from "../../src/model/step-resources.js";
import type { StepProfile } from "../../src/model/workflow.js";
import { repoRoot } from "../helpers/shared-fixtures.js";

const catalog = loadCatalog(join(repoRoot, "catalog"));
const profile = (name: string): StepProfile => {
  const p = catalog.profiles.get(name);
  if (!p) throw new Error(`no profile ${name}`);
  return p;
};
const within1pct = (got: number, want: number) =>
  expect(Math.abs(got - want) / want).toBeLessThan(0.01);

describe("reference simulator profiles (linear law, matrix.md §3.4)", () => {
  // profile, n, effective cores, efficiency, RSS
  const vectors: [string, number, number, number, number][] = [
    ["GEN", 8, 5.9, 0.7375, 3500],
    ["GEN", 4, 3.1, 0.775, 2500],
    ["GEN", 2, 1.7, 0.85, 2000],
    ["DIGI", 8, 7.3, 0.9125, 4200],
    ["RECO", 4, 3.7, 0.925, 3000],
    ["MINI", 8, 7.44, 0.93, 3200],
    ["MINI", 2, 1.92, 0.96, 2000],
    ["NANO", 4, 3.85, 0.9625, 1800],
    ["NANO", 2, 1.95, 0.975, 1500],
  ];
  it.each(vectors)("%s at %iT: %f cores, eff %f, RSS %i", (name, n, cores, eff, rss) => {
    const r = stepResources(profile(name), n, 100);
    expect(r.speedup).toBeCloseTo(cores, 10);
    expect(r.cpuEfficiency).toBeCloseTo(eff, 10);
    expect(r.peakRssMb).toBe(rss);
  });

  it("GEN at 8T over 100 events: wall 0.8475 s, CPU 5 s, 5000 KB out", () => {
    const r = stepResources(profile("GEN"), 8, 100);
    expect(r.wallSec).toBeCloseTo(0.847457, 5);
    expect(r.cpuSec).toBeCloseTo(5, 10);
    expect(r.outputKb).toBe(5000);
  });

  it("keeps every reference profile free of the calibrated-only terms", () => {
    for (const name of ["GEN", "DIGI", "RECO", "MINI", "NANO", "GEN-HIGHMEM"]) {
      const p = profile(name);
      expect([
        p.scaling,
        p.fixedOverheadSec,
        p.tmpfsMb,
        p.subprocessMemoryMb,
        p.noise,
        p.filterEfficiency,
      ]).toEqual(["linear", 0, 0, 0, 0, 1]);
      expect(p.outputModule).toBe(`${p.dataTier}output`);
    }
  });
});

describe("calibrated real-CMSSW profiles reproduce the seed-log Round-1 measurements at 8T", () => {
  // profile, events per job, wall s, CPU eff, RSS MB (seed log: 380.0 R1 table for NPS, 301.0 table for DY2L)
  const points: [string, number, number, number, number][] = [
    ["NPS-GEN-SIM", 50, 334, 0.646, 1870],
    ["NPS-DRPremix-1", 50, 383, 0.583, 7218],
    ["NPS-DRPremix-2", 50, 187, 0.557, 3843],
    ["NPS-MiniAODv4", 50, 67, 0.252, 2326],
    ["NPS-NanoAODv12", 50, 48, 0.152, 1696],
    ["DY2L-wmLHEGS", 500, 4044, 0.3, 1750],
    ["DY2L-DRPremix-1", 429 / 8, 461, 0.62, 7617],
    ["DY2L-DRPremix-2", 429 / 8, 301, 0.6, 4029],
    ["DY2L-MiniAODv4", 429 / 8, 107, 0.28, 2466],
    ["DY2L-NanoAODv12", 429 / 8, 47, 0.17, 1735],
  ];
  it.each(points)("%s: %f ev -> wall %f s, eff %f, RSS %f MB", (name, events, wall, eff, rss) => {
    const p = profile(name);
    expect(p.scaling).toBe("amdahl");
    expect(p.source).toMatch(/seed log/);
    const r = stepResources(p, 8, events);
    within1pct(r.cpuEfficiency, eff);
    within1pct(r.peakRssMb, rss);
    within1pct(r.wallSec, wall);
  });

  it("the serial fraction is the true-Amdahl inverse of the efficiency when there is no fixed term", () => {
    const p = profile("NPS-DRPremix-1");
    expect(p.fixedOverheadSec).toBe(0);
    expect(stepSpeedup(p, 8) / 8).toBeCloseTo(0.583, 5);
    // Amdahl saturates at 1/s: 64 threads give less than 1/s.
    expect(stepSpeedup(p, 64)).toBeLessThan(1 / p.serialFraction);
  });

  it("RSS matches the second thread count measured for the same step", () => {
    const at: [string, number, number][] = [
      ["NPS-GEN-SIM", 4, 1488],
      ["NPS-DRPremix-1", 4, 4886],
      ["NPS-DRPremix-2", 4, 3325],
      ["NPS-MiniAODv4", 2, 2078],
      ["NPS-NanoAODv12", 1, 1539],
      ["DY2L-wmLHEGS", 2, 1241],
      ["DY2L-DRPremix-1", 2, 3655],
    ];
    for (const [name, n, rss] of at) within1pct(stepResources(profile(name), n, 1).peakRssMb, rss);
  });

  it("wmLHEGS: the fixed gridpack phase also fits 351.0 Round 1 (50 ev, 1116 s)", () => {
    const p = profile("DY2L-wmLHEGS");
    within1pct(stepResources(p, 8, 50).wallSec, 1116);
    // 351.1 Round 1 (400 ev/job): step 0 wall 3405 s.
    within1pct(stepResources(p, 8, 400).wallSec, 3405);
    expect(p.filterEfficiency).toBe(0.10231);
    expect(stepResources(p, 8, 400).outputEvents).toBeCloseTo(40.924, 3);
  });

  it("wmLHEGS memory reproduces the 392.1 experiment: R1 and R2 fit, R3 runs out of memory", () => {
    const p = profile("DY2L-wmLHEGS");
    const noTmpfs = stepResources(p, 2, 10).cgroupPeakMb;
    const tmpfs = stepResources(p, 2, 10, { tmpfs: true }).cgroupPeakMb;
    within1pct(noTmpfs, 3753); // cgroup peak anon, 2T
    expect(tmpfs - noTmpfs).toBe(1494); // peak shmem
    expect(noTmpfs).toBeLessThan(4337); // Round 1: 4337 MB, no tmpfs -> OK
    expect(tmpfs).toBeLessThan(6000); // Round 2: 6000 MB, tmpfs -> OK
    expect(tmpfs).toBeGreaterThan(4337); // Round 3: 4337 MB, tmpfs -> OOM
  });

  it("NPS GEN-SIM efficiency gives the thread decisions the seed log reports for 350.x", () => {
    const p = profile("NPS-GEN-SIM");
    const cores = (ev: number) => stepResources(p, 8, ev).cpuEfficiency * 8;
    // 10 ev/job (350.1): tuned to 2 threads -> effective cores between sqrt(2) and sqrt(8).
    expect(cores(10)).toBeGreaterThan(Math.SQRT2);
    expect(cores(10)).toBeLessThan(Math.sqrt(8));
    // 40 and 50 ev/job (350.0): 4 threads -> between sqrt(8) and sqrt(32).
    for (const ev of [40, 50]) {
      expect(cores(ev)).toBeGreaterThan(Math.sqrt(8));
      expect(cores(ev)).toBeLessThan(Math.sqrt(32));
    }
  });
});
