/**
 * Work-unit sizing from measured output sizes (adaptive.md §17): as many jobs per work
 * unit as make one merged file of the target size, judged on the smallest output tier
 * that actually gets merged.
 */
import { roundHalfEven, truncInt } from "./py-arith.js";

/** One round of the stored step-metrics history (database JSON, snake_case). */
export interface RoundHistoryJson {
  effective_events_per_job?: number;
  effective_fraction?: number;
  wu_metrics?: { per_step?: Record<string, { write_mb?: { mean?: number } }> }[];
  [key: string]: unknown;
}

export interface StepMetricsHistoryJson {
  rounds?: Record<string, RoundHistoryJson>;
  [key: string]: unknown;
}

export interface WuSizingOptions {
  testFraction?: number;
  /** Events per job of the round being planned; 0 = no rescaling. */
  currentEventsPerJob?: number;
  pilotFraction?: number;
}

/** Tiers at least this fraction of the target are copied unmerged. */
export const OVERSIZED_FRACTION = 0.75;

const inUnitInterval = (f: number) => f > 0 && f < 1;

/** Per-step mean write size of a round (average over its work units), positive values only. */
function roundWriteMb(round: RoundHistoryJson): number[] {
  const perStep = new Map<string, number[]>();
  for (const wu of round.wu_metrics ?? []) {
    for (const [key, step] of Object.entries(wu.per_step ?? {})) {
      const w = step?.write_mb?.mean ?? 0;
      if (typeof w === "number" && w > 0) {
        if (!perStep.has(key)) perStep.set(key, []);
        perStep.get(key)!.push(w);
      }
    }
  }
  return [...perStep.values()].map((vs) => vs.reduce((a, b) => a + b, 0) / vs.length);
}

/** Events per job the round ran with, reconstructed when it was not stored. */
function roundEventsPerJob(
  round: RoundHistoryJson,
  roundNumber: number,
  current: number,
  o: Required<WuSizingOptions>,
): number {
  let epj = round.effective_events_per_job ?? 0;
  if (epj === 0 && current > 0) {
    let fraction = round.effective_fraction ?? 0;
    if (!fraction) {
      if (roundNumber === 0) {
        const candidates = [o.pilotFraction, o.testFraction].filter(inUnitInterval);
        fraction = candidates.length > 0 ? Math.min(...candidates) : 1;
      } else {
        fraction = inUnitInterval(o.testFraction) ? o.testFraction : 1;
      }
    }
    if (inUnitInterval(fraction)) epj = Math.max(1, truncInt(current * fraction));
  }
  return epj;
}

/**
 * Jobs per work unit and the merge job's disk request (KB) from the newest round with
 * write sizes; null when no round has any.
 */
export function jobsPerWuFromWriteMb(
  stepMetrics: StepMetricsHistoryJson,
  targetMergedSizeKb: number,
  maxJobs: number,
  options: WuSizingOptions = {},
): [number, number] | null {
  const o: Required<WuSizingOptions> = {
    testFraction: options.testFraction ?? 1.0,
    currentEventsPerJob: options.currentEventsPerJob ?? 0,
    pilotFraction: options.pilotFraction ?? 0.01,
  };
  const rounds = stepMetrics.rounds ?? {};
  const numbers = Object.keys(rounds)
    .map(Number)
    .sort((a, b) => b - a);
  for (const n of numbers) {
    const round = rounds[String(n)];
    let values = roundWriteMb(round);
    if (values.length === 0) continue;
    const current = o.currentEventsPerJob;
    const epj = roundEventsPerJob(round, n, current, o);
    if (current > 0 && epj > 0 && epj !== current) {
      const scale = current / epj;
      values = values.map((v) => v * scale);
    }
    const target = (targetMergedSizeKb / 1024) * o.testFraction;
    const mergeable = values.filter((v) => v < OVERSIZED_FRACTION * target);
    const smallest = Math.min(...(mergeable.length > 0 ? mergeable : values));
    const jobs = Math.max(1, Math.min(roundHalfEven(target / smallest), maxJobs));
    return [jobs, truncInt(target * 2 * 1024)];
  }
  return null;
}
