/**
 * Resource use of a job over time (pure): concurrent activities ("lanes": a cmsRun step,
 * instance or pipeline, a merge copy) are swept into phases of constant memory and CPU,
 * which give the pool its memory timeline and CPU segments and the cgroup monitor its
 * samples.
 */
import {
  type CgroupRecord,
  cgroupFromSamples,
  type MemorySample,
} from "../../src/artifacts/cgroup.js";
import type { CpuSegment, MemoryUsage } from "../pool/types.js";

/** One activity: from `start` to `end` (seconds after the job started). */
export interface Lane {
  start: number;
  end: number;
  /** Anonymous memory (process RSS), MB. */
  anonMb: number;
  /** Shared memory (tmpfs), MB. */
  shmemMb: number;
  /** Busy cores. */
  cores: number;
}

/** An interval in which memory and CPU use are constant. */
export interface UsagePhase {
  start: number;
  end: number;
  anonMb: number;
  shmemMb: number;
  cores: number;
}

/** Seconds between two samples of the cgroup memory monitor. */
export const MONITOR_INTERVAL_SEC = 2;

/**
 * Phases from 0 to `durationSec`: in each interval the sum over the lanes covering it;
 * where no lane is active the job holds `idleAnonMb` (the wrapper itself) and no CPU.
 */
export function sweepLanes(
  lanes: readonly Lane[],
  durationSec: number,
  idleAnonMb: number,
): UsagePhase[] {
  const points = new Set<number>([0, durationSec]);
  for (const l of lanes) {
    if (l.end > l.start) {
      points.add(Math.max(0, Math.min(l.start, durationSec)));
      points.add(Math.max(0, Math.min(l.end, durationSec)));
    }
  }
  const sorted = [...points].sort((a, b) => a - b);
  const phases: UsagePhase[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const [a, b] = [sorted[i], sorted[i + 1]];
    const active = lanes.filter((l) => l.start <= a && l.end >= b && l.end > l.start);
    const phase: UsagePhase =
      active.length === 0
        ? { start: a, end: b, anonMb: idleAnonMb, shmemMb: 0, cores: 0 }
        : {
            start: a,
            end: b,
            anonMb: active.reduce((s, l) => s + l.anonMb, 0),
            shmemMb: active.reduce((s, l) => s + l.shmemMb, 0),
            cores: active.reduce((s, l) => s + l.cores, 0),
          };
    const last = phases[phases.length - 1];
    if (
      last &&
      last.anonMb === phase.anonMb &&
      last.shmemMb === phase.shmemMb &&
      last.cores === phase.cores
    ) {
      last.end = b;
    } else {
      phases.push(phase);
    }
  }
  if (phases.length === 0)
    phases.push({ start: 0, end: 0, anonMb: idleAnonMb, shmemMb: 0, cores: 0 });
  return phases;
}

/** The pool's view of the cgroup: usage (anon + shmem) from each phase start on. */
export function memoryTimeline(phases: readonly UsagePhase[]): MemoryUsage {
  const timeline: { atSec: number; mb: number }[] = [];
  for (const p of phases) {
    const mb = p.anonMb + p.shmemMb;
    if (timeline.length === 0 || timeline[timeline.length - 1].mb !== mb) {
      timeline.push({ atSec: p.start, mb });
    }
  }
  return { timeline };
}

/** Steady usages by size, made once. */
const steadyUsages = new Map<number, MemoryUsage>();

/**
 * A usage of `mb` from start to end (a wrapper, a merge, a trivial job), shared and frozen:
 * frozen like the processing steps' shared timelines, so the pool reads every timeline in
 * one shape.
 */
export function steadyMemory(mb: number): MemoryUsage {
  let usage = steadyUsages.get(mb);
  if (usage === undefined) {
    usage = Object.freeze({ timeline: Object.freeze([Object.freeze({ atSec: 0, mb })]) });
    steadyUsages.set(mb, usage);
  }
  return usage;
}

/** CPU segments of the phases that use CPU. */
export function cpuSegments(phases: readonly UsagePhase[]): CpuSegment[] {
  return phases
    .filter((p) => p.cores > 0 && p.end > p.start)
    .map((p) => ({ start: p.start, end: p.end, cores: p.cores }));
}

/** Largest anonymous memory (the processes' RSS) over the phases. */
export function peakAnonMb(phases: readonly UsagePhase[]): number {
  return phases.reduce((m, p) => Math.max(m, p.anonMb), 0);
}

/** CPU seconds of the phases. */
export function cpuSeconds(phases: readonly UsagePhase[]): number {
  return phases.reduce((s, p) => s + p.cores * (p.end - p.start), 0);
}

/**
 * Monitor samples, one per phase (whole MiB, as the monitor log holds them): the level of
 * each phase is what a 2-second sampler sees while it lasts.
 */
export function phaseSamples(phases: readonly UsagePhase[]): MemorySample[] {
  return phases.map((p) => ({
    tsSec: Math.floor(p.start),
    cgroupMb: Math.floor(p.anonMb + p.shmemMb),
    anonMb: Math.floor(p.anonMb),
    fileMb: 0,
    shmemMb: Math.floor(p.shmemMb),
    tmpfsPresent: p.shmemMb > 0,
  }));
}

/**
 * `proc_<N>_cgroup.json` of a run: the peaks of the phase samples, with `num_samples` the
 * number of samples a 2-second monitor takes over `durationSec` (at least 1).
 */
export function cgroupRecordOf(
  phases: readonly UsagePhase[],
  durationSec: number,
  gridpackMb: number,
): CgroupRecord {
  const record = cgroupFromSamples(phaseSamples(phases), gridpackMb);
  return { ...record, num_samples: Math.max(1, Math.ceil(durationSec / MONITOR_INTERVAL_SEC)) };
}
