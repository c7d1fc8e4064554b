/**
 * The cleanup wrapper as a payload model: reads `cleanup_manifest.json` (written by the
 * merge) and `output_info.json` (for the PFN prefix) from the iwd and, when it ends, removes
 * each `<pfx>` + unmerged dir recursively. Duration CLEANUP_BASE_SEC plus
 * CLEANUP_PER_DIR_SEC per directory.
 */
import { lfnToPfn } from "../../src/planner/lfn.js";
import { readCleanupManifestIn, readOutputInfoIn } from "./artifact-files.js";
import { resolveIn, writeStdio } from "./job-io.js";
import { failedRun, WRAPPER_MEMORY_MB } from "./proc.js";
import type { PayloadModel } from "./types.js";
import { steadyMemory } from "./usage.js";

export const CLEANUP_BASE_SEC = 2;
export const CLEANUP_PER_DIR_SEC = 0.5;

export function cleanupModel(): PayloadModel {
  return (ctx) => {
    const manifestFile = resolveIn(ctx.iwd, "cleanup_manifest.json");
    const i = ctx.argv.indexOf("--output-info");
    const infoName = i >= 0 && ctx.argv[i + 1] ? ctx.argv[i + 1] : "output_info.json";
    const infoFile = resolveIn(ctx.iwd, infoName);
    for (const [file, name] of [
      [manifestFile, "cleanup_manifest.json"],
      [infoFile, infoName],
    ]) {
      if (!ctx.fs.exists(file)) return failedRun(ctx, `wms2_cleanup: ${name} is missing`);
    }
    const manifest = readCleanupManifestIn(ctx.fs, manifestFile);
    const prefix = readOutputInfoIn(ctx.fs, infoFile).local_pfn_prefix;
    const dirs = manifest.unmerged_dirs.map((d) => lfnToPfn(prefix, d));
    const durationSec = CLEANUP_BASE_SEC + CLEANUP_PER_DIR_SEC * dirs.length;
    return {
      durationSec,
      exitCode: 0,
      memory: steadyMemory(WRAPPER_MEMORY_MB),
      cpuSec: durationSec * 0.1,
      complete: () => {
        const removed = dirs.filter((d) => ctx.fs.exists(d));
        for (const d of removed) ctx.fs.remove(d);
        writeStdio(ctx, [`wms2_cleanup: removed ${removed.length} of ${dirs.length} dir(s)`]);
      },
    };
  };
}
