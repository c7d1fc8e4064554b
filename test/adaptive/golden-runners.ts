/**
 * Calls the port for one recorded case: reference function name → port call. Inputs
 * whose keys are identifiers are converted to camelCase; on-disk shapes (work-unit
 * summaries, the step-metrics history) are passed as recorded.
 */
import { join } from "node:path";
import {
  type AdaptiveParams,
  type AnalyzedMetrics,
  analyzeProbeMetrics,
  analyzeWuMetrics,
  computeAllStepSplit,
  computeJobSplit,
  computePerStepNthreads,
  computeRoundOptimization,
  computeThroughputOptimization,
  type JobSplitDecision,
  type JobSplitInput,
  jobsPerWuFromWriteMb,
  loadCgroupMetrics,
  type ManifestStepTuning,
  mergeRoundMetrics,
  nearestPowerOf2,
  type PerStepOptions,
  patchWuManifests,
  type RoundParams,
  rewriteWuForJobSplit,
  type StepMetricsHistoryJson,
  type WorkUnitSummaryJson,
  wuMetricsToAnalyzed,
} from "../../src/adaptive/index.js";
import { stepResources } from "../../src/model/step-resources.js";
import { camelize } from "./golden-harness.js";

type Inputs = Record<string, unknown>;
/** Runs a case; `root` is the temporary tree of file-system cases. */
type Runner = (inputs: Inputs, root: string) => unknown;

const c = <T>(v: unknown) => camelize(v) as T;

/** Every input except the named ones, camelized (the optional keyword arguments). */
function rest(inputs: Inputs, ...skip: string[]): Record<string, unknown> {
  return c(Object.fromEntries(Object.entries(inputs).filter(([k]) => !skip.includes(k))));
}

const num = (v: unknown) => v as number;

export const RUNNERS: Record<string, Runner> = {
  nearest_power_of_2: (i) => nearestPowerOf2(num(i.n)),
  wu_metrics_to_analyzed: (i) => wuMetricsToAnalyzed(i.wu_data as WorkUnitSummaryJson),
  analyze_wu_metrics: (i, root) =>
    analyzeWuMetrics(join(root, i.group_dir as string), i.exclude_nodes as string[] | null),
  load_cgroup_metrics: (i, root) =>
    loadCgroupMetrics(join(root, i.group_dir as string), i.exclude_nodes as string[] | null),
  merge_round_metrics: (i) =>
    mergeRoundMetrics(c<AnalyzedMetrics[]>(i.round_metrics), num(i.original_nthreads)),
  compute_per_step_nthreads: (i) =>
    computePerStepNthreads(
      c<AnalyzedMetrics>(i.metrics),
      num(i.original_nthreads),
      rest(i, "metrics", "original_nthreads") as PerStepOptions,
    ),
  compute_all_step_split: (i) =>
    computeAllStepSplit(
      c<AnalyzedMetrics>(i.metrics),
      num(i.original_nthreads),
      num(i.request_cpus),
      num(i.request_memory_mb),
      rest(i, "metrics", "original_nthreads", "request_cpus", "request_memory_mb"),
    ),
  compute_job_split: (i) =>
    computeJobSplit(c<AnalyzedMetrics>(i.metrics), rest(i, "metrics") as unknown as JobSplitInput),
  compute_throughput_optimization: (i) =>
    computeThroughputOptimization(
      c<AnalyzedMetrics>(i.merged),
      num(i.current_events_per_job),
      num(i.target_wall_time_sec),
      rest(i, "merged", "current_events_per_job", "target_wall_time_sec"),
    ),
  patch_wu_manifests: (i, root) => ({
    result: patchWuManifests(
      join(root, i.group_dir as string),
      c<Record<string, ManifestStepTuning>>(i.per_step),
      rest(i, "files", "group_dir", "per_step"),
    ),
  }),
  rewrite_wu_for_job_split: (i, root) => ({
    // The recorded files are the reference's layout; max_memory_per_core_mb is unused.
    result: rewriteWuForJobSplit(
      join(root, i.group_dir as string),
      c<JobSplitDecision>(i.split_result),
      {
        splitTmpfs: i.split_tmpfs as boolean | undefined,
        layout: "reference",
      },
    ),
  }),
  compute_round_optimization: (i, root): AdaptiveParams =>
    computeRoundOptimization({
      ...(rest(
        i,
        "files",
        "submit_dir",
        "completed_wus",
        "inline_wu_metrics",
      ) as unknown as RoundParams),
      submitDir: join(root, i.submit_dir as string),
      completedWus: i.completed_wus as string[],
      inlineWuMetrics: i.inline_wu_metrics as WorkUnitSummaryJson[] | null | undefined,
    }),
  compute_jobs_per_wu_from_write_mb: (i) =>
    jobsPerWuFromWriteMb(
      i.step_metrics as StepMetricsHistoryJson,
      num(i.target_merged_size_kb),
      num(i.max_jobs),
      rest(i, "step_metrics", "target_merged_size_kb", "max_jobs"),
    ),
  analyze_probe_metrics: (i, root) =>
    analyzeProbeMetrics(join(root, i.group_dir as string), i.probe_node_name as string),
  // The reference simulator's resource model (adaptive.md §19.2) is the project's step
  // resource law with the linear scaling and no fixed overhead.
  compute_resource_profile: (i) => {
    const step = i.step as Record<string, number>;
    const r = stepResources(
      {
        name: "golden",
        serialFraction: step.serial_fraction ?? 0.1,
        scaling: "linear",
        baseMemoryMb: step.base_memory_mb ?? 1500,
        marginalPerThreadMb: step.marginal_per_thread_mb ?? 250,
        wallSecPerEvent: step.wall_sec_per_event ?? 0.05,
        fixedOverheadSec: 0,
        outputSizePerEventKb: 0,
        filterEfficiency: 1,
        tmpfsMb: 0,
        subprocessMemoryMb: 0,
        dataTier: "",
        outputModule: "",
        noise: 0,
        source: "",
        sourceFile: "",
      },
      num(i.ncpus),
      num(i.events),
    );
    return {
      effCores: r.speedup,
      cpuEfficiency: r.cpuEfficiency,
      peakRssMb: r.peakRssMb,
      wallSec: r.wallSec,
      cpuTimeSec: r.cpuSec,
    };
  },
};

/** Functions recorded in the fixtures that belong to another part of the project. */
export const NOT_PORTED_HERE: Record<string, string> = {};
