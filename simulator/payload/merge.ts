/**
 * The merge wrapper as a payload model. At start it reads `output_info.json` (and
 * `manifest.json` for the mode), collects per dataset the unmerged files of its block dir
 * whose tier (from the `proc_<N>_outputs.json` side files) matches the dataset, and plans
 * the merge with `planMerge` (synthetic mode copies every file keeping its name). At the
 * end it writes the merged stand-ins `<pfx>/<merged_base>/NNNNNN/<uuid>.root` (copied files
 * keep their name), and in the iwd the three declared outputs: `merge_output.json`,
 * `work_unit_metrics.json` (from the proc metrics and cgroup files) and
 * `cleanup_manifest.json`.
 *
 * Duration: MERGE_OVERHEAD_SEC plus the nominal bytes read at MERGE_RATE_BYTES_PER_SEC;
 * one core busy, MERGE_MEMORY_MB of memory.
 */
import { posix } from "node:path";
import { adler32 } from "../../src/artifacts/adler32.js";
import type { CgroupRecord } from "../../src/artifacts/cgroup.js";
import {
  cleanupManifest,
  type MergedDataset,
  type MergedFileRecord,
  mergeOutput,
} from "../../src/artifacts/merge-files.js";
import { type MergeInputFile, planMerge } from "../../src/artifacts/merge-plan.js";
import type { OutputInfo } from "../../src/artifacts/output-info.js";
import type { ProcOutputEntry } from "../../src/artifacts/outputs.js";
import type { ProcStepMetrics } from "../../src/artifacts/proc-metrics.js";
import { tierMatches } from "../../src/artifacts/tier.js";
import { aggregateWuMetrics } from "../../src/artifacts/wu-metrics.js";
import { blockDir, lfnToPfn } from "../../src/planner/lfn.js";
import {
  CLEANUP_MANIFEST_FILE,
  MERGE_OUTPUT_FILE,
  STAND_IN_FILE,
  WU_METRICS_FILE,
} from "../file-codecs.js";
import { copyFiles, readFileValueIfFileIn, writeFileValue } from "../fs.js";
import {
  listProcFilesIn,
  listProcFilesOfKindsIn,
  readCgroupIn,
  readOutputInfoIfFile,
  readProcMetricsIn,
  readProcOutputsIn,
} from "./artifact-files.js";
import { formatStandIn, resolveIn, uuidFrom, writeStdio } from "./job-io.js";
import { MANIFEST, readManifestIn } from "./manifest.js";
import { failedRun } from "./proc.js";
import { mergedBlockLfn, sideFileDir, unmergedBlockPfn } from "./storage.js";
import type { JobContext, PayloadModel } from "./types.js";
import { steadyMemory } from "./usage.js";

export const MERGE_OVERHEAD_SEC = 10;
/** Merge throughput: 200 MiB/s of nominal input. */
export const MERGE_RATE_BYTES_PER_SEC = 200 * 1024 * 1024;
export const MERGE_MEMORY_MB = 250;

/** One output of the merge: a merged batch or a copied file. */
interface MergeProduct {
  datasetName: string;
  dataTier: string;
  lfn: string;
  sizeBytes: number;
  events: number;
  /** Copied files in grid mode have no checksum (copied remotely). */
  checksum: boolean;
}

function optionValue(argv: readonly string[], opt: string): string | undefined {
  const i = argv.indexOf(opt);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** Staged-name → entry over every `proc_<N>_outputs.json` of the side-file directory. */
function allOutputs(ctx: JobContext, dir: string | undefined): Map<string, ProcOutputEntry> {
  const out = new Map<string, ProcOutputEntry>();
  if (!dir) return out;
  const files = listProcFilesIn(ctx.fs, [dir], "outputs");
  for (let i = 0; i < files.length; i++) {
    const list = readProcOutputsIn(ctx.fs, files[i]);
    for (let j = 0; j < list.length; j++) out.set(list[j][0], list[j][1]);
  }
  return out;
}

function planProducts(ctx: JobContext, info: OutputInfo, synthetic: boolean): MergeProduct[] {
  const outputs = allOutputs(ctx, sideFileDir(info));
  // The staged names the side files give, in name order; a dataset merges those of its tier
  // that are in its block directory (looked up by name: the block holds far more files).
  const names = [...outputs.keys()].sort();
  const products: MergeProduct[] = [];
  for (const ds of info.output_datasets) {
    const dir = unmergedBlockPfn(info, ds);
    const unmergedLfn = blockDir(ds.unmerged_lfn_base, info.group_index);
    const events = new Map<string, number>();
    const files: MergeInputFile[] = [];
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const entry = outputs.get(name) as ProcOutputEntry;
      if (!tierMatches(entry.tier, ds.data_tier)) continue;
      const standIn = readFileValueIfFileIn(ctx.fs, dir, name, STAND_IN_FILE);
      if (standIn === undefined) continue;
      const lfn = `${unmergedLfn}/${name}`;
      events.set(lfn, standIn.events);
      files.push({ lfn, tier: entry.tier, sizeBytes: entry.size_bytes ?? standIn.sizeBytes });
    }
    const plan = synthetic
      ? { copied: files, batches: [] }
      : planMerge(files, [ds], info.max_merge_size, info.stageout_mode).datasets[0];
    const mergedBase = mergedBlockLfn(info, ds);
    const common = { datasetName: ds.dataset_name, dataTier: ds.data_tier };
    for (const f of plan.copied) {
      products.push({
        ...common,
        lfn: `${mergedBase}/${posix.basename(f.lfn)}`,
        sizeBytes: f.sizeBytes,
        events: events.get(f.lfn) ?? 0,
        checksum: info.stageout_mode === "local",
      });
    }
    for (const batch of plan.batches) {
      products.push({
        ...common,
        lfn: `${mergedBase}/${uuidFrom(ctx.rand)}.root`,
        sizeBytes: batch.reduce((s, f) => s + f.sizeBytes, 0),
        events: batch.reduce((s, f) => s + (events.get(f.lfn) ?? 0), 0),
        checksum: true,
      });
    }
  }
  return products;
}

