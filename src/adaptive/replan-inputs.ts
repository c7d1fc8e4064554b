/**
 * What a replan reads: the next work unit (its manifest and what its proc jobs ask for)
 * and the metrics of the completed ones. Unusable metrics are not an error here: they are
 * reported as a problem, and the replan then keeps the next unit as planned.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseSubmit, submitGet } from "../dagman/index.js";
import { InputError } from "../model/errors.js";
import { NoMetricsError } from "./errors.js";
import { manifestSteps, procSubmitFiles } from "./manifest-patch.js";
import {
  excludedNodeIndices,
  isDir,
  listProcFiles,
  metricsSearchDirs,
  readJsonIfValid,
  readJsonRequired,
} from "./metric-files.js";
import { analyzeProbeMetrics, type ProbeMetrics } from "./probe.js";
import type { AnalyzedMetrics } from "./types.js";
import { analyzeWuMetrics } from "./wu-metrics.js";
import { summarizeWuRequests, type WuRequestSummary } from "./wu-switches.js";

/** The work unit about to be re-planned. */
export interface NextWorkUnit {
  dir: string;
  /** Threads of step 0 in its `manifest.json` (the original thread count). */
  originalNthreads: number;
  requests: WuRequestSummary;
}

/** Reads the next unit; a missing or malformed manifest or no proc job is an `InputError`. */
export function readNextWorkUnit(dir: string): NextWorkUnit {
  if (!isDir(dir)) throw new InputError(`${dir}: work unit directory not found`);
  const manifestPath = join(dir, "manifest.json");
  const steps = manifestSteps(readJsonRequired(manifestPath), manifestPath);
  const multicore = steps[0]?.multicore;
  if (typeof multicore !== "number" || !Number.isInteger(multicore) || multicore < 1) {
    throw new InputError(`${manifestPath}: steps[0].multicore: expected a positive integer`);
  }
  if (procSubmitFiles(dir).length === 0) throw new InputError(`${dir}: no proc_*.sub files`);
  return { dir, originalNthreads: multicore, requests: summarizeWuRequests(dir) };
}

/** Node indices of the unit's proc jobs (from `--node-index`, else the node name). */
function expectedJobIndices(groupDir: string, exclude: Set<number>): number[] {
  const out: number[] = [];
  for (const name of procSubmitFiles(groupDir)) {
    const path = join(groupDir, name);
    let index: number | undefined;
    try {
      const args = submitGet(parseSubmit(readFileSync(path, "utf8"), path), "arguments") ?? "";
      const m = /--node-index\s+(\d+)/.exec(args);
      if (m) index = Number(m[1]);
    } catch {
      index = undefined;
    }
    index ??= Number(/^proc_0*(\d+)\.sub$/.exec(name)?.[1] ?? Number.NaN);
    if (Number.isInteger(index) && !exclude.has(index)) out.push(index);
  }
  return out;
}

/**
 * Why a completed unit's metrics cannot be trusted, or undefined when they can: the
 * directory is missing, no job left metrics (no successful job), a job's metrics file is
 * missing, or a metrics or cgroup file does not parse.
 */
export function wuMetricsProblem(
  groupDir: string,
  excludeNodes: readonly string[],
): string | undefined {
  if (!isDir(groupDir)) return `${groupDir}: work unit directory not found`;
  const exclude = excludedNodeIndices(excludeNodes);
  for (const dir of metricsSearchDirs(groupDir)) {
    const metrics = listProcFiles(dir, "metrics", exclude);
    if (metrics.length === 0) continue;
    for (const file of [...metrics, ...listProcFiles(dir, "cgroup", exclude)]) {
      if (readJsonIfValid(file.path) === undefined) return `${file.path}: not valid JSON`;
    }
    const present = new Set(metrics.map((f) => f.index));
    const missing = expectedJobIndices(groupDir, exclude).filter((i) => !present.has(i));
    if (missing.length > 0) {
      const names = missing.map((i) => `proc_${i}_metrics.json`).join(", ");
      return `${groupDir}: ${names} missing (${missing.length} of ${present.size + missing.length} jobs without metrics)`;
    }
    return undefined;
  }
  return `${groupDir}: no proc metrics found (no successful job)`;
}

/** Analysed metrics of every completed unit, or the first reason they cannot be used. */
export type PriorAnalysis =
  | { ok: true; metrics: AnalyzedMetrics[]; probe: ProbeMetrics | null }
  | { ok: false; problem: string };

/**
 * Analyses the completed units (oldest first). The probe node, a node of the first unit,
 * is left out of that unit's per-step data and read on its own.
 */
export function analyzePriorWorkUnits(dirs: readonly string[], probeNode?: string): PriorAnalysis {
  const metrics: AnalyzedMetrics[] = [];
  for (const [i, dir] of dirs.entries()) {
    const exclude = i === 0 && probeNode ? [probeNode] : [];
    const problem = wuMetricsProblem(dir, exclude);
    if (problem !== undefined) return { ok: false, problem };
    try {
      // A metrics or cgroup file that parses but has a wrong field type raises here.
      metrics.push(analyzeWuMetrics(dir, exclude));
    } catch (err) {
      if (err instanceof NoMetricsError || err instanceof InputError) {
        return { ok: false, problem: err.message };
      }
      throw err;
    }
  }
  let probe: ProbeMetrics | null = null;
  if (probeNode && dirs.length > 0) {
    try {
      probe = analyzeProbeMetrics(dirs[0], probeNode);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      probe = null;
    }
  }
  return { ok: true, metrics, probe };
}
