import { resolve } from "node:path";
import type { StepProfile, WorkflowDef } from "../model/workflow.js";
import { formatWorkflowId } from "../model/workflow.js";
import type { PlanRequest } from "../planner/types.js";
import { SANDBOX_NAME } from "../planner/write.js";
import { buildManifest } from "./sandbox-manifest.js";

/** Category throttles the matrix runs with (the planner's production defaults are 5000/100/50). */
export const MATRIX_THROTTLES = { Processing: 100, Merge: 10, Cleanup: 10 };

export interface MatrixPlanOptions {
  submitDir: string;
  /** Root of the (simulated) storage element: the local PFN prefix. */
  storageDir: string;
  wms2Command: string;
}

/** Events, jobs per work unit and Round-1 memory of a catalog entry. */
export function workflowShape(wf: WorkflowDef): {
  totalEvents: number;
  totalJobs: number;
  jobsPerWorkUnit: number;
  memoryMb: number;
} {
  if (wf.adaptive) {
    return {
      totalEvents: wf.eventsPerJob * wf.numJobs * wf.numWorkUnits,
      totalJobs: wf.numJobs * wf.numWorkUnits,
      jobsPerWorkUnit: wf.numJobs,
      memoryMb: wf.memoryPerCoreMb * wf.multicore,
    };
  }
  return {
    totalEvents: wf.eventsPerJob * wf.numJobs,
    totalJobs: wf.numJobs,
    jobsPerWorkUnit:
      wf.numWorkUnits > 1 ? Math.max(1, Math.floor(wf.numJobs / wf.numWorkUnits)) : wf.numJobs,
    memoryMb: wf.memoryMb,
  };
}

/** request_disk estimate (KiB): every step's output of a job, twice, at least 1 GiB. */
export function diskEstimateKb(wf: WorkflowDef): number {
  const perEventKb = wf.request.sizePerEvent * Math.max(1, wf.request.steps.length);
  return Math.max(1048576, Math.ceil(wf.eventsPerJob * perEventKb * 2));
}

/**
 * Turn a catalog entry into the planner's request. The matrix plans generated events
 * directly (jobs x events per job), so the filter efficiency does not multiply the job count.
 */
export function matrixPlanRequest(
  wf: WorkflowDef,
  profiles: Map<string, StepProfile>,
  opts: MatrixPlanOptions,
): PlanRequest {
  const shape = workflowShape(wf);
  const disk = diskEstimateKb(wf);
  return {
    workflowId: `matrix-${formatWorkflowId(wf.id)}`,
    requestName: wf.request.requestName,
    submitDir: resolve(opts.submitDir),
    splitting: { algo: "EventBased", eventsPerJob: wf.eventsPerJob },
    targetEvents: shape.totalEvents,
    eventsProduced: 0,
    filterEfficiency: 1,
    nextFirstEvent: 1,
    jobsPerWorkUnit: shape.jobsPerWorkUnit,
    cpus: wf.multicore,
    memoryMb: shape.memoryMb,
    diskKb: disk,
    mergeDiskKb: disk * 2,
    outputDatasets: wf.outputDatasets.map((d) => ({ ...d })),
    localPfnPrefix: resolve(opts.storageDir),
    stageoutMode: "local",
    categoryThrottles: { ...MATRIX_THROTTLES },
    priority: 5,
    wuRetryCount: 1,
    manifest: buildManifest(wf, profiles),
    sandboxName: SANDBOX_NAME,
    pool: "local",
    accountingGroupUser: "wms2",
    extraClassAds: { WMS2_QuickJob: "True" },
    allowedSites: [],
    bannedSites: [],
    round: 0,
    idleTimeoutSec: 43200,
    maxMergeSizeBytes: 4294967296,
    wms2Command: opts.wms2Command,
  };
}
