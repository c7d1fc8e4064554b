/**
 * What the replan decisions say, as report lines (matrix.md §7.3 blocks 2 and 4, and the
 * optional memory guidance): job-split or tuning summary, memory window, per-round
 * request_memory with its source, probe measurement, and why a split was held back.
 */
import type { RoundPerf } from "../model/results.js";
import {
  type Decision,
  isJobSplitRun,
  jobMultiplier,
  num,
  perStepLabel,
  stepDecisions,
  str,
  uniformThreads,
} from "./decisions.js";
import { plural } from "./format.js";

/** The decision that produced round `round` (1-based; round 1 has none). */
export function decisionFor(decisions: readonly Decision[], round: number): Decision | undefined {
  return round >= 2 ? decisions[round - 2] : undefined;
}

function memoryWindowLine(d: Decision | undefined, withMinThreads: boolean): string | null {
  const perCore = num(d, "memory_per_core_mb");
  const max = num(d, "max_memory_per_core_mb");
  if (perCore === null && max === null) return null;
  let line = `Memory: ${perCore ?? "-"} MB/core (R1), max ${max ?? "-"} MB/core`;
  const minThreads = num(d, "min_threads");
  if (withMinThreads && minThreads !== null) line += `, min ${minThreads}T`;
  return line;
}

function requestMemoryLines(
  rounds: readonly RoundPerf[],
  decisions: readonly Decision[],
): string[] {
  return rounds.map((r) => {
    const perCore = r.cpusPerJob > 0 ? (r.requestMemoryMb / r.cpusPerJob).toFixed(0) : "-";
    const source =
      r.round === 1 ? "baseline" : (str(decisionFor(decisions, r.round), "memory_source") ?? "-");
    return `R${r.round} request_memory: ${r.requestMemoryMb} MB (${r.cpusPerJob} cores, ${perCore} MB/core)  [${source}]`;
  });
}

function jobSplitLines(rounds: readonly RoundPerf[], decisions: readonly Decision[]): string[] {
  const k = decisions.findIndex((d) => jobMultiplier(d) > 1);
  const d = decisions[k];
  const mult = jobMultiplier(d);
  const after = num(d, "new_num_jobs");
  // The planned job count of the round before the split (a probe job left out of the
  // round's measured figures still counts as a job of that round).
  const before = after !== null ? after / mult : (rounds[k]?.jobs ?? null);
  const threads = num(d, "tuned_nthreads") ?? num(d, "new_request_cpus");
  const lines = [
    `Job split: ${before ?? "-"} → ${after ?? "-"} jobs (×${mult}), ${threads ?? "-"}T`,
  ];
  const window = memoryWindowLine(decisions[0], true);
  if (window !== null) lines.push(window);
  const gridpacks = decisions.map((x) => num(x, "gridpack_disk_mb") ?? 0);
  const gridpack = Math.max(0, ...gridpacks);
  if (gridpack > 0) {
    const tmpfs = gridpack > 4000 ? "  (tmpfs disabled — too large)" : "";
    lines.push(`Gridpack extraction: ${gridpack.toFixed(0)} MB on disk${tmpfs}`);
  }
  lines.push(...requestMemoryLines(rounds, decisions));
  return lines;
}

function tuningText(d: Decision): string {
  const original = num(d, "original_nthreads");
  let text = `${original ?? "-"}T baseline`;
  const pipelines = num(d, "n_pipelines") ?? 1;
  if (pipelines > 1) text += ` → ${pipelines} pipelines`;
  const uniform = uniformThreads(d);
  if (uniform !== null) text += ` × ${uniform}T (uniform)`;
  else if (stepDecisions(d).length > 0) text += `, per-step: ${perStepLabel(d)}`;
  return text;
}

function tuningLines(decisions: readonly Decision[]): string[] {
  const lines = decisions.map((d, i) =>
    decisions.length === 1 ? `Tuning: ${tuningText(d)}` : `Tuning (R${i + 2}): ${tuningText(d)}`,
  );
  const window = memoryWindowLine(decisions[0], false);
  if (window !== null) lines.push(window);
  return lines;
}

