/**
 * What a processing job's steps do, from the job's shape: the manifest it reads, its thread
 * count, its events and inputs. The step runs, the cgroup and CPU use over the job, the
 * reports as read back, and the metrics, cgroup record and stdout summary derived from them.
 *
 * When no step draws random numbers (no profile noise) this is the same for every job of
 * the shape, and the jobs of a work unit (and the units of a workflow, when their manifests
 * have the same text) usually share one: it is then worked out once and shared (frozen), the
 * derived texts when the first such job completes.
 */
import { type CgroupRecord, peakCgroupMb } from "../../src/artifacts/cgroup.js";
import type { OutputDatasetInfo } from "../../src/artifacts/output-info.js";
import type { ProcStepMetrics } from "../../src/artifacts/proc-metrics.js";
import { stepMulticore } from "../../src/artifacts/sandbox-manifest.js";
import type { CpuSegment, MemoryUsage } from "../pool/types.js";
import { deepFreeze, linesText } from "./job-io.js";
import { type JobManifest, manifestSteps, stepProfileOf } from "./manifest.js";
import { type ProcArgs, realInputs } from "./proc-args.js";
import {
  type JobInputFile,
  metricsFromReports,
  type RunReport,
  runReports,
  type StageOut,
  stageOut,
  stepSummaryLines,
} from "./proc-reports.js";
import { type ProcStepSpec, planSteps, type StepPlan, spreadShare } from "./proc-steps.js";
import type { Rand } from "./types.js";
import {
  cgroupRecordOf,
  cpuSegments,
  memoryTimeline,
  peakAnonMb,
  phaseSamples,
  sweepLanes,
  type UsagePhase,
} from "./usage.js";

/** Seconds of sandbox unpacking and setup before the first step. */
export const PROC_STAGE_IN_SEC = 5;
/** Seconds of stage-out and metrics extraction after the last step. */
export const PROC_STAGE_OUT_SEC = 5;
/** Memory (MB) of the wrapper alone (bash, memory monitor, stage-out tools). */
export const WRAPPER_MEMORY_MB = 50;

/** Outcomes kept per manifest, at most (a manifest is shared by units, or is a round's). */
const MAX_SHAPES = 64;

/** What a finished job of one outcome leaves: the same for every job of that outcome. */
export interface DerivedFiles {
  reports: RunReport[];
  /** The wrapper's stdout after `wms2_proc: node <N>`: events, mode, manifest, step summary. */
  stdoutAfterNode: string;
  metrics: readonly ProcStepMetrics[];
  cgroup: CgroupRecord;
}

export class StepsOutcome {
  readonly durationSec: number;
  readonly memory: MemoryUsage;
  readonly rssMb: number;
  readonly cpu: CpuSegment[];
  readonly firstInputs: JobInputFile[];
  private readonly phases: UsagePhase[];
  private made?: DerivedFiles;
  /** The files staged per frozen datasets list (each unit's `output_info.json` has one). */
  private readonly stagedTo = new WeakMap<readonly OutputDatasetInfo[], StageOut>();

  constructor(
    private readonly jm: JobManifest,
    readonly specs: ProcStepSpec[],
    readonly plan: StepPlan,
    inputs: readonly string[],
    private readonly events: number,
  ) {
    const offset = PROC_STAGE_IN_SEC;
    const stepsEnd = offset + plan.durationSec;
    this.durationSec = plan.noEvents ? stepsEnd : stepsEnd + PROC_STAGE_OUT_SEC;
    const lanes = plan.runs.map((r) => ({
      start: offset + r.startSec,
      end: offset + r.endSec,
      anonMb: r.anonMb,
      shmemMb: r.tmpfsMb,
      cores: r.wallSec > 0 ? r.cpuSec / r.wallSec : 0,
    }));
    this.phases = sweepLanes(lanes, this.durationSec, WRAPPER_MEMORY_MB);
    this.memory = memoryTimeline(this.phases);
    this.rssMb = peakAnonMb(this.phases);
    this.cpu = cpuSegments(this.phases);
    this.firstInputs = inputs.map((lfn, i) => ({
      lfn,
      events: spreadShare(events, inputs.length, i),
    }));
  }

  /** Reports, the stdout text, and the metrics and cgroup side files (frozen, shared). */
  derived(): DerivedFiles {
    if (this.made) return this.made;
    const { plan, specs, jm } = this;
    const reports = runReports(plan.runs, specs, this.firstInputs);
    const cgroupPeak = peakCgroupMb(phaseSamples(this.phases));
    const gridpackMb = specs[0]?.profile.tmpfsMb ?? 0;
    const head = `, ${this.events} events, ${jm.manifest.mode} mode, ${jm.name}`;
    this.made = {
      reports,
      stdoutAfterNode: linesText([head, ...stepSummaryLines(plan.runs)]),
      metrics: deepFreeze(metricsFromReports(reports, stepMulticore(jm.manifest), cgroupPeak)),
      cgroup: deepFreeze(cgroupRecordOf(this.phases, this.durationSec, gridpackMb)),
    };
    return this.made;
  }

