/**
 * Cgroup memory summaries of a work unit (adaptive.md §8): the max of every
 * `proc_<n>_cgroup.json` figure over the jobs, or the `cgroup` block of
 * `work_unit_metrics.json` when no per-job file exists.
 */
import { join } from "node:path";
import { InputError, inputErrorMessage } from "../model/errors.js";
import {
  excludedNodeIndices,
  listProcFiles,
  metricsSearchDirs,
  readJsonIfValid,
} from "./metric-files.js";
import type { CgroupSummary } from "./types.js";

/** The six memory figures, on-disk name → summary field. */
const CGROUP_FIELDS = [
  ["peak_anon_mb", "peakAnonMb"],
  ["peak_shmem_mb", "peakShmemMb"],
  ["peak_nonreclaim_mb", "peakNonreclaimMb"],
  ["tmpfs_peak_nonreclaim_mb", "tmpfsPeakNonreclaimMb"],
  ["no_tmpfs_peak_anon_mb", "noTmpfsPeakAnonMb"],
  ["gridpack_disk_mb", "gridpackDiskMb"],
] as const;

function numberField(record: Record<string, unknown>, key: string, where: string): number {
  const v = record[key];
  if (v === undefined || v === null) return 0;
  if (typeof v !== "number") {
    throw new InputError(inputErrorMessage({ file: where, field: key, problem: "not a number" }));
  }
  return v;
}

function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError(inputErrorMessage({ file: where, problem: "expected a JSON object" }));
  }
  return value as Record<string, unknown>;
}

/**
 * Converts an on-disk cgroup object (snake_case) to a summary; missing figures are 0
 * and `num_jobs` is kept when present. `where` names the source in error messages.
 */
export function cgroupFromJson(value: unknown, where: string): CgroupSummary {
  const record = asRecord(value, where);
  const out = {} as CgroupSummary;
  for (const [key, field] of CGROUP_FIELDS) out[field] = numberField(record, key, where);
  if (record.num_jobs !== undefined && record.num_jobs !== null) {
    out.numJobs = numberField(record, "num_jobs", where);
  }
  return out;
}

/** Max of every figure over the per-job cgroup objects (start 0), plus `numJobs`. */
export function aggregateCgroup(jobs: readonly { value: unknown; where: string }[]): CgroupSummary {
  const out: CgroupSummary = {
    peakAnonMb: 0,
    peakShmemMb: 0,
    peakNonreclaimMb: 0,
    tmpfsPeakNonreclaimMb: 0,
    noTmpfsPeakAnonMb: 0,
    gridpackDiskMb: 0,
  };
  for (const job of jobs) {
    const record = asRecord(job.value, job.where);
    for (const [key, field] of CGROUP_FIELDS) {
      out[field] = Math.max(out[field], numberField(record, key, job.where));
    }
  }
  out.numJobs = jobs.length;
  return out;
}

/**
 * Cgroup summary of a work unit. Searches the same directories as the metrics with the
 * same exclusion; stops at the first directory holding cgroup files. Falls back to the
 * `cgroup` block of the first `work_unit_metrics.json` whose non-reclaimable peak is
 * positive. Returns null when nothing usable exists.
 */
export function loadCgroupMetrics(
  groupDir: string,
  excludeNodes?: readonly string[] | null,
): CgroupSummary | null {
  const exclude = excludedNodeIndices(excludeNodes);
  const dirs = metricsSearchDirs(groupDir);
  for (const dir of dirs) {
    const jobs: { value: unknown; where: string }[] = [];
    for (const file of listProcFiles(dir, "cgroup", exclude)) {
      const value = readJsonIfValid(file.path);
      if (value !== undefined) jobs.push({ value, where: file.path });
    }
    if (jobs.length > 0) return aggregateCgroup(jobs);
  }
  for (const dir of dirs) {
    const path = join(dir, "work_unit_metrics.json");
    const summary = readJsonIfValid(path);
    if (summary === null || typeof summary !== "object" || Array.isArray(summary)) continue;
    const block = (summary as Record<string, unknown>).cgroup;
    if (block === null || typeof block !== "object") continue;
    const cgroup = cgroupFromJson(block, `${path}: cgroup`);
    if (cgroup.peakNonreclaimMb > 0) return cgroup;
  }
  return null;
}
