/**
 * Types of the declarative workflow catalog (`catalog/*.yaml`) and the simulator step
 * profiles (`catalog/profiles/*.yaml`). Validation lives in `catalog-schema.ts`;
 * these are the shapes every other module consumes.
 */

export type SandboxMode = "synthetic" | "simulator" | "cached" | "cmssw";
export type SizeClass = "small" | "medium" | "large";
/** Capabilities a workflow needs on a live pool (see matrix environment detection). */
export type Capability =
  | "condor"
  | "cvmfs"
  | "siteconf"
  | "apptainer"
  | "x509"
  | "postgres"
  | "reqmgr2"
  | "dbs";

export interface OutputDatasetDef {
  datasetName: string;
  mergedLfnBase: string;
  unmergedLfnBase: string;
  dataTier: string;
}

export type FaultTarget = "proc" | "merge" | "cleanup";

export interface FaultSpec {
  target: FaultTarget;
  /** For `proc`: 0-based positions within each work unit's sorted proc list; absent = all. */
  nodeIndices?: number[];
  /** Work units (0-based) to patch; absent = all. */
  workUnits?: number[];
  exitCode: number;
  signal: number;
  delaySec: number;
  /** Exit 0 without writing any output (only meaningful with exitCode 0 and signal 0). */
  skipOutput: boolean;
}

export interface VerifySpec {
  expectSuccess: boolean;
  expectRescueDag: boolean;
  expectMergedOutputs: boolean;
  expectCleanupRan: boolean;
  /** Expected final DAGMan DAG_Status (0 ok, 1 error, 2 node failed, 3 aborted, ...); absent = not checked. */
  expectDagStatus?: number;
  /**
   * Work units (0-based) in which jobs must be held for exceeding their memory request
   * (HoldReasonCode 34/102), and no others; absent = not checked.
   */
  expectMemoryHolds?: number[];
}

/** One step of a StepChain request as the catalog spells it. */
export interface RequestStep {
  /** StepName, e.g. "GEN-SIM" or "DRPremix_1". */
  name: string;
  /** Simulator profile name (catalog/profiles); required for simulator/cached modes on `sim`. */
  profile?: string;
  cmsswVersion?: string;
  scramArch?: string;
  globalTag?: string;
  /** Output data tier of the step; defaults to the profile's tier, else the step name. */
  dataTier?: string;
  keepOutput?: boolean;
}

/** ReqMgr2-style StepChain request carried by a catalog entry. */
export interface RequestSpec {
  requestName: string;
  requestType: "StepChain";
  steps: RequestStep[];
  timePerEvent: number;
  sizePerEvent: number;
  filterEfficiency: number;
  campaign?: string;
  priority?: number;
  requestNumEvents?: number;
  globalTag?: string;
  /** Requestor recorded on the request (production path). */
  requestor?: string;
}

export interface WorkflowDef {
  /** Catalog number, e.g. 155.2; printed with at least one decimal. */
  id: number;
  title: string;
  mode: SandboxMode;
  request: RequestSpec;
  eventsPerJob: number;
  /** Non-adaptive: total proc jobs. Adaptive: proc jobs per work unit. */
  numJobs: number;
  outputDatasets: OutputDatasetDef[];
  /** request_memory (MB) for non-adaptive runs. */
  memoryMb: number;
  /** request_cpus of a job and Round-1 nThreads. */
  multicore: number;
  size: SizeClass;
  timeoutSec: number;
  requires: Capability[];
  serial: boolean;
  fault?: FaultSpec;
  verify: VerifySpec;
  cachedSandboxPath?: string;
  adaptive: boolean;
  numWorkUnits: number;
  adaptiveSplit: boolean;
  splitAllSteps: boolean;
  splitUniformThreads: boolean;
  overcommitMax: number;
  splitTmpfs: boolean;
  splitTmpfsFromWu: number;
  /** Per work unit request_memory override (MB), keyed by 0-based WU index. */
  memoryMbPerWu: Record<number, number>;
  probeSplit: boolean;
  jobSplit: boolean;
  memoryPerCoreMb: number;
  maxMemoryPerCoreMb: number;
  safetyMargin: number;
  minThreads: number;
  productionPath: boolean;
  /** Catalog file the entry came from (for error messages). */
  sourceFile: string;
  /** Id of the entry this one was derived from, if any. */
  derivedFrom?: number;
}

export type ScalingLaw = "amdahl" | "linear";

/** Per-step resource model of the simulated cmsRun (catalog/profiles/*.yaml). */
export interface StepProfile {
  name: string;
  /** Serial fraction s of the scaling law. */
  serialFraction: number;
  /** amdahl: 1/(s+(1-s)/n); linear: s+(1-s)n (the reference simulator's law). */
  scaling: ScalingLaw;
  baseMemoryMb: number;
  marginalPerThreadMb: number;
  /** Single-core seconds of CPU per event (wall at one effective core). */
  wallSecPerEvent: number;
  /** Fixed per-step overhead (initialisation, gridpack untar), seconds, single-threaded. */
  fixedOverheadSec: number;
  outputSizePerEventKb: number;
  /** Fraction of input events that survive to the step's output. */
  filterEfficiency: number;
  /** RAM-disk (tmpfs) memory the step uses when run from tmpfs, MB. */
  tmpfsMb: number;
  /** Memory of subprocesses invisible to the FJR (e.g. a MadGraph gridpack), MB. */
  subprocessMemoryMb: number;
  dataTier: string;
  outputModule: string;
  /** Relative standard deviation of per-job wall/RSS noise (0 = deterministic). */
  noise: number;
  /** Where the numbers came from. */
  source: string;
  sourceFile: string;
}

/** A named set of workflows (sets/*.yaml). */
export interface SetDef {
  name: string;
  description: string;
  /** Explicit ids (in order) ... */
  ids?: number[];
  /** ... or a predicate over the catalog. */
  where?: SetPredicate;
  sourceFile: string;
}

export interface SetPredicate {
  mode?: SandboxMode[];
  adaptive?: boolean;
  fault?: boolean;
  all?: boolean;
}

/** Display a catalog id with at least one decimal: 100 -> "100.0", 391.3 -> "391.3". */
export function formatWorkflowId(id: number): string {
  return Number.isInteger(id) ? id.toFixed(1) : String(id);
}
