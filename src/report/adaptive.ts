/**
 * Adaptive (multi-round) performance section, matrix.md §7.3: throughput per round with
 * deltas, planning lines, per-round tables, efficiency and memory per round, convergence
 * of the replan projections, then the workflow totals. Rounds come from the stored
 * RoundPerf list and StepPerf.round, never from parsed labels.
 */
import type { ConvergenceCheck, PerfData, RoundPerf, WorkflowResult } from "../model/results.js";
import { guidanceLines, planningLines, probeLine, roundTitle } from "./adaptive-plan.js";
import {
  fmtDuration,
  fmtGbFromMb,
  fmtMb,
  fmtPct,
  fmtRate,
  fmtSignedPct,
  fmtSignedPp,
  plural,
} from "./format.js";
import type { ReportOptions } from "./options.js";
import { memoryLine, sectionHeader, throughputLine } from "./perf-lines.js";
import { closingLines } from "./performance.js";
import { stepTable, tablePeakRssMb } from "./step-table.js";
import { makeStyle, type Style } from "./style.js";
import { renderTable } from "./table.js";

const LABEL_WIDTH = 22;
const ROUND_WIDTH = 12;
const DELTA_WIDTH = 10;

export function sortRounds(rounds: readonly RoundPerf[]): RoundPerf[] {
  return [...rounds].sort((a, b) => a.round - b.round);
}

function hasMetrics(r: RoundPerf): boolean {
  return r.events > 0 && r.coreHours > 0;
}

/** Percent change of ev/core-hour from one round to the next. */
export function roundDelta(a: RoundPerf, b: RoundPerf): number {
  return ((b.evPerCoreHour - a.evPerCoreHour) / a.evPerCoreHour) * 100;
}

/** Block 1: the side-by-side comparison, or a single line when fewer than two rounds have data. */
export function throughputComparison(rounds: readonly RoundPerf[]): string[] {
  const rs = sortRounds(rounds).filter(hasMetrics);
  if (rs.length === 0) return [];
  if (rs.length === 1) {
    const r = rs[0];
    return [
      `Throughput (Round ${r.round}): ${fmtRate(r.evPerCoreHour)} ev/core-hour  |  ` +
        `${r.events} events, ${r.coreHours.toFixed(2)} core-hours`,
    ];
  }
  const row = (label: string, cells: string[], deltas: string[] = []) =>
    (
      `  ${label.padEnd(LABEL_WIDTH)}` +
      cells.map((c) => c.padStart(ROUND_WIDTH)).join("") +
      deltas.map((c) => c.padStart(DELTA_WIDTH)).join("")
    ).trimEnd();
  const deltaHeads = rs.slice(1).map((r, i) => `Δ${rs[i].round}→${r.round}`);
  const deltas = rs.slice(1).map((r, i) => fmtSignedPct(roundDelta(rs[i], r)));
  return [
    "Throughput Comparison",
    "",
    row(
      "",
      rs.map((r) => `Round ${r.round}`),
      deltaHeads,
    ),
    row(
      "Events",
      rs.map((r) => String(r.events)),
    ),
    row(
      "Jobs × Cores",
      rs.map((r) => `${r.jobs}×${r.cpusPerJob}T`),
    ),
    row(
      "Core-hours",
      rs.map((r) => r.coreHours.toFixed(2)),
    ),
    row(
      "Ev/core-hour",
      rs.map((r) => fmtRate(r.evPerCoreHour)),
      deltas,
    ),
  ];
}

/** "CPU efficiency per job:  R1 34%  R2 59%  R3 63%  (+29pp)". */
export function efficiencyLine(rounds: readonly RoundPerf[]): string | null {
  const rs = sortRounds(rounds).filter((r) => r.cpuEffPerJob !== null);
  if (rs.length === 0) return null;
  const parts = rs.map((r) => `R${r.round} ${fmtPct(r.cpuEffPerJob)}`);
  let line = `CPU efficiency per job:  ${parts.join("  ")}`;
  if (rs.length > 1) {
    const first = rs[0].cpuEffPerJob as number;
    const last = rs[rs.length - 1].cpuEffPerJob as number;
    line += `  (${fmtSignedPp((last - first) * 100)})`;
  }
  return line;
}

function roundPeakMb(r: RoundPerf, perf: PerfData): number | null {
  return r.peakMemoryMb ?? tablePeakRssMb(perf.steps.filter((s) => s.round === r.round));
}

