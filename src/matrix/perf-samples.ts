import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { listProcFiles } from "../artifacts/proc-files.js";
import { readProcMetrics } from "../artifacts/proc-metrics.js";
import type { StepPerf, StepSample } from "../model/results.js";

/** One work unit of a finished run, as the performance collection sees it. */
export interface WorkUnitDirs {
  name: string;
  index: number;
  /** 1-based round (adaptive: work unit index + 1; otherwise 1). */
  round: number;
  groupDir: string;
  /** Unmerged block dir (PFN) of the first output dataset, where the job side files go. */
  unmergedDir?: string;
}

/**
 * Per-step samples of every processing job of a work unit, from its `proc_<N>_metrics.json`
 * files (searched in the group dir and the unmerged block dir, deduplicated by node).
 * A step that ran as parallel instances or pipelines gives one sample per instance.
 */
export function collectSamples(wu: WorkUnitDirs, exclude: Set<number> = new Set()): StepSample[] {
  const files = new Map<number, string>();
  for (const dir of [wu.groupDir, wu.unmergedDir]) {
    if (!dir) continue;
    for (const f of listProcFiles(dir, "metrics"))
      if (!files.has(f.nodeIndex)) files.set(f.nodeIndex, f.path);
  }
  const out: StepSample[] = [];
  for (const [node, path] of [...files.entries()].sort((a, b) => a[0] - b[0])) {
    if (exclude.has(node)) continue;
    const seen = new Map<number, number>();
    for (const m of readProcMetrics(path)) {
      const instance = seen.get(m.step) ?? 0;
      seen.set(m.step, instance + 1);
      out.push({
        round: wu.round,
        step: m.step,
        node,
        instance,
        nThreads: m.num_threads ?? 0,
        wallSec: m.wall_time_sec ?? 0,
        cpuSec: m.cpu_time_sec ?? 0,
        cpuEff: m.cpu_efficiency,
        rssMb: m.peak_rss_mb,
        eventsProcessed: m.events_processed,
        eventsWritten: m.events_written,
        throughputEvS: m.throughput_ev_s,
      });
    }
  }
  return out;
}

function mean(xs: number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

/** Sample standard deviation (n - 1); 0 for fewer than two values. */
function sd(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Aggregate samples into one StepPerf per (round, step), steps in numeric order. */
export function aggregateSteps(
  samples: StepSample[],
  stepNames: Map<number, string[]>,
): StepPerf[] {
  const groups = new Map<string, StepSample[]>();
  for (const s of samples) {
    const k = `${s.round}:${s.step}`;
    const g = groups.get(k);
    if (g) g.push(s);
    else groups.set(k, [s]);
  }
  const out: StepPerf[] = [];
  for (const g of groups.values()) {
    const { round, step } = g[0];
    const walls = g.map((s) => s.wallSec).filter((w) => w > 0);
    const effs = g.map((s) => s.cpuEff).filter((e): e is number => e !== null && e > 0);
    const rss = g.map((s) => s.rssMb).filter((r): r is number => r !== null && r > 0);
    const tputs = g.map((s) => s.throughputEvS).filter((t): t is number => t !== null && t > 0);
    const jobs = new Set(g.map((s) => s.node)).size;
    out.push({
      round,
      step,
      stepName: stepNames.get(round)?.[step - 1] ?? `Step ${step}`,
      n: g.length,
      nJobs: jobs,
      nThreads: Math.max(...g.map((s) => s.nThreads)),
      instances: Math.max(1, Math.round(g.length / Math.max(1, jobs))),
      wallSecMean: mean(walls),
      wallSecStddev: sd(walls),
      wallSecMin: walls.length ? Math.min(...walls) : 0,
      wallSecMax: walls.length ? Math.max(...walls) : 0,
      cpuEffMean: effs.length ? mean(effs) : null,
      cpuEffStddev: effs.length ? sd(effs) : null,
      rssMbMean: rss.length ? mean(rss) : null,
      rssMbStddev: rss.length ? sd(rss) : null,
      rssMbMax: rss.length ? Math.max(...rss) : null,
      eventsTotal: g.reduce((s, x) => s + (x.eventsProcessed ?? 0), 0),
      throughputEvS: tputs.length ? mean(tputs) : null,
    });
  }
  return out.sort((a, b) => a.round - b.round || a.step - b.step);
}

/** Per-job wall time: the sum over steps of the slowest concurrent instance of each step. */
export function jobWalls(
  samples: StepSample[],
): Map<number, { wall: number; cpu: number; threads: number }> {
  const perStep = new Map<string, { node: number; wall: number; cpu: number }>();
  for (const s of samples) {
    const k = `${s.node}:${s.step}`;
    const cur = perStep.get(k);
    if (!cur) perStep.set(k, { node: s.node, wall: s.wallSec, cpu: s.cpuSec });
    else {
      cur.wall = Math.max(cur.wall, s.wallSec);
      cur.cpu += s.cpuSec;
    }
  }
  const out = new Map<number, { wall: number; cpu: number; threads: number }>();
  for (const v of perStep.values()) {
    const cur = out.get(v.node) ?? { wall: 0, cpu: 0, threads: 0 };
    cur.wall += v.wall;
    cur.cpu += v.cpu;
    out.set(v.node, cur);
  }
  return out;
}

/** Step names of a work unit from its (tuned) manifest. */
export function manifestStepNames(groupDir: string): string[] {
  for (const f of ["manifest_tuned.json", "manifest.json"]) {
    const p = join(groupDir, f);
    if (!existsSync(p)) continue;
    try {
      const m = JSON.parse(readFileSync(p, "utf8")) as {
        steps?: { name?: string }[];
        mode?: string;
      };
      if (m.steps) return m.steps.map((s, i) => s.name ?? `Step ${i + 1}`);
      if (m.mode === "synthetic") return ["synthetic"];
    } catch {
      return [];
    }
  }
  return [];
}
