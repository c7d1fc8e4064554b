import { describe, expect, it } from "vitest";
import {
  fmtBytes,
  fmtDuration,
  fmtGbFromMb,
  fmtPct,
  fmtRate,
  fmtSec,
  fmtSignedPct,
  fmtSignedPp,
  formatWfId,
  plural,
} from "../../src/report/format.js";
import { renderTable } from "../../src/report/table.js";

describe("fmtSec (adaptive precision)", () => {
  it.each([
    [0, "0"],
    [0.048, "0.048"],
    [0.0012, "0.0012"],
    [0.48, "0.48"],
    [0.994, "0.99"],
    [0.996, "1"],
    [3.2, "3.2"],
    [5, "5"],
    [45.55, "45.5"],
    [99.94, "99.9"],
    [99.96, "100"],
    [300.2, "300"],
    [7540, "7540"],
  ])("%s s → %s", (sec, text) => {
    expect(fmtSec(sec)).toBe(text);
  });

  it("never prints a sub-second wall as 0", () => {
    for (const v of [0.9, 0.3, 0.05, 0.004, 0.0001]) expect(Number(fmtSec(v))).toBeGreaterThan(0);
  });

  it("adds the unit", () => {
    expect(fmtDuration(0.42)).toBe("0.42s");
  });
});

describe("other formats", () => {
  it("rates", () => {
    expect(fmtRate(null)).toBe("-");
    expect(fmtRate(0.1666)).toBe("0.17");
    expect(fmtRate(0.0042)).toBe("0.0042");
    expect(fmtRate(41.595)).toBe("41.6");
    expect(fmtRate(104.17)).toBe("104");
  });

  it("percentages and signed deltas", () => {
    expect(fmtPct(0.5747)).toBe("57%");
    expect(fmtPct(0.5747, 1)).toBe("57.5%");
    expect(fmtPct(null)).toBe("-");
    expect(fmtSignedPct(11.111)).toBe("+11.1%");
    expect(fmtSignedPct(-3.14)).toBe("-3.1%");
    expect(fmtSignedPct(-0.01)).toBe("-0.0%");
    expect(fmtSignedPp(28.9)).toBe("+29pp");
    expect(fmtSignedPp(-4.2)).toBe("-4pp");
  });

  it("sizes, ids and plurals", () => {
    expect(fmtBytes(26214400)).toBe("25.0 MB");
    expect(fmtBytes(512)).toBe("512 B");
    expect(fmtBytes(1536)).toBe("1.5 KB");
    expect(fmtGbFromMb(7150 * 8)).toBe("55.9");
    expect(formatWfId(100)).toBe("100.0");
    expect(formatWfId(155.2)).toBe("155.2");
    expect(formatWfId(391.25)).toBe("391.25");
    expect(plural(1, "job")).toBe("1 job");
    expect(plural(4, "job")).toBe("4 jobs");
  });
});

describe("renderTable", () => {
  it("pads to the widest cell, underlines, and draws a footer rule only where asked", () => {
    const lines = renderTable({
      columns: [
        { header: "Name", align: "left" },
        { header: "N", align: "right", minWidth: 3, footerRule: false },
        { header: "", align: "left" },
      ],
      rows: [
        ["alpha", "1", "x"],
        ["b", "1234", ""],
      ],
      footer: [["Total", "1235", ""]],
    });
    expect(lines).toEqual([
      "  Name      N",
      "  ─────  ────",
      "  alpha     1  x",
      "  b      1234",
      "  ─────",
      "  Total  1235",
    ]);
  });
});
