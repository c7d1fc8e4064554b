/**
 * Edits of a work unit that has not started yet, besides the tuning itself: request_memory
 * of its proc jobs (the catalog's per-unit override, or the slot ceiling for pipelines),
 * the tmpfs switch (a tuned manifest with `split_tmpfs: true` in every proc job's inputs)
 * and a summary of what its proc jobs will ask for. Submit files are edited through the
 * submit model, never as text.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import {
  formatSubmit,
  parseSubmit,
  type SubmitModel,
  submitGet,
  submitSet,
} from "../dagman/index.js";
import { InputError, inputErrorMessage } from "../model/errors.js";
import { manifestSteps, manifestText, procSubmitFiles, TUNED_MANIFEST } from "./manifest-patch.js";
import { readJsonRequired } from "./metric-files.js";

function editProcSubmits(groupDir: string, edit: (m: SubmitModel) => SubmitModel): number {
  const names = procSubmitFiles(groupDir);
  for (const name of names) {
    const path = join(groupDir, name);
    writeFileSync(path, formatSubmit(edit(parseSubmit(readFileSync(path, "utf8"), path))));
  }
  return names.length;
}

function memoryOf(m: SubmitModel, file: string): number {
  const raw = submitGet(m, "request_memory") ?? "0";
  const n = Number(raw);
  if (!Number.isFinite(n)) {
    throw new InputError(
      inputErrorMessage({ file, field: "request_memory", problem: `not a number: "${raw}"` }),
    );
  }
  return n;
}

/** Sets request_memory of every proc job of the unit; returns the number of files. */
export function setRequestMemory(groupDir: string, memoryMb: number): number {
  return editProcSubmits(groupDir, (m) => submitSet(m, "request_memory", String(memoryMb)));
}

/** Raises request_memory of every proc job to `memoryMb` (never lowers it). */
export function raiseRequestMemory(groupDir: string, memoryMb: number): number {
  return editProcSubmits(groupDir, (m) =>
    memoryOf(m, groupDir) < memoryMb ? submitSet(m, "request_memory", String(memoryMb)) : m,
  );
}

/** The entries of a comma-separated `transfer_input_files` value. */
export function inputList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/**
 * `transfer_input_files` with every tuned manifest replaced by `tunedPath` (appended when
 * none was listed): a job transfers exactly one `manifest_tuned.json`.
 */
export function withTunedInput(m: SubmitModel, tunedPath: string): SubmitModel {
  const others = inputList(submitGet(m, "transfer_input_files")).filter(
    (f) => basename(f) !== TUNED_MANIFEST,
  );
  return submitSet(m, "transfer_input_files", [...others, tunedPath].join(", "));
}

/**
 * Runs the unit's gridpack from tmpfs: `split_tmpfs: true` in its tuned manifest (created
 * from `manifest.json` when the unit has none) and that manifest in every proc job's
 * inputs. Returns whether anything changed.
 */
export function switchOnTmpfs(groupDir: string): boolean {
  const tunedPath = join(groupDir, TUNED_MANIFEST);
  const source = existsSync(tunedPath) ? tunedPath : join(groupDir, "manifest.json");
  const manifest = readJsonRequired(source) as Record<string, unknown>;
  manifestSteps(manifest, source);
  const already = manifest.split_tmpfs === true && source === tunedPath;
  if (!already) writeFileSync(tunedPath, manifestText({ ...manifest, split_tmpfs: true }));
  let changed = !already;
  editProcSubmits(groupDir, (m) => {
    const listed = inputList(submitGet(m, "transfer_input_files"));
    if (listed.includes(tunedPath)) return m;
    changed = true;
    return withTunedInput(m, tunedPath);
  });
  return changed;
}

/** What the proc jobs of a unit ask for, from their submit files. */
export interface WuRequestSummary {
  numJobs: number;
  requestCpus: number;
  requestMemoryMb: number;
  /** Events of the largest job (from --first-event/--last-event or --events-per-job). */
  eventsPerJob: number;
  /** Events of all jobs together. */
  totalEvents: number;
  /** First and last event of the unit (0 when the jobs do not say). */
  firstEvent: number;
  lastEvent: number;
}

/** Events a proc job's wrapper arguments assign to it, and their range. */
export function jobEventRange(args: string): { events: number; first: number; last: number } {
  const first = /--first-event\s+(\d+)/.exec(args);
  const last = /--last-event\s+(\d+)/.exec(args);
  if (first && last) {
    const f = Number(first[1]);
    const l = Number(last[1]);
    return { events: Math.max(0, l - f + 1), first: f, last: l };
  }
  const epj = /--events-per-job\s+(\d+)/.exec(args);
  return { events: epj ? Number(epj[1]) : 0, first: 0, last: 0 };
}

export function summarizeWuRequests(groupDir: string): WuRequestSummary {
  const names = procSubmitFiles(groupDir);
  const out: WuRequestSummary = {
    numJobs: names.length,
    requestCpus: 0,
    requestMemoryMb: 0,
    eventsPerJob: 0,
    totalEvents: 0,
    firstEvent: 0,
    lastEvent: 0,
  };
  names.forEach((name, i) => {
    const path = join(groupDir, name);
    const m = parseSubmit(readFileSync(path, "utf8"), path);
    const cpus = Number(submitGet(m, "request_cpus") ?? 1);
    const mem = memoryOf(m, path);
    if (i === 0) {
      out.requestCpus = cpus;
      out.requestMemoryMb = mem;
    }
    const r = jobEventRange(submitGet(m, "arguments") ?? "");
    out.eventsPerJob = Math.max(out.eventsPerJob, r.events);
    out.totalEvents += r.events;
    if (r.first > 0)
      out.firstEvent = out.firstEvent === 0 ? r.first : Math.min(out.firstEvent, r.first);
    out.lastEvent = Math.max(out.lastEvent, r.last);
  });
  return out;
}
