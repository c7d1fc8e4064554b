import type { DagModel, SubmitModel } from "../dagman/model.js";

/** An input file known to the data-management system. */
export interface InputFile {
  lfn: string;
  sizeBytes: number;
  events: number;
  /** Sites holding a replica, in the order the replica catalog returned them. */
  locations: string[];
  /** Luminosity sections (run:lumi numbers flattened to lumi ids) in the file, for lumi-based splitting. */
  lumis?: number[];
}

export type SplittingAlgo = "EventBased" | "FileBased" | "LumiBased" | "EventAwareLumiBased";

export interface SplittingParams {
  algo: SplittingAlgo;
  eventsPerJob?: number;
  filesPerJob?: number;
  lumisPerJob?: number;
}

/** The part of one input file a job reads. */
export interface InputSegment {
  lfn: string;
  /** Events to skip at the start of the file (0-based). */
  skipEvents: number;
  /** Events to read (-1 = to the end). */
  maxEvents: number;
  lumis?: number[];
}

/** One processing job as split from the request. */
export interface PlannedJob {
  /** Global node index within the DAG (proc_%06d uses it). */
  index: number;
  /** Input "LFNs": a synthetic GEN range or real file LFNs. */
  inputs: string[];
  segments: InputSegment[];
  /** GEN event range (1-based, inclusive); absent for file-based jobs. */
  firstEvent?: number;
  lastEvent?: number;
  /** Events the job is planned to process. */
  events: number;
  /** Luminosity section assigned to a GEN job (job index + 1). */
  lumi?: number;
  primaryLocation?: string;
}

export interface OutputDatasetPlan {
  datasetName: string;
  dataTier: string;
  mergedLfnBase: string;
  unmergedLfnBase: string;
}

export interface CategoryThrottles {
  Processing: number;
  Merge: number;
  Cleanup: number;
}

export type StageoutMode = "local" | "grid";

/** Everything the pure planner needs; built from a request/workflow row or a catalog entry. */
export interface PlanRequest {
  workflowId: string;
  requestName: string;
  /** Absolute submit directory the DAG files will be written to. */
  submitDir: string;
  splitting: SplittingParams;
  /** GEN (no input) when absent or empty. */
  inputFiles?: InputFile[];
  /** GEN target output events for this plan (already scaled by fractions). */
  targetEvents?: number;
  eventsProduced?: number;
  filterEfficiency?: number;
  /** First event number of this plan's GEN ranges (1 for the first round). */
  nextFirstEvent?: number;
  /** Files of the input already planned by earlier rounds. */
  fileOffset?: number;
  /** Cap on the number of processing jobs (adaptive rounds); absent = no cap. */
  maxJobs?: number;
  jobsPerWorkUnit: number;
  cpus: number;
  memoryMb: number;
  diskKb: number;
  mergeDiskKb?: number;
  outputDatasets: OutputDatasetPlan[];
  localPfnPrefix: string;
  stageoutMode: StageoutMode;
  categoryThrottles: CategoryThrottles;
  /** Round priority p (proc p, merge/cleanup p+10, landing max(p,5)+10). */
  priority: number;
  /** RETRY count of each mg_ node in the outer DAG (0 = no RETRY line). */
  wuRetryCount: number;
  /** The sandbox manifest (manifest.json) every work unit carries. */
  manifest: Record<string, unknown>;
  sandboxName: string;
  /** condor pool: local (site election writes "local") or global. */
  pool: "local" | "global";
  accountingGroupUser: string;
  extraClassAds: Record<string, string>;
  allowedSites: string[];
  bannedSites: string[];
  /** Round index (0 = first); informational in comments and blocks. */
  round: number;
  /** Measured wall seconds per event, when known: adds a wall-time limit. */
  measuredWallPerEventSec?: number;
  /** Idle timeout (s) for proc jobs; landing/merge/cleanup use min(this, 14400). */
  idleTimeoutSec: number;
  maxMergeSizeBytes: number;
  /** Command that runs this project's CLI on the access point (used by POST scripts and replan nodes). */
  wms2Command: string;
}

/** A processing block: a set of work units whose output of one dataset forms one DBS block. */
export interface ProcessingBlockPlan {
  datasetName: string;
  blockIndex: number;
  round: number;
  workUnits: string[];
}

/** One work unit (merge group) as files. */
export interface WorkUnitFiles {
  name: string;
  index: number;
  dag: DagModel;
  /** Submit files by file name (landing.sub, proc_000000.sub, merge.sub, cleanup.sub). */
  submits: Record<string, SubmitModel>;
  manifest: Record<string, unknown>;
  outputInfo: Record<string, unknown>;
}

/** The submit directory as a model: what the DAG writer writes and the reader reads back. */
export interface DagBundle {
  submitDir: string;
  outer: DagModel;
  /** dagman.config as ordered key/value pairs. */
  dagmanConfig: Record<string, string>;
  /** Executable scripts at the top of the submit dir, by file name. */
  scripts: Record<string, string>;
  groups: WorkUnitFiles[];
}

/** Derived facts of a plan (not files). */
export interface PlanSummary {
  jobs: PlannedJob[];
  /** Job indices per work unit. */
  workUnitJobs: number[][];
  blocks: ProcessingBlockPlan[];
  totalEvents: number;
  inputFiles: number;
  nodes: number;
  edges: number;
}

export interface Plan {
  bundle: DagBundle;
  summary: PlanSummary;
}
