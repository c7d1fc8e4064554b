import { describe, expect, it } from "vitest";
import {
  floorDiv,
  isTruthy,
  mean,
  median,
  nearestPowerOf2,
  roundHalfEven,
  roundTo,
  truncInt,
} from "../../src/adaptive/index.js";

describe("Python-compatible arithmetic", () => {
  it("round() ties to even", () => {
    expect([0.5, 1.5, 2.5, 3.5, 1500.5, -2.5, -3.5].map(roundHalfEven)).toEqual([
      0, 2, 2, 4, 1500, -2, -4,
    ]);
    expect(roundHalfEven(2.5000000000000004)).toBe(3);
    expect(roundHalfEven(6151.2)).toBe(6151);
  });

  it("round(x, n) rounds the exact binary value, ties to even", () => {
    expect(roundTo(11100.25, 1)).toBe(11100.2);
    expect(roundTo(0.03125, 4)).toBe(0.0312);
    expect(roundTo(-0.03125, 4)).toBe(-0.0312);
    expect(roundTo(0.125, 2)).toBe(0.12);
    // 2.675 and 1.005 are stored slightly below the written value.
    expect(roundTo(2.675, 2)).toBe(2.67);
    expect(roundTo(1.005, 2)).toBe(1.0);
    expect(roundTo(22.2005, 4)).toBe(22.2005);
    expect(roundTo(1234.5678, -2)).toBe(1200);
    expect(roundTo(1250, -2)).toBe(1200);
    expect(roundTo(123.456, 10)).toBe(123.456);
    expect(roundTo(5e-324, 300)).toBe(0);
  });

  it("floor division, truncation and means", () => {
    expect(floorDiv(7, 2)).toBe(3);
    expect(floorDiv(-7, 2)).toBe(-4);
    expect(truncInt(-7.9)).toBe(-7);
    expect(truncInt(7144.8)).toBe(7144);
    expect(mean([0.52, 0.55, 0.54, 0.53])).toBe(0.535);
    expect(median([1000, 1400, 1200, 5000])).toBe(1300);
    expect(median([300, 100, 200])).toBe(200);
  });

  it("Python truthiness", () => {
    for (const v of [0, 0.0, null, undefined, "", false, [], {}]) expect(isTruthy(v)).toBe(false);
    for (const v of [1, -0.5, Number.NaN, "x", true, [0], { a: 0 }]) expect(isTruthy(v)).toBe(true);
  });
});

describe("nearestPowerOf2 (adaptive.md §4)", () => {
  it("uses the geometric midpoints p·√2, inclusive", () => {
    expect(nearestPowerOf2(Math.SQRT2)).toBe(1);
    expect(nearestPowerOf2(1.4142135623730954)).toBe(2);
    expect(nearestPowerOf2(2.8284271247461903)).toBe(2);
    expect(nearestPowerOf2(5.656854249492381)).toBe(4);
    expect(nearestPowerOf2(11.313708498984761)).toBe(8);
    expect(nearestPowerOf2(22.627416997969522)).toBe(16);
    expect(nearestPowerOf2(45.254833995939045)).toBe(32);
    expect(nearestPowerOf2(45.26)).toBe(64);
    expect(nearestPowerOf2(1000)).toBe(64);
  });

  it("puts the documented 5.657 boundary on the 8 side", () => {
    expect(nearestPowerOf2(5.6)).toBe(4);
    expect(nearestPowerOf2(5.6568)).toBe(4);
    expect(nearestPowerOf2(5.657)).toBe(8);
    expect(nearestPowerOf2(5.7)).toBe(8);
    // At 8 threads an efficiency of √2/2 (= √32 / 8) still rounds down; 0.7072 does not.
    expect(nearestPowerOf2(Math.SQRT1_2 * 8)).toBe(4);
    expect(nearestPowerOf2(0.7072 * 8)).toBe(8);
  });

  it("maps anything up to 1 to 1", () => {
    expect(nearestPowerOf2(0)).toBe(1);
    expect(nearestPowerOf2(-3)).toBe(1);
    expect(nearestPowerOf2(1)).toBe(1);
  });
});
