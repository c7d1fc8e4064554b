/**
 * The job's cgroup memory samples (`memory_monitor.log`, one line per 2 s) and the per-job
 * peak summary derived from them (`proc_<N>_cgroup.json`).
 */
import { z } from "zod";
import { InputError, inputErrorMessage } from "../model/errors.js";
import { parseJsonText, readTextFile, writeJsonFile, writeTextFileAtomic } from "./json-io.js";

export const MEMORY_MONITOR_HEADER = "# ts_sec cgroup_mb anon_mb file_mb shmem_mb tmpfs_present";

/** One sample of cgroup v2 `memory.current` / `memory.stat`, in MiB. */
export interface MemorySample {
  tsSec: number;
  cgroupMb: number;
  anonMb: number;
  fileMb: number;
  shmemMb: number;
  /** The gridpack is unpacked on tmpfs at this moment. */
  tmpfsPresent: boolean;
}

/** `proc_<N>_cgroup.json`; all values are integers. */
export interface CgroupRecord {
  peak_anon_mb: number;
  peak_shmem_mb: number;
  peak_nonreclaim_mb: number;
  tmpfs_peak_nonreclaim_mb: number;
  no_tmpfs_peak_anon_mb: number;
  num_samples: number;
  gridpack_disk_mb: number;
}

/** The six peak keys aggregated over jobs (max per key). */
export const CGROUP_PEAK_KEYS = [
  "peak_anon_mb",
  "peak_shmem_mb",
  "peak_nonreclaim_mb",
  "tmpfs_peak_nonreclaim_mb",
  "no_tmpfs_peak_anon_mb",
  "gridpack_disk_mb",
] as const;

/** Write the monitor log text; MiB values and timestamps are written as whole numbers. */
export function formatMemoryMonitorLog(samples: readonly MemorySample[]): string {
  const lines = [MEMORY_MONITOR_HEADER];
  for (const s of samples) {
    const cols = [s.tsSec, s.cgroupMb, s.anonMb, s.fileMb, s.shmemMb].map((v) => Math.floor(v));
    lines.push(`${cols.join(" ")} ${s.tmpfsPresent ? 1 : 0}`);
  }
  return `${lines.join("\n")}\n`;
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parse the monitor log; `#` lines and blank lines are skipped, other lines need 6 numbers. */
export function parseMemoryMonitorLog(text: string, file = "memory_monitor.log"): MemorySample[] {
  const samples: MemorySample[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const cols = line.split(/\s+/);
    if (cols.length !== 6 || !cols.every((c) => NUMBER.test(c))) {
      const problem = `expected 6 numbers (ts_sec cgroup_mb anon_mb file_mb shmem_mb tmpfs_present), got "${line}"`;
      throw new InputError(inputErrorMessage({ file, line: i + 1, problem }));
    }
    const [tsSec, cgroupMb, anonMb, fileMb, shmemMb, flag] = cols.map(Number);
    samples.push({ tsSec, cgroupMb, anonMb, fileMb, shmemMb, tmpfsPresent: flag === 1 });
  });
  return samples;
}

/** Peaks of a sample series (integers, truncated as the wrapper's awk does). */
export function cgroupFromSamples(
  samples: readonly MemorySample[],
  gridpackMb: number,
): CgroupRecord {
  let anon = 0;
  let shmem = 0;
  let nonreclaim = 0;
  let tmpfsNonreclaim = 0;
  let noTmpfsAnon = 0;
  for (const s of samples) {
    const nr = s.anonMb + s.shmemMb;
    anon = Math.max(anon, s.anonMb);
    shmem = Math.max(shmem, s.shmemMb);
    nonreclaim = Math.max(nonreclaim, nr);
    if (s.tmpfsPresent) tmpfsNonreclaim = Math.max(tmpfsNonreclaim, nr);
    else noTmpfsAnon = Math.max(noTmpfsAnon, s.anonMb);
  }
  return {
    peak_anon_mb: Math.trunc(anon),
    peak_shmem_mb: Math.trunc(shmem),
    peak_nonreclaim_mb: Math.trunc(nonreclaim),
    tmpfs_peak_nonreclaim_mb: Math.trunc(tmpfsNonreclaim),
    no_tmpfs_peak_anon_mb: Math.trunc(noTmpfsAnon),
    num_samples: samples.length,
    gridpack_disk_mb: Math.trunc(Math.max(0, gridpackMb)),
  };
}

/** `proc_<N>_cgroup.json` from the text of `memory_monitor.log`. */
export function cgroupFromMonitorLog(
  text: string,
  gridpackMb: number,
  file?: string,
): CgroupRecord {
  return cgroupFromSamples(parseMemoryMonitorLog(text, file), gridpackMb);
}

/** Peak of the `cgroup_mb` column (the metrics' `cgroup_memory_mb`), 0 without samples. */
export function peakCgroupMb(samples: readonly MemorySample[]): number {
  return samples.reduce((m, s) => Math.max(m, s.cgroupMb), 0);
}

/** Write a monitor log file. */
export function writeMemoryMonitorLog(file: string, samples: readonly MemorySample[]): void {
  writeTextFileAtomic(file, formatMemoryMonitorLog(samples));
}

/** Read a monitor log file. */
export function readMemoryMonitorLog(file: string): MemorySample[] {
  return parseMemoryMonitorLog(readTextFile(file), file);
}

const count = z.number().int().nonnegative();
const cgroupSchema = z.looseObject({
  peak_anon_mb: count,
  peak_shmem_mb: count,
  peak_nonreclaim_mb: count,
  tmpfs_peak_nonreclaim_mb: count,
  no_tmpfs_peak_anon_mb: count,
  num_samples: count.default(0),
  gridpack_disk_mb: count.default(0),
});

/** Validate the text of `proc_<N>_cgroup.json` (older files lack num_samples/gridpack_disk_mb). */
export function parseCgroupRecord(text: string, file: string): CgroupRecord {
  const r = parseJsonText(text, file, cgroupSchema);
  return {
    peak_anon_mb: r.peak_anon_mb,
    peak_shmem_mb: r.peak_shmem_mb,
    peak_nonreclaim_mb: r.peak_nonreclaim_mb,
    tmpfs_peak_nonreclaim_mb: r.tmpfs_peak_nonreclaim_mb,
    no_tmpfs_peak_anon_mb: r.no_tmpfs_peak_anon_mb,
    num_samples: r.num_samples,
    gridpack_disk_mb: r.gridpack_disk_mb,
  };
}

/** Read and validate `proc_<N>_cgroup.json`. */
export function readCgroupRecord(file: string): CgroupRecord {
  return parseCgroupRecord(readTextFile(file), file);
}

export function writeCgroupRecord(file: string, record: CgroupRecord): void {
  writeJsonFile(file, record);
}
