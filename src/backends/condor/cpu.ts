/**
 * Busy cores of a workflow from the pool's accounting (pure).
 *
 * This is the pool's accounting view, not a measurement on the worker: the CPU seconds in
 * a job ad are pushed to the schedd by the shadow only periodically (every few minutes by
 * default), so one sample may see several minutes of CPU at once and the next none; the
 * mean over a run is right, single samples are lumpy. Jobs that left the queue between two
 * samples take their last, unreported CPU with them. Nothing is counted for the DAGMan
 * jobs themselves.
 */
import { adNumber, type ClassAd } from "./condor-parse.js";
import { jobKey } from "./dag-jobs.js";

/** Attributes a CPU sample needs from each payload job. */
export const CPU_ATTRS = [
  "CumulativeRemoteUserCpu",
  "CumulativeRemoteSysCpu",
  "RemoteUserCpu",
  "RemoteSysCpu",
];

/** CPU seconds per job at one moment. */
export interface CpuTotals {
  /** Epoch seconds. */
  time: number;
  /** `CLUSTER.PROC` → user + system CPU seconds. */
  perJob: Map<string, number>;
}

/**
 * User + system CPU seconds of one job. The cumulative counters (all run attempts) are
 * preferred; RemoteUserCpu/RemoteSysCpu (which can drop after an eviction) are the fallback.
 */
export function jobCpuSeconds(ad: ClassAd): number {
  const user = adNumber(ad, "CumulativeRemoteUserCpu") ?? adNumber(ad, "RemoteUserCpu") ?? 0;
  const sys = adNumber(ad, "CumulativeRemoteSysCpu") ?? adNumber(ad, "RemoteSysCpu") ?? 0;
  return user + sys;
}

export function cpuTotals(ads: readonly ClassAd[], time: number): CpuTotals {
  const perJob = new Map<string, number>();
  for (const ad of ads) {
    const key = jobKey(ad);
    if (key !== undefined) perJob.set(key, jobCpuSeconds(ad));
  }
  return { time, perJob };
}

/**
 * Cores busy between two samples: Σ over the jobs of the later sample of the CPU seconds
 * gained (a job new since `prev` gained all it has; a counter that went down gained 0),
 * divided by the seconds between them. Undefined when no time passed.
 */
export function busyCores(prev: CpuTotals, cur: CpuTotals): number | undefined {
  const dt = cur.time - prev.time;
  if (!(dt > 0)) return undefined;
  let gained = 0;
  for (const [key, sec] of cur.perJob) {
    gained += Math.max(0, sec - (prev.perJob.get(key) ?? 0));
  }
  return gained / dt;
}
