/**
 * Which unmerged files of a work unit the merge job copies as they are and which it merges
 * together, per output dataset.
 */

import type { StageoutMode } from "./output-info.js";
import { isDqmTier, isNanoTier, tierMatches } from "./tier.js";

export interface MergeInputFile {
  lfn: string;
  tier: string;
  sizeBytes: number;
}

export interface MergeDatasetRef {
  dataset_name: string;
  data_tier: string;
}

/** `nano`: NANO merger (EDM NANO becomes flat NANO); `dqm`: DQMIO merger; else EDM merge. */
export type MergeMode = "edm" | "nano" | "dqm";

export interface DatasetMergePlan {
  datasetName: string;
  dataTier: string;
  mode: MergeMode;
  /** Copied unmerged: oversized files and batches of one. */
  copied: MergeInputFile[];
  /** Each batch (≥ 2 files) becomes one merged file. */
  batches: MergeInputFile[][];
}

export interface MergePlan {
  datasets: DatasetMergePlan[];
  /** Files whose tier matches no dataset (skipped with a warning: no stage-out, no merge). */
  unmatched: MergeInputFile[];
}

/** Files at or above this fraction of the maximum merge size are not merged. */
export const OVERSIZED_FRACTION = 0.75;

export function mergeModeFor(tier: string): MergeMode {
  if (isNanoTier(tier)) return "nano";
  return isDqmTier(tier) ? "dqm" : "edm";
}

/**
 * Plan the merge. Per dataset, files are those whose tier matches it (§8 rules; input order
 * kept). Oversized files are copied: in grid mode each file ≥ 0.75·maxMergeSize, in local
 * mode all of them when their average is ≥ that. The rest are batched greedily (a batch is
 * closed when the next file would take it past maxMergeSize); a batch of one is copied.
 */
export function planMerge(
  files: readonly MergeInputFile[],
  datasets: readonly MergeDatasetRef[],
  maxMergeSize: number,
  stageoutMode: StageoutMode,
): MergePlan {
  const threshold = OVERSIZED_FRACTION * maxMergeSize;
  const matched = new Set<MergeInputFile>();
  const plans = datasets.map((ds): DatasetMergePlan => {
    const mine = files.filter((f) => tierMatches(f.tier, ds.data_tier));
    for (const f of mine) matched.add(f);
    const copied: MergeInputFile[] = [];
    let toMerge: MergeInputFile[];
    if (stageoutMode === "grid") {
      copied.push(...mine.filter((f) => f.sizeBytes >= threshold));
      toMerge = mine.filter((f) => f.sizeBytes < threshold);
    } else {
      const avg = mine.length ? mine.reduce((a, f) => a + f.sizeBytes, 0) / mine.length : 0;
      toMerge = mine.length > 0 && avg >= threshold ? [] : mine;
      if (toMerge.length === 0) copied.push(...mine);
    }
    const batches: MergeInputFile[][] = [];
    let current: MergeInputFile[] = [];
    let size = 0;
    for (const f of toMerge) {
      if (current.length > 0 && size + f.sizeBytes > maxMergeSize) {
        batches.push(current);
        current = [];
        size = 0;
      }
      current.push(f);
      size += f.sizeBytes;
    }
    if (current.length > 0) batches.push(current);
    for (const b of batches) if (b.length === 1) copied.push(b[0]);
    return {
      datasetName: ds.dataset_name,
      dataTier: ds.data_tier,
      mode: mergeModeFor(ds.data_tier),
      copied,
      batches: batches.filter((b) => b.length > 1),
    };
  });
  return { datasets: plans, unmatched: files.filter((f) => !matched.has(f)) };
}
