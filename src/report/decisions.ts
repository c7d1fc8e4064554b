/**
 * Reading the replan decision records (replan_<k>_decisions.json, kept as plain JSON
 * objects in AdaptiveData.decisions). Decision k sits between round k+1 and round k+2.
 * Fields are read defensively: a missing or non-numeric field is null.
 */

export type Decision = Record<string, unknown>;

export interface StepDecision {
  /** 0-based step index as in the file. */
  index: number;
  tunedNthreads: number | null;
  nParallel: number;
  idealNParallel: number | null;
}

export function num(d: Decision | undefined, key: string): number | null {
  const v = d?.[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

export function str(d: Decision | undefined, key: string): string | null {
  const v = d?.[key];
  return typeof v === "string" ? v : null;
}

/** Per-step entries in numeric step order. */
export function stepDecisions(d: Decision | undefined): StepDecision[] {
  const perStep = d?.per_step;
  if (perStep === null || typeof perStep !== "object") return [];
  return Object.entries(perStep as Record<string, unknown>)
    .filter(([k, v]) => /^\d+$/.test(k) && v !== null && typeof v === "object")
    .map(([k, v]) => {
      const e = v as Decision;
      return {
        index: Number(k),
        tunedNthreads: num(e, "tuned_nthreads"),
        nParallel: num(e, "n_parallel") ?? 1,
        idealNParallel: num(e, "ideal_n_parallel"),
      };
    })
    .sort((a, b) => a.index - b.index);
}

export function jobMultiplier(d: Decision | undefined): number {
  return num(d, "job_multiplier") ?? 1;
}

export function isJobSplitRun(decisions: readonly Decision[]): boolean {
  return decisions.some((d) => jobMultiplier(d) > 1);
}

/** The thread count every step got, when all got the same and none runs split; else null. */
export function uniformThreads(d: Decision | undefined): number | null {
  const steps = stepDecisions(d);
  if (steps.length === 0 || steps.some((s) => s.nParallel > 1)) return null;
  const t = steps[0].tunedNthreads;
  return t !== null && steps.every((s) => s.tunedNthreads === t) ? t : null;
}

/** "[2×4, 8, 8]": per-step threads, with the instance count of split steps. */
export function perStepLabel(d: Decision | undefined): string {
  const parts = stepDecisions(d).map((s) => {
    const t = s.tunedNthreads === null ? "?" : String(s.tunedNthreads);
    return s.nParallel > 1 ? `${s.nParallel}×${t}` : t;
  });
  return `[${parts.join(", ")}]`;
}
