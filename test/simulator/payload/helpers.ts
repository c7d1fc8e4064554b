/** Builders of work-unit files on a MemFs and of job/script contexts for the payload tests. */

import { RngStreams } from "../../../simulator/core/rng.js";
import { submitRequest } from "../../../simulator/dagman/submit-job.js";
import { MemFs } from "../../../simulator/fs.js";
import type { JobContext, JobPlan, Rand, ScriptContext } from "../../../simulator/payload/types.js";
import { submitGet } from "../../../src/dagman/model.js";
import { parseArguments } from "../../../src/dagman/submit-args.js";
import { parseSubmit } from "../../../src/dagman/submit-parse.js";

export const WF = "/wf";
export const GROUP = "/wf/mg_000000";
export const PFX = "/wf/storage";

export function rand(seed: string | number = "test"): Rand {
  return new RngStreams(seed).stream("payload/test");
}

/** A Rand that fails when drawn from (to prove nothing is drawn). */
export const noDraws: Rand = {
  uniform: () => {
    throw new Error("unexpected draw");
  },
  normal: () => {
    throw new Error("unexpected draw");
  },
};

type Json = Record<string, unknown>;

/** The reference profiles (matrix.md §3.4) as manifest steps. */
export function step(kind: "GEN" | "DIGI" | "RECO", over: Json = {}): Json {
  const base: Record<string, Json> = {
    GEN: {
      name: "GEN-SIM",
      data_tier: "GEN-SIM",
      serial_fraction: 0.3,
      base_memory_mb: 1500,
      marginal_per_thread_mb: 250,
      wall_sec_per_event: 0.05,
      output_size_per_event_kb: 50,
    },
    DIGI: {
      name: "DIGI",
      data_tier: "DIGI",
      serial_fraction: 0.1,
      base_memory_mb: 1800,
      marginal_per_thread_mb: 300,
      wall_sec_per_event: 0.03,
      output_size_per_event_kb: 30,
    },
    RECO: {
      name: "RECO",
      data_tier: "RECO",
      serial_fraction: 0.1,
      base_memory_mb: 1800,
      marginal_per_thread_mb: 300,
      wall_sec_per_event: 0.03,
      output_size_per_event_kb: 20,
    },
  };
  return {
    multicore: 8,
    output_module: `${base[kind].data_tier}output`,
    keep_output: kind === "RECO",
    scaling: "linear",
    fixed_overhead_sec: 0,
    filter_efficiency: 1,
    tmpfs_mb: 0,
    subprocess_memory_mb: 0,
    noise: 0,
    ...base[kind],
    ...over,
  };
}

export function simManifest(
  steps: Json[] = [step("GEN"), step("DIGI"), step("RECO")],
  top: Json = {},
): Json {
  return { mode: "simulator", steps, ...top };
}

export function outputInfo(tiers = ["GEN-SIM", "DIGI", "RECO"], over: Json = {}): Json {
  return {
    output_datasets: tiers.map((t) => ({
      dataset_name: `/TestPrimary/Test-v1/${t}`,
      merged_lfn_base: `/store/mc/Test/TestPrimary/${t}/v1`,
      unmerged_lfn_base: `/store/unmerged/Test/TestPrimary/${t}/v1`,
      data_tier: t,
    })),
    local_pfn_prefix: PFX,
    stageout_mode: "local",
    group_index: 0,
    max_merge_size: 4294967296,
    proc_node_indices: [0, 1],
    ...over,
  };
}

export function unmergedDir(tier: string): string {
  return `${PFX}/store/unmerged/Test/TestPrimary/${tier}/v1/000000`;
}

export function mergedDir(tier: string): string {
  return `${PFX}/store/mc/Test/TestPrimary/${tier}/v1/000000`;
}