  /**
   * What the job stages out to `datasets`. Every job of the outcome stages the same files but
   * for their `proc_<N>_` names, and the jobs of a unit read one frozen `output_info.json`:
   * for the same frozen datasets the files are worked out once.
   */
  stageOut(datasets: readonly OutputDatasetInfo[]): StageOut {
    const known = this.stagedTo.get(datasets);
    if (known !== undefined) return known;
    const out = stageOut(this.plan.runs, this.specs, datasets, this.derived().reports);
    if (Object.isFrozen(datasets)) this.stagedTo.set(datasets, out);
    return out;
  }
}

function stepSpecs(jm: JobManifest, args: ProcArgs): ProcStepSpec[] {
  const steps = manifestSteps(jm.manifest);
  return steps.map((s, i) => ({
    // A shared outcome's profiles name the file of its first job (of the same text).
    profile: stepProfileOf(s, jm.file),
    // The wrapper uses --ncpus unless the tuned manifest replaced manifest.json.
    threads: jm.tuned ? (s.multicore ?? 1) : (args.ncpus ?? s.multicore ?? 1),
    nParallel: i === 0 ? (s.n_parallel ?? 1) : 1,
    keepOutput: s.keep_output ?? i === steps.length - 1,
  }));
}

/**
 * What a job's steps depend on besides the manifest: jobs of one shape share an outcome. The
 * manifest's path is not part of it: units whose manifests have the same text share one
 * parsed manifest (see readSharedIn) and then, for the same shape, one outcome.
 */
interface JobShape {
  name: string;
  tuned: boolean;
  ncpus: number | undefined;
  events: number;
  inputs: readonly string[];
}

function sameShape(a: JobShape, b: JobShape): boolean {
  if (a.name !== b.name || a.tuned !== b.tuned || a.ncpus !== b.ncpus) return false;
  if (a.events !== b.events || a.inputs.length !== b.inputs.length) return false;
  for (let i = 0; i < a.inputs.length; i++) if (a.inputs[i] !== b.inputs[i]) return false;
  return true;
}

function shapeKey(s: JobShape): string {
  return `${s.name}|${s.tuned}|${s.ncpus}|${s.events}|${s.inputs.join(",")}`;
}

/**
 * The shared outcomes of one manifest by shape key, and the last one handed out: a unit's
 * jobs mostly have one shape, found again by comparing it, without a key made per job.
 */
interface SharedOutcomes {
  byKey: Map<string, StepsOutcome>;
  last?: { shape: JobShape; outcome: StepsOutcome };
}

const shared = new WeakMap<object, SharedOutcomes>();

/** The outcome of a job's steps (shared between jobs of the same shape when nothing is drawn). */
export function stepsOutcome(
  jm: JobManifest,
  args: ProcArgs,
  events: number,
  rand: Rand,
): StepsOutcome {
  const shape: JobShape = {
    name: jm.name,
    tuned: jm.tuned,
    ncpus: args.ncpus,
    events,
    inputs: realInputs(args),
  };
  const outcomes = shared.get(jm.manifest);
  const last = outcomes?.last;
  if (last && sameShape(last.shape, shape)) return last.outcome;
  const key = shapeKey(shape);
  const hit = outcomes?.byKey.get(key);
  if (outcomes && hit) {
    outcomes.last = { shape, outcome: hit };
    return hit;
  }
  const m = jm.manifest;
  const specs = stepSpecs(jm, args);
  const nPipelines = m.mode === "synthetic" ? 1 : (m.n_pipelines ?? 1);
  const splitTmpfs = m.mode !== "synthetic" && m.split_tmpfs === true;
  const plan = planSteps({ steps: specs, events, nPipelines, splitTmpfs, rand });
  const outcome = new StepsOutcome(jm, specs, plan, shape.inputs, events);
  // Only a manifest shared between jobs (frozen) and steps that draw nothing make it reusable.
  if (Object.isFrozen(m) && specs.every((s) => !(s.profile.noise > 0))) {
    deepFreeze(plan);
    deepFreeze(outcome.memory);
    deepFreeze(outcome.cpu);
    const known = outcomes ?? { byKey: new Map<string, StepsOutcome>() };
    if (known.byKey.size >= MAX_SHAPES) known.byKey.clear();
    known.byKey.set(key, outcome);
    known.last = { shape, outcome };
    shared.set(m, known);
  }
  return outcome;
}
