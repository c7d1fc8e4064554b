/**
 * Files the merge job writes: `merge_output.json` (merged files per dataset, read by the
 * output manager) and `cleanup_manifest.json` (unmerged directories for the cleanup job).
 */
import { z } from "zod";
import { parseJsonText, readTextFile, writeJsonFile } from "./json-io.js";
import type { StageoutMode } from "./output-info.js";

export interface MergedFileRecord {
  lfn: string;
  /** Bytes. */
  size: number;
  /** 8 lowercase hex digits; empty for oversized files copied remotely. */
  adler32: string;
}

export interface MergedDataset {
  data_tier: string;
  files: MergedFileRecord[];
}

export interface MergeOutput {
  group_index: number;
  /** Elected CMS site, or `local`. */
  site: string;
  /** Dataset name → files; datasets without files are left out. */
  datasets: Record<string, MergedDataset>;
}

export interface CleanupManifest {
  unmerged_dirs: string[];
  stageout_mode: StageoutMode;
}

/** Build `merge_output.json`, leaving out datasets without files. */
export function mergeOutput(
  groupIndex: number,
  site: string,
  datasets: Record<string, MergedDataset>,
): MergeOutput {
  const kept: Record<string, MergedDataset> = {};
  for (const [name, ds] of Object.entries(datasets)) if (ds.files.length > 0) kept[name] = ds;
  return { group_index: groupIndex, site, datasets: kept };
}

/** `cleanup_manifest.json`: `<unmerged_base>/NNNNNN` per dataset, sorted, without repeats. */
export function cleanupManifest(
  unmergedBases: readonly string[],
  groupIndex: number,
  stageoutMode: StageoutMode,
): CleanupManifest {
  const block = String(groupIndex).padStart(6, "0");
  const dirs = new Set(unmergedBases.map((b) => `${b.replace(/\/+$/, "")}/${block}`));
  return { unmerged_dirs: [...dirs].sort(), stageout_mode: stageoutMode };
}

const hex = z.string().regex(/^([0-9a-f]{8})?$/, "adler32 must be 8 lowercase hex digits or empty");
const mergeOutputSchema = z.looseObject({
  group_index: z.number().int().nonnegative(),
  site: z.string().min(1),
  datasets: z.record(
    z.string(),
    z.looseObject({
      data_tier: z.string(),
      files: z.array(
        z.looseObject({
          lfn: z.string().min(1),
          size: z.number().int().nonnegative(),
          adler32: hex,
        }),
      ),
    }),
  ),
});

const cleanupSchema = z.looseObject({
  unmerged_dirs: z.array(z.string().min(1)),
  stageout_mode: z.enum(["local", "grid"]),
});

/** Validate the text of `merge_output.json`. */
export function parseMergeOutput(text: string, file: string): MergeOutput {
  const r = parseJsonText(text, file, mergeOutputSchema);
  const datasets: Record<string, MergedDataset> = {};
  for (const [name, ds] of Object.entries(r.datasets)) {
    datasets[name] = {
      data_tier: ds.data_tier,
      files: ds.files.map((f) => ({ lfn: f.lfn, size: f.size, adler32: f.adler32 })),
    };
  }
  return { group_index: r.group_index, site: r.site, datasets };
}

export function readMergeOutput(file: string): MergeOutput {
  return parseMergeOutput(readTextFile(file), file);
}

export function writeMergeOutput(file: string, out: MergeOutput): void {
  writeJsonFile(file, out);
}

/** Validate the text of `cleanup_manifest.json`. */
export function parseCleanupManifest(text: string, file: string): CleanupManifest {
  const r = parseJsonText(text, file, cleanupSchema);
  return { unmerged_dirs: r.unmerged_dirs, stageout_mode: r.stageout_mode };
}

export function readCleanupManifest(file: string): CleanupManifest {
  return parseCleanupManifest(readTextFile(file), file);
}

export function writeCleanupManifest(file: string, manifest: CleanupManifest): void {
  writeJsonFile(file, manifest);
}
