/**
 * The sandbox `manifest.json` (and its tuned copy `manifest_tuned.json`) read by the job
 * wrapper: one of three modes. Tuning changes per-step `multicore` (= nThreads) and
 * `n_parallel`, and top-level `n_pipelines` and `split_tmpfs`; unknown keys are kept so a
 * tuned copy stays a full copy.
 */
import { z } from "zod";
import { parseJsonText, readTextFile, writeJsonFile } from "./json-io.js";

export interface SyntheticManifest {
  mode: "synthetic";
  size_per_event_kb: number;
  time_per_event_sec: number;
  memory_mb: number;
  output_tiers: string[];
  [key: string]: unknown;
}

/** Tuning keys a replan may set on a step. */
export interface StepTuningKeys {
  multicore: number;
  n_parallel?: number;
}

export interface SimulatorManifestStep extends StepTuningKeys {
  name: string;
  serial_fraction: number;
  base_memory_mb: number;
  marginal_per_thread_mb: number;
  wall_sec_per_event: number;
  output_size_per_event_kb: number;
  output_module: string;
  data_tier: string;
  keep_output: boolean;
  [key: string]: unknown;
}

export interface CmsswManifestStep extends StepTuningKeys {
  name: string;
  cmssw_version?: string;
  scram_arch?: string;
  global_tag?: string;
  /** `steps/step<K>/cfg.py`. */
  pset?: string;
  memory_mb?: number;
  keep_output?: boolean;
  input_step?: string | null;
  input_from_output_module?: string | null;
  mc_pileup?: string | null;
  data_pileup?: string | null;
  event_streams?: number | null;
  request_num_events?: number | null;
  config_cache_id?: string | null;
  [key: string]: unknown;
}

/** Top-level tuning keys. */
export interface ManifestTuningKeys {
  n_pipelines?: number;
  split_tmpfs?: boolean;
}

export interface SimulatorManifest extends ManifestTuningKeys {
  mode: "simulator";
  steps: SimulatorManifestStep[];
  [key: string]: unknown;
}

export interface CmsswManifest extends ManifestTuningKeys {
  mode: "cmssw";
  request_name?: string;
  steps: CmsswManifestStep[];
  /** Legacy single-step form keeps these at top level. */
  cmssw_version?: string;
  scram_arch?: string;
  global_tag?: string;
  multicore?: number;
  memory_mb?: number;
  [key: string]: unknown;
}

export type SandboxManifest = SyntheticManifest | SimulatorManifest | CmsswManifest;

const posInt = z.number().int().positive();
const nonNeg = z.number().nonnegative();
const optText = z.string().nullish();
/** Schemas of the top-level tuning keys (`ManifestTuningKeys`). */
export const manifestTuningShape = {
  n_pipelines: posInt.optional(),
  split_tmpfs: z.boolean().optional(),
};

export const syntheticManifestSchema = z.looseObject({
  mode: z.literal("synthetic"),
  size_per_event_kb: nonNeg,
  time_per_event_sec: nonNeg,
  memory_mb: nonNeg,
  output_tiers: z.array(z.string()),
});

export const simulatorManifestStepSchema = z.looseObject({
  name: z.string().min(1),
  serial_fraction: z.number().min(0).max(1),
  base_memory_mb: nonNeg,
  marginal_per_thread_mb: nonNeg,
  wall_sec_per_event: nonNeg,
  output_size_per_event_kb: nonNeg,
  multicore: posInt,
  n_parallel: posInt.optional(),
  output_module: z.string(),
  data_tier: z.string(),
  keep_output: z.boolean(),
});

const cmsswStepSchema = z.looseObject({
  name: z.string().min(1),
  cmssw_version: z.string().optional(),
  scram_arch: z.string().optional(),
  global_tag: z.string().optional(),
  pset: z.string().optional(),
  multicore: posInt.default(1),
  n_parallel: posInt.optional(),
  memory_mb: nonNeg.optional(),
  keep_output: z.boolean().optional(),
  input_step: optText,
  input_from_output_module: optText,
  mc_pileup: optText,
  data_pileup: optText,
  event_streams: z.number().int().nonnegative().nullish(),
  request_num_events: z.number().int().nonnegative().nullish(),
  config_cache_id: optText,
});

const simulatorSchema = z.looseObject({
  mode: z.literal("simulator"),
  steps: z.array(simulatorManifestStepSchema).min(1),
  ...manifestTuningShape,
});

const cmsswSchema = z.looseObject({
  mode: z.literal("cmssw"),
  request_name: z.string().optional(),
  steps: z.array(cmsswStepSchema).default([]),
  multicore: posInt.optional(),
  memory_mb: nonNeg.optional(),
  ...manifestTuningShape,
});

const manifestSchema = z.discriminatedUnion("mode", [
  syntheticManifestSchema,
  simulatorSchema,
  cmsswSchema,
]);

/** Validate the text of `manifest.json` / `manifest_tuned.json`. */
export function parseSandboxManifest(text: string, file: string): SandboxManifest {
  return parseJsonText(text, file, manifestSchema) as SandboxManifest;
}

/** Read and validate `manifest.json` / `manifest_tuned.json`. */
export function readSandboxManifest(file: string): SandboxManifest {
  return parseSandboxManifest(readTextFile(file), file);
}

export function writeSandboxManifest(file: string, manifest: SandboxManifest): void {
  writeJsonFile(file, manifest);
}

/**
 * Threads of each step as the wrapper runs it (`steps[i].multicore`, default 1); a legacy
 * single-step cmssw manifest uses its top-level `multicore`; synthetic mode has no steps.
 */
export function stepMulticore(manifest: SandboxManifest): number[] {
  if (manifest.mode === "synthetic") return [];
  if (manifest.steps.length === 0 && manifest.mode === "cmssw") return [manifest.multicore ?? 1];
  return manifest.steps.map((s) => s.multicore ?? 1);
}
