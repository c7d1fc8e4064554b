/**
 * Applying a per-step tuning to a work unit before it starts (adaptive.md §14): a
 * `manifest_tuned.json` beside `manifest.json`, added to every proc job's inputs, and the
 * proc jobs' memory raised to the slot ceiling when step 0 runs as several instances.
 * `tuneManifest` and `patchProcSubmit` are pure; `patchWuManifests` does the file I/O.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError, inputErrorMessage } from "../model/errors.js";
import { readJsonRequired } from "./metric-files.js";

/** The part of a step tuning the manifest patch uses. */
export interface ManifestStepTuning {
  tunedNthreads: number;
  nParallel?: number;
  idealMemoryMb?: number;
}

export interface ManifestPatchOptions {
  /** Number of concurrent step chains (written when > 1). */
  nPipelines?: number;
  /** Slot memory ceiling (MB); proc jobs are raised to it when step 0 has instances. */
  maxMemoryMb?: number;
  /** Run the gridpack from /dev/shm. */
  splitTmpfs?: boolean;
}

export interface ManifestPatchResult {
  patched: number;
  idealMemoryMb: number;
  actualMemoryMb: number;
}

export const TUNED_MANIFEST = "manifest_tuned.json";

type Json = Record<string, unknown>;

/** Checks the manifest shape: an object whose `steps` is a list of objects. */
export function manifestSteps(manifest: unknown, where: string): Json[] {
  if (manifest === null || typeof manifest !== "object" || Array.isArray(manifest)) {
    throw new InputError(inputErrorMessage({ file: where, problem: "expected a JSON object" }));
  }
  const steps = (manifest as Json).steps;
  if (!Array.isArray(steps)) {
    throw new InputError(
      inputErrorMessage({ file: where, field: "steps", problem: "expected a list" }),
    );
  }
  steps.forEach((s, i) => {
    if (s === null || typeof s !== "object" || Array.isArray(s)) {
      throw new InputError(
        inputErrorMessage({ file: where, entry: `steps[${i}]`, problem: "expected an object" }),
      );
    }
  });
  return steps as Json[];
}

/**
 * The tuned manifest: a copy with `multicore`/`n_parallel` set on every step named by
 * `perStep` (indices beyond the step list are ignored), plus `n_pipelines` when > 1 and
 * `split_tmpfs` when requested. Keys not present before are added at the end.
 */
export function tuneManifest(
  manifest: unknown,
  perStep: Record<string, ManifestStepTuning>,
  options: ManifestPatchOptions = {},
  where = "manifest.json",
): Json {
  const tuned = structuredClone(manifest) as Json;
  const steps = manifestSteps(tuned, where);
  if ((options.nPipelines ?? 1) > 1) tuned.n_pipelines = options.nPipelines;
  if (options.splitTmpfs) tuned.split_tmpfs = true;
  for (const [key, tuning] of Object.entries(perStep)) {
    const si = Number(key);
    if (!Number.isInteger(si) || si < 0 || si >= steps.length) continue;
    steps[si].multicore = tuning.tunedNthreads;
    steps[si].n_parallel = tuning.nParallel ?? 1;
  }
  return tuned;
}

/**
 * A proc submit file with `tunedPath` appended to its first `transfer_input_files` line
 * and, when `raiseMemoryTo` > 0, its first `request_memory` raised to that value (never
 * lowered).
 */
export function patchProcSubmit(text: string, tunedPath: string, raiseMemoryTo = 0): string {
  let out = text.replace(
    /^(transfer_input_files\s*=\s*)(.+)$/m,
    (_all, head: string, value: string) => `${head}${value.trimEnd()}, ${tunedPath}`,
  );
  if (raiseMemoryTo > 0) {
    const current = /^request_memory\s*=\s*(\d+)/m.exec(out);
    if (current && raiseMemoryTo > Number(current[1])) {
      out = out.replace(
        /^(request_memory\s*=\s*)\d+/m,
        (_all, head: string) => `${head}${raiseMemoryTo}`,
      );
    }
  }
  return out;
}

/** Proc submit files of a group directory, sorted by name. */
export function procSubmitFiles(groupDir: string): string[] {
  return readdirSync(groupDir)
    .filter((name) => /^proc_.*\.sub$/.test(name))
    .sort();
}

/** JSON text as the project writes manifests: 2-space indentation, no trailing newline. */
export function manifestText(manifest: unknown): string {
  return JSON.stringify(manifest, null, 2);
}

/**
 * Writes `manifest_tuned.json` for a work unit and points its proc jobs at it. Memory is
 * raised to `maxMemoryMb` only when some step runs more than one instance. Throws an
 * `InputError` when `manifest.json` is missing or malformed.
 */
export function patchWuManifests(
  groupDir: string,
  perStep: Record<string, ManifestStepTuning>,
  options: ManifestPatchOptions = {},
): ManifestPatchResult {
  const manifestPath = join(groupDir, "manifest.json");
  const tuned = tuneManifest(readJsonRequired(manifestPath), perStep, options, manifestPath);
  const tunedPath = join(groupDir, TUNED_MANIFEST);
  writeFileSync(tunedPath, manifestText(tuned));

  const maxMemory = options.maxMemoryMb ?? 0;
  let maxNPar = 1;
  for (const t of Object.values(perStep)) maxNPar = Math.max(maxNPar, t.nParallel ?? 1);
  const raiseTo = maxNPar > 1 && maxMemory > 0 ? maxMemory : 0;
  let patched = 0;
  for (const name of procSubmitFiles(groupDir)) {
    const path = join(groupDir, name);
    writeFileSync(path, patchProcSubmit(readFileSync(path, "utf8"), tunedPath, raiseTo));
    patched++;
  }
  return { patched, idealMemoryMb: perStep["0"]?.idealMemoryMb ?? 0, actualMemoryMb: maxMemory };
}
