/**
 * What an adaptive run adds to its result (matrix.md §5.9 adaptive collection, §7.3): the
 * replan decision files in index order, a threads label per round from the decision that
 * produced it, the probe job left out of the figures, and the convergence check of each
 * decision's projections against what the next round measured.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { decisionsFileName } from "../adaptive/replan.js";
import type { AdaptiveData, ConvergenceCheck, PerfData } from "../model/results.js";

type Decision = Record<string, unknown>;

/** Relative error above which a projection is flagged. */
export const CONVERGENCE_TOLERANCE = 0.2;

/**
 * The decision files `replan_0_decisions.json`, `replan_1_…` of a submit directory, in
 * index order; stops at the first one missing or unreadable (later replans did not run).
 */
export function readDecisions(submitDir: string, count: number): Decision[] {
  const out: Decision[] = [];
  for (let k = 0; k < count; k++) {
    const file = join(submitDir, decisionsFileName(k));
    if (!existsSync(file)) break;
    try {
      const d = JSON.parse(readFileSync(file, "utf8")) as unknown;
      if (d === null || typeof d !== "object" || Array.isArray(d)) break;
      out.push(d as Decision);
    } catch {
      break;
    }
  }
  return out;
}

function num(d: Decision | undefined, key: string): number | null {
  const v = d?.[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

interface StepThreads {
  threads: number | null;
  nParallel: number;
}

function stepThreads(d: Decision): StepThreads[] {
  const perStep = d.per_step;
  if (perStep === null || typeof perStep !== "object") return [];
  return Object.entries(perStep as Record<string, Decision>)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([, s]) => ({ threads: num(s, "tuned_nthreads"), nParallel: num(s, "n_parallel") ?? 1 }));
}

function stepList(steps: readonly StepThreads[]): string {
  const parts = steps.map((s) => {
    const t = s.threads === null ? "?" : String(s.threads);
    return s.nParallel > 1 ? `${s.nParallel}×${t}` : t;
  });
  return `[${parts.join(", ")}]`;
}

/** "8T", "4T", "per-step [2×4, 8, 8]" or "2 pipelines × 4T" for the round a decision produced. */
export function decisionThreadsLabel(d: Decision, fallbackCores: number): string {
  if (d.mode === "job_split" && d.status === "tuned") {
    return `${num(d, "tuned_nthreads") ?? fallbackCores}T`;
  }
  const steps = stepThreads(d);
  const first = steps[0]?.threads ?? null;
  const uniform =
    first !== null && steps.every((s) => s.threads === first && s.nParallel === 1) ? first : null;
  const pipelines = num(d, "n_pipelines") ?? 1;
  if (pipelines > 1) {
    return `${pipelines} pipelines × ${uniform !== null ? `${uniform}T` : stepList(steps)}`;
  }
  if (steps.length === 0) return `${num(d, "original_nthreads") ?? fallbackCores}T`;
  return uniform !== null ? `${uniform}T` : `per-step ${stepList(steps)}`;
}

/** Threads label of round `round` (1-based): Round 1 is the request's own thread count. */
export function roundThreadsLabel(
  decisions: readonly Decision[],
  cores: number,
): (round: number) => string {
  return (round) => {
    const d = round >= 2 ? decisions[round - 2] : undefined;
    return d ? decisionThreadsLabel(d, cores) : `${cores}T`;
  };
}

function check(
  round: number,
  quantity: ConvergenceCheck["quantity"],
  projected: number,
  measured: number,
): ConvergenceCheck {
  const relError = (measured - projected) / projected;
  return {
    round,
    quantity,
    step: 1,
    projected,
    measured,
    relError,
    flagged: Math.abs(relError) > CONVERGENCE_TOLERANCE,
  };
}

/**
 * Decision k projects Round k+2: the job's memory (`projected_memory_mb`: the request
 * memory of a job split, the slot memory of step-0 instances or pipelines, the RSS of an
 * overcommitted step) against the round's peak job memory, and the effective cores of one
 * step-1 cmsRun (`projected_step0_effective_cores`) against the round's mean of
 * `cpu_eff × threads` over step-1 samples. Kept decisions project nothing.
 */
export function convergenceChecks(
  decisions: readonly Decision[],
  perf: PerfData,
): ConvergenceCheck[] {
  const out: ConvergenceCheck[] = [];
  decisions.forEach((d, k) => {
    if (d.status !== "tuned") return;
    const round = k + 2;
    const r = perf.rounds.find((x) => x.round === round);
    const memory = num(d, "projected_memory_mb");
    if (r && memory !== null && memory > 0 && r.peakMemoryMb !== null) {
      out.push(check(round, "memory_mb", memory, r.peakMemoryMb));
    }
    const cores = num(d, "projected_step0_effective_cores");
    const used = perf.samples
      .filter((s) => s.round === round && s.step === 1 && s.cpuEff !== null && s.nThreads > 0)
      .map((s) => (s.cpuEff as number) * s.nThreads);
    if (cores !== null && cores > 0 && used.length > 0) {
      out.push(
        check(round, "effective_cores", cores, used.reduce((a, b) => a + b, 0) / used.length),
      );
    }
  });
  return out;
}

/** The probe job's node index (`proc_000001` → 1), to leave it out of Round 1. */
export function probeExclusion(probeNode: string | undefined): Set<number> {
  const m = probeNode ? /^proc_0*(\d+)$/.exec(probeNode) : null;
  return m ? new Set([Number(m[1])]) : new Set();
}

/** The adaptive part of a workflow result. */
export function adaptiveData(decisions: readonly Decision[], perf: PerfData | null): AdaptiveData {
  return {
    decisions: [...decisions],
    convergence: perf ? convergenceChecks(decisions, perf) : [],
  };
}
