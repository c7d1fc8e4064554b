export { artifactDirOf, checkArtifactName, writeArtifactFile } from "./artifacts.js";
export {
  compareRuns,
  DEFAULT_TOLERANCES,
  type Regression,
  type RegressionKind,
  type Tolerances,
} from "./compare.js";
export {
  type HeadlineMetrics,
  headlineMetrics,
  stepCpuShare,
  stepJobRssMb,
  weightedStepCpuShare,
  workflowCpuEff,
  workflowPeakRssMb,
} from "./metrics.js";
export { applyMigrations, MIGRATIONS, type Migration, SCHEMA_VERSION } from "./migrations.js";
export { DEFAULT_BUSY_TIMEOUT_MS, type OpenDbOptions, openResultsDb } from "./open-db.js";
export {
  APPLICATION_ID,
  DB_FILE_NAME,
  INSERT_RESULT_SQL,
  INSERT_RUN_SQL,
  type RunMeta,
  resultRowParams,
  runRowParams,
} from "./schema.js";
export {
  type ArtifactEntry,
  countStatuses,
  emptyCounts,
  type LoadedRun,
  openStore,
  ResultsStore,
  type RunCounts,
} from "./store.js";
export { workflowResultProblem, workflowResultSchema } from "./validate.js";
export { formatWfId } from "./wf-id.js";
