/**
 * `output_info.json`: what the planner tells the processing and merge jobs of one work unit
 * about its output datasets and stage-out (written only when datasets and the local PFN
 * prefix are known).
 */
import { z } from "zod";
import { parseJsonText, readTextFile, writeJsonFile } from "./json-io.js";

export type StageoutMode = "local" | "grid";

export interface OutputDatasetInfo {
  dataset_name: string;
  merged_lfn_base: string;
  unmerged_lfn_base: string;
  data_tier: string;
}

export interface OutputInfo {
  output_datasets: OutputDatasetInfo[];
  local_pfn_prefix: string;
  stageout_mode: StageoutMode;
  group_index: number;
  /** Bytes. */
  max_merge_size: number;
  proc_node_indices: number[];
}

/** Request stage-out modes `test` and `production` both mean grid stage-out. */
export function stageoutModeFor(requestMode: string): StageoutMode {
  return requestMode === "local" ? "local" : "grid";
}

const nonNegInt = z.number().int().nonnegative();

/**
 * Node indices, whole numbers ≥ 0, checked in one pass: a unit lists a hundred of them, and
 * a schema per element costs a parse each. A bad element is reported at its own index.
 */
const nodeIndices = z
  .custom<number[]>((v) => Array.isArray(v), { message: "expected an array" })
  .superRefine((values, ctx) => {
    for (let i = 0; i < values.length; i++) {
      const v: unknown = values[i];
      if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
        ctx.addIssue({ code: "custom", path: [i], message: "expected a whole number ≥ 0" });
        return;
      }
    }
  });

export const outputDatasetInfoSchema = z.looseObject({
  dataset_name: z.string().min(1),
  merged_lfn_base: z.string(),
  unmerged_lfn_base: z.string(),
  data_tier: z.string().min(1),
});

const outputInfoSchema = z.looseObject({
  output_datasets: z.array(outputDatasetInfoSchema),
  local_pfn_prefix: z.string(),
  stageout_mode: z.enum(["local", "grid"]),
  group_index: nonNegInt,
  max_merge_size: z.number().positive(),
  proc_node_indices: nodeIndices,
});

/** Validate the text of an `output_info.json` (`file` names it in errors). */
export function parseOutputInfo(text: string, file: string): OutputInfo {
  const r = parseJsonText(text, file, outputInfoSchema);
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

export function readOutputInfo(file: string): OutputInfo {
  return parseOutputInfo(readTextFile(file), file);
}

export function writeOutputInfo(file: string, info: OutputInfo): void {
  writeJsonFile(file, info);
}
