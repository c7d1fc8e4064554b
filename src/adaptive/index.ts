/** Public API of the adaptive algorithms (adaptive.md). */
export { aggregateCgroup, cgroupFromJson, loadCgroupMetrics } from "./cgroup.js";
export * from "./constants.js";
export { MAX_POWER_OF_2, nearestPowerOf2, peakRss, weightedCpuEff } from "./effective-cores.js";
export { NoMetricsError } from "./errors.js";
export { computeJobSplit, type JobSplitInput } from "./job-split.js";
export { plannerGroupDag, referenceGroupDag } from "./job-split-dag.js";
export { type EventRange, oldEventRange, splitEventRanges } from "./job-split-events.js";
export {
  type JobSplitDecision,
  type JobSplitRewriteOptions,
  type JobSplitRewritePlan,
  type JobSplitRewriteResult,
  planJobSplitRewrite,
  type RewriteLayout,
  rewriteWuForJobSplit,
  splitNodeNames,
  type WorkUnitFiles,
} from "./job-split-rewrite.js";
export {
  type NewProcJob,
  type ProcTemplate,
  parseProcTemplate,
  plannerProcSubmit,
  referenceProcSubmit,
  splitJobArguments,
} from "./job-split-submit.js";
export {
  type ManifestPatchOptions,
  type ManifestPatchResult,
  type ManifestStepTuning,
  patchProcSubmit,
  patchWuManifests,
  TUNED_MANIFEST,
  tuneManifest,
} from "./manifest-patch.js";
export { mergeRoundMetrics } from "./merge-rounds.js";
export { excludedNodeIndices, metricsSearchDirs } from "./metric-files.js";
export { computePerStepNthreads, fitInstances, type PerStepOptions } from "./per-step.js";
export { computeAllStepSplit, type PipelineSplitOptions } from "./pipeline-split.js";
export {
  analyzeProbeMetrics,
  chooseProbeNode,
  jobPeakMemoryFromLog,
  type ProbeMetrics,
  probeManifest,
  probeMetricsFromEntries,
  probeSubmit,
} from "./probe.js";
export { injectProbe, type ProbeInjection } from "./probe-inject.js";
export { floorDiv, isTruthy, mean, median, roundHalfEven, roundTo, truncInt } from "./py-arith.js";
export {
  decisionsFileName,
  GRIDPACK_TMPFS_CUTOFF_MB,
  type ReplanResult,
  runReplan,
} from "./replan.js";
export {
  formatReplanArgv,
  parseReplanArgv,
  REPLAN_USAGE,
  type ReplanOptions,
} from "./replan-args.js";
export { type DecisionJson, type ReplanMode, replanMode } from "./replan-decisions.js";
export {
  analyzePriorWorkUnits,
  type NextWorkUnit,
  type PriorAnalysis,
  readNextWorkUnit,
  wuMetricsProblem,
} from "./replan-inputs.js";
export {
  type FirstRoundMemory,
  firstRoundMemory,
  MemoryPerCoreError,
  type MemoryWindow,
} from "./request-memory.js";
export {
  type AdaptiveParams,
  collectRoundMetrics,
  computeRoundOptimization,
  type MetricsSummary,
  optimizeRound,
  type RoundMemorySource,
  type RoundOptimizationInput,
  type RoundParams,
} from "./round-optimization.js";
export { computeThroughputOptimization, type ThroughputOptions } from "./throughput.js";
export * from "./types.js";
export { analyzeWuMetrics, collectJobMetrics, summarizeMetrics } from "./wu-metrics.js";
export {
  jobsPerWuFromWriteMb,
  OVERSIZED_FRACTION,
  type StepMetricsHistoryJson,
  type WuSizingOptions,
} from "./wu-sizing.js";
export { summaryStepIndex, wuMetricsToAnalyzed } from "./wu-summary.js";
export {
  inputList,
  jobEventRange,
  raiseRequestMemory,
  setRequestMemory,
  summarizeWuRequests,
  switchOnTmpfs,
  type WuRequestSummary,
  withTunedInput,
} from "./wu-switches.js";
