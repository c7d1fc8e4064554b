import { describe, expect, it } from "vitest";
import { renderPerformance } from "../../src/report/performance.js";
import { compactStepTable, statisticalStepTable } from "../../src/report/step-table.js";
import { standardPerf, standardResult, step } from "./fixtures.js";

const RULE = "=".repeat(90);

describe("renderPerformance, compact layout (default, matrix.md §7.2)", () => {
  it("renders the whole section", () => {
    expect(renderPerformance(standardResult, { color: false })).toBe(
      [
        RULE,
        "Performance: 100.0 — Simulator GEN-SIM → DIGI-RECO → NANO, 8 jobs × 8T",
        RULE,
        "",
        "  Throughput: 41.6 ev/core-hour  |  400 events, 9.62 core-hours (8 jobs × 8T)",
        "",
        "  Step      nT   Wall(s)     ev/s       CPU   RSS(MB)    n  Name",
        "  ────────  ──  ────────  ───────  ────────  ────────  ───  ─────────",
        "  Step 1     8       300     0.17       60%      2020    8  GEN-SIM",
        "  Step 2     8       300     0.17       55%      7150    8  DIGI-RECO",
        "  Step 3     8      0.48      104       12%      1500    8  NANO",
        "  ────────      ────────  ───────  ────────  ────────",
        "  Total              601     0.08       57%      7150",
        "",
        "  Memory: 7150 MB/job peak  |  55.9 GB machine total (8 jobs)",
        "",
        "  Time: processing 620s  merge 45.5s  cleanup 3.2s  overhead 31.3s  total 700s",
        "",
        "  Output: 2 merged files, 25.0 MB  (unmerged cleaned)",
        "    /GenSim/Run3-v1/AODSIM: 1 file, 18.0 MB, 400 events",
        "    /GenSim/Run3-v1/NANOAODSIM: 1 file, 7.0 MB, 400 events",
        "",
        "  CPU: avg 20.6 cores  peak 40.1 cores  allocated 64 cores (32% busy)",
        "",
      ].join("\n"),
    );
  });

  it("prints the chart path when one is given", () => {
    const text = renderPerformance(standardResult, {
      color: false,
      chartPath: (id) => (id === 100 ? "reports/cpu_100.0.svg" : undefined),
    });
    expect(text.trimEnd().split("\n").at(-1)).toBe("  CPU chart: reports/cpu_100.0.svg");
  });

  it("says so when there is no performance data", () => {
    const text = renderPerformance({ ...standardResult, perf: null }, { color: false });
    expect(text.split("\n").slice(3)).toEqual(["", "  No performance data.", ""]);
  });

  it("reports unmerged files left behind", () => {
    const output = {
      ...standardPerf.output,
      unmergedCleaned: false,
      datasets: standardPerf.output.datasets.map((d, i) => ({
        ...d,
        unmergedLeft: i === 0 ? 3 : 0,
      })),
    };
    const text = renderPerformance(
      { ...standardResult, perf: { ...standardPerf, output } },
      { color: false },
    );
    expect(text).toContain(
      "  Output: 2 merged files, 25.0 MB  (unmerged NOT cleaned: 3 files left)\n",
    );
  });
});

describe("renderPerformance, statistical layout", () => {
  it("shows mean ±sd [min-max], CPU summary and the overall block", () => {
    const lines = renderPerformance(standardResult, { color: false, layout: "statistical" }).split(
      "\n",
    );
    expect(lines.slice(6, 17)).toEqual([
      "  Jobs: 8    Wall: 700s",
      "  CPU:  avg 2060% (20.6 cores)  peak 4010% (40.1 cores)  expected 6400%  efficiency 32%",
      "",
      "  Step    Wall(s)                    CPU Eff         RSS(MB)  Events  Tput(ev/s)    n  Name",
      "  ──────  ──────────────────────  ──────────  ──────────────  ──────  ──────────  ───  ─────────",
      "  Step 1  291 ±6.2 [281-300]      60.0% ±2.0   2000 ±10/2020     400        0.17    8  GEN-SIM",
      "  Step 2  250 ±25 [220-300]       55.0% ±5.0  7000 ±100/7150     400        0.20    8  DIGI-RECO",
      "  Step 3  0.42 ±0.05 [0.35-0.48]  12.0% ±1.0       1500/1500     400         119    8  NANO",
      "  Total   541s/job",
      "",
      "  Overall:",
    ]);
    expect(lines.slice(17, 20)).toEqual([
      "    CMSSW threading: 57.5% (4.6 / 8 cores used by cmsRun)",
      "    System-level:    32.2% (20.6 / 64 allocated cores over 720s)",
      "    Peak RSS:        7150 MB",
    ]);
  });
});

describe("step tables", () => {
  it("sorts steps numerically (Step 10 after Step 2)", () => {
    const steps = [10, 2, 1].map((n) => step({ round: 1, step: n }));
    const rows = compactStepTable(steps, 8)
      .slice(2, 5)
      .map((l) => l.slice(0, 7).trim());
    expect(rows).toEqual(["Step 1", "Step 2", "Step 10"]);
  });

  it("a step run as 2 instances per job counts jobs, not samples, in per-job figures", () => {
    const split = step({
      round: 2,
      step: 1,
      n: 16,
      nJobs: 8,
      nThreads: 4,
      instances: 2,
      wallSecMax: 900,
      cpuEffMean: 0.75,
      rssMbMax: 4300,
      eventsTotal: 800,
    });
    const row = compactStepTable([split], 8)[2];
    // ev/s = (800 / 8 jobs) / 900 s; CPU = 0.75 × 4T × 2 / 8 cores; RSS = 4300 × 2.
    expect(row).toBe("Step 1     4       900     0.11       75%      8600   16");
  });

  it("leaves out sd when a single job ran and range when min = max; missing values are '-'", () => {
    const one = step({
      round: 1,
      step: 1,
      n: 1,
      nJobs: 1,
      wallSecMean: 12.5,
      wallSecMin: 12.5,
      wallSecMax: 12.5,
      wallSecStddev: 0,
      cpuEffMean: null,
      cpuEffStddev: null,
      rssMbMean: null,
      rssMbStddev: null,
      rssMbMax: null,
    });
    expect(statisticalStepTable([one])[2]).toBe(
      "Step 1  12.5             -        -     400           -    1",
    );
    expect(compactStepTable([one], 8)[2]).toBe(
      "Step 1     8      12.5     32.0         -         -    1",
    );
  });
});
