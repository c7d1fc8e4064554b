/**
 * `work_unit_metrics.json`: the merge job's per-step summary of every processing job of a
 * work unit (min/max/mean of each metric, totals of event counts) plus cgroup peaks.
 */
import { z } from "zod";
import { CGROUP_PEAK_KEYS, type CgroupRecord, readCgroupRecord } from "./cgroup.js";
import { parseJsonText, readTextFile, writeJsonFile } from "./json-io.js";
import { listProcFiles } from "./proc-files.js";
import { type ProcStepMetrics, readProcMetrics } from "./proc-metrics.js";
import { roundTo } from "./py-round.js";

export interface MinMaxMean {
  min: number;
  max: number;
  mean: number;
}

export interface MinMaxTotal {
  min: number;
  max: number;
  total: number;
}

/** `step`, `num_jobs`, then one statistic object per metric key that had values. */
export interface WuStepSummary {
  step: number;
  num_jobs: number;
  [metric: string]: number | MinMaxMean | MinMaxTotal;
}

export type WuCgroupSummary = Record<(typeof CGROUP_PEAK_KEYS)[number], number> & {
  num_jobs: number;
};

export interface WuMetrics {
  group_index: number;
  num_proc_jobs: number;
  /** Keyed by the 1-based step number as a string. */
  per_step: Record<string, WuStepSummary>;
  cgroup?: WuCgroupSummary;
}

const EVENT_KEYS = new Set(["events_processed", "events_written"]);

/** Minimum, maximum, sum (in job order) and count of one metric's values. */
interface Running {
  min: number;
  max: number;
  total: number;
  n: number;
}

/**
 * `total` plus `v` added `times` times one after the other: at once when every partial sum is
 * an exact integer (the same float either way), else value by value.
 */
function addTimes(total: number, v: number, times: number): number {
  if (
    Number.isInteger(v) &&
    Number.isInteger(total) &&
    Math.abs(total) + times * Math.abs(v) <= Number.MAX_SAFE_INTEGER
  ) {
    return total + v * times;
  }
  let t = total;
  for (let j = 0; j < times; j++) t += v;
  return t;
}

/** Per-key max of the cgroup peaks over jobs, with the number of files. */
export function aggregateCgroup(records: readonly CgroupRecord[]): WuCgroupSummary {
  const out = { num_jobs: records.length } as WuCgroupSummary;
  for (const key of CGROUP_PEAK_KEYS)
    out[key] = records.reduce((m, r) => Math.max(m, r[key] ?? 0), 0);
  return out;
}

/**
 * Aggregate the metrics files of a work unit (one array per `proc_<N>_metrics.json`).
 * Every non-null numeric key except `step` gets `{min,max,mean}` rounded to 4 places, the
 * event counts `{min,max,total}`; `num_jobs` is the number of files. Without files the empty
 * form `{group_index, num_proc_jobs: 0, per_step: {}}` is returned.
 */
export function aggregateWuMetrics(
  groupIndex: number,
  jobs: readonly (readonly ProcStepMetrics[])[],
  cgroups: readonly CgroupRecord[] = [],
): WuMetrics {
  if (jobs.length === 0) return { group_index: groupIndex, num_proc_jobs: 0, per_step: {} };
  const stats = new Map<number, Map<string, Running>>();
  // Jobs that did the same thing often share one metrics value: a run of k such jobs is
  // folded in at once, its sum still added value by value (the same float as job by job).
  for (let i = 0; i < jobs.length; ) {
    const job = jobs[i];
    let k = 1;
    while (i + k < jobs.length && jobs[i + k] === job) k++;
    i += k;
    for (const entry of job) {
      let keys = stats.get(entry.step);
      if (!keys) {
        keys = new Map();
        stats.set(entry.step, keys);
      }
      for (const key in entry) {
        const v = (entry as unknown as Record<string, unknown>)[key];
        if (key === "step" || typeof v !== "number" || !Number.isFinite(v)) continue;
        let r = keys.get(key);
        let from = 0;
        if (!r) {
          r = { min: v, max: v, total: v, n: 1 };
          keys.set(key, r);
          from = 1;
        } else {
          if (v < r.min) r.min = v;
          if (v > r.max) r.max = v;
        }
        r.total = addTimes(r.total, v, k - from);
        r.n += k - from;
      }
    }
  }
  const perStep: Record<string, WuStepSummary> = {};
  for (const step of [...stats.keys()].sort((a, b) => a - b)) {
    const summary: WuStepSummary = { step, num_jobs: jobs.length };
    for (const [key, { min, max, total, n }] of stats.get(step)!) {
      summary[key] = EVENT_KEYS.has(key)
        ? { min, max, total }
        : { min: roundTo(min, 4), max: roundTo(max, 4), mean: roundTo(total / n, 4) };
    }
    perStep[String(step)] = summary;
  }
  const out: WuMetrics = { group_index: groupIndex, num_proc_jobs: jobs.length, per_step: perStep };
  if (cgroups.length > 0) out.cgroup = aggregateCgroup(cgroups);
  return out;
}

