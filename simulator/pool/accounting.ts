import type { CpuSegment, JobRun, JobRunPlan } from "./types.js";

/**
 * Pool accounting: one record per job run (start/end, slot size, memory peak, CPU time)
 * and the step function of busy cores over time, for CPU-usage plots.
 */
export class Accounting {
  readonly runs: JobRun[] = [];
  /** From each `t` on, `cores` cores are claimed; consecutive entries always differ. */
  readonly coresBusy: { t: number; cores: number }[];
  private busy = 0;

  constructor(startTime: number) {
    this.coresBusy = [{ t: startTime, cores: 0 }];
  }

  get busyCores(): number {
    return this.busy;
  }

  /** Records a change of `delta` claimed cores at time `t` (t never decreases). */
  changeBusy(t: number, delta: number): void {
    this.busy += delta;
    const tl = this.coresBusy;
    const last = tl[tl.length - 1];
    if (last.t === t) {
      last.cores = this.busy;
      if (tl.length > 1 && tl[tl.length - 2].cores === this.busy) tl.pop();
    } else if (last.cores !== this.busy) {
      tl.push({ t, cores: this.busy });
    }
  }
}

/**
 * The CPU seconds a run that started at `start` and ended at `end` used: the plan's CPU
 * segments (see `runCpuSegments`) summed; without segments, `cpuSec` spread evenly over
 * the planned duration and counted up to the end.
 */
export function runCpuSec(plan: JobRunPlan, start: number, end: number): number {
  if (plan.cpu) {
    let cpuSec = 0;
    forEachCpuSegment(plan.cpu, start, end, (a, b, cores) => {
      cpuSec += (b - a) * cores;
    });
    return cpuSec;
  }
  const d = plan.durationSec;
  const total = plan.cpuSec ?? 0;
  return d > 0 ? total * Math.min(1, (end - start) / d) : total;
}

/** A plan's CPU segments moved to absolute time and cut at the run's end (empty ones left out). */
function forEachCpuSegment(
  segments: readonly CpuSegment[],
  start: number,
  end: number,
  visit: (from: number, to: number, cores: number) => void,
): void {
  for (const s of segments) {
    const a = start + s.start;
    const b = Math.min(end, start + s.end);
    if (b <= a || s.cores <= 0) continue;
    visit(a, b, s.cores);
  }
}

/** The CPU use of a finished run in absolute virtual time (when its plan gave segments). */
export function runCpuSegments(run: Readonly<JobRun>): CpuSegment[] | undefined {
  if (!run.cpuPlan || run.end === undefined) return undefined;
  const out: CpuSegment[] = [];
  forEachCpuSegment(run.cpuPlan, run.start, run.end, (start, end, cores) =>
    out.push({ start, end, cores }),
  );
  return out;
}

/**
 * Step function of cores in use (not just claimed) over the given runs: from each `t`
 * on, `cores` cores are busy. Runs with CPU segments use them; runs with only a CPU
 * total count it as an even rate over their elapsed time; open runs are left out.
 */
export function cpuUsageTimeline(
  runs: readonly Readonly<JobRun>[],
  startTime: number,
): { t: number; cores: number }[] {
  const deltas = new Map<number, number>();
  const add = (t: number, d: number) => deltas.set(t, (deltas.get(t) ?? 0) + d);
  for (const r of runs) {
    if (r.end === undefined) continue;
    if (r.cpuPlan) {
      forEachCpuSegment(r.cpuPlan, r.start, r.end, (from, to, cores) => {
        add(from, cores);
        add(to, -cores);
      });
    } else if (r.cpuSec > 0 && r.end > r.start) {
      const rate = r.cpuSec / (r.end - r.start);
      add(r.start, rate);
      add(r.end, -rate);
    }
  }
  const out = [{ t: startTime, cores: 0 }];
  let level = 0;
  for (const t of [...deltas.keys()].sort((a, b) => a - b)) {
    level = Math.round((level + (deltas.get(t) ?? 0)) * 1e9) / 1e9;
    const last = out[out.length - 1];
    if (last.t === t) last.cores = level;
    else if (last.cores !== level) out.push({ t, cores: level });
  }
  return out;
}
