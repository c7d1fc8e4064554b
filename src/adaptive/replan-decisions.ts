/**
 * The `replan_<k>_decisions.json` record (formats.md §7.10) as plain snake_case JSON:
 * the inputs of the replan, the per-step tuning it chose, whether it tuned the next work
 * unit or kept it as planned (and why), and what it expects the next round to measure
 * (`projected_memory_mb`, `projected_step0_effective_cores`) for the convergence check.
 */
import { SANDBOX_OVERHEAD_MB } from "./constants.js";
import type { ProbeMetrics } from "./probe.js";
import type { ReplanOptions } from "./replan-args.js";
import type {
  AnalyzedMetrics,
  JobSplitResult,
  PerStepResult,
  PipelineSplitResult,
  StepTuning,
} from "./types.js";

export type DecisionJson = Record<string, unknown>;

export type ReplanMode = "per_step" | "pipeline" | "job_split";

export function replanMode(o: ReplanOptions): ReplanMode {
  if (o.jobSplit) return "job_split";
  return o.splitAllSteps ? "pipeline" : "per_step";
}

/** The fields every decision starts with, in the order of formats.md §7.10. */
export function baseDecision(
  o: ReplanOptions,
  originalNthreads: number,
  status: "tuned" | "kept",
  reason?: string,
): DecisionJson {
  const d: DecisionJson = { replan_index: o.replanIndex, status };
  if (reason !== undefined) d.reason = reason;
  Object.assign(d, {
    mode: replanMode(o),
    original_nthreads: originalNthreads,
    overcommit_max: o.overcommitMax,
    safety_margin: o.safetyMargin,
    n_pipelines: 1,
    memory_per_core_mb: o.memPerCoreMb,
    max_memory_per_core_mb: o.maxMemPerCoreMb,
    min_threads: o.minThreads,
  });
  return d;
}

/** Rounds analysed and the thread count each ran with. */
export function roundsFields(metrics: readonly AnalyzedMetrics[]): DecisionJson {
  return {
    rounds_analyzed: metrics.length,
    per_round_nthreads: metrics.map((m) => m.nthreads),
  };
}

/** The probe's measurement, as the report's probe line reads it. */
export function probeFields(probeNode: string, probe: ProbeMetrics | null): DecisionJson {
  const d: DecisionJson = { probe_node: probeNode };
  if (probe) {
    d.probe_num_instances = probe.numInstances;
    d.probe_rss_mb = probe.maxInstanceRssMb;
    d.probe_job_peak_total_mb = probe.jobPeakMb ?? 0;
  }
  return d;
}

function stepTuningJson(t: StepTuning): DecisionJson {
  const d: DecisionJson = {
    tuned_nthreads: t.tunedNthreads,
    n_parallel: t.nParallel,
    cpu_eff: t.cpuEff,
    effective_cores: t.effectiveCores,
    overcommit_applied: t.overcommitApplied,
    projected_rss_mb: t.projectedRssMb,
  };
  if (t.idealNParallel !== undefined) {
    Object.assign(d, {
      ideal_n_parallel: t.idealNParallel,
      ideal_memory_mb: t.idealMemoryMb,
      memory_source: t.memorySource,
      instance_mem_mb: t.instanceMemMb,
    });
  }
  return d;
}

function mapSteps<T>(steps: Record<string, T>, f: (t: T) => DecisionJson): DecisionJson {
  const out: DecisionJson = {};
  for (const key of Object.keys(steps).sort((a, b) => Number(a) - Number(b))) {
    out[key] = f(steps[key]);
  }
  return out;
}

function minCores(effectiveCores: number | undefined, threads: number | undefined): number | null {
  if (effectiveCores === undefined || threads === undefined) return null;
  return Math.min(effectiveCores, threads);
}

/** Per-step tuning: step-0 instances and overcommit (adaptive.md §10). */
export function perStepFields(r: PerStepResult, ideal: number, actual: number): DecisionJson {
  const s0 = r.perStep["0"];
  let projectedMemory: number | null = null;
  if (s0 && s0.nParallel > 1 && s0.instanceMemMb !== undefined) {
    projectedMemory = SANDBOX_OVERHEAD_MB + s0.nParallel * s0.instanceMemMb;
  } else {
    const projected = Object.values(r.perStep)
      .map((t) => t.projectedRssMb)
      .filter((v): v is number => v !== null);
    if (projected.length > 0) projectedMemory = Math.max(...projected);
  }
  return {
    ideal_memory_mb: ideal,
    actual_memory_mb: actual,
    per_step: mapSteps(r.perStep, stepTuningJson),
    projected_memory_mb: projectedMemory,
    projected_step0_effective_cores: minCores(s0?.effectiveCores, s0?.tunedNthreads),
  };
}

