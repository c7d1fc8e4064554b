/**
 * CMSSW FrameworkJobReport (`report_step<K>.xml`): a typed model, a parser that reads what
 * real cmsRun (and the NanoAODTools imitation) write, and a writer producing the same layout.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { InputError, inputErrorMessage } from "../model/errors.js";
import { readTextFile } from "./json-io.js";

export type FjrMetricValue = number | string;
/** Metric name → value of one PerformanceSummary (numbers where the text is numeric). */
export type FjrMetrics = Record<string, FjrMetricValue>;

export interface FjrInputFile {
  lfn: string;
  pfn: string;
  /** `EventsRead`, null when absent or empty. */
  eventsRead: number | null;
  /** `primaryFiles`, `mixingFiles`, ... */
  inputType?: string;
  moduleLabel?: string;
  guid?: string;
}

export interface FjrOutputFile {
  lfn: string;
  pfn: string;
  moduleLabel: string;
  outputModuleClass: string;
  /** `TotalEvents`, null when absent or empty. */
  totalEvents: number | null;
  guid?: string;
  dataType?: string;
}

export interface FjrError {
  /** `ExitStatus` attribute (the CMSSW exit code), null when absent or not a number. */
  exitStatus: number | null;
  type: string;
  message: string;
}

export interface FjrSkippedFile {
  lfn: string;
  pfn: string;
}

/** A `PerformanceModule` block (e.g. per-site XrdSiteStatistics counters). */
export interface FjrModulePerformance {
  metric: string;
  module: string;
  metrics: FjrMetrics;
}

export interface FjrStep {
  name: string;
  exitCode: number | null;
}

export interface FjrReport {
  inputFiles: FjrInputFile[];
  outputFiles: FjrOutputFile[];
  skippedFiles: FjrSkippedFile[];
  /** PerformanceSummary `Metric` attribute (Timing, ApplicationMemory, ...) → its metrics. */
  performance: Record<string, FjrMetrics>;
  modules: FjrModulePerformance[];
  errors: FjrError[];
  /** `Step@Name` with `ExitCode@Value`, written by job wrappers around cmsRun. */
  step?: FjrStep;
}

const ARRAY_TAGS = new Set([
  "InputFile",
  "File",
  "SkippedFile",
  "PerformanceReport",
  "PerformanceSummary",
  "PerformanceModule",
  "Metric",
  "FrameworkError",
  "Step",
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  cdataPropName: "#cdata",
  isArray: (name, _jpath, _isLeaf, isAttribute) => !isAttribute && ARRAY_TAGS.has(name),
});

type Node = Record<string, unknown>;
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A metric's text as a number when it is numeric (padding ignored), else the trimmed text. */
export function metricValue(raw: string): FjrMetricValue {
  const t = raw.trim();
  return NUMERIC.test(t) ? Number(t) : t;
}

function list(v: unknown): Node[] {
  if (Array.isArray(v)) return v.filter((x): x is Node => typeof x === "object" && x !== null);
  return typeof v === "object" && v !== null ? [v as Node] : [];
}

function text(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (Array.isArray(v)) return v.map(text).join("");
  if (typeof v === "object" && v !== null) {
    const n = v as Node;
    return `${text(n["#text"])}${text(n["#cdata"])}`;
  }
  return "";
}

function intOrNull(v: unknown): number | null {
  const t = text(v).trim();
  return NUMERIC.test(t) ? Number(t) : null;
}

function optional(node: Node, tag: string): string | undefined {
  return tag in node ? text(node[tag]) : undefined;
}

function metricsOf(node: Node): FjrMetrics {
  const out: FjrMetrics = {};
  for (const m of list(node.Metric)) {
    const name = text(m["@_Name"]);
    if (name) out[name] = metricValue(text(m["@_Value"]));
  }
  return out;
}

function withOptional<T extends object>(base: T, extra: Record<string, string | undefined>): T {
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** Parse FrameworkJobReport XML. `file` names the source in error messages. */
export function parseFjr(xml: string, file: string): FjrReport {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const problem = `malformed FrameworkJobReport XML: ${valid.err.msg}`;
    throw new InputError(inputErrorMessage({ file, line: valid.err.line, problem }));
  }
  const doc = parser.parse(xml) as Node;
  const root = doc.FrameworkJobReport;
  if (typeof root !== "object" || root === null) {
    const problem = "not a FrameworkJobReport (no <FrameworkJobReport> root element)";
    throw new InputError(inputErrorMessage({ file, problem }));
  }
  const r = root as Node;
  const performance: Record<string, FjrMetrics> = {};
  const modules: FjrModulePerformance[] = [];
  for (const pr of list(r.PerformanceReport)) {
    for (const ps of list(pr.PerformanceSummary)) {
      const name = text(ps["@_Metric"]);
      performance[name] = { ...(performance[name] ?? {}), ...metricsOf(ps) };
    }
    for (const pm of list(pr.PerformanceModule)) {
      modules.push({
        metric: text(pm["@_Metric"]),
        module: text(pm["@_Module"]),
        metrics: metricsOf(pm),
      });
    }
  }
  const report: FjrReport = {
    inputFiles: list(r.InputFile).map((f) =>
      withOptional<FjrInputFile>(
        { lfn: text(f.LFN), pfn: text(f.PFN), eventsRead: intOrNull(f.EventsRead) },
        {
          inputType: optional(f, "InputType"),
          moduleLabel: optional(f, "ModuleLabel"),
          guid: optional(f, "GUID"),
        },
      ),
    ),
    outputFiles: list(r.File).map((f) =>
      withOptional<FjrOutputFile>(
        {
          lfn: text(f.LFN),
          pfn: text(f.PFN),
          moduleLabel: text(f.ModuleLabel),
          outputModuleClass: text(f.OutputModuleClass),
          totalEvents: intOrNull(f.TotalEvents),
        },
        { guid: optional(f, "GUID"), dataType: optional(f, "DataType") },
      ),
    ),
    skippedFiles: list(r.SkippedFile).map((f) => ({
      lfn: text(f["@_Lfn"]),
      pfn: text(f["@_Pfn"]),
    })),
    performance,
    modules,
    errors: list(r.FrameworkError).map((e) => ({
      exitStatus: intOrNull(e["@_ExitStatus"]),
      type: text(e["@_Type"]).trim(),
      message: text(e).trim(),
    })),
  };
  const step = list(r.Step)[0];
  if (step) {
    const exit = list(step.ExitCode)[0] ?? list(r.ExitCode)[0];
    report.step = {
      name: text(step["@_Name"]),
      exitCode: exit ? intOrNull(exit["@_Value"]) : null,
    };
  }
  return report;
}

/** Read and parse a FrameworkJobReport file. */
export function readFjr(file: string): FjrReport {
  return parseFjr(readTextFile(file), file);
}

/** A numeric metric of a summary, undefined when missing or not numeric. */
export function fjrNumber(report: FjrReport, summary: string, metric: string): number | undefined {
  const v = report.performance[summary]?.[metric];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/**
 * The file the next step reads: the first output PFN whose ModuleLabel does not contain
 * `LHE` (else the first output), with a `file:` prefix removed.
 */
export function nextStepInput(report: FjrReport): string | undefined {
  const files = report.outputFiles;
  const pick = files.find((f) => !f.moduleLabel.includes("LHE")) ?? files[0];
  return pick?.pfn.replace(/^file:/, "");
}
