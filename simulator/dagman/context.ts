import type { DagThrottles } from "../../src/dagman/submit-dag-flags.js";
import type { RngStreams } from "../core/rng.js";
import type { Simulation } from "../core/simulation.js";
import type { SimFs } from "../fs.js";
import type { PayloadModel, ScriptModel } from "../payload/types.js";
import type { Pool } from "../pool/pool.js";

/** Chooses the payload of a job by its executable and the model of a script by its name. */
export interface ModelRegistry {
  payloadFor(executable: string, submitFile: string, iwd: string): PayloadModel;
  scriptFor(executable: string, dagFile: string): ScriptModel;
}

export interface DagmanSettings {
  /** DAGMAN_USER_LOG_SCAN_INTERVAL: seconds between DAGMan's event-processing passes. */
  scanIntervalSec: number;
  /** DAGMAN_MAX_SUBMITS_PER_INTERVAL */
  maxSubmitsPerInterval: number;
  /**
   * DAGMAN_MAX_JOBS_IDLE (condor_submit_dag -maxidle): no job is submitted while this many
   * node jobs are idle; 0 means no limit.
   */
  maxJobsIdle: number;
  /**
   * DAGMAN_MAX_JOBS_SUBMITTED (condor_submit_dag -maxjobs): no job is submitted while this
   * many node jobs (a SUBDAG's DAGMan job counts as one) are in the queue; 0 means no limit.
   */
  maxJobsSubmitted: number;
  /** DAGMAN_MAX_PRE_SCRIPTS / DAGMAN_MAX_POST_SCRIPTS */
  maxPreScripts: number;
  maxPostScripts: number;
  /**
   * DAGMAN_ALWAYS_RUN_POST: a node's POST script runs after its PRE script failed ($RETURN
   * -1004, $PRE_SCRIPT_RETURN the PRE's exit) and decides the node.
   */
  alwaysRunPost: boolean;
  /** DAGMAN_MAX_RESCUE_NUM (0 disables rescue files). */
  maxRescueNum: number;
  /** DAGMAN_USE_STRICT */
  useStrict: number;
  /** How often (s) the schedd evaluates periodic_release/periodic_remove (PERIODIC_EXPR_INTERVAL). */
  periodicExprIntervalSec: number;
}

/** HTCondor's defaults (manual), used where no CONFIG file says otherwise. */
export const DAGMAN_DEFAULTS: DagmanSettings = {
  scanIntervalSec: 5,
  maxSubmitsPerInterval: 100,
  maxJobsIdle: 1000,
  maxJobsSubmitted: 0,
  maxPreScripts: 20,
  maxPostScripts: 20,
  alwaysRunPost: false,
  maxRescueNum: 100,
  useStrict: 1,
  periodicExprIntervalSec: 60,
};

/** Everything the DAGMan processes of one simulation share. */
export interface SimContext {
  sim: Simulation;
  pool: Pool;
  fs: SimFs;
  rng: RngStreams;
  models: ModelRegistry;
  /** Stream names and log paths are made relative to this directory (the top DAG's). */
  root: string;
  /** Cluster ids of DAGMan (scheduler universe) and local-universe jobs. */
  nextLocalClusterId(): number;
  /** Write per-job user logs and `<dag>.nodes.log`. */
  writeJobLogs: boolean;
  /** condor_submit_dag's command-line throttles: the top-level DAGMan's alone. */
  throttles: DagThrottles;
  /** The first fatal input problem met while running (a nested DAG or submit file that does not parse). */
  fatal?: Error;
  /** Totals for reports and benchmarks. */
  stats: { jobsSubmitted: number; scriptsRun: number; dagmans: number };
}
