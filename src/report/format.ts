/**
 * Number formatting of the text reports. Precision adapts to the size of the value, so a
 * sub-second wall never prints as "0" and large figures carry no noise digits.
 */
export { formatWfId } from "../results/wf-id.js";

/** Placeholder for a missing value. */
export const NONE = "-";

/**
 * Two significant digits below 1 s, one decimal (dropped when zero) below 100 s, whole
 * seconds above: 0.048 → "0.048", 3.2 → "3.2", 5 → "5", 300.2 → "300".
 */
export function fmtSec(sec: number): string {
  const a = Math.abs(sec);
  if (a === 0) return "0";
  if (a >= 99.95) return sec.toFixed(0);
  if (a >= 0.995) {
    const s = sec.toFixed(1);
    return s.endsWith(".0") ? s.slice(0, -2) : s;
  }
  return String(Number(sec.toPrecision(2)));
}

/** Seconds with unit: "620s", "3.2s", "0.48s". */
export function fmtDuration(sec: number): string {
  return `${fmtSec(sec)}s`;
}

/** Rates (ev/s, ev/core-hour): whole numbers from 100, one decimal from 10, else two decimals. */
export function fmtRate(v: number | null): string {
  if (v === null) return NONE;
  const a = Math.abs(v);
  if (a === 0) return "0";
  if (a >= 99.5) return v.toFixed(0);
  if (a >= 9.995) return v.toFixed(1);
  if (a >= 0.01) return v.toFixed(2);
  return String(Number(v.toPrecision(2)));
}

/** A 0..1 fraction as a percentage: fmtPct(0.6) = "60%". */
export function fmtPct(frac: number | null, decimals = 0): string {
  return frac === null ? NONE : `${(frac * 100).toFixed(decimals)}%`;
}

/** Signed percentage of a change already in percent: "+25.0%", "-3.1%". */
export function fmtSignedPct(pct: number, decimals = 1): string {
  const s = pct.toFixed(decimals);
  return `${pct >= 0 && !s.startsWith("-") ? "+" : ""}${s}%`;
}

/** Signed percentage points: "+32pp". */
export function fmtSignedPp(pp: number): string {
  const s = pp.toFixed(0);
  return `${pp >= 0 && !s.startsWith("-") ? "+" : ""}${s}pp`;
}

/** Whole megabytes, "-" when missing. */
export function fmtMb(mb: number | null): string {
  return mb === null ? NONE : mb.toFixed(0);
}

/** Megabytes as gigabytes (1024 MB), one decimal. */
export function fmtGbFromMb(mb: number): string {
  return (mb / 1024).toFixed(1);
}

/** Bytes as "25.0 MB" (1024-based units). */
export function fmtBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return i === 0 ? `${bytes} B` : `${v.toFixed(1)} ${units[i]}`;
}

/** "1 file" / "2 files". */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}
