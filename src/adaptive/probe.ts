/**
 * The probe split (adaptive.md §18, historical design): one proc job of the first work
 * unit runs step 0 as 2 instances of N/2 threads in an unchanged slot, which separates
 * the memory shared by the slot from the memory each instance adds. Pure helpers choose
 * and shape the probe; `analyzeProbeMetrics` reads what it measured.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError, inputErrorMessage } from "../model/errors.js";
import { manifestSteps, patchProcSubmit } from "./manifest-patch.js";
import { readJsonIfValid, unmergedDirs } from "./metric-files.js";
import { floorDiv, isTruthy, maxOf } from "./py-arith.js";

export interface ProbeMetrics {
  perInstanceRssMb: number[];
  maxInstanceRssMb: number;
  numInstances: number;
  /** Peak `MemoryUsage` of the whole job from its scheduler log (MB), when logged. */
  jobPeakMb?: number;
  perInstancePeakMb?: number;
}

/**
 * The probe node: the last proc node (sorted), which most likely has not started yet.
 * Null when fewer than 2 proc nodes exist (one normal job must remain for the baseline).
 */
export function chooseProbeNode(procSubmitNames: readonly string[]): string | null {
  if (procSubmitNames.length < 2) return null;
  const last = [...procSubmitNames].sort()[procSubmitNames.length - 1];
  return last.replace(/\.sub$/, "");
}

/**
 * The probe's tuned manifest: step 0 as 2 instances of max(N // 2, 2) threads. Null when
 * the manifest has no steps.
 */
export function probeManifest(
  manifest: unknown,
  ncores: number,
  splitTmpfs = false,
): Record<string, unknown> | null {
  const tuned = structuredClone(manifest) as Record<string, unknown>;
  const steps = manifestSteps(tuned, "manifest.json");
  if (steps.length === 0) return null;
  steps[0].multicore = Math.max(floorDiv(ncores, 2), 2);
  steps[0].n_parallel = 2;
  if (splitTmpfs) tuned.split_tmpfs = true;
  return tuned;
}

/** The probe's submit file: tuned manifest added to its inputs, memory set to `memoryMb`. */
export function probeSubmit(text: string, tunedManifestPath: string, memoryMb: number): string {
  return patchProcSubmit(text, tunedManifestPath).replace(
    /^(request_memory\s*=\s*)\d+/m,
    (_all, head: string) => `${head}${memoryMb}`,
  );
}

/** Largest `N` of the `N  -  MemoryUsage of job (MB)` lines of a job log; 0 when none. */
export function jobPeakMemoryFromLog(logText: string): number {
  let peak = 0;
  for (const m of logText.matchAll(/^\s*(\d+)\s+-\s+MemoryUsage of job \(MB\)/gm)) {
    peak = Math.max(peak, Number(m[1]));
  }
  return peak;
}

/** Probe figures from the probe job's metrics entries and log peak; null without step-0 RSS. */
export function probeMetricsFromEntries(
  entries: unknown,
  jobPeakMb: number,
  where: string,
): ProbeMetrics | null {
  if (!Array.isArray(entries)) {
    throw new InputError(inputErrorMessage({ file: where, problem: "expected a JSON list" }));
  }
  const rss: number[] = [];
  entries.forEach((e: unknown, i: number) => {
    if (e === null || typeof e !== "object") return;
    const entry = e as Record<string, unknown>;
    if (entry.step_index !== 0 || !isTruthy(entry.peak_rss_mb)) return;
    if (typeof entry.peak_rss_mb !== "number") {
      throw new InputError(
        inputErrorMessage({
          file: where,
          entry: String(i),
          field: "peak_rss_mb",
          problem: "not a number",
        }),
      );
    }
    rss.push(entry.peak_rss_mb);
  });
  if (rss.length === 0) return null;
  const out: ProbeMetrics = {
    perInstanceRssMb: rss,
    maxInstanceRssMb: maxOf(rss),
    numInstances: rss.length,
  };
  if (jobPeakMb > 0) {
    out.jobPeakMb = jobPeakMb;
    out.perInstancePeakMb = jobPeakMb / rss.length;
  }
  return out;
}

/**
 * Reads the probe node's metrics (`proc_<idx>_metrics.json` in the work-unit directory or
 * its unmerged storage) and its job log `<node>.log`. Null when the node name is not a
 * proc node, or the metrics file or its step-0 RSS is missing.
 */
export function analyzeProbeMetrics(groupDir: string, probeNodeName: string): ProbeMetrics | null {
  const m = /^proc_0*(\d+)$/.exec(probeNodeName);
  if (!m) return null;
  const fileName = `proc_${m[1]}_metrics.json`;
  for (const dir of [groupDir, ...unmergedDirs(groupDir)]) {
    const path = join(dir, fileName);
    const entries = readJsonIfValid(path);
    if (entries === undefined) continue;
    let log = "";
    try {
      log = readFileSync(join(groupDir, `${probeNodeName}.log`), "utf8");
    } catch {
      log = "";
    }
    return probeMetricsFromEntries(entries, jobPeakMemoryFromLog(log), path);
  }
  return null;
}
