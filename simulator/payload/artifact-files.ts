/**
 * Readers of the job artifacts the merge, cleanup and POST models consume, through `SimFs`:
 * `output_info.json`, `proc_<N>_{metrics,cgroup,outputs}.json`, `cleanup_manifest.json` and
 * the parts of `<node>.post.json` the exit protocols look at. Shapes and validation are those
 * of src/artifacts (formats.md §7); only the file access differs.
 */
import type { CgroupRecord } from "../../src/artifacts/cgroup.js";
import type { CleanupManifest } from "../../src/artifacts/merge-files.js";
import { type OutputInfo, parseOutputInfo } from "../../src/artifacts/output-info.js";
import type { ProcOutputList } from "../../src/artifacts/outputs.js";
import { type PostRecordView, parsePostRecordView } from "../../src/artifacts/post-record.js";
import {
  type ProcFile,
  type ProcFileKind,
  pickProcFiles,
  pickProcFilesOfKinds,
} from "../../src/artifacts/proc-files.js";
import type { ProcStepMetrics } from "../../src/artifacts/proc-metrics.js";
import {
  CGROUP_FILE,
  CLEANUP_MANIFEST_FILE,
  POST_RECORD_FILE,
  PROC_METRICS_FILE,
  PROC_OUTPUTS_FILE,
} from "../file-codecs.js";
import { listAnyOrder, type SimFs } from "../fs.js";
import {
  type FileRef,
  readSharedIfFile,
  readSharedIn,
  readTextIn,
  readValueIn,
  resolveIn,
} from "./job-io.js";

export type { PostRecordView };

/** `output_info.json` (shared by the jobs of a work unit: see `readSharedIn`). */
export function readOutputInfoIn(fs: SimFs, file: string): OutputInfo {
  return readSharedIn(fs, file, parseOutputInfo);
}

/** `output_info.json`, or undefined when there is none. */
export function readOutputInfoIfFile(fs: SimFs, file: string): OutputInfo | undefined {
  return readSharedIfFile(fs, file, parseOutputInfo);
}

/** `proc_<N>_metrics.json` (see PROC_METRICS_FILE: jobs that did the same share one value). */
export function readProcMetricsIn(fs: SimFs, file: FileRef): readonly ProcStepMetrics[] {
  return readValueIn(fs, file, PROC_METRICS_FILE);
}

/** `proc_<N>_cgroup.json` (see CGROUP_FILE: jobs that did the same share one value). */
export function readCgroupIn(fs: SimFs, file: FileRef): CgroupRecord {
  return readValueIn(fs, file, CGROUP_FILE);
}

/** `proc_<N>_outputs.json`; the legacy form `{"file": "TIER"}` reads as step −1. */
export function readProcOutputsIn(fs: SimFs, file: FileRef): ProcOutputList {
  return readValueIn(fs, file, PROC_OUTPUTS_FILE);
}

export function readCleanupManifestIn(fs: SimFs, file: string): CleanupManifest {
  return readValueIn(fs, file, CLEANUP_MANIFEST_FILE);
}

/**
 * The parts of `<node>.post.json` the early-abort rule and the work-unit POST read: the
 * record a POST script stored, else only those parts of the text validated.
 */
export function readPostViewIn(fs: SimFs, file: string): PostRecordView {
  return (
    fs.storedValue?.(file, POST_RECORD_FILE) ?? parsePostRecordView(readTextIn(fs, file), file)
  );
}

export type SimProcFile = ProcFile;

/**
 * The `proc_<N>_<kind>.json` files of the given directories, padded or not, sorted by node
 * index; an index found in several directories is taken from the first.
 */
export function listProcFilesIn(
  fs: SimFs,
  dirs: readonly string[],
  kind: ProcFileKind,
): SimProcFile[] {
  return pickProcFiles(
    dirs.map((dir) => ({ dir, names: listAnyOrder(fs, dir) })),
    kind,
    resolveIn,
  );
}

/** `listProcFilesIn` for several kinds, each directory listed once. */
export function listProcFilesOfKindsIn(
  fs: SimFs,
  dirs: readonly string[],
  kinds: readonly ProcFileKind[],
): SimProcFile[][] {
  return pickProcFilesOfKinds(
    dirs.map((dir) => ({ dir, names: listAnyOrder(fs, dir) })),
    kinds,
    resolveIn,
  );
}
