/**
 * One replan step between two work units of an adaptive run (adaptive.md §16.2,
 * matrix.md §5.4 "What a replan node does"), over files on disk: analyse the completed
 * units (the probe job left out of the first one's per-step data), merge the rounds, apply
 * the mode to the next unit (per-step tuning, pipeline split or job split), apply the
 * catalog's per-unit memory override and tmpfs switch, and write
 * `replan_<k>_decisions.json` in the submit directory. The next unit is first put back in
 * its planned state (`planned-unit.ts`), so running a replan again gives the same unit.
 *
 * Unusable metrics (missing or corrupt files, a unit without a successful job) or
 * metrics the algorithms cannot use keep the next unit as planned: the decision says
 * `kept` and why, and the run goes on. Only a next unit that cannot run at all (no
 * manifest, no proc job) is an `InputError`.
 */
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError } from "../model/errors.js";
import { computeJobSplit } from "./job-split.js";
import { rewriteWuForJobSplit } from "./job-split-rewrite.js";
import { manifestSteps, patchWuManifests } from "./manifest-patch.js";
import { mergeRoundMetrics } from "./merge-rounds.js";
import { isDir, readJsonRequired } from "./metric-files.js";
import { computePerStepNthreads } from "./per-step.js";
import { computeAllStepSplit } from "./pipeline-split.js";
import { startFromPlannedUnit } from "./planned-unit.js";
import type { ProbeMetrics } from "./probe.js";
import type { ReplanOptions } from "./replan-args.js";
import {
  baseDecision,
  type DecisionJson,
  decisionSummary,
  jobSplitFields,
  keptSteps,
  perStepFields,
  pipelineFields,
  probeFields,
  roundsFields,
} from "./replan-decisions.js";
import { analyzePriorWorkUnits, type NextWorkUnit, readNextWorkUnit } from "./replan-inputs.js";
import type { AnalyzedMetrics, JobSplitResult } from "./types.js";
import {
  raiseRequestMemory,
  setRequestMemory,
  summarizeWuRequests,
  switchOnTmpfs,
} from "./wu-switches.js";

/** Above this unpacked gridpack size (MB) tmpfs is switched off (adaptive.md §3). */
export const GRIDPACK_TMPFS_CUTOFF_MB = 4000;

export interface ReplanResult {
  status: "tuned" | "kept";
  decisions: DecisionJson;
  decisionsFile: string;
  /** One line describing what was done. */
  summary: string;
}

/** `replan_<k>_decisions.json` of a submit directory. */
export function decisionsFileName(index: number): string {
  return `replan_${index}_decisions.json`;
}

interface TuneContext {
  o: ReplanOptions;
  next: NextWorkUnit;
  merged: AnalyzedMetrics;
  probe: ProbeMetrics | null;
  splitTmpfs: boolean;
}

/** The probe's figures as the algorithms take them (first replan only). */
function probeParams(c: TuneContext) {
  if (!c.probe || c.o.replanIndex !== 0) return {};
  return {
    probeRssMb: c.probe.maxInstanceRssMb,
    probeJobPeakTotalMb: c.probe.jobPeakMb ?? 0,
    probeNumInstances: c.probe.numInstances,
  };
}

/**
 * No new job may start past the unit's last event: when the old jobs were uneven, fewer
 * new jobs are written (the last one takes any remainder).
 */
function fitToEvents(split: JobSplitResult, totalEvents: number): JobSplitResult {
  if (totalEvents <= 0 || split.newEventsPerJob <= 0) return split;
  const needed = Math.ceil(totalEvents / split.newEventsPerJob);
  return needed < split.newNumJobs ? { ...split, newNumJobs: needed } : split;
}

function tuneJobSplit(c: TuneContext, metrics: readonly AnalyzedMetrics[]): DecisionJson {
  const { o, next } = c;
  const req = next.requests;
  const split = computeJobSplit(c.merged, {
    originalNthreads: next.originalNthreads,
    requestCpus: o.ncores,
    memoryPerCoreMb: o.memPerCoreMb,
    maxMemoryPerCoreMb: o.maxMemPerCoreMb,
    eventsPerJob: req.eventsPerJob > 0 ? req.eventsPerJob : o.eventsPerJob,
    numJobsWu: req.numJobs > 0 ? req.numJobs : o.numJobs,
    safetyMargin: o.safetyMargin,
    ...probeParams(c),
    splitTmpfs: c.splitTmpfs,
    cgroup: c.merged.cgroup ?? null,
    lastRoundNthreads: metrics[metrics.length - 1]?.nthreads ?? 0,
    minThreads: o.minThreads,
  });
  const fitted = fitToEvents(split, req.totalEvents);
  rewriteWuForJobSplit(next.dir, fitted, { splitTmpfs: c.splitTmpfs, layout: "planner" });
  return jobSplitFields(fitted, {
    splitTmpfs: c.splitTmpfs,
    gridpackMb: c.merged.cgroup?.gridpackDiskMb ?? 0,
    memoryPerCoreMb: o.memPerCoreMb,
  });
}

