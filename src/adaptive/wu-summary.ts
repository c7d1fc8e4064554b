/**
 * Conversion of a work-unit summary (`work_unit_metrics.json`, also stored inline in the
 * database) into the analysed-metrics shape (adaptive.md §7).
 *
 * Fixes reference bug §20 item 10: the summary's per-step keys are 1-based (the job
 * wrapper's `step` field), and the reference used them verbatim as step indices, so
 * metrics from this path never had a step 0 and no split could ever trigger from them.
 * Here every entry is placed at its 0-based index: the entry's `step_index` when
 * present, else its `step` − 1, else the key − 1.
 */
import { InputError, inputErrorMessage } from "../model/errors.js";
import { cgroupFromJson } from "./cgroup.js";
import { NoMetricsError } from "./errors.js";
import { floorDiv, isTruthy, truncInt } from "./py-arith.js";
import {
  type AnalyzedMetrics,
  emptyStepSeries,
  type StepSeries,
  type WorkUnitSummaryJson,
} from "./types.js";
import { summarizeMetrics } from "./wu-metrics.js";

/** Summary metrics reduced to their mean: summary name → series. */
const MEAN_FIELDS: readonly [string, keyof StepSeries][] = [
  ["wall_time_sec", "wallSec"],
  ["cpu_efficiency", "cpuEff"],
  ["throughput_ev_s", "throughput"],
  ["cpu_time_sec", "cpuTimeSec"],
  ["num_threads", "nthreads"],
];

type Metric = Record<string, unknown> | number | unknown;

function isDict(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function num(v: unknown, where: string, field: string): number {
  if (typeof v !== "number") {
    throw new InputError(inputErrorMessage({ file: where, field, problem: "not a number" }));
  }
  return v;
}

function meanSeries(v: Metric, where: string, field: string): number[] {
  if (isDict(v)) return isTruthy(v.mean) ? [num(v.mean, where, `${field}.mean`)] : [];
  return isTruthy(v) ? [num(v, where, field)] : [];
}

function rssSeries(v: Metric, where: string): number[] {
  if (isDict(v)) {
    if (!isTruthy(v.max)) return [];
    const max = num(v.max, where, "peak_rss_mb.max");
    if (isTruthy(v.mean)) {
      const m = num(v.mean, where, "peak_rss_mb.mean");
      if (m !== max) return [m, max];
    }
    return [max];
  }
  return isTruthy(v) ? [num(v, where, "peak_rss_mb")] : [];
}

function eventSeries(v: Metric, numJobs: number, where: string): number[] {
  if (isDict(v)) {
    return isTruthy(v.total)
      ? [floorDiv(num(v.total, where, "events_processed.total"), numJobs)]
      : [];
  }
  return isTruthy(v) ? [truncInt(num(v, where, "events_processed"))] : [];
}

/** 0-based step index of a summary entry (see the module comment). */
export function summaryStepIndex(
  key: string,
  entry: Record<string, unknown>,
  where: string,
): number {
  const si = entry.step_index;
  if (typeof si === "number") return truncInt(si);
  if (isDict(si) && typeof si.mean === "number") return truncInt(si.mean);
  if (typeof entry.step === "number") return truncInt(entry.step) - 1;
  const k = Number(key);
  if (!Number.isInteger(k)) {
    throw new InputError(inputErrorMessage({ file: where, problem: "step key is not an integer" }));
  }
  return k - 1;
}

/**
 * Converts a work-unit summary to analysed metrics. Throws `NoMetricsError` when the
 * summary has no proc jobs.
 */
export function wuMetricsToAnalyzed(wuData: WorkUnitSummaryJson): AnalyzedMetrics {
  const label = `work-unit summary ${wuData.group_index ?? "?"}`;
  const numJobs = wuData.num_proc_jobs;
  if (!isTruthy(numJobs)) throw new NoMetricsError(label);
  const jobs = num(numJobs, label, "num_proc_jobs");
  const steps: Record<string, StepSeries> = {};
  let nthreads = 1;
  for (const [key, raw] of Object.entries(wuData.per_step ?? {})) {
    const where = `${label}: per_step ${key}`;
    if (!isDict(raw)) {
      throw new InputError(inputErrorMessage({ file: where, problem: "expected an object" }));
    }
    const series = emptyStepSeries();
    for (const [name, field] of MEAN_FIELDS) series[field] = meanSeries(raw[name], where, name);
    series.peakRssMb = rssSeries(raw.peak_rss_mb, where);
    series.events = eventSeries(raw.events_processed, jobs, where);
    for (const v of series.nthreads) nthreads = Math.max(nthreads, truncInt(v));
    steps[summaryStepIndex(key, raw, where)] = series;
  }
  const cgroup = isTruthy(wuData.cgroup) ? cgroupFromJson(wuData.cgroup, `${label}: cgroup`) : null;
  return summarizeMetrics({ steps, numJobs: jobs, nthreads }, cgroup);
}
