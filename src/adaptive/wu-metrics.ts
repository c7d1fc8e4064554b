/**
 * Analysis of one completed work unit from its per-job `proc_<n>_metrics.json` files
 * (adaptive.md §6). `collectJobMetrics` and `summarizeMetrics` are pure;
 * `analyzeWuMetrics` only finds and reads the files.
 */
import { InputError, inputErrorMessage } from "../model/errors.js";
import { loadCgroupMetrics } from "./cgroup.js";
import { peakRss, weightedCpuEff } from "./effective-cores.js";
import { NoMetricsError } from "./errors.js";
import {
  excludedNodeIndices,
  listProcFiles,
  metricsSearchDirs,
  readJsonIfValid,
} from "./metric-files.js";
import { isTruthy } from "./py-arith.js";
import {
  type AnalyzedMetrics,
  type CgroupSummary,
  emptyStepSeries,
  type StepSeries,
} from "./types.js";

/** proc metrics field → series it feeds. */
const METRIC_FIELDS: readonly [string, keyof StepSeries][] = [
  ["wall_time_sec", "wallSec"],
  ["cpu_efficiency", "cpuEff"],
  ["peak_rss_mb", "peakRssMb"],
  ["events_processed", "events"],
  ["throughput_ev_s", "throughput"],
  ["cpu_time_sec", "cpuTimeSec"],
  ["num_threads", "nthreads"],
];

/** Parsed content of one job's metrics file, with its path for error messages. */
export interface JobMetricsFile {
  where: string;
  entries: unknown;
}

/** Step series, job count and job-level thread count gathered from job files. */
export interface CollectedMetrics {
  steps: Record<string, StepSeries>;
  numJobs: number;
  nthreads: number;
}

function metricNumber(
  entry: Record<string, unknown>,
  key: string,
  where: string,
  i: number,
): number {
  const v = entry[key];
  if (typeof v !== "number") {
    throw new InputError(
      inputErrorMessage({ file: where, entry: String(i), field: key, problem: "not a number" }),
    );
  }
  return v;
}

/**
 * Appends the truthy values of every entry with a step index to that step's series.
 * Each file is one job; the job-level thread count is max(1, every num_threads).
 */
export function collectJobMetrics(jobs: readonly JobMetricsFile[]): CollectedMetrics {
  const steps: Record<string, StepSeries> = {};
  let nthreads = 1;
  for (const job of jobs) {
    if (!Array.isArray(job.entries)) {
      throw new InputError(inputErrorMessage({ file: job.where, problem: "expected a JSON list" }));
    }
    job.entries.forEach((raw: unknown, i: number) => {
      if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        throw new InputError(
          inputErrorMessage({ file: job.where, entry: String(i), problem: "expected an object" }),
        );
      }
      const entry = raw as Record<string, unknown>;
      if (entry.step_index === null || entry.step_index === undefined) return;
      const si = metricNumber(entry, "step_index", job.where, i);
      steps[si] ??= emptyStepSeries();
      const series = steps[si];
      for (const [key, field] of METRIC_FIELDS) {
        if (!isTruthy(entry[key])) continue;
        const value = metricNumber(entry, key, job.where, i);
        series[field].push(value);
        if (field === "nthreads") nthreads = Math.max(nthreads, value);
      }
    });
  }
  return { steps, numJobs: jobs.length, nthreads };
}

/** Aggregates (peak RSS, weighted efficiency, effective cores) over collected series. */
export function summarizeMetrics(
  collected: CollectedMetrics,
  cgroup?: CgroupSummary | null,
): AnalyzedMetrics {
  const weighted = weightedCpuEff(collected.steps);
  const out: AnalyzedMetrics = {
    steps: collected.steps,
    peakRssMb: peakRss(collected.steps),
    weightedCpuEff: weighted,
    effectiveCores: weighted * collected.nthreads,
    numJobs: collected.numJobs,
    nthreads: collected.nthreads,
  };
  if (cgroup) out.cgroup = cgroup;
  return out;
}

/**
 * Analyses the per-job metrics of one work unit. Reads `proc_<n>_metrics.json` from the
 * group directory, else its parent, else its unmerged storage directories (the first
 * directory that yields a job wins); unparsable files are skipped. Jobs named in
 * `excludeNodes` (`proc_NNNNNN`) are left out. Throws `NoMetricsError` when no job
 * file is found.
 */
export function analyzeWuMetrics(
  groupDir: string,
  excludeNodes?: readonly string[] | null,
): AnalyzedMetrics {
  const exclude = excludedNodeIndices(excludeNodes);
  let jobs: JobMetricsFile[] = [];
  for (const dir of metricsSearchDirs(groupDir)) {
    jobs = [];
    for (const file of listProcFiles(dir, "metrics", exclude)) {
      const entries = readJsonIfValid(file.path);
      if (entries !== undefined) jobs.push({ where: file.path, entries });
    }
    if (jobs.length > 0) break;
  }
  if (jobs.length === 0) throw new NoMetricsError(groupDir);
  return summarizeMetrics(collectJobMetrics(jobs), loadCgroupMetrics(groupDir, excludeNodes));
}
