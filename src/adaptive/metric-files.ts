/**
 * Where a work unit's per-job files live and how they are listed (adaptive.md §6 steps
 * 1–3): the group directory, its parent (spool mode) and the unmerged storage
 * directories named by `output_info.json`. Thin file-system helpers only.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { InputError, inputErrorMessage } from "../model/errors.js";

/** A proc file found in a search directory. */
export interface ProcFile {
  path: string;
  name: string;
  /** The unpadded node index in the file name. */
  index: number;
}

/** Reads and parses a JSON file; `undefined` when it is missing or does not parse. */
export function readJsonIfValid(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** True when `path` is a directory (false when it is missing). */
export function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Unmerged storage directories of a work unit, from its `output_info.json`:
 * `<local_pfn_prefix>/<unmerged_lfn_base>/<group_index, 6 digits>` for every output
 * dataset with a non-empty base, when that directory exists.
 */
export function unmergedDirs(groupDir: string): string[] {
  const info = readJsonIfValid(join(groupDir, "output_info.json"));
  if (info === null || typeof info !== "object" || Array.isArray(info)) return [];
  const record = info as Record<string, unknown>;
  const prefix = typeof record.local_pfn_prefix === "string" ? record.local_pfn_prefix : "";
  if (prefix === "") return [];
  const groupIndex = typeof record.group_index === "number" ? record.group_index : 0;
  const datasets = Array.isArray(record.output_datasets) ? record.output_datasets : [];
  const dirs: string[] = [];
  for (const ds of datasets) {
    if (ds === null || typeof ds !== "object") continue;
    const base = (ds as Record<string, unknown>).unmerged_lfn_base;
    if (typeof base !== "string" || base === "") continue;
    const dir = join(prefix, base.replace(/^\/+/, ""), String(groupIndex).padStart(6, "0"));
    if (isDir(dir)) dirs.push(dir);
  }
  return dirs;
}

/** Search directories in order: the group directory, its parent, then unmerged storage. */
export function metricsSearchDirs(groupDir: string): string[] {
  return [groupDir, dirname(groupDir), ...unmergedDirs(groupDir)];
}

/**
 * Node indices to exclude: every name of the form `proc_<digits>` gives its integer
 * index (`proc_000001` → 1); other names are ignored.
 */
export function excludedNodeIndices(
  excludeNodes: readonly string[] | null | undefined,
): Set<number> {
  const out = new Set<number>();
  for (const name of excludeNodes ?? []) {
    const m = /^proc_0*(\d+)$/.exec(name);
    if (m) out.add(Number(m[1]));
  }
  return out;
}

/**
 * Files `proc_<n>_<kind>.json` of one directory, sorted by name as strings (so
 * `proc_10_…` comes before `proc_1_…`), without the excluded indices.
 */
export function listProcFiles(dir: string, kind: string, exclude: Set<number>): ProcFile[] {
  if (!isDir(dir)) return [];
  const pattern = new RegExp(`^proc_(\\d+)_${kind}\\.json$`);
  const out: ProcFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    const m = pattern.exec(name);
    if (!m) continue;
    const index = Number(m[1]);
    if (exclude.has(index)) continue;
    out.push({ path: join(dir, name), name, index });
  }
  return out;
}

/** Reads a required JSON file; a missing or malformed file is an `InputError`. */
export function readJsonRequired(path: string): unknown {
  if (!existsSync(path))
    throw new InputError(inputErrorMessage({ file: path, problem: "not found" }));
  try {
    return JSON.parse(readFileSync(path, "utf8")) as unknown;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new InputError(inputErrorMessage({ file: path, problem: `invalid JSON (${why})` }));
  }
}
