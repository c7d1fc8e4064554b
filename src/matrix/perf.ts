import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEventLog } from "../dagman/event-log.js";
import {
  type DagmanZone,
  parseDagmanOut,
  parseSubmit,
  submitGet,
  timeBreakdown,
} from "../dagman/index.js";
import type {
  CpuTimeline,
  OutputSummary,
  PerfData,
  RoundPerf,
  StepSample,
  TimeBreakdown,
} from "../model/results.js";
import {
  aggregateSteps,
  collectSamples,
  jobWalls,
  manifestStepNames,
  type WorkUnitDirs,
} from "./perf-samples.js";

export interface PerfInput {
  workUnits: WorkUnitDirs[];
  /** The zone of the `.dagman.out` times (a live pool's local zone; UTC on sim, the default). */
  dagmanZone?: DagmanZone;
  /** Nodes left out of the figures (e.g. the probe job), by proc index. */
  excludeNodes?: Set<number>;
  /** Cores-busy step function: from `t` on, `cores` are busy (epoch seconds). */
  cpuPoints: { t: number; cores: number }[];
  /** Cores the workflow's jobs request when all of one round run at once. */
  expectedCores: number;
  output: OutputSummary;
  /** Threads label per round, from the decision that produced it. */
  threadsLabel?: (round: number) => string;
}

/** request_cpus and request_memory of a work unit's first proc submit file. */
export function wuRequests(groupDir: string): { cpus: number; memoryMb: number } {
  const f = existsSync(groupDir)
    ? (readdirSync(groupDir)
        .sort()
        .find((n) => /^proc_\d+\.sub$/.test(n)) ?? "")
    : "";
  if (!f) return { cpus: 1, memoryMb: 0 };
  const sub = parseSubmit(readFileSync(join(groupDir, f), "utf8"), join(groupDir, f));
  return {
    cpus: Number(submitGet(sub, "request_cpus") ?? 1),
    memoryMb: Number(submitGet(sub, "request_memory") ?? 0),
  };
}

function wuBreakdown(groupDir: string, zone?: DagmanZone): ReturnType<typeof timeBreakdown> {
  const p = join(groupDir, "group.dag.dagman.out");
  if (!existsSync(p)) return undefined;
  return timeBreakdown(parseDagmanOut(readFileSync(p, "utf8"), zone).events);
}

/** Jobs of a work unit held for exceeding their memory request (HoldReasonCode 34). */
export function oomHolds(groupDir: string): number {
  const p = join(groupDir, "group.dag.nodes.log");
  if (!existsSync(p)) return 0;
  return parseEventLog(readFileSync(p, "utf8"), p).filter(
    (e) => e.kind === "held" && (e as { reasonCode?: number }).reasonCode === 34,
  ).length;
}

function peakCgroup(wu: WorkUnitDirs, exclude: Set<number> = new Set()): number | null {
  let peak: number | null = null;
  for (const dir of [wu.groupDir, wu.unmergedDir]) {
    if (!dir || !existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const m = /^proc_(\d+)_cgroup\.json$/.exec(name);
      if (!m || exclude.has(Number(m[1]))) continue;
      try {
        const c = JSON.parse(readFileSync(join(dir, name), "utf8")) as {
          peak_nonreclaim_mb?: number;
        };
        if (typeof c.peak_nonreclaim_mb === "number")
          peak = Math.max(peak ?? 0, c.peak_nonreclaim_mb);
      } catch {
        // a damaged side file does not stop the report
      }
    }
  }
  return peak;
}

/** Bin a cores-busy step function into mean cores per interval. */
export function binCpu(
  points: { t: number; cores: number }[],
  expected: number,
  marks: number[],
): CpuTimeline {
  if (points.length === 0) {
    return {
      intervalSec: 0,
      cores: [],
      avgCores: 0,
      peakCores: 0,
      expectedCores: expected,
      roundMarks: marks,
    };
  }
  const t0 = points[0].t;
  const t1 = points[points.length - 1].t;
  const span = Math.max(1, t1 - t0);
  const interval = Math.max(5, Math.ceil(span / 300));
  const bins = new Array<number>(Math.ceil(span / interval)).fill(0);
  for (let i = 0; i < points.length - 1; i++) {
    let a = points[i].t;
    const b = points[i + 1].t;
    const c = points[i].cores;
    while (a < b && c > 0) {
      const k = Math.min(bins.length - 1, Math.floor((a - t0) / interval));
      const edge = Math.min(b, t0 + (k + 1) * interval);
      bins[k] += (c * (edge - a)) / interval;
      a = edge > a ? edge : b;
    }
  }
  const rounded = bins.map((v) => Math.round(v * 1000) / 1000);
  const busy = rounded.filter((v) => v > 0);
  return {
    intervalSec: interval,
    cores: rounded,
    avgCores: busy.length ? busy.reduce((a, b) => a + b, 0) / busy.length : 0,
    peakCores: busy.length ? Math.max(...busy) : 0,
    expectedCores: expected,
    roundMarks: marks.map((m) => m - t0),
  };
}