/** Pipeline split (adaptive.md §11). */
export function pipelineFields(r: PipelineSplitResult, actual: number): DecisionJson {
  const s0 = r.perStep["0"];
  const projected = Object.values(r.perStep).map((t) => t.projectedRssMb);
  return {
    n_pipelines: r.nPipelines,
    ideal_memory_mb: 0,
    actual_memory_mb: actual,
    per_step: mapSteps(r.perStep, (t) => ({
      tuned_nthreads: t.tunedNthreads,
      n_parallel: t.nParallel,
      cpu_eff: t.cpuEff,
      effective_cores: t.effectiveCores,
      overcommit_applied: t.overcommitApplied,
      projected_rss_mb: t.projectedRssMb,
    })),
    projected_memory_mb: projected.length > 0 ? r.nPipelines * Math.max(...projected) : null,
    projected_step0_effective_cores: minCores(s0?.effectiveCores, s0?.tunedNthreads),
  };
}

/**
 * Job split (adaptive.md §12). Its memory projection is the new request memory, unless
 * that sits at the window's floor (new cores × memory per core): then no measurement
 * drove it and there is nothing to check.
 */
export function jobSplitFields(
  r: JobSplitResult,
  w: { splitTmpfs: boolean; gridpackMb: number; memoryPerCoreMb: number },
): DecisionJson {
  const s0 = r.perStep["0"];
  const floor = r.newRequestCpus * w.memoryPerCoreMb;
  return {
    job_multiplier: r.jobMultiplier,
    tuned_nthreads: r.tunedNthreads,
    new_num_jobs: r.newNumJobs,
    new_events_per_job: r.newEventsPerJob,
    new_request_cpus: r.newRequestCpus,
    new_request_memory_mb: r.newRequestMemoryMb,
    memory_source: r.memorySource ?? "default",
    split_tmpfs: w.splitTmpfs,
    gridpack_disk_mb: w.gridpackMb,
    per_step: mapSteps(r.perStep, (t) => ({
      tuned_nthreads: t.tunedNthreads,
      n_parallel: t.nParallel,
      cpu_eff: t.cpuEff,
      effective_cores: t.effectiveCores,
      avg_rss_mb: t.avgRssMb,
      overcommit_applied: t.overcommitApplied,
      projected_rss_mb: t.projectedRssMb,
    })),
    projected_memory_mb: r.newRequestMemoryMb > floor ? r.newRequestMemoryMb : null,
    projected_step0_effective_cores: minCores(s0?.effectiveCores, r.tunedNthreads),
  };
}

/**
 * The per-step entries of a unit kept as planned: every step at the threads and
 * instances its manifest already gives.
 */
export function keptSteps(steps: readonly Record<string, unknown>[]): DecisionJson {
  const out: DecisionJson = {};
  steps.forEach((s, i) => {
    out[String(i)] = {
      tuned_nthreads: typeof s.multicore === "number" ? s.multicore : null,
      n_parallel: typeof s.n_parallel === "number" ? s.n_parallel : 1,
    };
  });
  return out;
}

/** One line for the replan's stdout. */
export function decisionSummary(d: DecisionJson): string {
  const head = `replan ${d.replan_index}`;
  if (d.status === "kept") return `${head}: kept the next work unit as planned: ${d.reason}`;
  const next = (d.next_wu ?? {}) as Record<string, unknown>;
  const jobs = `${next.num_jobs} jobs × ${next.request_cpus} cores, ${next.request_memory_mb} MB`;
  if (d.mode === "job_split") {
    return `${head}: job split ×${d.job_multiplier}: ${jobs}, ${d.new_events_per_job} events/job [${d.memory_source}]`;
  }
  const steps = Object.values((d.per_step ?? {}) as Record<string, Record<string, unknown>>);
  const threads = steps
    .map((s) =>
      (s.n_parallel as number) > 1
        ? `${s.n_parallel}×${s.tuned_nthreads}`
        : String(s.tuned_nthreads),
    )
    .join(", ");
  const pipes = (d.n_pipelines as number) > 1 ? `${d.n_pipelines} pipelines, ` : "";
  return `${head}: ${pipes}per-step threads [${threads}]: ${jobs}`;
}