export function writeJson(fs: MemFs, path: string, value: unknown): void {
  fs.writeText(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function readJson<T = Json>(fs: MemFs, path: string): T {
  return JSON.parse(fs.readText(path)) as T;
}

/** A processing submit file as the planner writes it (the parts the model reads). */
export function procSubmitText(
  n: number,
  opts: { events?: number; ncpus?: number; tuned?: boolean; memory?: number } = {},
): string {
  const events = opts.events ?? 10;
  const first = n * events + 1;
  const last = first + events - 1;
  const inputs = `../sandbox.tar.gz,output_info.json,manifest.json${opts.tuned ? `, ${GROUP}/manifest_tuned.json` : ""}`;
  return [
    `# Processing node proc_${String(n).padStart(6, "0")} of merge group 0`,
    "universe = vanilla",
    "executable = ../wms2_proc.sh",
    `arguments = --sandbox sandbox.tar.gz --input synthetic://gen/events_${first}_${last} --node-index ${n} --output-info output_info.json --first-event ${first} --last-event ${last} --events-per-job ${events} --ncpus ${opts.ncpus ?? 8}`,
    `output = proc_${String(n).padStart(6, "0")}.out`,
    `error = proc_${String(n).padStart(6, "0")}.err`,
    `log = proc_${String(n).padStart(6, "0")}.log`,
    `request_cpus = ${opts.ncpus ?? 8}`,
    `request_memory = ${opts.memory ?? 8192}`,
    `transfer_input_files = ${inputs}`,
    "transfer_output_files =",
    "Requirements =",
    "queue 1",
    "",
  ].join("\n");
}

/** A MemFs holding a work unit: manifest, output_info and `procs` proc submit files. */
export function seedGroup(
  opts: { manifest?: Json; info?: Json | null; procs?: number; events?: number; fs?: MemFs } = {},
): MemFs {
  const fs = opts.fs ?? new MemFs();
  writeJson(fs, `${GROUP}/manifest.json`, opts.manifest ?? simManifest());
  if (opts.info !== null) writeJson(fs, `${GROUP}/output_info.json`, opts.info ?? outputInfo());
  for (let n = 0; n < (opts.procs ?? 2); n++) {
    const name = `proc_${String(n).padStart(6, "0")}`;
    fs.writeText(`${GROUP}/${name}.sub`, procSubmitText(n, { events: opts.events }));
  }
  return fs;
}

/** The context of a job whose submit file is `<GROUP>/<node>.sub`. */
export function jobCtx(fs: MemFs, node: string, over: Partial<JobContext> = {}): JobContext {
  const submitFile = `${GROUP}/${node}.sub`;
  const submit = parseSubmit(fs.readText(submitFile), submitFile);
  const { output, error } = submitRequest(submit, submitFile, node);
  return {
    fs,
    iwd: GROUP,
    submit,
    argv: parseArguments(submitGet(submit, "arguments") ?? ""),
    executable: submitGet(submit, "executable") ?? "",
    nodeName: node,
    submitFile: `mg_000000/${node}.sub`,
    output,
    error,
    attempt: 0,
    clusterId: 1000,
    startTime: 1_700_000_000,
    slot: { cpus: 8, memoryMb: 16000, site: "T2_CH_CERN", machine: "wn-01" },
    rand: rand(node),
    ...over,
  };
}

/** Start a job and complete it at its planned end. */
export function runJob(model: (ctx: JobContext) => JobPlan, ctx: JobContext): JobPlan {
  const plan = model(ctx);
  plan.complete(ctx.startTime + plan.durationSec);
  return plan;
}

export function scriptCtx(fs: MemFs, over: Partial<ScriptContext> = {}): ScriptContext {
  return {
    fs,
    iwd: GROUP,
    dagFile: `${GROUP}/group.dag`,
    node: "proc_000000",
    kind: "POST",
    args: [],
    now: 1_700_000_000,
    attempt: 0,
    maxRetries: 5,
    rand: rand("script"),
    ...over,
  };
}
