/**
 * Rounding that reproduces Python's `round(x, n)` for floats: the decimal result nearest to
 * the exact binary value of `x`, with exact ties going to the even last digit. `Math.round`
 * and `toFixed` differ on ties (2.5 → 3, 0.125 → 0.13); Python gives 2 and 0.12.
 */

const view = new DataView(new ArrayBuffer(8));

/** Exact powers of ten as doubles (10^22 is the last exact one; 10^15 keeps products < 2^53). */
const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i);

/** Round `x` to `n` (≥ 0) decimal places like Python's `round(x, n)`. */
export function roundTo(x: number, n = 0): number {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`roundTo: digits must be a non-negative integer, got ${n}`);
  }
  if (!Number.isFinite(x) || x === 0) return x;
  // Away from a tie the scaled double rounds like the exact value, and q / 10^n is the
  // double nearest q·10^-n (both exact integers, division correctly rounded).
  if (n < POW10.length) {
    const s = Math.abs(x) * POW10[n];
    if (s < 2 ** 52) {
      const floor = Math.floor(s);
      const frac = s - floor;
      if (Math.abs(frac - 0.5) > 1e-9 * (s + 1)) {
        const m = (frac > 0.5 ? floor + 1 : floor) / POW10[n];
        return x < 0 ? -m : m;
      }
    }
  }
  return roundToExact(x, n);
}

/** `roundTo` worked out on the exact binary value of `x` (what decides a near tie). */
export function roundToExact(x: number, n: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const expBits = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (expBits === 0) {
    exp = -1074;
  } else {
    mantissa |= 1n << 52n;
    exp = expBits - 1075;
  }
  // |x| = mantissa · 2^exp exactly; a non-negative exponent means x is already an integer.
  if (exp >= 0) return x;
  const shift = BigInt(-exp);
  const scaled = mantissa * 10n ** BigInt(n);
  let q = scaled >> shift;
  const rest = scaled - (q << shift);
  const half = 1n << (shift - 1n);
  if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  const magnitude = Number(`${q}e-${n}`);
  return negative ? -magnitude : magnitude;
}
