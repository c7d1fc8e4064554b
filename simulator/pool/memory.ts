import type { ImageSizeInfo, JobRunPlan, MemoryUsage } from "./types.js";

/**
 * Cgroup memory enforcement for one run (see README.md, "Memory limit policy").
 *
 * The slot's cgroup limit is the `request_memory` (MiB, taken as MB) the job had when it
 * was matched. Usage is what the cgroup counts: RSS of every process of the job
 * (including subprocesses) plus tmpfs. The first moment usage is strictly greater than
 * the limit, the job is put on hold (HoldReasonCode 34, subcode 102) at that moment;
 * usage equal to the limit is allowed. Usage reached at exactly the end of the run still
 * counts (the hold wins over the exit at the same instant).
 */
export interface MemoryVerdict {
  /** Seconds after start when the limit is first exceeded; undefined if never. */
  exceedAtSec?: number;
  /** Peak usage over the part of the run that happens (to the end, or to the hold). */
  peakMb: number;
  /** Seconds after start when `peakMb` is first reached. */
  peakAtSec: number;
}

/** Checks a driver's plan and applies the memory policy to it. Throws on an invalid plan. */
export function cgroupVerdict(plan: JobRunPlan, limitMb: number): MemoryVerdict {
  const d = plan.durationSec;
  if (!(Number.isFinite(d) && d >= 0)) {
    throw new RangeError(`job run plan: durationSec must be a finite number >= 0, got ${d}`);
  }
  const m = plan.memory;
  if (!m) return { peakMb: 0, peakAtSec: 0 };
  const steps = stepsOf(m);
  let peakMb = 0;
  let peakAtSec = 0;
  let prev = 0;
  // Indexed: a verdict per job start, no iterator.
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (!(s.atSec >= prev && s.atSec <= d)) {
      throw new RangeError(
        `job run plan: memory sample at ${s.atSec} s must be in [${prev}, ${d}] (time-ordered, within the run)`,
      );
    }
    if (!(Number.isFinite(s.mb) && s.mb >= 0)) {
      throw new RangeError(`job run plan: memory sample must be a finite number >= 0, got ${s.mb}`);
    }
    prev = s.atSec;
    if (s.mb > peakMb) {
      peakMb = s.mb;
      peakAtSec = s.atSec;
    }
    if (s.mb > limitMb) return { exceedAtSec: s.atSec, peakMb, peakAtSec };
  }
  return { peakMb, peakAtSec };
}

/** The usage steps of either form of a plan's memory. */
function stepsOf(m: MemoryUsage): ReadonlyArray<{ atSec: number; mb: number }> {
  return "timeline" in m ? m.timeline : [{ atSec: m.atSec, mb: m.peakMb }];
}

/** Highest usage reached within the first `elapsedSec` of the run (for runs cut short). */
export function peakUntil(plan: JobRunPlan, elapsedSec: number): number {
  const m = plan.memory;
  if (!m) return 0;
  const steps = stepsOf(m);
  let peak = 0;
  for (let i = 0; i < steps.length && steps[i].atSec <= elapsedSec; i++) {
    if (steps[i].mb > peak) peak = steps[i].mb;
  }
  return peak;
}

/** Image-size report: cgroup usage, and the plan's RSS when it gives one (else the usage). */
export function imageSizeOf(plan: JobRunPlan, usageMb: number): ImageSizeInfo {
  const rss = plan.rssMb ?? usageMb;
  return { memoryUsageMb: usageMb, residentSetSizeKb: Math.round(rss * 1024) };
}
