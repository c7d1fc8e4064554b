import { describe, expect, it } from "vitest";
import { renderSummary, splitReasons, totalsLine } from "../../src/report/summary.js";
import { failedResult, skippedResult, standardResult } from "./fixtures.js";

describe("renderSummary (matrix.md §7.1)", () => {
  it("renders ids right-aligned with one decimal, times, titles and one reason per line", () => {
    const text = renderSummary([standardResult, failedResult, skippedResult], { color: false });
    expect(text).toBe(
      [
        "----------------------------------------------------------------------",
        "     ID  Status       Time  Title",
        "----------------------------------------------------------------------",
        "  100.0  passed     700.0s  Simulator GEN-SIM → DIGI-RECO → NANO, 8 jobs × 8T",
        "  500.0  failed      97.0s  Fault: proc exits 1 (retry then rescue)",
        "                            └─ DAG completed but 1 rescue DAG(s) generated",
        "                            └─ expected merged outputs but none found",
        "  300.0  skipped         -  Real CMSSW DY2L 8 jobs",
        "                            └─ missing capabilities: cvmfs, apptainer",
        "----------------------------------------------------------------------",
        "",
        "1 passed  1 failed  1 skipped  797.0s total",
        "",
      ].join("\n"),
    );
  });

  it("totals: passed always, failed counts errors, zero categories left out", () => {
    expect(totalsLine([])).toBe("0 passed  0.0s total");
    const err = { ...failedResult, wfId: 501, status: "error" as const, elapsedSec: 3 };
    const timeout = { ...failedResult, wfId: 502, status: "timeout" as const, elapsedSec: 0.5 };
    expect(totalsLine([standardResult, failedResult, err, timeout])).toBe(
      "1 passed  2 failed  1 timeout  800.5s total",
    );
  });

  it("splits joined reasons and drops empty ones", () => {
    expect(splitReasons("")).toEqual([]);
    expect(splitReasons("a; ; b")).toEqual(["a", "b"]);
    expect(splitReasons("missing x;y")).toEqual(["missing x;y"]);
  });

  it("colours statuses only when asked", () => {
    const plain = renderSummary([failedResult], { color: false });
    const colored = renderSummary([failedResult], { color: true });
    expect(plain).not.toContain("\u001b[");
    expect(colored).toContain("\u001b[31mfailed \u001b[39m");
    expect(colored.replace(/\u001b\[\d+m/g, "")).toBe(plain);
  });
});
