/**
 * `proc_<N>_outputs.json`: each output file a processing job staged (renamed
 * `proc_<N>_<original>`) with its data tier, producing step and size, read by the merge.
 */
import { basename } from "node:path";
import { z } from "zod";
import type { FjrReport } from "./fjr.js";
import { parseJsonText, readTextFile, writeJsonFile } from "./json-io.js";
import { tierFromModuleLabel } from "./tier.js";

export interface ProcOutputEntry {
  tier: string;
  /** 0-based producing step; −1 when unknown. */
  step_index: number;
  size_bytes?: number;
}

/** Staged file name → entry. */
export type ProcOutputs = Record<string, ProcOutputEntry>;

/** An output file in the job's working directory (`<orig>` or `pipe<p>_<orig>`). */
export interface JobOutputFile {
  name: string;
  sizeBytes?: number;
}

export interface StepReportByIndex {
  stepIndex: number;
  report: FjrReport;
}

/** The staged name of a job output file. */
export function stagedOutputName(nodeIndex: number, name: string): string {
  return `proc_${nodeIndex}_${name}`;
}

const STEP_NAME = /^step(\d+)_([A-Za-z0-9-]+?)(?:_output)?\.root$/;

/** Tier and step from a `step<K>_<TIER>.root` name (also `…_output.root`); else unknown, −1. */
export function tierFromFileName(name: string): { tier: string; stepIndex: number } {
  const m = STEP_NAME.exec(name);
  return m ? { tier: m[2], stepIndex: Number(m[1]) - 1 } : { tier: "unknown", stepIndex: -1 };
}

function pfnBase(pfn: string): string {
  return basename(pfn.replace(/^file:/, ""));
}

/** Tier and producing step of each output base name the reports list (first step wins). */
export type OutputTiers = ReadonlyMap<string, { tier: string; stepIndex: number }>;

/** The output files of a job's reports by base name, in step order (the first report wins). */
export function outputTiersOfReports(reports: readonly StepReportByIndex[]): OutputTiers {
  const byName = new Map<string, { tier: string; stepIndex: number }>();
  const ordered = [...reports].sort((a, b) => a.stepIndex - b.stepIndex);
  for (const { stepIndex, report } of ordered) {
    for (const f of report.outputFiles) {
      const key = pfnBase(f.pfn);
      if (key && !byName.has(key))
        byName.set(key, { tier: tierFromModuleLabel(f.moduleLabel), stepIndex });
    }
  }
  return byName;
}

/**
 * Entries for a job's output files: the tier comes from the ModuleLabel of the report `File`
 * whose PFN has the same base name (pipeline files `pipe<p>_<orig>` are looked up by
 * `<orig>`), else from the file name, else `unknown` with step −1.
 */
export function procOutputsFromReports(
  nodeIndex: number,
  files: readonly JobOutputFile[],
  reports: readonly StepReportByIndex[],
): ProcOutputs {
  return procOutputsFromTiers(nodeIndex, files, outputTiersOfReports(reports));
}

/** `procOutputsFromReports` with the reports' output tiers worked out beforehand. */
export function procOutputsFromTiers(
  nodeIndex: number,
  files: readonly JobOutputFile[],
  byName: OutputTiers,
): ProcOutputs {
  const out: ProcOutputs = {};
  for (const [name, entry] of procOutputListFromTiers(nodeIndex, files, byName)) out[name] = entry;
  return out;
}

/** The entries of `proc_<N>_outputs.json` in file order: staged name and entry. */
export type ProcOutputList = readonly (readonly [string, ProcOutputEntry])[];

/**
 * `procOutputsFromTiers` as a list (no object keyed by file names: one per job adds up).
 */
export function procOutputListFromTiers(
  nodeIndex: number,
  files: readonly JobOutputFile[],
  byName: OutputTiers,
): [string, ProcOutputEntry][] {
  return files.map((f) => [stagedOutputName(nodeIndex, f.name), procOutputEntry(f, byName)]);
}

/** The entry of one output file (it does not depend on the node: jobs may share it). */
export function procOutputEntry(f: JobOutputFile, byName: OutputTiers): ProcOutputEntry {
  const orig = f.name.startsWith("pipe") ? f.name.replace(/^pipe\d+_/, "") : f.name;
  const hit = byName.get(orig) ?? tierFromFileName(orig);
  const entry: ProcOutputEntry = { tier: hit.tier, step_index: hit.stepIndex };
  if (f.sizeBytes !== undefined) entry.size_bytes = f.sizeBytes;
  return entry;
}

/** Synthetic mode: one file carrying the first dataset's tier. */
export function syntheticProcOutputs(nodeIndex: number, firstTier: string): ProcOutputs {
  return { [stagedOutputName(nodeIndex, "output.root")]: { tier: firstTier, step_index: -1 } };
}

const entrySchema = z.union(
  [
    z.string().min(1),
    z.looseObject({
      tier: z.string().min(1),
      step_index: z.number().int().min(-1).default(-1),
      size_bytes: z.number().int().nonnegative().optional(),
    }),
  ],
  { error: "expected a tier name or {tier, step_index, size_bytes}" },
);
const outputsSchema = z.record(z.string(), entrySchema);

/** Validate the text of `proc_<N>_outputs.json`; the legacy form `{"file": "TIER"}` reads as step −1. */
export function parseProcOutputs(text: string, file: string): ProcOutputs {
  const out: ProcOutputs = {};
  for (const [name, v] of Object.entries(parseJsonText(text, file, outputsSchema))) {
    if (typeof v === "string") {
      out[name] = { tier: v, step_index: -1 };
    } else {
      out[name] = { tier: v.tier, step_index: v.step_index };
      if (v.size_bytes !== undefined) out[name].size_bytes = v.size_bytes;
    }
  }
  return out;
}

/** Read `proc_<N>_outputs.json`. */
export function readProcOutputs(file: string): ProcOutputs {
  return parseProcOutputs(readTextFile(file), file);
}

export function writeProcOutputs(file: string, outputs: ProcOutputs): void {
  writeJsonFile(file, outputs);
}