function writeProducts(
  ctx: JobContext,
  info: OutputInfo,
  products: readonly MergeProduct[],
): Record<string, MergedDataset> {
  const datasets: Record<string, MergedDataset> = {};
  for (const p of products) {
    const text = formatStandIn({ sizeBytes: p.sizeBytes, events: p.events, tier: p.dataTier });
    ctx.fs.writeText(lfnToPfn(info.local_pfn_prefix, p.lfn), text);
    const record: MergedFileRecord = {
      lfn: p.lfn,
      size: p.sizeBytes,
      adler32: p.checksum ? adler32(text) : "",
    };
    datasets[p.datasetName] ??= { data_tier: p.dataTier, files: [] };
    datasets[p.datasetName].files.push(record);
  }
  return datasets;
}

/**
 * Aggregate the jobs' metrics into work_unit_metrics.json, and bring each job's metrics
 * and cgroup side file into the work-unit directory: cleanup removes the unmerged area,
 * and the per-job figures are what the performance report and the replan read.
 */
function writeWuMetrics(ctx: JobContext, info: OutputInfo): number {
  const dirs = [ctx.iwd, ...(sideFileDir(info) ? [sideFileDir(info) as string] : [])];
  const files = listProcFilesOfKindsIn(ctx.fs, dirs, ["metrics", "cgroup"]);
  // A file found in the iwd is there; one found on the storage has no namesake in the iwd
  // (the iwd is listed first, and a name there would have been taken from it).
  const side = dirs[1];
  if (side !== undefined && side !== ctx.iwd) {
    const names: string[] = [];
    for (const found of files) for (const f of found) if (f.dir === side) names.push(f.name);
    copyFiles(ctx.fs, side, ctx.iwd, names);
  }
  // The copies have the same content: reading the files found is reading the copies.
  const jobs = new Array<readonly ProcStepMetrics[]>(files[0].length);
  for (let i = 0; i < jobs.length; i++) jobs[i] = readProcMetricsIn(ctx.fs, files[0][i]);
  const cgroups = new Array<CgroupRecord>(files[1].length);
  for (let i = 0; i < cgroups.length; i++) cgroups[i] = readCgroupIn(ctx.fs, files[1][i]);
  const wu = aggregateWuMetrics(info.group_index, jobs, cgroups);
  writeFileValue(ctx.fs, resolveIn(ctx.iwd, "work_unit_metrics.json"), WU_METRICS_FILE, wu);
  return jobs.length;
}

export function mergeModel(): PayloadModel {
  return (ctx) => {
    const infoName = optionValue(ctx.argv, "--output-info") ?? "output_info.json";
    const infoFile = resolveIn(ctx.iwd, infoName);
    const info = readOutputInfoIfFile(ctx.fs, infoFile);
    if (!info) return failedRun(ctx, `wms2_merge: ${infoName} is missing`);
    const manifestFile = resolveIn(ctx.iwd, MANIFEST);
    const synthetic =
      ctx.fs.exists(manifestFile) && readManifestIn(ctx.fs, manifestFile).mode === "synthetic";
    const products = planProducts(ctx, info, synthetic);
    const bytes = products.reduce((s, p) => s + p.sizeBytes, 0);
    const durationSec = MERGE_OVERHEAD_SEC + bytes / MERGE_RATE_BYTES_PER_SEC;
    return {
      durationSec,
      exitCode: 0,
      memory: steadyMemory(MERGE_MEMORY_MB),
      cpu: [{ start: 0, end: durationSec, cores: 1 }],
      complete: () => {
        const datasets = writeProducts(ctx, info, products);
        const site = info.stageout_mode === "grid" ? ctx.slot.site : "local";
        writeFileValue(
          ctx.fs,
          resolveIn(ctx.iwd, "merge_output.json"),
          MERGE_OUTPUT_FILE,
          mergeOutput(info.group_index, site, datasets),
        );
        const nJobs = writeWuMetrics(ctx, info);
        const bases = info.output_datasets.map((d) => d.unmerged_lfn_base);
        writeFileValue(
          ctx.fs,
          resolveIn(ctx.iwd, "cleanup_manifest.json"),
          CLEANUP_MANIFEST_FILE,
          cleanupManifest(bases, info.group_index, info.stageout_mode),
        );
        writeStdio(ctx, [
          `wms2_merge: ${products.length} output file(s), ${bytes} bytes, ${nJobs} proc metrics file(s)`,
        ]);
      },
    };
  };
}
