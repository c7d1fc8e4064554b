/**
 * The resource law of one simulated cmsRun step, given its StepProfile, its thread
 * count and the number of events it reads. The catalog's calibrated profiles were
 * fitted against this law, so it is the single definition both the profiles and the
 * simulated payload rely on.
 *
 * - speedup: `amdahl` 1/(s + (1-s)/n); `linear` s + (1-s)·n (the reference simulator's law).
 * - wall = fixedOverheadSec + events·wallSecPerEvent / speedup  (the fixed part is serial)
 * - cpu  = fixedOverheadSec + events·wallSecPerEvent
 * - CPU efficiency = cpu / (wall·n)
 * - FJR peak RSS = base + marginal·n; the cgroup also sees subprocess memory and, when the
 *   step runs from RAM disk, the tmpfs footprint.
 * - output events = events·filterEfficiency; outputSizePerEventKb is per output event.
 */
import type { StepProfile } from "./workflow.js";

export interface StepResources {
  speedup: number;
  wallSec: number;
  cpuSec: number;
  cpuEfficiency: number;
  /** Peak RSS the job report shows (main process only). */
  peakRssMb: number;
  /** Non-reclaimable memory the cgroup accounts (RSS + subprocesses + tmpfs if used). */
  cgroupPeakMb: number;
  outputEvents: number;
  outputKb: number;
}

export function stepSpeedup(
  profile: Pick<StepProfile, "serialFraction" | "scaling">,
  threads: number,
): number {
  const s = profile.serialFraction;
  if (threads <= 0) return 0;
  return profile.scaling === "amdahl" ? 1 / (s + (1 - s) / threads) : s + (1 - s) * threads;
}

export function stepResources(
  profile: StepProfile,
  threads: number,
  events: number,
  opts: { tmpfs?: boolean } = {},
): StepResources {
  const speedup = stepSpeedup(profile, threads);
  const work = events * profile.wallSecPerEvent;
  const wallSec = profile.fixedOverheadSec + (speedup > 0 ? work / speedup : 0);
  const cpuSec = profile.fixedOverheadSec + work;
  const peakRssMb = profile.baseMemoryMb + profile.marginalPerThreadMb * threads;
  const outputEvents = events * profile.filterEfficiency;
  return {
    speedup,
    wallSec,
    cpuSec,
    cpuEfficiency: wallSec > 0 && threads > 0 ? cpuSec / (wallSec * threads) : 0,
    peakRssMb,
    cgroupPeakMb: peakRssMb + profile.subprocessMemoryMb + (opts.tmpfs ? profile.tmpfsMb : 0),
    outputEvents,
    outputKb: outputEvents * profile.outputSizePerEventKb,
  };
}
