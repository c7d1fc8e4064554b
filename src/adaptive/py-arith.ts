/**
 * Python-compatible arithmetic. The adaptive algorithms were specified by a Python
 * implementation whose numbers we reproduce exactly, so rounding, truncation, floor
 * division and truth tests follow Python's rules rather than JavaScript's.
 */

/** Python `round(x)`: nearest integer, ties to even (2.5 → 2, 3.5 → 4). */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const lower = Math.floor(x);
  const diff = x - lower; // exact for every double with a fractional part
  if (diff > 0.5) return lower + 1;
  if (diff < 0.5) return lower;
  return lower % 2 === 0 ? lower : lower + 1;
}

/** Exact decomposition of a finite, non-zero double: |x| = mantissa × 2^exponent. */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  if (biased === 0) return { mantissa: fraction, exponent: -1074 };
  return { mantissa: fraction | 0x10000000000000n, exponent: biased - 1075 };
}

/**
 * Python `round(x, digits)`: rounds the exact binary value of `x` to `digits` decimals
 * (negative `digits` round to tens, hundreds, ...), ties to even, and returns the
 * double nearest to that decimal (11100.25 → 11100.2, 0.03125 → 0.0312, 2.675 → 2.67).
 */
export function roundTo(x: number, digits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const { mantissa, exponent } = decompose(x);
  let num = mantissa;
  let den = 1n;
  if (exponent >= 0) num <<= BigInt(exponent);
  else den <<= BigInt(-exponent);
  if (digits >= 0) num *= 10n ** BigInt(digits);
  else den *= 10n ** BigInt(-digits);
  let q = num / den;
  const twiceRemainder = 2n * (num % den);
  if (twiceRemainder > den || (twiceRemainder === den && q % 2n === 1n)) q += 1n;
  const magnitude = Number(`${q}e${-digits}`);
  return x < 0 ? -magnitude : magnitude;
}

/** Python `a // b`: floor division. */
export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Python `int(x)` on a number: truncation toward zero. */
export function truncInt(x: number): number {
  return Math.trunc(x);
}

/**
 * Python truth test: 0, 0.0, None, "", false, empty list and empty dict are false;
 * everything else (including NaN) is true.
 */
export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

/** `sum(xs) / len(xs)` with left-to-right summation; the caller guarantees xs is non-empty. */
export function mean(xs: readonly number[]): number {
  let total = 0;
  for (const x of xs) total += x;
  return total / xs.length;
}

/** Mean of a list, or `fallback` when the list is empty. */
export function meanOr(xs: readonly number[], fallback: number): number {
  return xs.length > 0 ? mean(xs) : fallback;
}

/** Python `max(xs)` for a non-empty list of numbers (first wins on ties). */
export function maxOf(xs: readonly number[]): number {
  let best = xs[0];
  for (const x of xs) if (x > best) best = x;
  return best;
}

/** Python `statistics.median`: the middle value, or the mean of the two middle values. */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
