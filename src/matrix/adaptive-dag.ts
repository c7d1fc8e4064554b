/**
 * The adaptive path of the matrix runner (matrix.md §5.4), applied to the submit directory
 * the planner wrote: the catalog's per-unit switches on the first work unit, the probe
 * job, and one `replan_k` node between `mg_k` and `mg_{k+1}` that re-plans the next unit
 * from the completed ones (`wms2_replan.sh` → `matrix replan`, local universe). Later
 * units get their per-unit switches from their replan node. The outer DAG is edited
 * through the DAG model, with absolute paths like the rest of it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { injectProbe } from "../adaptive/probe-inject.js";
import { formatReplanArgv, type ReplanOptions } from "../adaptive/replan-args.js";
import { setRequestMemory, switchOnTmpfs } from "../adaptive/wu-switches.js";
import {
  type DagModel,
  formatArguments,
  formatDag,
  formatSubmit,
  parseDag,
  type SubmitModel,
} from "../dagman/index.js";
import { InputError } from "../model/errors.js";
import { formatWorkflowId, type WorkflowDef } from "../model/workflow.js";
import { writeFileAtomic } from "../planner/write.js";

/** The replan shim the planner writes in the submit directory. */
export const REPLAN_SCRIPT = "wms2_replan.sh";

export interface AdaptivePrep {
  /** The probe node of the first work unit, when one was injected. */
  probeNode?: string;
}

/** Whether work unit `wu` runs its gridpack from tmpfs (catalog tmpfs-from-unit switch). */
export function tmpfsForWorkUnit(wf: WorkflowDef, wu: number): boolean {
  return wf.splitTmpfs && wu >= wf.splitTmpfsFromWu;
}

/** The replan run between work unit k and k+1. */
export function replanOptions(
  wf: WorkflowDef,
  k: number,
  groupDirs: readonly string[],
  submitDir: string,
  probeNode?: string,
): ReplanOptions {
  const splitAllSteps = wf.splitAllSteps && !wf.jobSplit;
  const o: ReplanOptions = {
    wuDir: groupDirs[k + 1],
    priorWuDirs: groupDirs.slice(0, k + 1),
    replanIndex: k,
    ncores: wf.multicore,
    memPerCoreMb: wf.memoryPerCoreMb,
    maxMemPerCoreMb: wf.maxMemoryPerCoreMb,
    safetyMargin: wf.safetyMargin,
    overcommitMax: wf.overcommitMax,
    split: wf.adaptiveSplit,
    splitAllSteps,
    uniformThreads: splitAllSteps && wf.splitUniformThreads,
    splitTmpfs: tmpfsForWorkUnit(wf, k + 1),
    jobSplit: wf.jobSplit,
    eventsPerJob: wf.jobSplit ? wf.eventsPerJob : 0,
    numJobs: wf.jobSplit ? wf.numJobs : 0,
    minThreads: wf.minThreads,
    tmpfs: tmpfsForWorkUnit(wf, k + 1),
    submitDir,
  };
  if (probeNode !== undefined) o.probeNode = probeNode;
  const memory = wf.memoryMbPerWu[k + 1];
  if (memory !== undefined) o.memoryMb = memory;
  return o;
}

/** `replan_k.sub`: local universe, the shim with the replan flags, stdio and log beside the DAG. */
export function replanSubmit(submitDir: string, k: number, options: ReplanOptions): SubmitModel {
  const stem = join(submitDir, `replan_${k}`);
  return {
    header: [
      ` Adaptive replan ${k}: re-plans ${basename(options.wuDir)} from the completed work units`,
    ],
    entries: [
      { key: "universe", value: "local" },
      { key: "executable", value: join(submitDir, REPLAN_SCRIPT) },
      { key: "arguments", value: formatArguments(formatReplanArgv(options)) },
      { key: "output", value: `${stem}.out` },
      { key: "error", value: `${stem}.err` },
      { key: "log", value: `${stem}.log` },
    ],
    queue: "1",
  };
}

/**
 * The outer DAG with `JOB replan_k` and the edges `mg_k → replan_k → mg_{k+1}` for every
 * consecutive pair of work units (in the order of their SUBDAG lines).
 */
export function withReplanNodes(dag: DagModel, submitDir: string): DagModel {
  const units = dag.nodes.filter((n) => n.kind === "SUBDAG").map((n) => n.name);
  const nodes = [...dag.nodes];
  const edges = [...dag.edges];
  for (let k = 0; k + 1 < units.length; k++) {
    const name = `replan_${k}`;
    nodes.push({ name, kind: "JOB", file: join(submitDir, `${name}.sub`) });
    edges.push({ parents: [units[k]], children: [name] });
    edges.push({ parents: [name], children: [units[k + 1]] });
  }
  return { ...dag, nodes, edges };
}

/**
 * Prepares an adaptive run in a written submit directory: the first unit's switches, the
 * probe, the replan submit files and the outer DAG's replan nodes.
 */
export function prepareAdaptive(
  wf: WorkflowDef,
  submitDir: string,
  groupDirs: readonly string[],
): AdaptivePrep {
  if (groupDirs.length < 2) {
    throw new InputError(
      `${formatWorkflowId(wf.id)}: adaptive run expected ${wf.numWorkUnits} merge groups, got ${groupDirs.length}`,
    );
  }
  const first = groupDirs[0];
  if (tmpfsForWorkUnit(wf, 0)) switchOnTmpfs(first);
  const memory = wf.memoryMbPerWu[0];
  if (memory !== undefined) setRequestMemory(first, memory);
  const probe = wf.probeSplit
    ? injectProbe(first, wf.multicore, wf.maxMemoryPerCoreMb, tmpfsForWorkUnit(wf, 0))
    : null;
  const probeNode = probe?.node;
  for (let k = 0; k + 1 < groupDirs.length; k++) {
    const options = replanOptions(wf, k, groupDirs, submitDir, probeNode);
    writeFileSync(
      join(submitDir, `replan_${k}.sub`),
      formatSubmit(replanSubmit(submitDir, k, options)),
    );
  }
  const dagFile = join(submitDir, "workflow.dag");
  const dag = parseDag(readFileSync(dagFile, "utf8"), dagFile);
  writeFileAtomic(dagFile, formatDag(withReplanNodes(dag, submitDir)));
  return probeNode !== undefined ? { probeNode } : {};
}