/** Block 2 of the adaptive section. */
export function planningLines(
  rounds: readonly RoundPerf[],
  decisions: readonly Decision[],
): string[] {
  if (decisions.length === 0) return [];
  return isJobSplitRun(decisions) ? jobSplitLines(rounds, decisions) : tuningLines(decisions);
}

/** "Round 2 (8 jobs, 4T):" etc., from the decision that produced the round. */
export function roundTitle(r: RoundPerf, decisions: readonly Decision[]): string {
  if (r.round === 1) return `Round 1 (baseline, ${r.threadsLabel}, ${plural(r.jobs, "job")}):`;
  const d = decisionFor(decisions, r.round);
  if (d === undefined) return `Round ${r.round} (${plural(r.jobs, "job")}, ${r.threadsLabel}):`;
  if (jobMultiplier(d) > 1) {
    return `Round ${r.round} (${plural(r.jobs, "job")}, ${num(d, "tuned_nthreads") ?? r.cpusPerJob}T):`;
  }
  const pipelines = num(d, "n_pipelines") ?? 1;
  const uniform = uniformThreads(d);
  if (pipelines > 1) {
    const threads = uniform ?? Math.max(0, ...stepDecisions(d).map((s) => s.tunedNthreads ?? 0));
    return `Round ${r.round} (${pipelines} pipelines, ${threads}T):`;
  }
  if (uniform !== null) return `Round ${r.round} (${uniform}T):`;
  return `Round ${r.round} (per-step tuned):`;
}

/** Block 4: the probe job's measurement, when a decision carries one. */
export function probeLine(decisions: readonly Decision[]): string | null {
  const d = decisions.find((x) => (num(x, "probe_num_instances") ?? 0) > 0);
  if (d === undefined) return null;
  const n = num(d, "probe_num_instances") as number;
  const peak = num(d, "probe_job_peak_total_mb");
  const rss = num(d, "probe_rss_mb");
  const parts = [plural(n, "instance")];
  if (peak !== null && peak > 0) parts.push(`${(peak / n).toFixed(0)} MB/instance peak`);
  if (rss !== null) parts.push(`${rss.toFixed(0)} MB/instance RSS`);
  const source = peak !== null && peak > 0 ? "probe_cgroup" : "probe_rss";
  return `Probe: ${parts.join(", ")} [${source}]`;
}

/** Optional guidance: memory the tuning wanted but could not get. */
export function guidanceLines(decisions: readonly Decision[]): string[] {
  const lines: string[] = [];
  decisions.forEach((d, i) => {
    const tag = decisions.length > 1 ? ` (R${i + 2})` : "";
    const cores = num(d, "new_request_cpus") ?? num(d, "original_nthreads");
    const ideal = num(d, "ideal_memory_mb");
    const actual = num(d, "actual_memory_mb");
    const max = num(d, "max_memory_per_core_mb");
    if (ideal !== null && actual !== null && ideal > actual) {
      const perCore = cores ? ` (${Math.ceil(ideal / cores)} MB/core)` : "";
      lines.push(
        `Memory needed${tag}: ${ideal.toFixed(0)} MB${perCore} — capped at ${actual.toFixed(0)} MB`,
      );
    }
    const step0 = stepDecisions(d).find((s) => s.index === 0);
    if (step0?.idealNParallel != null && step0.idealNParallel > step0.nParallel) {
      lines.push(
        `Step 1 split${tag}: ${plural(step0.nParallel, "instance")} (ideal: ${step0.idealNParallel}, memory-constrained)`,
      );
      if (ideal !== null && cores) {
        lines.push(
          `To split ${step0.idealNParallel}×: need ${Math.ceil(ideal / cores)} MB/core (current max: ${max ?? "-"} MB/core)`,
        );
      }
    }
  });
  return lines;
}
