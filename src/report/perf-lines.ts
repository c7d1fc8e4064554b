/**
 * One-line summaries shared by the standard and adaptive performance sections: section
 * header, throughput, memory footprint, time breakdown, output and CPU usage.
 */
import type {
  CpuTimeline,
  OutputSummary,
  PerfData,
  TimeBreakdown,
  WorkflowResult,
} from "../model/results.js";
import {
  fmtBytes,
  fmtDuration,
  fmtGbFromMb,
  fmtMb,
  fmtPct,
  fmtRate,
  formatWfId,
  plural,
} from "./format.js";

export const SECTION_RULE = "=".repeat(90);

export function sectionHeader(result: WorkflowResult): string[] {
  return [SECTION_RULE, `Performance: ${formatWfId(result.wfId)} — ${result.title}`, SECTION_RULE];
}

export function throughputLine(perf: PerfData): string {
  return (
    `Throughput: ${fmtRate(perf.evPerCoreHour)} ev/core-hour  |  ${perf.totalEvents} events, ` +
    `${perf.coreHours.toFixed(2)} core-hours (${plural(perf.numProcJobs, "job")} × ${perf.coresPerJob}T)`
  );
}

export function memoryLine(peakMb: number | null, jobs: number): string {
  if (peakMb === null) return "Memory: -";
  return `Memory: ${fmtMb(peakMb)} MB/job peak  |  ${fmtGbFromMb(peakMb * jobs)} GB machine total (${plural(jobs, "job")})`;
}

export function timeLine(t: TimeBreakdown): string {
  return (
    `Time: processing ${fmtDuration(t.processingSec)}  merge ${fmtDuration(t.mergeSec)}  ` +
    `cleanup ${fmtDuration(t.cleanupSec)}  overhead ${fmtDuration(t.overheadSec)}  total ${fmtDuration(t.totalSec)}`
  );
}

export function outputLines(o: OutputSummary): string[] {
  const unmerged = o.unmergedCleaned
    ? "unmerged cleaned"
    : `unmerged NOT cleaned: ${plural(
        o.datasets.reduce((s, d) => s + d.unmergedLeft, 0),
        "file",
      )} left`;
  const lines = [
    `Output: ${plural(o.mergedFiles, "merged file")}, ${fmtBytes(o.mergedBytes)}  (${unmerged})`,
  ];
  if (o.datasets.length > 1) {
    for (const d of o.datasets) {
      lines.push(
        `  ${d.datasetName}: ${plural(d.mergedFiles, "file")}, ${fmtBytes(d.mergedBytes)}, ${d.mergedEvents} events`,
      );
    }
  }
  return lines;
}

/** Length of the sampled period, seconds. */
export function timelineSpanSec(cpu: CpuTimeline): number {
  return cpu.cores.length * cpu.intervalSec;
}

export function cpuLine(cpu: CpuTimeline): string {
  if (cpu.cores.length === 0) return "CPU: no samples";
  const busy = cpu.expectedCores > 0 ? ` (${fmtPct(cpu.avgCores / cpu.expectedCores)} busy)` : "";
  return (
    `CPU: avg ${cpu.avgCores.toFixed(1)} cores  peak ${cpu.peakCores.toFixed(1)} cores  ` +
    `allocated ${fmtMb(cpu.expectedCores)} cores${busy}`
  );
}
