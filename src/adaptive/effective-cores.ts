/**
 * Effective cores (how many cores a step really keeps busy) and the logarithmic
 * power-of-two rounding that turns them into thread counts (adaptive.md §4).
 */
import { maxOf, mean } from "./py-arith.js";
import { type StepSeries, stepIndices } from "./types.js";

/** Largest thread count the rounding produces. */
export const MAX_POWER_OF_2 = 64;

/**
 * Rounds `n` to a power of two (1…64) on a logarithmic scale: the boundary between p and
 * 2p is their geometric midpoint p·√2, compared with `<=`. So 5.6568 → 4 but 5.657 → 8.
 */
export function nearestPowerOf2(n: number): number {
  if (n <= 1) return 1;
  let p = 1;
  while (p < MAX_POWER_OF_2) {
    if (n <= Math.sqrt(p * 2 * p)) return p;
    p *= 2;
  }
  return MAX_POWER_OF_2;
}

/**
 * Wall-time-weighted CPU efficiency over the steps (ascending index) that have both wall
 * and efficiency samples: Σ mean(eff)·mean(wall) / Σ mean(wall); 0.5 when no wall time.
 */
export function weightedCpuEff(steps: Record<string, StepSeries>): number {
  let weighted = 0;
  let totalWall = 0;
  for (const si of stepIndices(steps)) {
    const s = steps[si];
    if (s.wallSec.length === 0 || s.cpuEff.length === 0) continue;
    const wall = mean(s.wallSec);
    weighted += mean(s.cpuEff) * wall;
    totalWall += wall;
  }
  return totalWall > 0 ? weighted / totalWall : 0.5;
}

/** Largest RSS sample over all steps, 0 when there is none. */
export function peakRss(steps: Record<string, StepSeries>): number {
  let peak = 0;
  for (const si of stepIndices(steps)) {
    const rss = steps[si].peakRssMb;
    if (rss.length > 0) peak = Math.max(peak, maxOf(rss));
  }
  return peak;
}
