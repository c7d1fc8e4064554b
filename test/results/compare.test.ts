import { describe, expect, it } from "vitest";
import type { WorkflowResult } from "../../src/model/results.js";
import { compareRuns, DEFAULT_TOLERANCES, type Regression } from "../../src/results/compare.js";
import { failedResult, jobSplitResult, skippedResult, standardResult } from "../report/fixtures.js";

/** The standard fixture with its headline figures replaced. */
function withFigures(p: {
  evPerCoreHour?: number;
  cpuEff?: number;
  peakRssMb?: number;
  elapsedSec?: number;
}) {
  const perf = standardResult.perf!;
  return {
    ...standardResult,
    elapsedSec: p.elapsedSec ?? standardResult.elapsedSec,
    perf: {
      ...perf,
      evPerCoreHour: p.evPerCoreHour ?? perf.evPerCoreHour,
      peakRssMb: p.peakRssMb ?? perf.peakRssMb,
      rounds: perf.rounds.map((r) => ({ ...r, cpuEffPerJob: p.cpuEff ?? r.cpuEffPerJob })),
    },
  } satisfies WorkflowResult;
}

const BASE_FIGURES = { evPerCoreHour: 100, cpuEff: 0.65, peakRssMb: 7000, elapsedSec: 700 };
const base = withFigures(BASE_FIGURES);

describe("compareRuns: performance tolerances", () => {
  it.each<[string, Parameters<typeof withFigures>[0], Partial<Regression>[]]>([
    ["identical", {}, []],
    ["ev/core-hour down exactly 5% is allowed", { evPerCoreHour: 95 }, []],
    [
      "ev/core-hour down 5.1%",
      { evPerCoreHour: 94.9 },
      [{ kind: "ev_per_core_hour", baseline: 100, current: 94.9 }],
    ],
    ["ev/core-hour up is fine", { evPerCoreHour: 150 }, []],
    ["CPU efficiency down exactly 3pp is allowed", { cpuEff: 0.62 }, []],
    [
      "CPU efficiency down 3.5pp",
      { cpuEff: 0.615 },
      [{ kind: "cpu_efficiency", baseline: 0.65, current: 0.615 }],
    ],
    ["peak RSS up exactly 10% is allowed", { peakRssMb: 7700 }, []],
    [
      "peak RSS up 10.1%",
      { peakRssMb: 7707 },
      [{ kind: "peak_rss", baseline: 7000, current: 7707 }],
    ],
    ["peak RSS down is fine", { peakRssMb: 5000 }, []],
    ["elapsed is not checked by default", { elapsedSec: 7000 }, []],
    [
      "several at once, in a fixed order",
      { evPerCoreHour: 80, cpuEff: 0.5, peakRssMb: 9000 },
      [{ kind: "ev_per_core_hour" }, { kind: "cpu_efficiency" }, { kind: "peak_rss" }],
    ],
  ])("%s", (_name, figures, expected) => {
    const found = compareRuns([base], [withFigures({ ...BASE_FIGURES, ...figures })]);
    expect(found).toEqual(expected.map((e) => expect.objectContaining({ wfId: 100, ...e })));
  });

  it("reports the change and the tolerance exceeded", () => {
    const [r] = compareRuns([base], [withFigures({ ...BASE_FIGURES, evPerCoreHour: 90 })]);
    expect(r.change).toBeCloseTo(-10, 9);
    expect(r.tolerance).toBe(5);
    const [c] = compareRuns([base], [withFigures({ ...BASE_FIGURES, cpuEff: 0.6 })]);
    expect(c.kind).toBe("cpu_efficiency");
    expect(c.change).toBeCloseTo(-5, 9);
  });

  it("takes custom tolerances, including elapsed time", () => {
    const cur = withFigures({ ...BASE_FIGURES, evPerCoreHour: 94, elapsedSec: 800 });
    expect(compareRuns([base], [cur])).toHaveLength(1);
    expect(compareRuns([base], [cur], { evPerCoreHourPct: 10 })).toEqual([]);
    const slow = compareRuns([base], [cur], { evPerCoreHourPct: 10, elapsedPct: 10 });
    expect(slow).toEqual([
      {
        wfId: 100,
        title: standardResult.title,
        kind: "elapsed",
        baseline: 700,
        current: 800,
        change: expect.closeTo(14.2857, 3),
        tolerance: 10,
      },
    ]);
    expect(DEFAULT_TOLERANCES).toEqual({
      evPerCoreHourPct: 5,
      cpuEffPp: 3,
      peakRssPct: 10,
      elapsedPct: null,
    });
  });

  it("uses the last round's efficiency for adaptive runs", () => {
    const worse = {
      ...jobSplitResult,
      perf: {
        ...jobSplitResult.perf!,
        rounds: jobSplitResult.perf!.rounds.map((r, i) =>
          i === 2 ? { ...r, cpuEffPerJob: 0.55 } : r,
        ),
      },
    };
    expect(compareRuns([jobSplitResult], [worse]).map((r) => r.kind)).toEqual(["cpu_efficiency"]);
  });
});

describe("compareRuns: statuses and membership", () => {
  const pass = { ...failedResult, status: "passed" as const, reason: "", perf: null };

  it.each<[WorkflowResult["status"], WorkflowResult["status"], boolean]>([
    ["passed", "failed", true],
    ["passed", "error", true],
    ["passed", "timeout", true],
    ["passed", "skipped", true],
    ["skipped", "failed", true],
    ["failed", "error", false],
    ["failed", "passed", false],
    ["skipped", "passed", false],
  ])("%s → %s is a regression: %s", (from, to, regressed) => {
    const found = compareRuns([{ ...pass, status: from }], [{ ...pass, status: to }]);
    expect(found.length > 0).toBe(regressed);
    if (regressed)
      expect(found[0]).toMatchObject({ kind: "status", baseline: from, current: to, change: null });
  });

  it("a status regression hides the figures of that workflow", () => {
    const broke = {
      ...withFigures({ ...BASE_FIGURES, evPerCoreHour: 10 }),
      status: "failed" as const,
    };
    expect(compareRuns([base], [broke]).map((r) => r.kind)).toEqual(["status"]);
  });

  it("a workflow missing from the current run is reported; a new one is not", () => {
    const found = compareRuns([base, skippedResult], [base, failedResult]);
    expect(found).toEqual([
      {
        wfId: 300,
        title: skippedResult.title,
        kind: "missing",
        baseline: "skipped",
        current: null,
        change: null,
        tolerance: null,
      },
    ]);
  });

  it("results without performance data compare on status only", () => {
    expect(compareRuns([failedResult], [failedResult])).toEqual([]);
    expect(compareRuns([base], [{ ...base, perf: null }])).toEqual([]);
  });
});
