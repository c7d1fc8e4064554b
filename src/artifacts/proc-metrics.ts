/**
 * `proc_<N>_metrics.json`: one entry per step (and per parallel instance or pipeline) of one
 * processing job, derived from its FrameworkJobReports.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { InputError, inputErrorMessage } from "../model/errors.js";
import { peakCgroupMb, readMemoryMonitorLog } from "./cgroup.js";
import { type FjrReport, fjrNumber, readFjr } from "./fjr.js";
import { parseJsonText, readTextFile, writeJsonFile } from "./json-io.js";
import { roundTo } from "./py-round.js";
import { readSandboxManifest, stepMulticore } from "./sandbox-manifest.js";

export interface ProcStepMetrics {
  /** 1-based step number K. */
  step: number;
  step_index: number;
  wall_time_sec: number | null;
  cpu_time_sec: number | null;
  num_threads: number | null;
  throughput_ev_s: number | null;
  avg_event_time_sec: number | null;
  cpu_efficiency: number | null;
  peak_rss_mb: number | null;
  peak_vsize_mb: number | null;
  events_processed: number | null;
  events_written: number | null;
  time_per_event_sec: number | null;
  read_mb: number | null;
  write_mb: number | null;
  ncpus: number | null;
  cgroup_memory_mb?: number;
}

/** `report_step<K>.xml` (plain), `report_step<K>_inst<i>.xml`, `report_step<K>_pipe<p>.xml`. */
export type ReportKind = "plain" | "inst" | "pipe";

export interface StepReportRef {
  step: number;
  kind: ReportKind;
  /** Instance or pipeline number (absent for plain). */
  inst?: number;
}

export interface StepReport extends StepReportRef {
  report: FjrReport;
}

/**
 * `reference`: per step the plain report if present, else all `_inst*` reports, else all
 * `_pipe*` reports (what the job wrapper writes). `all`: every report of the step.
 */
export type ReportSelection = "reference" | "all";

export interface ProcMetricsOptions {
  /** `steps[i].multicore` of the sandbox manifest; missing steps count 1. */
  stepMulticore?: readonly number[];
  /** Peak of the cgroup column of `memory_monitor.log`; stored on every step only if > 0. */
  cgroupMemoryMb?: number;
  select?: ReportSelection;
}

const REPORT_NAME = /^report_step(\d+)(?:_(inst|pipe)(\d+))?\.xml$/;

/** Recognise a report file name; undefined for anything else. */
export function parseReportFileName(name: string): StepReportRef | undefined {
  const m = REPORT_NAME.exec(name);
  if (!m) return undefined;
  const step = Number(m[1]);
  if (!m[2]) return { step, kind: "plain" };
  return { step, kind: m[2] as ReportKind, inst: Number(m[3]) };
}

const KIND_ORDER: Record<ReportKind, number> = { plain: 0, inst: 1, pipe: 2 };

/**
 * Order and filter reports: steps K = 1, 2, ... while step K has a report (a gap ends the
 * enumeration); within a step plain, then instances, then pipelines, by number.
 */
export function selectStepReports<T extends StepReportRef>(
  reports: readonly T[],
  select: ReportSelection = "reference",
): T[] {
  const out: T[] = [];
  for (let k = 1; ; k++) {
    const ofStep = reports
      .filter((r) => r.step === k)
      .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.inst ?? 0) - (b.inst ?? 0));
    if (ofStep.length === 0) return out;
    if (select === "all") out.push(...ofStep);
    else out.push(...ofStep.filter((r) => r.kind === ofStep[0].kind));
  }
}

function round(v: number | undefined, digits: number): number | null {
  return v === undefined ? null : roundTo(v, digits);
}

/** Metrics of one report; undefined when the report has no PerformanceSummary at all. */
export function stepMetricsFromReport(
  step: number,
  report: FjrReport,
  ncpus: number,
  cgroupMemoryMb?: number,
): ProcStepMetrics | undefined {
  if (Object.keys(report.performance).length === 0) return undefined;
  const wall = fjrNumber(report, "Timing", "TotalJobTime");
  const cpu = fjrNumber(report, "Timing", "TotalJobCPU");
  const threadsRaw = fjrNumber(report, "Timing", "NumberOfThreads");
  const threads = threadsRaw === undefined ? undefined : Math.trunc(threadsRaw);
  const numberEvents = fjrNumber(report, "ProcessingSummary", "NumberEvents");
  const reads = report.inputFiles.map((f) => f.eventsRead).filter((n): n is number => n !== null);
  let eventsProcessed: number | null = null;
  if (numberEvents !== undefined) eventsProcessed = Math.trunc(numberEvents);
  else if (reads.length > 0) eventsProcessed = reads.reduce((a, b) => a + b, 0);
  const written = report.outputFiles.reduce((a, f) => a + (f.totalEvents ?? 0), 0);
  const entry: ProcStepMetrics = {
    step,
    step_index: step - 1,
    wall_time_sec: round(wall, 2),
    cpu_time_sec: round(cpu, 2),
    num_threads: threads ?? null,
    throughput_ev_s: round(fjrNumber(report, "Timing", "EventThroughput"), 4),
    avg_event_time_sec: round(fjrNumber(report, "Timing", "AvgEventTime"), 4),
    cpu_efficiency: wall && cpu && threads ? roundTo(cpu / (wall * threads), 4) : null,
    peak_rss_mb: fjrNumber(report, "ApplicationMemory", "PeakValueRss") ?? null,
    peak_vsize_mb: fjrNumber(report, "ApplicationMemory", "PeakValueVsize") ?? null,
    events_processed: eventsProcessed,
    events_written: written > 0 ? written : eventsProcessed,
    time_per_event_sec: wall && eventsProcessed ? roundTo(wall / eventsProcessed, 4) : null,
    read_mb: round(fjrNumber(report, "StorageStatistics", "Timing-file-read-totalMegabytes"), 2),
    write_mb: round(fjrNumber(report, "StorageStatistics", "Timing-file-write-totalMegabytes"), 2),
    ncpus,
  };
  if (cgroupMemoryMb !== undefined && cgroupMemoryMb > 0) entry.cgroup_memory_mb = cgroupMemoryMb;
  return entry;
}

