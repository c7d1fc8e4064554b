/**
 * The sandbox manifest as the simulated processing wrapper reads it (formats.md §7.9): which
 * file (the tuned copy wins when the job's `transfer_input_files` lists it), its validation,
 * and the StepProfile of each step rebuilt from the manifest's snake_case model fields.
 */
import { posix } from "node:path";
import { z } from "zod";
import { parseJsonText } from "../../src/artifacts/json-io.js";
import {
  manifestTuningShape,
  type SandboxManifest,
  simulatorManifestStepSchema,
  syntheticManifestSchema,
} from "../../src/artifacts/sandbox-manifest.js";
import type { StepProfile } from "../../src/model/workflow.js";
import { submitValues } from "../dagman/submit-job.js";
import type { SimFs } from "../fs.js";
import { readSharedIfFile, readSharedIn, submitList, unitInputPath } from "./job-io.js";
import type { JobContext } from "./types.js";

export const MANIFEST = "manifest.json";
export const TUNED_MANIFEST = "manifest_tuned.json";

/**
 * Model defaults for a step that lacks a key (matrix.md §3.4): serial fraction 0.10,
 * 1500 MB base, 250 MB/thread, 0.05 s/event, 50 KB/event; the reference's linear law; no
 * fixed overhead, filter, tmpfs, subprocess or noise.
 */
export const STEP_MODEL_DEFAULTS = {
  serial_fraction: 0.1,
  scaling: "linear",
  base_memory_mb: 1500,
  marginal_per_thread_mb: 250,
  wall_sec_per_event: 0.05,
  fixed_overhead_sec: 0,
  output_size_per_event_kb: 50,
  filter_efficiency: 1,
  tmpfs_mb: 0,
  subprocess_memory_mb: 0,
  noise: 0,
} as const;

const posInt = z.number().int().positive();
const nonNeg = z.number().nonnegative();

/**
 * A step as the simulated wrapper reads it: the artifact model's simulator step keys, all
 * optional but the name (defaults apply), plus the simulator's own model keys.
 */
const stepSchema = simulatorManifestStepSchema.partial().extend({
  name: z.string().min(1),
  scaling: z.enum(["amdahl", "linear"]).optional(),
  fixed_overhead_sec: nonNeg.optional(),
  filter_efficiency: z.number().min(0).max(1).optional(),
  tmpfs_mb: nonNeg.optional(),
  subprocess_memory_mb: nonNeg.optional(),
  noise: nonNeg.optional(),
});
export type ManifestStep = z.output<typeof stepSchema>;

const manifestSchema = z.discriminatedUnion("mode", [
  syntheticManifestSchema,
  z.looseObject({
    mode: z.literal("simulator"),
    steps: z.array(stepSchema).min(1),
    ...manifestTuningShape,
  }),
  z.looseObject({
    mode: z.literal("cmssw"),
    steps: z.array(stepSchema).default([]),
    multicore: posInt.optional(),
    ...manifestTuningShape,
  }),
]);

/** A validated manifest and the file it came from. */
export interface JobManifest {
  file: string;
  /** The file's base name (`manifest.json` or `manifest_tuned.json`), as the wrapper prints it. */
  name: string;
  /** True when it is the tuned copy (the wrapper then ignores `--ncpus`). */
  tuned: boolean;
  manifest: SandboxManifest;
}

function parseManifest(text: string, file: string): SandboxManifest {
  return parseJsonText(text, file, manifestSchema) as SandboxManifest;
}

/** Read and validate a manifest file (shared by the jobs of a work unit: see `readSharedIn`). */
export function readManifestIn(fs: SimFs, file: string): SandboxManifest {
  return readSharedIn(fs, file, parseManifest);
}

/** The last `transfer_input_files` looked at (a unit's jobs list the same files). */
let lastInputs: { value: string | undefined; tuned: string | undefined } = {
  value: undefined,
  tuned: undefined,
};

/** The entry of `transfer_input_files` naming the tuned manifest, if any. */
function tunedListed(value: string | undefined): string | undefined {
  if (value !== lastInputs.value) {
    const tuned = submitList(value).find((f) => posix.basename(f) === TUNED_MANIFEST);
    lastInputs = { value, tuned };
  }
  return lastInputs.tuned;
}

/**
 * The manifest the wrapper uses: `manifest_tuned.json` when the submit file's
 * `transfer_input_files` lists it (the listed path, else the copy in the iwd), otherwise
 * `<iwd>/manifest.json`. Undefined when the chosen file does not exist (the real job's
 * input transfer would fail).
 */
export function readJobManifest(ctx: JobContext): JobManifest | undefined {
  const listed = tunedListed(submitValues(ctx.submit).get("transfer_input_files"));
  if (listed === undefined) return manifestIn(ctx, unitInputPath(ctx.iwd, MANIFEST), MANIFEST);
  // The listed path names the tuned manifest (see tunedListed).
  return (
    manifestIn(ctx, unitInputPath(ctx.iwd, listed), TUNED_MANIFEST) ??
    manifestIn(ctx, unitInputPath(ctx.iwd, TUNED_MANIFEST), TUNED_MANIFEST)
  );
}

/** The manifest in `file` (whose base name is `name`), if there is one. */
function manifestIn(ctx: JobContext, file: string, name: string): JobManifest | undefined {
  const manifest = readSharedIfFile(ctx.fs, file, parseManifest);
  const tuned = name === TUNED_MANIFEST;
  return manifest === undefined ? undefined : { file, name, tuned, manifest };
}

/**
 * The steps of a simulator or cmssw manifest; a legacy single-step cmssw manifest (no
 * `steps`) is one step named `cmsRun` with the top-level `multicore`.
 */
export function manifestSteps(m: SandboxManifest): ManifestStep[] {
  if (m.mode === "synthetic") return [];
  if (m.steps.length > 0) return m.steps as ManifestStep[];
  const multicore = m.mode === "cmssw" ? m.multicore : undefined;
  return [{ name: "cmsRun", multicore, keep_output: true }];
}

/** The StepProfile of a manifest step (missing keys take STEP_MODEL_DEFAULTS). */
export function stepProfileOf(step: ManifestStep, file: string): StepProfile {
  const d = STEP_MODEL_DEFAULTS;
  const tier = step.data_tier || step.name;
  return {
    name: step.name,
    serialFraction: step.serial_fraction ?? d.serial_fraction,
    scaling: step.scaling ?? d.scaling,
    baseMemoryMb: step.base_memory_mb ?? d.base_memory_mb,
    marginalPerThreadMb: step.marginal_per_thread_mb ?? d.marginal_per_thread_mb,
    wallSecPerEvent: step.wall_sec_per_event ?? d.wall_sec_per_event,
    fixedOverheadSec: step.fixed_overhead_sec ?? d.fixed_overhead_sec,
    outputSizePerEventKb: step.output_size_per_event_kb ?? d.output_size_per_event_kb,
    filterEfficiency: step.filter_efficiency ?? d.filter_efficiency,
    tmpfsMb: step.tmpfs_mb ?? d.tmpfs_mb,
    subprocessMemoryMb: step.subprocess_memory_mb ?? d.subprocess_memory_mb,
    dataTier: tier,
    outputModule: step.output_module || `${tier}output`,
    noise: step.noise ?? d.noise,
    source: "sandbox manifest",
    sourceFile: file,
  };
}
