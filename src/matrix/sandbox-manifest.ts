import { InputError } from "../model/errors.js";
import type { RequestStep, StepProfile, WorkflowDef } from "../model/workflow.js";

/** The per-step resource model as the sandbox manifest carries it (snake_case on disk). */
export function profileManifestFields(p: StepProfile): Record<string, unknown> {
  return {
    serial_fraction: p.serialFraction,
    scaling: p.scaling,
    base_memory_mb: p.baseMemoryMb,
    marginal_per_thread_mb: p.marginalPerThreadMb,
    wall_sec_per_event: p.wallSecPerEvent,
    fixed_overhead_sec: p.fixedOverheadSec,
    output_size_per_event_kb: p.outputSizePerEventKb,
    filter_efficiency: p.filterEfficiency,
    tmpfs_mb: p.tmpfsMb,
    subprocess_memory_mb: p.subprocessMemoryMb,
    noise: p.noise,
  };
}

function stepProfile(
  wf: WorkflowDef,
  step: RequestStep,
  profiles: Map<string, StepProfile>,
): StepProfile {
  if (!step.profile) {
    throw new InputError(
      `${wf.sourceFile}: entry ${wf.id}: field request.steps.${step.name}.profile: a ${wf.mode} step needs a simulator profile`,
    );
  }
  const p = profiles.get(step.profile);
  if (!p) {
    throw new InputError(
      `${wf.sourceFile}: entry ${wf.id}: field request.steps.${step.name}.profile: unknown profile "${step.profile}"`,
    );
  }
  return p;
}

/** Which steps keep their output: explicit flags, else steps whose tier is an output dataset, else the last. */
function keepFlags(wf: WorkflowDef, tiers: string[]): boolean[] {
  const steps = wf.request.steps;
  if (steps.some((s) => s.keepOutput !== undefined)) return steps.map((s) => s.keepOutput === true);
  const wanted = new Set(wf.outputDatasets.map((d) => d.dataTier));
  const byTier = tiers.map((t) => wanted.has(t));
  if (byTier.some(Boolean)) return byTier;
  return steps.map((_, i) => i === steps.length - 1);
}

/**
 * Build the sandbox manifest (manifest.json) of a catalog workflow: synthetic mode, the
 * simulator StepChain, or the cmsRun StepChain of a real request. Simulator and cmsRun
 * steps carry their resource model so the simulated cmsRun needs nothing but this file.
 */
export function buildManifest(
  wf: WorkflowDef,
  profiles: Map<string, StepProfile>,
  multicore = wf.multicore,
): Record<string, unknown> {
  const req = wf.request;
  if (wf.mode === "synthetic") {
    return {
      mode: "synthetic",
      size_per_event_kb: req.sizePerEvent,
      time_per_event_sec: req.timePerEvent,
      memory_mb: wf.memoryMb,
      output_tiers: wf.outputDatasets.map((d) => d.dataTier),
    };
  }
  const resolved = req.steps.map((s) => stepProfile(wf, s, profiles));
  const tiers = req.steps.map((s, i) => s.dataTier ?? resolved[i].dataTier ?? s.name);
  const keep = keepFlags(wf, tiers);
  const steps = req.steps.map((s, i) => {
    const p = resolved[i];
    const model = profileManifestFields(p);
    const common = {
      name: s.name,
      multicore,
      data_tier: tiers[i],
      output_module: p.outputModule || `${tiers[i]}output`,
      keep_output: keep[i],
    };
    if (wf.mode === "simulator") return { ...common, ...model };
    return {
      ...common,
      cmssw_version: s.cmsswVersion ?? "",
      scram_arch: s.scramArch ?? "",
      global_tag: s.globalTag ?? req.globalTag ?? "",
      pset: `steps/step${i + 1}/cfg.py`,
      memory_mb: wf.adaptive ? wf.memoryPerCoreMb * wf.multicore : wf.memoryMb,
      input_step: i === 0 ? "" : req.steps[i - 1].name,
      input_from_output_module: i === 0 ? "" : `${tiers[i - 1]}output`,
      request_num_events: req.requestNumEvents ?? 0,
      ...model,
    };
  });
  return wf.mode === "simulator"
    ? { mode: "simulator", steps }
    : { mode: "cmssw", request_name: req.requestName, steps };
}