/** The metrics list of one job from its step reports (pure). */
export function procMetricsFromReports(
  reports: readonly StepReport[],
  opts: ProcMetricsOptions = {},
): ProcStepMetrics[] {
  const out: ProcStepMetrics[] = [];
  for (const r of selectStepReports(reports, opts.select)) {
    const ncpus = opts.stepMulticore?.[r.step - 1] ?? 1;
    const entry = stepMetricsFromReport(r.step, r.report, ncpus, opts.cgroupMemoryMb);
    if (entry) out.push(entry);
  }
  return out;
}

export interface ProcMetricsDirOptions {
  select?: ReportSelection;
  /** Sandbox manifest for `ncpus`; default `<dir>/manifest.json` when it exists. */
  manifestFile?: string;
  /** Memory monitor log; default `<dir>/memory_monitor.log` when it exists. */
  monitorLogFile?: string;
}

/** Read a job's working directory (reports, manifest, monitor log) and derive its metrics. */
export function procMetricsFromDir(
  dir: string,
  opts: ProcMetricsDirOptions = {},
): ProcStepMetrics[] {
  const reports: StepReport[] = [];
  for (const name of readdirSync(dir)) {
    const ref = parseReportFileName(name);
    if (ref) reports.push({ ...ref, report: readFjr(join(dir, name)) });
  }
  const manifestFile = opts.manifestFile ?? join(dir, "manifest.json");
  const logFile = opts.monitorLogFile ?? join(dir, "memory_monitor.log");
  return procMetricsFromReports(reports, {
    select: opts.select,
    stepMulticore: existsSync(manifestFile)
      ? stepMulticore(readSandboxManifest(manifestFile))
      : undefined,
    cgroupMemoryMb: existsSync(logFile) ? peakCgroupMb(readMemoryMonitorLog(logFile)) : undefined,
  });
}

const num = z.number().nullish();
const entrySchema = z.looseObject({
  step: z.number().int().positive().optional(),
  step_index: z.number().int().nonnegative().nullish(),
  wall_time_sec: num,
  cpu_time_sec: num,
  num_threads: num,
  throughput_ev_s: num,
  avg_event_time_sec: num,
  cpu_efficiency: num,
  peak_rss_mb: num,
  peak_vsize_mb: num,
  events_processed: num,
  events_written: num,
  time_per_event_sec: num,
  read_mb: num,
  write_mb: num,
  ncpus: num,
  cgroup_memory_mb: num,
});
const metricsSchema = z.array(entrySchema);

/**
 * Validate the text of `proc_<N>_metrics.json`. Missing metric keys read as null; an entry
 * needs `step_index` or `step`.
 */
export function parseProcMetrics(text: string, file: string): ProcStepMetrics[] {
  return parseJsonText(text, file, metricsSchema).map((e, i) => {
    const stepIndex = e.step_index ?? (e.step === undefined ? undefined : e.step - 1);
    if (stepIndex === undefined) {
      const problem = "entry has neither step_index nor step";
      throw new InputError(inputErrorMessage({ file, field: `[${i}].step_index`, problem }));
    }
    const entry: ProcStepMetrics = {
      step: e.step ?? stepIndex + 1,
      step_index: stepIndex,
      wall_time_sec: e.wall_time_sec ?? null,
      cpu_time_sec: e.cpu_time_sec ?? null,
      num_threads: e.num_threads ?? null,
      throughput_ev_s: e.throughput_ev_s ?? null,
      avg_event_time_sec: e.avg_event_time_sec ?? null,
      cpu_efficiency: e.cpu_efficiency ?? null,
      peak_rss_mb: e.peak_rss_mb ?? null,
      peak_vsize_mb: e.peak_vsize_mb ?? null,
      events_processed: e.events_processed ?? null,
      events_written: e.events_written ?? null,
      time_per_event_sec: e.time_per_event_sec ?? null,
      read_mb: e.read_mb ?? null,
      write_mb: e.write_mb ?? null,
      ncpus: e.ncpus ?? null,
    };
    if (typeof e.cgroup_memory_mb === "number") entry.cgroup_memory_mb = e.cgroup_memory_mb;
    return entry;
  });
}

/** Read and validate `proc_<N>_metrics.json`. */
export function readProcMetrics(file: string): ProcStepMetrics[] {
  return parseProcMetrics(readTextFile(file), file);
}

export function writeProcMetrics(file: string, metrics: readonly ProcStepMetrics[]): void {
  writeJsonFile(file, metrics);
}