function tunePipelines(c: TuneContext): DecisionJson {
  const { o, next } = c;
  const ceiling = o.maxMemPerCoreMb * o.ncores;
  const r = computeAllStepSplit(c.merged, next.originalNthreads, o.ncores, ceiling, {
    uniform: o.uniformThreads,
    safetyMargin: o.safetyMargin,
  });
  patchWuManifests(next.dir, r.perStep, { nPipelines: r.nPipelines, splitTmpfs: c.splitTmpfs });
  // N pipelines share the slot: like step-0 instances, they get the slot's ceiling.
  if (r.nPipelines > 1) raiseRequestMemory(next.dir, ceiling);
  return pipelineFields(r, ceiling);
}

function tunePerStep(c: TuneContext): DecisionJson {
  const { o, next } = c;
  const ceiling = o.maxMemPerCoreMb * o.ncores;
  const r = computePerStepNthreads(c.merged, next.originalNthreads, {
    requestCpus: o.ncores,
    defaultMemoryMb: o.memPerCoreMb * o.ncores,
    maxMemoryMb: ceiling,
    overcommitMax: o.overcommitMax,
    split: o.split,
    ...probeParams(c),
    safetyMargin: o.safetyMargin,
    cgroup: c.merged.cgroup ?? null,
    minThreads: o.minThreads,
    splitTmpfs: c.splitTmpfs,
  });
  const patch = patchWuManifests(next.dir, r.perStep, {
    maxMemoryMb: ceiling,
    splitTmpfs: c.splitTmpfs,
  });
  return perStepFields(r, patch.idealMemoryMb, patch.actualMemoryMb);
}

/** Decision of a unit kept as planned. */
function keptDecision(o: ReplanOptions, next: NextWorkUnit, reason: string): DecisionJson {
  const manifestPath = join(next.dir, "manifest.json");
  const steps = manifestSteps(readJsonRequired(manifestPath), manifestPath);
  const d = baseDecision(o, next.originalNthreads, "kept", reason);
  if (o.jobSplit) {
    Object.assign(d, {
      job_multiplier: 1,
      tuned_nthreads: next.originalNthreads,
      new_num_jobs: next.requests.numJobs,
      new_events_per_job: next.requests.eventsPerJob,
      new_request_cpus: next.requests.requestCpus,
      new_request_memory_mb: next.requests.requestMemoryMb,
    });
  }
  d.per_step = keptSteps(steps);
  return d;
}

function tuneNext(c: TuneContext, metrics: readonly AnalyzedMetrics[]): DecisionJson {
  const d = baseDecision(c.o, c.next.originalNthreads, "tuned");
  Object.assign(d, {
    split_tmpfs: c.splitTmpfs,
    gridpack_disk_mb: c.merged.cgroup?.gridpackDiskMb ?? 0,
    ...roundsFields(metrics),
    events_per_job: c.next.requests.eventsPerJob,
    num_jobs: c.next.requests.numJobs,
  });
  if (c.o.jobSplit) return Object.assign(d, tuneJobSplit(c, metrics));
  if (c.o.splitAllSteps) return Object.assign(d, tunePipelines(c));
  return Object.assign(d, tunePerStep(c));
}

/** Runs one replan and writes its decisions file; see the module comment. */
export function runReplan(o: ReplanOptions): ReplanResult {
  const submitDir = resolve(o.submitDir ?? dirname(resolve(o.wuDir)));
  if (!isDir(o.wuDir)) throw new InputError(`${o.wuDir}: work unit directory not found`);
  startFromPlannedUnit(o.wuDir);
  const next = readNextWorkUnit(o.wuDir);
  const prior = analyzePriorWorkUnits(o.priorWuDirs, o.probeNode);
  let d: DecisionJson;
  if (!prior.ok) {
    d = keptDecision(o, next, prior.problem);
  } else {
    const merged = mergeRoundMetrics(prior.metrics, next.originalNthreads);
    const gridpack = merged.cgroup?.gridpackDiskMb ?? 0;
    const splitTmpfs = o.splitTmpfs && !(gridpack > GRIDPACK_TMPFS_CUTOFF_MB);
    try {
      d = tuneNext({ o, next, merged, probe: prior.probe, splitTmpfs }, prior.metrics);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      d = keptDecision(o, next, err.message);
    }
  }
  if (o.probeNode !== undefined) {
    const probe = prior.ok && o.replanIndex === 0 ? prior.probe : null;
    Object.assign(d, probeFields(o.probeNode, probe));
  }
  if (o.memoryMb !== undefined) {
    setRequestMemory(next.dir, o.memoryMb);
    d.memory_override_mb = o.memoryMb;
  }
  if (o.tmpfs) d.tmpfs_switch = switchOnTmpfs(next.dir) ? "applied" : "already on";
  const after = summarizeWuRequests(next.dir);
  d.next_wu = {
    num_jobs: after.numJobs,
    request_cpus: after.requestCpus,
    request_memory_mb: after.requestMemoryMb,
    events_per_job: after.eventsPerJob,
    total_events: after.totalEvents,
  };
  const decisionsFile = join(submitDir, decisionsFileName(o.replanIndex));
  writeFileSync(decisionsFile, `${JSON.stringify(d, null, 2)}\n`);
  return {
    status: d.status as "tuned" | "kept",
    decisions: d,
    decisionsFile,
    summary: decisionSummary(d),
  };
}
