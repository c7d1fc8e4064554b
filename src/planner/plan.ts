import { groupDag } from "./group-dag.js";
import { blockDir, flat, procNodeName, workUnitName } from "./lfn.js";
import { DAGMAN_CONFIG, outerDag } from "./outer-dag.js";
import { plannerScripts } from "./scripts.js";
import { splitJobs } from "./split.js";
import { SubmitFiles } from "./submit-files.js";
import type { Plan, PlannedJob, PlanRequest, WorkUnitFiles } from "./types.js";
import { chunkWorkUnits, planBlocks } from "./work-units.js";

/**
 * Plan a request into a DagBundle (pure): split into jobs, group the jobs into work units,
 * derive processing blocks and LFNs, and build every DAG and submit file as a model.
 */
export function planWorkflow(req: PlanRequest): Plan {
  const isGen = !req.inputFiles || req.inputFiles.length === 0;
  const jobs = splitJobs(
    req.splitting,
    isGen
      ? {
          targetEvents: req.targetEvents ?? 0,
          eventsProduced: req.eventsProduced ?? 0,
          filterEfficiency: req.filterEfficiency ?? 1,
          nextFirstEvent: req.nextFirstEvent ?? 1,
        }
      : undefined,
    req.inputFiles,
    { fileOffset: req.fileOffset, maxJobs: req.maxJobs },
  );
  const units = chunkWorkUnits(jobs, req.jobsPerWorkUnit);
  const files = new SubmitFiles(req);
  const groups = units.map((unitJobs, g) => workUnitFiles(req, files, g, unitJobs));
  const nodes = units.reduce((s, u) => s + u.length + 3, 0);
  const edges = units.reduce((s, u) => s + 2 * u.length + 1, 0);
  return {
    bundle: {
      submitDir: req.submitDir,
      outer: outerDag(req.workflowId, req.submitDir, units.length, req.wuRetryCount),
      dagmanConfig: { ...DAGMAN_CONFIG },
      scripts: plannerScripts(req.wms2Command),
      groups,
    },
    summary: {
      jobs,
      workUnitJobs: units.map((u) => u.map((j) => j.index)),
      blocks: planBlocks(req.outputDatasets, units.length, req.round),
      totalEvents: jobs.reduce((s, j) => s + j.events, 0),
      inputFiles: isGen ? 0 : new Set(jobs.flatMap((j) => j.inputs)).size,
      nodes,
      edges,
    },
  };
}

function workUnitFiles(
  req: PlanRequest,
  files: SubmitFiles,
  g: number,
  jobs: PlannedJob[],
): WorkUnitFiles {
  const submits: WorkUnitFiles["submits"] = { "landing.sub": files.landing(g) };
  // Node names and submit file names are made once and shared by the DAG and the submits.
  const names = jobs.map((j) => procNodeName(j.index));
  for (let i = 0; i < jobs.length; i++) {
    submits[flat(names[i], ".sub")] = files.proc(jobs[i], g, names[i]);
  }
  submits["merge.sub"] = files.merge(g);
  submits["cleanup.sub"] = files.cleanup(g);
  return {
    name: workUnitName(g),
    index: g,
    dag: groupDag(g, names, req.pool, req.categoryThrottles),
    submits,
    manifest: req.manifest,
    outputInfo: outputInfo(req, g, jobs),
  };
}

/** output_info.json of a work unit: datasets with LFN bases, storage prefix, node indices. */
export function outputInfo(
  req: PlanRequest,
  g: number,
  jobs: PlannedJob[],
): Record<string, unknown> {
  return {
    output_datasets: req.outputDatasets.map((d) => ({
      dataset_name: d.datasetName,
      merged_lfn_base: d.mergedLfnBase,
      unmerged_lfn_base: d.unmergedLfnBase,
      data_tier: d.dataTier,
    })),
    local_pfn_prefix: req.localPfnPrefix,
    stageout_mode: req.stageoutMode,
    group_index: g,
    max_merge_size: req.maxMergeSizeBytes,
    proc_node_indices: jobs.map((j) => j.index),
  };
}

/** Unmerged block directories (LFNs) a work unit's processing jobs write to. */
export function unmergedBlockDirs(req: PlanRequest, g: number): string[] {
  return req.outputDatasets.map((d) => blockDir(d.unmergedLfnBase, g));
}
