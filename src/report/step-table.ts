/**
 * Per-step tables of a performance section, in the two layouts of matrix.md §7.2:
 * "compact" (per-job figures: slowest wall, per-job rate, CPU share of the request, job
 * memory) and "statistical" (mean ±sd [min-max] of the stored aggregates). Steps are
 * sorted numerically; a step that ran as several instances per job counts its jobs, not
 * its samples, when per-job figures are derived.
 */
import type { StepPerf } from "../model/results.js";
import { stepCpuShare, stepJobRssMb, weightedStepCpuShare } from "../results/metrics.js";
import { fmtMb, fmtPct, fmtRate, fmtSec, NONE } from "./format.js";
import { type Column, renderTable } from "./table.js";

export type TableLayout = "compact" | "statistical";

export function sortSteps(steps: readonly StepPerf[]): StepPerf[] {
  return [...steps].sort((a, b) => a.round - b.round || a.step - b.step);
}

/** Events one job processed in a step. */
function eventsPerJob(s: StepPerf): number | null {
  return s.nJobs > 0 ? s.eventsTotal / s.nJobs : null;
}

/** Per-job event rate over the slowest job's wall. */
function perJobRate(events: number | null, wall: number): number | null {
  return events !== null && wall > 0 ? events / wall : null;
}

/** Largest job memory over the steps (RSS × instances). */
export function tablePeakRssMb(steps: readonly StepPerf[]): number | null {
  const v = steps.map(stepJobRssMb).filter((x): x is number => x !== null);
  return v.length > 0 ? Math.max(...v) : null;
}

function nameColumn(steps: readonly StepPerf[]): boolean {
  return steps.some((s) => s.stepName !== "" && s.stepName !== `Step ${s.step}`);
}

export function compactStepTable(steps: readonly StepPerf[], requestCpus: number): string[] {
  const sorted = sortSteps(steps);
  const withNames = nameColumn(sorted);
  const columns: Column[] = [
    { header: "Step", align: "left", minWidth: 8 },
    { header: "nT", align: "right", minWidth: 2, footerRule: false },
    { header: "Wall(s)", align: "right", minWidth: 8 },
    { header: "ev/s", align: "right", minWidth: 7 },
    { header: "CPU", align: "right", minWidth: 8 },
    { header: "RSS(MB)", align: "right", minWidth: 8 },
    { header: "n", align: "right", minWidth: 3, footerRule: false },
  ];
  if (withNames) columns.push({ header: "Name", align: "left", footerRule: false });
  const rows = sorted.map((s) => {
    const row = [
      `Step ${s.step}`,
      String(s.nThreads),
      fmtSec(s.wallSecMax),
      fmtRate(perJobRate(eventsPerJob(s), s.wallSecMax)),
      fmtPct(stepCpuShare(s, requestCpus)),
      fmtMb(stepJobRssMb(s)),
      String(s.n),
    ];
    if (withNames) row.push(s.stepName);
    return row;
  });
  const totalWall = sorted.reduce((sum, s) => sum + s.wallSecMax, 0);
  const jobEvents = sorted.map(eventsPerJob).filter((x): x is number => x !== null);
  const events = jobEvents.length > 0 ? Math.max(...jobEvents) : null;
  const footer = [
    "Total",
    "",
    fmtSec(totalWall),
    fmtRate(perJobRate(events, totalWall)),
    fmtPct(weightedStepCpuShare(sorted, requestCpus)),
    fmtMb(tablePeakRssMb(sorted)),
    "",
  ];
  if (withNames) footer.push("");
  return renderTable({ columns, rows, footer: [footer], indent: 0 });
}

function wallCell(s: StepPerf): string {
  let cell = fmtSec(s.wallSecMean);
  if (s.wallSecStddev > 0 && s.n > 1) cell += ` ±${fmtSec(s.wallSecStddev)}`;
  if (s.wallSecMin !== s.wallSecMax) cell += ` [${fmtSec(s.wallSecMin)}-${fmtSec(s.wallSecMax)}]`;
  return cell;
}

function effCell(s: StepPerf): string {
  if (s.cpuEffMean === null) return NONE;
  let cell = `${(s.cpuEffMean * 100).toFixed(1)}%`;
  if (s.cpuEffStddev !== null && s.cpuEffStddev > 0 && s.n > 1)
    cell += ` ±${(s.cpuEffStddev * 100).toFixed(1)}`;
  return cell;
}

function rssCell(s: StepPerf): string {
  if (s.rssMbMean === null) return NONE;
  let cell = s.rssMbMean.toFixed(0);
  if (s.rssMbStddev !== null && s.rssMbStddev > 0 && s.n > 1)
    cell += ` ±${s.rssMbStddev.toFixed(0)}`;
  if (s.rssMbMax !== null) cell += `/${s.rssMbMax.toFixed(0)}`;
  return cell;
}

export function statisticalStepTable(steps: readonly StepPerf[]): string[] {
  const sorted = sortSteps(steps);
  const withNames = nameColumn(sorted);
  const columns: Column[] = [
    { header: "Step", align: "left", minWidth: 6, footerRule: false },
    { header: "Wall(s)", align: "left", footerRule: false },
    { header: "CPU Eff", align: "right", footerRule: false },
    { header: "RSS(MB)", align: "right", footerRule: false },
    { header: "Events", align: "right", footerRule: false },
    { header: "Tput(ev/s)", align: "right", footerRule: false },
    { header: "n", align: "right", minWidth: 3, footerRule: false },
  ];
  if (withNames) columns.push({ header: "Name", align: "left", footerRule: false });
  const rows = sorted.map((s) => {
    const row = [
      `Step ${s.step}`,
      wallCell(s),
      effCell(s),
      rssCell(s),
      String(s.eventsTotal),
      fmtRate(s.throughputEvS),
      String(s.n),
    ];
    if (withNames) row.push(s.stepName);
    return row;
  });
  const perJob = sorted.reduce((sum, s) => sum + s.wallSecMean, 0);
  const footer = ["Total", `${fmtSec(perJob)}s/job`, "", "", "", "", ""];
  if (withNames) footer.push("");
  return renderTable({ columns, rows, footer: [footer], indent: 0 });
}

export function stepTable(
  steps: readonly StepPerf[],
  requestCpus: number,
  layout: TableLayout,
): string[] {
  return layout === "statistical"
    ? statisticalStepTable(steps)
    : compactStepTable(steps, requestCpus);
}
