/** Timing, medians, memory and scratch directories for the benchmark runner. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Timing {
  medianMs: number;
  runsMs: number[];
}

export function time(fn: () => void, runs = 3): Timing {
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    runsMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { medianMs: median(runsMs), runsMs };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * CPU time (ms) the calling thread has used, from Linux's `/proc/thread-self/stat` (in ticks
 * of 10 ms); undefined where there is no such file.
 */
export function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync("/proc/thread-self/stat", "utf8");
    // Fields after the command (which may hold blanks): state is field 3, utime 14, stime 15.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return undefined;
  }
}

export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export function line(name: string, value: string, target: string, ok: boolean): string {
  return `${name.padEnd(52)} ${value.padStart(16)}   target ${target.padEnd(14)} ${ok ? "ok" : "MISSED"}`;
}

/**
 * Scratch directories removed when the runner is done: deleting tens of thousands of files
 * slows the file creations of whatever is measured next.
 */
export class Leftovers {
  private readonly dirs: string[] = [];

  dir(prefix: string): string {
    const d = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(d);
    return d;
  }

  removeAll(): void {
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}