/** "Peak memory per job: R1 6100 MB (23.8 GB × 4 jobs)  R2 ...". */
export function peakMemoryLine(rounds: readonly RoundPerf[], perf: PerfData): string | null {
  const parts: string[] = [];
  for (const r of sortRounds(rounds)) {
    const peak = roundPeakMb(r, perf);
    if (peak === null) continue;
    parts.push(
      `R${r.round} ${fmtMb(peak)} MB (${fmtGbFromMb(peak * r.jobs)} GB × ${plural(r.jobs, "job")})`,
    );
  }
  return parts.length > 0 ? `Peak memory per job: ${parts.join("  ")}` : null;
}

function oomLine(rounds: readonly RoundPerf[]): string | null {
  const rs = sortRounds(rounds).filter((r) => r.oomJobs > 0);
  if (rs.length === 0) return null;
  return `Jobs over their memory request: ${rs.map((r) => `R${r.round} ${plural(r.oomJobs, "job")}`).join("  ")}`;
}

function fmtQuantity(c: ConvergenceCheck, v: number): string {
  return c.quantity === "memory_mb" ? v.toFixed(0) : v.toFixed(1);
}

/** Projections of each replan against what the next round measured; > 20% off is flagged. */
export function convergenceLines(checks: readonly ConvergenceCheck[], st: Style): string[] {
  if (checks.length === 0) return [];
  const sorted = [...checks].sort((a, b) => a.round - b.round || a.step - b.step);
  const rows = sorted.map((c) => [
    `R${c.round}`,
    String(c.step),
    c.quantity === "memory_mb" ? "memory (MB)" : "effective cores",
    fmtQuantity(c, c.projected),
    fmtQuantity(c, c.measured),
    fmtSignedPct(c.relError * 100),
    c.flagged ? "** off by more than 20%" : "",
  ]);
  const table = renderTable({
    columns: [
      { header: "Round", align: "left" },
      { header: "Step", align: "right" },
      { header: "Quantity", align: "left" },
      { header: "Projected", align: "right" },
      { header: "Measured", align: "right" },
      { header: "Error", align: "right" },
      { header: "", align: "left" },
    ],
    rows,
    indent: 2,
  });
  const body = table.map((l, i) => (i >= 2 && sorted[i - 2].flagged ? st.warn(l) : l));
  return ["Convergence check (projected vs measured):", ...body];
}

function roundBlock(
  r: RoundPerf,
  perf: PerfData,
  result: WorkflowResult,
  opts: ReportOptions,
  st: Style,
) {
  const decisions = result.adaptive?.decisions ?? [];
  const steps = perf.steps.filter((s) => s.round === r.round);
  const lines = [st.bold(roundTitle(r, decisions))];
  if (steps.length === 0) {
    lines.push("  No step metrics.");
  } else {
    const table = stepTable(steps, r.cpusPerJob, opts.layout ?? "compact");
    lines.push(`  ${table[0]}`, ...table.slice(1).map((l) => `  ${l}`));
  }
  lines.push("", `  ${memoryLine(tablePeakRssMb(steps), r.jobs)}`);
  if (r.processingSec + r.mergeSec + r.cleanupSec > 0) {
    lines.push(
      `  Time: processing ${fmtDuration(r.processingSec)}  merge ${fmtDuration(r.mergeSec)}  ` +
        `cleanup ${fmtDuration(r.cleanupSec)}`,
    );
  }
  return lines;
}

export function renderAdaptive(result: WorkflowResult, opts: ReportOptions): string {
  const st = makeStyle(opts);
  const head = sectionHeader(result).map((l) => st.bold(l));
  const perf = result.perf;
  if (perf === null) return `${[...head, "", "  No performance data."].join("\n")}\n`;
  const decisions = result.adaptive?.decisions ?? [];
  const rounds = sortRounds(perf.rounds);
  const body: string[] = [];
  const comparison = throughputComparison(rounds);
  body.push(...(comparison.length > 0 ? comparison : [throughputLine(perf)]), "");
  const plan = planningLines(rounds, decisions);
  if (opts.guidance ?? true) plan.push(...guidanceLines(decisions));
  const probe = probeLine(decisions);
  if (probe !== null) plan.push(probe);
  if (plan.length > 0) body.push(...plan, "");
  for (const r of rounds) body.push(...roundBlock(r, perf, result, opts, st), "");
  const summary = [efficiencyLine(rounds), peakMemoryLine(rounds, perf), oomLine(rounds)];
  const present = summary.filter((l): l is string => l !== null);
  if (present.length > 0) body.push(...present, "");
  const convergence = convergenceLines(result.adaptive?.convergence ?? [], st);
  if (convergence.length > 0) body.push(...convergence, "");
  body.push(...closingLines(result, perf, opts));
  const indented = body.map((l) => (l === "" ? l : `  ${l}`));
  return `${[...head, "", ...indented].join("\n")}\n`;
}