function total(stat: unknown): number | undefined {
  if (typeof stat !== "object" || stat === null) return undefined;
  const t = (stat as Record<string, unknown>).total;
  return typeof t === "number" ? t : undefined;
}

/**
 * Events a work unit produced: the numerically highest step's `events_written.total`, else
 * its `events_processed.total`, else 0.
 */
export function wuOutputEvents(wu: WuMetrics): number {
  const steps = Object.keys(wu.per_step).filter((k) => /^\d+$/.test(k));
  if (steps.length === 0) return 0;
  const last = wu.per_step[String(Math.max(...steps.map(Number)))];
  return total(last.events_written) ?? total(last.events_processed) ?? 0;
}

/**
 * Read `proc_<N>_metrics.json` and `proc_<N>_cgroup.json` from the given directories (a node
 * index found in several directories is taken from the first) and aggregate them.
 */
export function wuMetricsFromDirs(groupIndex: number, dirs: readonly string[]): WuMetrics {
  const jobs = listProcFiles(dirs, "metrics").map((f) => readProcMetrics(f.path));
  const cgroups = listProcFiles(dirs, "cgroup").map((f) => readCgroupRecord(f.path));
  return aggregateWuMetrics(groupIndex, jobs, cgroups);
}

const statSchema = z
  .looseObject({
    min: z.number(),
    max: z.number(),
    mean: z.number().optional(),
    total: z.number().optional(),
  })
  .refine((s) => s.mean !== undefined || s.total !== undefined, "needs mean or total");
const stepSchema = z
  .looseObject({ step: z.number().int().optional(), num_jobs: z.number().int().optional() })
  .catchall(z.union([z.number(), statSchema]));
const count = z.number().int().nonnegative();
const cgroupShape = Object.fromEntries(CGROUP_PEAK_KEYS.map((k) => [k, z.number().default(0)]));
const wuSchema = z.looseObject({
  group_index: count,
  num_proc_jobs: count,
  per_step: z.record(z.string().regex(/^\d+$/, "step key must be a number"), stepSchema),
  cgroup: z.looseObject({ ...cgroupShape, num_jobs: count.default(0) }).optional(),
});

/** Validate the text of `work_unit_metrics.json`. */
export function parseWuMetrics(text: string, file: string): WuMetrics {
  const r = parseJsonText(text, file, wuSchema);
  const perStep: Record<string, WuStepSummary> = {};
  for (const [key, s] of Object.entries(r.per_step)) {
    const summary: WuStepSummary = {
      ...s,
      step: s.step ?? Number(key),
      num_jobs: s.num_jobs ?? r.num_proc_jobs,
    };
    perStep[key] = summary;
  }
  const out: WuMetrics = {
    group_index: r.group_index,
    num_proc_jobs: r.num_proc_jobs,
    per_step: perStep,
  };
  if (r.cgroup) out.cgroup = r.cgroup as WuCgroupSummary;
  return out;
}

/** Read and validate `work_unit_metrics.json`. */
export function readWuMetrics(file: string): WuMetrics {
  return parseWuMetrics(readTextFile(file), file);
}

export function writeWuMetrics(file: string, wu: WuMetrics): void {
  writeJsonFile(file, wu);
}
