import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  analyzeWuMetrics,
  excludedNodeIndices,
  loadCgroupMetrics,
  mergeRoundMetrics,
  NoMetricsError,
  wuMetricsToAnalyzed,
} from "../../src/adaptive/index.js";
import { InputError } from "../../src/model/errors.js";
import { cgroupOf, metricsOf } from "./metrics-builder.js";

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function tree(files: Record<string, unknown>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "wu-metrics-")));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), typeof content === "string" ? content : JSON.stringify(content));
  }
  return root;
}

const entry = (stepIndex: number, eff: number, rss: number) => ({
  step: stepIndex + 1,
  step_index: stepIndex,
  wall_time_sec: 100,
  cpu_efficiency: eff,
  peak_rss_mb: rss,
  num_threads: 4,
});

describe("analyzeWuMetrics", () => {
  it("skips unparsable files and excluded nodes", () => {
    const root = tree({
      "mg/proc_0_metrics.json": [entry(0, 0.5, 1000)],
      "mg/proc_1_metrics.json": [entry(0, 0.9, 9000)],
      "mg/proc_2_metrics.json": "[{ truncated",
    });
    const m = analyzeWuMetrics(join(root, "mg"), ["proc_000001", "merge"]);
    expect(m.numJobs).toBe(1);
    expect(m.steps["0"].cpuEff).toEqual([0.5]);
    expect(m).toMatchObject({ peakRssMb: 1000, nthreads: 4, effectiveCores: 2 });
  });

  it("falls back to the parent directory (spool mode)", () => {
    const root = tree({ "proc_3_metrics.json": [entry(1, 0.7, 2000)], "mg/manifest.json": {} });
    const m = analyzeWuMetrics(join(root, "mg"));
    expect(Object.keys(m.steps)).toEqual(["1"]);
  });

  it("no metrics at all is a NoMetricsError", () => {
    const root = tree({ "mg/manifest.json": {} });
    expect(() => analyzeWuMetrics(join(root, "mg"))).toThrow(NoMetricsError);
  });

  it("a wrongly typed value is an InputError naming file, entry and field", () => {
    const root = tree({
      "mg/proc_0_metrics.json": [entry(0, 0.5, 1000), { step_index: 1, peak_rss_mb: "big" }],
    });
    const file = join(root, "mg", "proc_0_metrics.json");
    expect(() => analyzeWuMetrics(join(root, "mg"))).toThrow(InputError);
    expect(() => analyzeWuMetrics(join(root, "mg"))).toThrow(
      `${file}: entry 1: field peak_rss_mb: not a number`,
    );
  });

  it("only proc_<digits> names exclude nodes", () => {
    expect([...excludedNodeIndices(["proc_000000", "proc_12", "merge", "proc_x"])]).toEqual([
      0, 12,
    ]);
  });
});

describe("loadCgroupMetrics", () => {
  it("falls back to the cgroup block of work_unit_metrics.json", () => {
    const block = {
      peak_anon_mb: 3000,
      peak_nonreclaim_mb: 3500,
      gridpack_disk_mb: 800,
      num_jobs: 4,
    };
    const root = tree({
      "mg/work_unit_metrics.json": {
        group_index: 0,
        num_proc_jobs: 4,
        per_step: {},
        cgroup: block,
      },
    });
    expect(loadCgroupMetrics(join(root, "mg"))).toEqual(
      cgroupOf({ peakAnonMb: 3000, peakNonreclaimMb: 3500, gridpackDiskMb: 800, numJobs: 4 }),
    );
  });

  it("returns null without a positive non-reclaimable peak", () => {
    const root = tree({ "mg/work_unit_metrics.json": { cgroup: { peak_nonreclaim_mb: 0 } } });
    expect(loadCgroupMetrics(join(root, "mg"))).toBeNull();
  });
});

describe("wuMetricsToAnalyzed (0-based steps, reference bug 10 fixed)", () => {
  const summary = (perStep: Record<string, Record<string, unknown>>) => ({
    group_index: 3,
    num_proc_jobs: 2,
    per_step: perStep,
  });

  it("places entries by their 1-based step field, else by key − 1", () => {
    const m = wuMetricsToAnalyzed(
      summary({
        "1": { step: 1, cpu_efficiency: { mean: 0.4 }, num_threads: { mean: 7.5 } },
        "2": { cpu_efficiency: { mean: 0.9 } },
      }),
    );
    expect(Object.keys(m.steps)).toEqual(["0", "1"]);
    expect(m.steps["0"].cpuEff).toEqual([0.4]);
    expect(m.steps["1"].cpuEff).toEqual([0.9]);
    // The thread mean is kept, the job-level count truncated.
    expect(m.steps["0"].nthreads).toEqual([7.5]);
    expect(m.nthreads).toBe(7);
  });

  it("converts RSS pairs, events per job and drops falsy metrics", () => {
    const m = wuMetricsToAnalyzed(
      summary({
        "1": {
          step: 1,
          peak_rss_mb: { min: 1, max: 2650, mean: 2400 },
          events_processed: { total: 1001 },
          throughput_ev_s: { mean: 0 },
          wall_time_sec: 0,
        },
      }),
    );
    expect(m.steps["0"]).toMatchObject({
      peakRssMb: [2400, 2650],
      events: [500],
      throughput: [],
      wallSec: [],
    });
  });

  it("a summary without proc jobs is a NoMetricsError", () => {
    expect(() => wuMetricsToAnalyzed({ group_index: 1, num_proc_jobs: 0, per_step: {} })).toThrow(
      NoMetricsError,
    );
  });
});

describe("mergeRoundMetrics (each RSS once, reference bug 2 fixed)", () => {
  it("accumulates RSS once per entry, normalises efficiency and keeps the worst cgroup", () => {
    const old = metricsOf([{ eff: [0.6], rss: [2500] }], 8, cgroupOf({ peakNonreclaimMb: 4000 }));
    const latest = metricsOf(
      [{ eff: [0.9], rss: [1500], threads: [4] }],
      4,
      cgroupOf({ peakNonreclaimMb: 3000 }),
    );
    const before = structuredClone(latest);
    const m = mergeRoundMetrics([old, latest], 8);
    expect(m.steps["0"].peakRssMb).toEqual([2500, 1500]);
    expect(m.steps["0"].cpuEff).toEqual([0.6, 0.45]);
    expect(m.cgroup?.peakNonreclaimMb).toBe(4000);
    expect(m).toMatchObject({ nthreads: 8, peakRssMb: 2500, numJobs: 1 });
    expect(latest).toEqual(before);
  });

  it("an empty list is an error", () => {
    expect(() => mergeRoundMetrics([], 8)).toThrow();
  });
});
