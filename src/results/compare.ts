/**
 * Regression detection between two runs of the same workflows: a status that got worse,
 * a workflow that disappeared, and performance figures that moved the wrong way by more
 * than a tolerance. Pure: the caller loads both sides (a saved run or a baseline file).
 */
import type { ResultStatus, WorkflowResult } from "../model/results.js";
import { headlineMetrics } from "./metrics.js";

export type RegressionKind =
  | "status"
  | "missing"
  | "ev_per_core_hour"
  | "cpu_efficiency"
  | "peak_rss"
  | "elapsed";

export interface Tolerances {
  /** Largest allowed drop of events per core-hour, percent. */
  evPerCoreHourPct: number;
  /** Largest allowed drop of CPU efficiency, percentage points. */
  cpuEffPp: number;
  /** Largest allowed growth of peak memory per job, percent. */
  peakRssPct: number;
  /** Largest allowed growth of the workflow's elapsed time, percent; null = not checked. */
  elapsedPct: number | null;
}

export const DEFAULT_TOLERANCES: Tolerances = {
  evPerCoreHourPct: 5,
  cpuEffPp: 3,
  peakRssPct: 10,
  elapsedPct: null,
};

export interface Regression {
  wfId: number;
  title: string;
  kind: RegressionKind;
  baseline: number | string;
  current: number | string | null;
  /** Signed change: percent, or percentage points for CPU efficiency; null for status/missing. */
  change: number | null;
  /** The tolerance that was exceeded (same unit as `change`). */
  tolerance: number | null;
}

/** Comparisons are made on rounded values, so 0.62 vs 0.65 is exactly 3 pp. */
const EPS = 1e-9;

const SEVERITY: Record<ResultStatus, number> = {
  passed: 0,
  skipped: 1,
  timeout: 2,
  failed: 2,
  error: 2,
};

function pctChange(base: number, cur: number): number {
  return ((cur - base) / base) * 100;
}

function metricRegressions(
  base: WorkflowResult,
  cur: WorkflowResult,
  tol: Tolerances,
): Regression[] {
  const out: Regression[] = [];
  const push = (kind: RegressionKind, b: number, c: number, change: number, tolerance: number) =>
    out.push({
      wfId: cur.wfId,
      title: cur.title,
      kind,
      baseline: b,
      current: c,
      change,
      tolerance,
    });
  if (base.perf !== null && cur.perf !== null) {
    const b = headlineMetrics(base);
    const c = headlineMetrics(cur);
    if (b.evPerCoreHour !== null && c.evPerCoreHour !== null && b.evPerCoreHour > 0) {
      const change = pctChange(b.evPerCoreHour, c.evPerCoreHour);
      if (change < -tol.evPerCoreHourPct - EPS) {
        push("ev_per_core_hour", b.evPerCoreHour, c.evPerCoreHour, change, tol.evPerCoreHourPct);
      }
    }
    if (b.cpuEff !== null && c.cpuEff !== null) {
      const change = (c.cpuEff - b.cpuEff) * 100;
      if (change < -tol.cpuEffPp - EPS)
        push("cpu_efficiency", b.cpuEff, c.cpuEff, change, tol.cpuEffPp);
    }
    if (b.peakRssMb !== null && c.peakRssMb !== null && b.peakRssMb > 0) {
      const change = pctChange(b.peakRssMb, c.peakRssMb);
      if (change > tol.peakRssPct + EPS)
        push("peak_rss", b.peakRssMb, c.peakRssMb, change, tol.peakRssPct);
    }
  }
  if (tol.elapsedPct !== null && base.elapsedSec > 0) {
    const change = pctChange(base.elapsedSec, cur.elapsedSec);
    if (change > tol.elapsedPct + EPS)
      push("elapsed", base.elapsedSec, cur.elapsedSec, change, tol.elapsedPct);
  }
  return out;
}

/**
 * Regressions of `current` against `baseline`, in baseline order. Workflows only in the
 * current run are new, not regressions. A workflow whose status got worse is reported
 * for its status only (its figures are not comparable).
 */
export function compareRuns(
  baseline: readonly WorkflowResult[],
  current: readonly WorkflowResult[],
  tolerances: Partial<Tolerances> = {},
): Regression[] {
  const tol: Tolerances = { ...DEFAULT_TOLERANCES, ...tolerances };
  const byId = new Map<number, WorkflowResult>();
  for (const r of current) byId.set(r.wfId, r);
  const out: Regression[] = [];
  for (const base of baseline) {
    const cur = byId.get(base.wfId);
    if (cur === undefined) {
      out.push({
        wfId: base.wfId,
        title: base.title,
        kind: "missing",
        baseline: base.status,
        current: null,
        change: null,
        tolerance: null,
      });
      continue;
    }
    if (SEVERITY[cur.status] > SEVERITY[base.status]) {
      out.push({
        wfId: cur.wfId,
        title: cur.title,
        kind: "status",
        baseline: base.status,
        current: cur.status,
        change: null,
        tolerance: null,
      });
      continue;
    }
    out.push(...metricRegressions(base, cur, tol));
  }
  return out;
}
