/**
 * Readers of the job artifacts the merge, cleanup and POST models consume, through `SimFs`:
 * `output_info.json`, `proc_<N>_{metrics,cgroup,outputs}.json`, `cleanup_manifest.json` and
 * the parts of `<node>.post.json` the exit protocols look at. The shapes are those of
 * src/artifacts (formats.md §7); only the file access differs.
 */
import { z } from "zod";
import type { CgroupRecord } from "../../src/artifacts/cgroup.js";
import type { CleanupManifest } from "../../src/artifacts/merge-files.js";
import { type OutputInfo, outputDatasetInfoSchema } from "../../src/artifacts/output-info.js";
import type { ProcOutputs } from "../../src/artifacts/outputs.js";
import type { ErrorCategory } from "../../src/artifacts/post-classify.js";
import { type ProcFileKind, procFileIndex } from "../../src/artifacts/proc-files.js";
import type { ProcStepMetrics } from "../../src/artifacts/proc-metrics.js";
import type { SimFs } from "../fs.js";
import { readJsonIn, resolveIn } from "./job-io.js";

const nonNegInt = z.number().int().nonnegative();

const outputInfoSchema = z.looseObject({
  output_datasets: z.array(outputDatasetInfoSchema),
  local_pfn_prefix: z.string(),
  stageout_mode: z.enum(["local", "grid"]),
  group_index: nonNegInt,
  max_merge_size: z.number().positive(),
  proc_node_indices: z.array(nonNegInt),
});

export function readOutputInfoIn(fs: SimFs, file: string): OutputInfo {
  const r = readJsonIn(fs, file, outputInfoSchema);
  return {
    output_datasets: r.output_datasets.map((d) => ({
      dataset_name: d.dataset_name,
      merged_lfn_base: d.merged_lfn_base,
      unmerged_lfn_base: d.unmerged_lfn_base,
      data_tier: d.data_tier,
    })),
    local_pfn_prefix: r.local_pfn_prefix,
    stageout_mode: r.stageout_mode,
    group_index: r.group_index,
    max_merge_size: r.max_merge_size,
    proc_node_indices: r.proc_node_indices,
  };
}

const metricValue = z.number().nullable().optional();
const metricsSchema = z.array(
  z.looseObject({ step: z.number().int().positive(), step_index: nonNegInt }).catchall(metricValue),
);

/** `proc_<N>_metrics.json` (as the simulated wrapper writes it: every entry has `step`). */
export function readProcMetricsIn(fs: SimFs, file: string): ProcStepMetrics[] {
  return readJsonIn(fs, file, metricsSchema) as unknown as ProcStepMetrics[];
}

const cgroupSchema = z.looseObject({
  peak_anon_mb: nonNegInt,
  peak_shmem_mb: nonNegInt,
  peak_nonreclaim_mb: nonNegInt,
  tmpfs_peak_nonreclaim_mb: nonNegInt,
  no_tmpfs_peak_anon_mb: nonNegInt,
  num_samples: nonNegInt.default(0),
  gridpack_disk_mb: nonNegInt.default(0),
});

export function readCgroupIn(fs: SimFs, file: string): CgroupRecord {
  return readJsonIn(fs, file, cgroupSchema);
}

const outputsSchema = z.record(
  z.string(),
  z.union(
    [
      z.string().min(1),
      z.looseObject({
        tier: z.string().min(1),
        step_index: z.number().int().min(-1).default(-1),
        size_bytes: nonNegInt.optional(),
      }),
    ],
    { error: "expected a tier name or {tier, step_index, size_bytes}" },
  ),
);

/** `proc_<N>_outputs.json`; the legacy form `{"file": "TIER"}` reads as step −1. */
export function readProcOutputsIn(fs: SimFs, file: string): ProcOutputs {
  const out: ProcOutputs = {};
  for (const [name, v] of Object.entries(readJsonIn(fs, file, outputsSchema))) {
    if (typeof v === "string") out[name] = { tier: v, step_index: -1 };
    else {
      out[name] = { tier: v.tier, step_index: v.step_index };
      if (v.size_bytes !== undefined) out[name].size_bytes = v.size_bytes;
    }
  }
  return out;
}

const cleanupSchema = z.looseObject({
  unmerged_dirs: z.array(z.string().min(1)),
  stageout_mode: z.enum(["local", "grid"]),
});

export function readCleanupManifestIn(fs: SimFs, file: string): CleanupManifest {
  const r = readJsonIn(fs, file, cleanupSchema);
  return { unmerged_dirs: r.unmerged_dirs, stageout_mode: r.stageout_mode };
}

const categories = [
  "success",
  "transient",
  "permanent",
  "data",
  "infrastructure",
  "infrastructure_memory",
  "catastrophic",
] as const;

const postViewSchema = z.looseObject({
  final: z.boolean(),
  job: z.looseObject({ exit_code: z.number().int(), site: z.string().default("unknown") }),
  classification: z.looseObject({ category: z.enum(categories) }),
});

/** The parts of `<node>.post.json` the early-abort rule and the work-unit POST read. */
export interface PostRecordView {
  final: boolean;
  job: { exit_code: number; site: string };
  classification: { category: ErrorCategory };
}

export function readPostViewIn(fs: SimFs, file: string): PostRecordView {
  const r = readJsonIn(fs, file, postViewSchema);
  return {
    final: r.final,
    job: { exit_code: r.job.exit_code, site: r.job.site },
    classification: { category: r.classification.category },
  };
}

export interface SimProcFile {
  nodeIndex: number;
  path: string;
}

/**
 * The `proc_<N>_<kind>.json` files of the given directories, padded or not, sorted by node
 * index; an index found in several directories is taken from the first.
 */
export function listProcFilesIn(
  fs: SimFs,
  dirs: readonly string[],
  kind: ProcFileKind,
): SimProcFile[] {
  const seen = new Map<number, SimProcFile>();
  for (const dir of dirs) {
    for (const name of fs.list(dir)) {
      const nodeIndex = procFileIndex(name, kind);
      if (nodeIndex !== undefined && !seen.has(nodeIndex)) {
        seen.set(nodeIndex, { nodeIndex, path: resolveIn(dir, name) });
      }
    }
  }
  return [...seen.values()].sort((a, b) => a.nodeIndex - b.nodeIndex);
}
