import { describe, expect, it } from "vitest";
import { roundTo, roundToExact } from "../../src/artifacts/py-round.js";

describe("roundTo matches Python round(x, n)", () => {
  // Expected values produced by CPython 3 round().
  const cases: [number, number, number][] = [
    [2.5, 0, 2],
    [3.5, 0, 4],
    [-2.5, 0, -2],
    [0.125, 2, 0.12],
    [0.375, 2, 0.38],
    [2.675, 2, 2.67],
    [1.005, 2, 1.0],
    [11100.25, 1, 11100.2],
    [0.5081114, 4, 0.5081],
    [153.001, 2, 153.0],
    [29.0666, 2, 29.07],
    [0.0379954, 4, 0.038],
    [51.00033333333333, 4, 51.0003],
    [1e-320, 2, 0],
    [123456789.12345679, 3, 123456789.123],
    [0.00005, 4, 0.0001],
    [0.00015, 4, 0.0001],
    [1.5e300, 2, 1.5e300],
    [5e-324, 400, 5e-324],
  ];
  it.each(cases)("round(%d, %d) = %d", (x, n, want) => {
    expect(roundTo(x, n)).toBe(want);
  });

  it("differs from toFixed on exact ties", () => {
    expect((0.125).toFixed(2)).toBe("0.13");
    expect(roundTo(0.125, 2)).toBe(0.12);
  });

  it("keeps the sign of values rounding to zero and passes non-finite values", () => {
    expect(Object.is(roundTo(-0.00001, 2), -0)).toBe(true);
    expect(roundTo(Number.NaN, 2)).toBeNaN();
    expect(roundTo(Number.POSITIVE_INFINITY, 2)).toBe(Number.POSITIVE_INFINITY);
  });

  it("rejects negative or fractional digit counts", () => {
    expect(() => roundTo(1.5, -1)).toThrow(RangeError);
    expect(() => roundTo(1.5, 1.5)).toThrow(RangeError);
  });

  it("takes its quick path only where it agrees with the exact computation", () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let i = 0; i < 20000; i++) {
      const magnitude = 10 ** Math.floor(next() * 16 - 8);
      const x = (next() - 0.3) * magnitude;
      const n = Math.floor(next() * 7);
      expect(Object.is(roundTo(x, n), roundToExact(x, n)), `round(${x}, ${n})`).toBe(true);
      // Decimal ties written in few digits, where the binary value decides.
      const tie = (Math.floor(next() * 100000) + 0.5) / 10 ** n;
      expect(roundTo(tie, n), `round(${tie}, ${n})`).toBe(roundToExact(tie, n));
    }
  });
});
