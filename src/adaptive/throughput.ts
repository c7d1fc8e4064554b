/**
 * Events-per-job rescaling toward a target wall time (adaptive.md §13).
 */
import { median, roundHalfEven, roundTo } from "./py-arith.js";
import type { AnalyzedMetrics, ThroughputResult } from "./types.js";
import { stepIndices } from "./types.js";

export interface ThroughputOptions {
  startupOverheadSec?: number;
  /** Largest change per round, as a factor either way. */
  maxChangeFactor?: number;
  minEventsPerJob?: number;
  /**
   * Events per job at which the wall times were measured, when it differs from
   * `currentEventsPerJob` (e.g. the round measured before a job split). Defaults to
   * `currentEventsPerJob`.
   */
  measuredEventsPerJob?: number;
}

/** Events-per-job quantum of the result. */
const EVENTS_QUANTUM = 100;

/**
 * Seconds per event from the sum of per-step median wall times, and the events per job
 * that fill `targetWallTimeSec` after the start-up overhead, limited to a change of
 * `maxChangeFactor` either way and rounded (half-even) to a multiple of 100. Returns null
 * when there is nothing to compute from or no time is left after the overhead.
 */
export function computeThroughputOptimization(
  merged: AnalyzedMetrics,
  currentEventsPerJob: number,
  targetWallTimeSec: number,
  options: ThroughputOptions = {},
): ThroughputResult | null {
  const startup = options.startupOverheadSec ?? 600;
  const factor = options.maxChangeFactor ?? 2.0;
  const minEpj = options.minEventsPerJob ?? 100;
  const measuredEpj = options.measuredEventsPerJob ?? currentEventsPerJob;
  if (currentEventsPerJob <= 0 || measuredEpj <= 0 || targetWallTimeSec <= 0) return null;
  let totalWall = 0;
  let withWall = 0;
  for (const si of stepIndices(merged.steps)) {
    const wall = merged.steps[si].wallSec;
    if (wall.length === 0) continue;
    totalWall += median(wall);
    withWall++;
  }
  if (withWall === 0 || totalWall <= 0) return null;
  const secPerEvent = totalWall / measuredEpj;
  const available = targetWallTimeSec - startup;
  if (available <= 0) return null;
  const ideal = available / secPerEvent;
  const clamped = Math.max(
    currentEventsPerJob / factor,
    Math.min(ideal, currentEventsPerJob * factor),
  );
  const tuned = Math.max(minEpj, roundHalfEven(clamped / EVENTS_QUANTUM) * EVENTS_QUANTUM);
  const estimated = secPerEvent * tuned + startup;
  return {
    tunedEventsPerJob: tuned,
    measuredWallPerEventSec: roundTo(secPerEvent, 4),
    estimatedTotalWallSec: roundTo(estimated, 1),
    totalMedianWallSec: roundTo(totalWall, 1),
  };
}