/** Performance of a finished run from the files its jobs and DAGMan left behind. */
export function collectPerf(input: PerfInput): PerfData {
  const samples: StepSample[] = [];
  const names = new Map<number, string[]>();
  const rounds: RoundPerf[] = [];
  const spans: { start: number; end: number; b: NonNullable<ReturnType<typeof timeBreakdown>> }[] =
    [];
  let first: number | undefined;
  for (const wu of input.workUnits) {
    const s = collectSamples(wu, input.excludeNodes);
    samples.push(...s);
    if (!names.has(wu.round)) names.set(wu.round, manifestStepNames(wu.groupDir));
    const b = wuBreakdown(wu.groupDir, input.dagmanZone);
    if (b) {
      spans.push({ start: b.start, end: b.end, b });
      first = first === undefined ? b.start : Math.min(first, b.start);
    }
  }
  const steps = aggregateSteps(samples, names);
  const byRound = new Map<number, WorkUnitDirs[]>();
  for (const wu of input.workUnits) byRound.set(wu.round, [...(byRound.get(wu.round) ?? []), wu]);
  for (const [round, wus] of [...byRound.entries()].sort((a, b) => a[0] - b[0])) {
    const rs = samples.filter((s) => s.round === round);
    const req = wuRequests(wus[0].groupDir);
    const walls = jobWalls(rs);
    const jobSec = [...walls.values()].reduce((a, j) => a + j.wall, 0);
    const cpuSec = [...walls.values()].reduce((a, j) => a + j.cpu, 0);
    const coreHours = (req.cpus * jobSec) / 3600;
    const events = rs.filter((s) => s.step === 1).reduce((a, s) => a + (s.eventsProcessed ?? 0), 0);
    const bs = wus
      .map((w) => wuBreakdown(w.groupDir, input.dagmanZone))
      .filter((b) => b !== undefined);
    const peak = wus
      .map((w) => peakCgroup(w, input.excludeNodes))
      .reduce<number | null>((m, v) => (v === null ? m : Math.max(m ?? 0, v)), null);
    const rssPeak = rs.reduce<number | null>(
      (m, s) => (s.rssMb === null ? m : Math.max(m ?? 0, s.rssMb)),
      null,
    );
    rounds.push({
      round,
      jobs: walls.size,
      cpusPerJob: req.cpus,
      threadsLabel: input.threadsLabel?.(round) ?? `${req.cpus}T`,
      requestMemoryMb: req.memoryMb,
      events,
      coreHours,
      evPerCoreHour: coreHours > 0 ? events / coreHours : 0,
      cpuEffPerJob: jobSec > 0 ? cpuSec / (jobSec * req.cpus) : null,
      peakMemoryMb: peak ?? rssPeak,
      oomJobs: wus.reduce((a, w) => a + oomHolds(w.groupDir), 0),
      processingSec: bs.reduce((a, b) => a + b.processing, 0),
      mergeSec: bs.reduce((a, b) => a + b.merge, 0),
      cleanupSec: bs.reduce((a, b) => a + b.cleanup, 0),
      startSec:
        bs.length && first !== undefined ? Math.min(...bs.map((b) => b.start)) - first : null,
      endSec: bs.length && first !== undefined ? Math.max(...bs.map((b) => b.end)) - first : null,
    });
  }
  const time = totalTime(
    spans.map((s) => s.b),
    byRound.size > 1,
  );
  const marks: number[] = [];
  for (let i = 1; i < rounds.length; i++) {
    const prevEnd = rounds[i - 1].endSec;
    const nextStart = rounds[i].startSec;
    if (prevEnd !== null && nextStart !== null && first !== undefined)
      marks.push(first + (prevEnd + nextStart) / 2);
  }
  const totalEvents = rounds.reduce((a, r) => a + r.events, 0);
  const coreHours = rounds.reduce((a, r) => a + r.coreHours, 0);
  const rssMax = steps.reduce<number | null>(
    (m, s) => (s.rssMbMax === null ? m : Math.max(m ?? 0, s.rssMbMax)),
    null,
  );
  return {
    numProcJobs: rounds.reduce((a, r) => a + r.jobs, 0),
    coresPerJob: rounds[0]?.cpusPerJob ?? 0,
    totalEvents,
    coreHours,
    evPerCoreHour: coreHours > 0 ? totalEvents / coreHours : 0,
    peakRssMb: rssMax,
    steps,
    rounds,
    samples,
    time,
    cpu: binCpu(input.cpuPoints, input.expectedCores, marks),
    output: input.output,
  };
}

/** Phases summed over sequential rounds, or the longest work unit's when they ran side by side. */
function totalTime(
  bs: NonNullable<ReturnType<typeof timeBreakdown>>[],
  sequential: boolean,
): TimeBreakdown {
  if (bs.length === 0)
    return { processingSec: 0, mergeSec: 0, cleanupSec: 0, overheadSec: 0, totalSec: 0 };
  const start = Math.min(...bs.map((b) => b.start));
  const end = Math.max(...bs.map((b) => b.end));
  const pick = (f: (b: (typeof bs)[number]) => number) =>
    sequential ? bs.reduce((a, b) => a + f(b), 0) : Math.max(...bs.map(f));
  const processingSec = pick((b) => b.processing);
  const mergeSec = pick((b) => b.merge);
  const cleanupSec = pick((b) => b.cleanup);
  const totalSec = end - start;
  return {
    processingSec,
    mergeSec,
    cleanupSec,
    overheadSec: Math.max(0, totalSec - processingSec - mergeSec - cleanupSec),
    totalSec,
  };
}
