/**
 * Standard (single-round) performance section of a workflow, matrix.md §7.2, in the
 * compact layout (default) or the statistical layout.
 */
import type { PerfData, WorkflowResult } from "../model/results.js";
import { weightedStepCpuShare, workflowPeakRssMb } from "../results/metrics.js";
import { fmtDuration, fmtMb } from "./format.js";
import type { ReportOptions } from "./options.js";
import {
  cpuLine,
  memoryLine,
  outputLines,
  sectionHeader,
  throughputLine,
  timeLine,
  timelineSpanSec,
} from "./perf-lines.js";
import { stepTable, tablePeakRssMb } from "./step-table.js";
import { makeStyle } from "./style.js";

const IND = "  ";

function indent(lines: string[]): string[] {
  return lines.map((l) => (l === "" ? l : IND + l));
}

function statisticalHead(result: WorkflowResult, perf: PerfData): string[] {
  const cpu = perf.cpu;
  const wall = perf.time.totalSec > 0 ? perf.time.totalSec : result.elapsedSec;
  const lines = [`Jobs: ${perf.numProcJobs}    Wall: ${fmtDuration(wall)}`];
  if (cpu.cores.length > 0) {
    const eff =
      cpu.expectedCores > 0
        ? `  efficiency ${((cpu.avgCores / cpu.expectedCores) * 100).toFixed(0)}%`
        : "";
    lines.push(
      `CPU:  avg ${(cpu.avgCores * 100).toFixed(0)}% (${cpu.avgCores.toFixed(1)} cores)  ` +
        `peak ${(cpu.peakCores * 100).toFixed(0)}% (${cpu.peakCores.toFixed(1)} cores)  ` +
        `expected ${(cpu.expectedCores * 100).toFixed(0)}%${eff}`,
    );
  }
  return lines;
}

function overallBlock(perf: PerfData): string[] {
  const lines = ["Overall:"];
  const share = weightedStepCpuShare(perf.steps, perf.coresPerJob);
  if (share !== null) {
    const used = (share * perf.coresPerJob).toFixed(1);
    lines.push(
      `  CMSSW threading: ${(share * 100).toFixed(1)}% (${used} / ${perf.coresPerJob} cores used by cmsRun)`,
    );
  }
  const cpu = perf.cpu;
  if (cpu.cores.length > 0 && cpu.expectedCores > 0) {
    lines.push(
      `  System-level:    ${((cpu.avgCores / cpu.expectedCores) * 100).toFixed(1)}% ` +
        `(${cpu.avgCores.toFixed(1)} / ${fmtMb(cpu.expectedCores)} allocated cores over ${fmtDuration(timelineSpanSec(cpu))})`,
    );
  }
  const peak = workflowPeakRssMb(perf);
  if (peak !== null) lines.push(`  Peak RSS:        ${fmtMb(peak)} MB`);
  return lines;
}

/** Time, output, CPU and chart lines closing every performance section. */
export function closingLines(
  result: WorkflowResult,
  perf: PerfData,
  opts: ReportOptions,
): string[] {
  const lines = [timeLine(perf.time), "", ...outputLines(perf.output), "", cpuLine(perf.cpu)];
  const chart = opts.chartPath?.(result.wfId);
  if (chart) lines.push(`CPU chart: ${chart}`);
  return lines;
}

/** The standard section; a result without performance data gets a one-line note. */
export function renderPerformance(result: WorkflowResult, opts: ReportOptions): string {
  const st = makeStyle(opts);
  const head = sectionHeader(result).map((l) => st.bold(l));
  const perf = result.perf;
  if (perf === null) return `${[...head, "", `${IND}No performance data.`].join("\n")}\n`;
  const layout = opts.layout ?? "compact";
  const body: string[] = [throughputLine(perf), ""];
  if (layout === "statistical") body.push(...statisticalHead(result, perf), "");
  const table = stepTable(perf.steps, perf.coresPerJob, layout);
  body.push(st.bold(table[0]), ...table.slice(1), "");
  if (layout === "statistical") {
    body.push(...overallBlock(perf), "");
  } else {
    body.push(memoryLine(tablePeakRssMb(perf.steps), perf.numProcJobs), "");
  }
  body.push(...closingLines(result, perf, opts));
  return `${[...head, "", ...indent(body)].join("\n")}\n`;
}
