/**
 * What the FJR parser reads back from a report the FJR writer wrote, without the XML:
 * `readBack(r)` equals `parseFjr(formatFjr(r), file)` (same values, same key order). The
 * simulated wrapper derives its metrics from the reports "as read", and a job writes
 * several; formatting and parsing the XML was most of the simulator's work per job.
 *
 * The shortcut covers what the writer and parser are known to carry unchanged: strings of
 * plain characters (no spaces, quotes, `&`, `<`, `>` or control characters, so escaping,
 * entity decoding and trimming leave them as they are), numbers, and no errors, skipped
 * files or module blocks. Any other report goes through the XML. test/simulator/payload
 * checks the equality over many simulated runs.
 */
import {
  type FjrInputFile,
  type FjrMetrics,
  type FjrOutputFile,
  type FjrReport,
  metricValue,
  parseFjr,
} from "../../src/artifacts/fjr.js";
import { formatFjr } from "../../src/artifacts/fjr-format.js";

const PLAIN = /^[A-Za-z0-9_.:/+=,@%~-]*$/;
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** `parseFjr(formatFjr(report), file)`, computed directly when the report allows it. */
export function readBack(report: FjrReport, file: string): FjrReport {
  return readBackDirect(report) ?? parseFjr(formatFjr(report), file);
}

/** A number written as element or attribute text and read back as an integer-or-null. */
function numberBack(v: number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  const t = String(v);
  return NUMERIC.test(t) ? Number(t) : null;
}

function plain(s: string | undefined): boolean {
  return s === undefined || PLAIN.test(s);
}

/** An optional field: present (and non-empty, to stay on known ground) or absent. */
function plainOptional(s: string | undefined): boolean {
  return s === undefined || (s !== "" && PLAIN.test(s));
}

function metricsBack(metrics: FjrMetrics): FjrMetrics | undefined {
  const out: FjrMetrics = {};
  if (Object.keys(metrics).length === 0) return undefined;
  for (const [name, value] of Object.entries(metrics)) {
    if (name === "" || !PLAIN.test(name)) return undefined;
    if (typeof value === "string" && !PLAIN.test(value)) return undefined;
    out[name] = metricValue(String(value));
  }
  return out;
}

function inputBack(f: FjrInputFile): FjrInputFile | undefined {
  if (!plain(f.lfn) || !plain(f.pfn)) return undefined;
  if (!plainOptional(f.inputType) || !plainOptional(f.moduleLabel) || !plainOptional(f.guid))
    return undefined;
  const out: FjrInputFile = { lfn: f.lfn, pfn: f.pfn, eventsRead: numberBack(f.eventsRead) };
  if (f.inputType !== undefined) out.inputType = f.inputType;
  if (f.moduleLabel !== undefined) out.moduleLabel = f.moduleLabel;
  if (f.guid !== undefined) out.guid = f.guid;
  return out;
}

function outputBack(f: FjrOutputFile): FjrOutputFile | undefined {
  if (!plain(f.lfn) || !plain(f.pfn) || !plain(f.moduleLabel) || !plain(f.outputModuleClass))
    return undefined;
  if (!plainOptional(f.guid) || !plainOptional(f.dataType)) return undefined;
  const out: FjrOutputFile = {
    lfn: f.lfn,
    pfn: f.pfn,
    moduleLabel: f.moduleLabel,
    outputModuleClass: f.outputModuleClass,
    totalEvents: numberBack(f.totalEvents),
  };
  if (f.guid !== undefined) out.guid = f.guid;
  if (f.dataType !== undefined) out.dataType = f.dataType;
  return out;
}

/** The read-back computed directly; undefined when the report needs the XML path. */
export function readBackDirect(r: FjrReport): FjrReport | undefined {
  if (r.errors.length > 0 || r.skippedFiles.length > 0 || r.modules.length > 0) return undefined;
  const inputFiles: FjrInputFile[] = [];
  for (const f of r.inputFiles) {
    const back = inputBack(f);
    if (!back) return undefined;
    inputFiles.push(back);
  }
  const outputFiles: FjrOutputFile[] = [];
  for (const f of r.outputFiles) {
    const back = outputBack(f);
    if (!back) return undefined;
    outputFiles.push(back);
  }
  const performance: Record<string, FjrMetrics> = {};
  for (const [name, metrics] of Object.entries(r.performance)) {
    const back = metricsBack(metrics);
    if (!back || name === "" || !PLAIN.test(name)) return undefined;
    performance[name] = back;
  }
  const out: FjrReport = {
    inputFiles,
    outputFiles,
    skippedFiles: [],
    performance,
    modules: [],
    errors: [],
  };
  if (r.step) {
    if (!plain(r.step.name)) return undefined;
    out.step = { name: r.step.name, exitCode: numberBack(r.step.exitCode) };
  }
  return out;
}
