/**
 * Writing FrameworkJobReports in cmsRun's layout (each PerformanceSummary in its own
 * PerformanceReport block), for simulated jobs.
 */
import { escapeXml } from "../model/xml.js";
import type { FjrMetrics, FjrReport } from "./fjr.js";

/** Values for the standard performance blocks a processing step writes. */
export interface FjrPerformanceInput {
  totalJobTime: number;
  totalJobCpu: number;
  numberOfThreads: number;
  numberOfStreams?: number;
  eventThroughput: number;
  avgEventTime: number;
  peakValueRss: number;
  peakValueVsize: number;
  numberEvents: number;
  readMb: number;
  writeMb: number;
}

/** Build the Timing, ApplicationMemory, ProcessingSummary and StorageStatistics summaries. */
export function standardPerformance(p: FjrPerformanceInput): Record<string, FjrMetrics> {
  return {
    Timing: {
      AvgEventTime: p.avgEventTime,
      EventThroughput: p.eventThroughput,
      NumberOfStreams: p.numberOfStreams ?? p.numberOfThreads,
      NumberOfThreads: p.numberOfThreads,
      TotalJobCPU: p.totalJobCpu,
      TotalJobTime: p.totalJobTime,
    },
    ApplicationMemory: { PeakValueRss: p.peakValueRss, PeakValueVsize: p.peakValueVsize },
    ProcessingSummary: { NumberEvents: p.numberEvents },
    StorageStatistics: {
      "Timing-file-read-totalMegabytes": p.readMb,
      "Timing-file-write-totalMegabytes": p.writeMb,
    },
  };
}

function el(tag: string, value: string | number | null | undefined): string {
  return `<${tag}>${value === null || value === undefined ? "" : escapeXml(String(value))}</${tag}>`;
}

function metricLines(metrics: FjrMetrics): string[] {
  return Object.entries(metrics).map(
    ([name, value]) =>
      `    <Metric Name="${escapeXml(name)}" Value="${escapeXml(String(value))}"/>`,
  );
}

/** Write a FrameworkJobReport in cmsRun's layout (one PerformanceSummary per report block). */
export function formatFjr(report: FjrReport): string {
  const out: string[] = ["<FrameworkJobReport>"];
  for (const e of report.errors) {
    const status = e.exitStatus === null ? "" : ` ExitStatus="${e.exitStatus}"`;
    const body = e.message.replace(/]]>/g, "]]]]><![CDATA[>");
    out.push(`<FrameworkError${status} Type="${escapeXml(e.type)}" >`, "<![CDATA[", body, "]]>");
    out.push("</FrameworkError>");
  }
  for (const f of report.skippedFiles) {
    out.push(`<SkippedFile Pfn="${escapeXml(f.pfn)}" Lfn="${escapeXml(f.lfn)}" />`);
  }
  for (const f of report.inputFiles) {
    out.push("", "<InputFile>", '<State  Value="closed"/>', el("LFN", f.lfn), el("PFN", f.pfn));
    out.push(el("Catalog", ""));
    if (f.moduleLabel !== undefined) out.push(el("ModuleLabel", f.moduleLabel));
    if (f.guid !== undefined) out.push(el("GUID", f.guid));
    if (f.inputType !== undefined) out.push(el("InputType", f.inputType));
    out.push(el("EventsRead", f.eventsRead), "</InputFile>");
  }
  for (const f of report.outputFiles) {
    out.push("", "<File>", '<State  Value="closed"/>', el("LFN", f.lfn), el("PFN", f.pfn));
    out.push(el("Catalog", ""), el("ModuleLabel", f.moduleLabel));
    if (f.guid !== undefined) out.push(el("GUID", f.guid));
    out.push(el("OutputModuleClass", f.outputModuleClass), el("TotalEvents", f.totalEvents));
    if (f.dataType !== undefined) out.push(el("DataType", f.dataType));
    out.push("</File>");
  }
  for (const [name, metrics] of Object.entries(report.performance)) {
    out.push("<PerformanceReport>", `  <PerformanceSummary Metric="${escapeXml(name)}">`);
    out.push(...metricLines(metrics), "  </PerformanceSummary>", "</PerformanceReport>");
  }
  for (const m of report.modules) {
    const attrs = `Metric="${escapeXml(m.metric)}" Module="${escapeXml(m.module)}"`;
    out.push("<PerformanceReport>", `  <PerformanceModule ${attrs}>`);
    out.push(...metricLines(m.metrics), "  </PerformanceModule>", "</PerformanceReport>");
  }
  if (report.step) {
    const code = report.step.exitCode === null ? "" : String(report.step.exitCode);
    out.push(
      `<Step Name="${escapeXml(report.step.name)}">`,
      `  <ExitCode Value="${code}"/>`,
      "</Step>",
    );
  }
  out.push("</FrameworkJobReport>", "");
  return out.join("\n");
}
