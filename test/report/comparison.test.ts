import { describe, expect, it } from "vitest";
import { renderComparison } from "../../src/report/comparison.js";
import type { Regression } from "../../src/results/compare.js";

const regressions: Regression[] = [
  {
    wfId: 100,
    title: "Simulator 8 jobs",
    kind: "ev_per_core_hour",
    baseline: 41.595,
    current: 37.2,
    change: -10.566,
    tolerance: 5,
  },
  {
    wfId: 155.2,
    title: "Adaptive",
    kind: "cpu_efficiency",
    baseline: 0.6311,
    current: 0.59,
    change: -4.11,
    tolerance: 3,
  },
  {
    wfId: 500,
    title: "Fault",
    kind: "status",
    baseline: "passed",
    current: "failed",
    change: null,
    tolerance: null,
  },
  {
    wfId: 300,
    title: "Real",
    kind: "missing",
    baseline: "skipped",
    current: null,
    change: null,
    tolerance: null,
  },
];

describe("renderComparison", () => {
  it("lists every regression with both values and the change", () => {
    expect(
      renderComparison(regressions, {
        color: false,
        baselineLabel: "run 2",
        currentLabel: "run 3",
      }),
    ).toBe(
      [
        "Comparison: run 3 against run 2",
        "  Tolerances: ev/core-hour -5%, CPU efficiency -3pp, peak RSS +10%",
        "",
        "     ID  Check           Baseline  Current  Change  Title",
        "  ─────  ──────────────  ────────  ───────  ──────  ────────────────",
        "  100.0  ev/core-hour        41.6     37.2  -10.6%  Simulator 8 jobs",
        "  155.2  CPU efficiency     63.1%    59.0%  -4.1pp  Adaptive",
        "  500.0  status            passed   failed       -  Fault",
        "  300.0  missing          skipped        -       -  Real",
        "",
        "4 regressions",
        "",
      ].join("\n"),
    );
  });

  it("says so when nothing regressed and shows custom tolerances", () => {
    expect(
      renderComparison([], { color: false, tolerances: { evPerCoreHourPct: 2, elapsedPct: 20 } }),
    ).toBe(
      [
        "Comparison: current against baseline",
        "  Tolerances: ev/core-hour -2%, CPU efficiency -3pp, peak RSS +10%, elapsed +20%",
        "",
        "  No regressions.",
        "",
      ].join("\n"),
    );
  });
});
