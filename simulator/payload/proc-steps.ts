/**
 * What the simulated cmsRun steps of one processing job do (pure): per step, instance and
 * pipeline the wall and CPU time, memory, events and output size, laid out in time.
 *
 * - The numbers come from `stepResources` (src/model/step-resources.ts), the single law the
 *   catalog profiles were fitted to.
 * - Step k+1 reads the events step k wrote: `round(events · filter_efficiency)` per run.
 * - Step 0 with `n_parallel` N > 1 runs N concurrent instances, the events spread as
 *   evenly as possible (the first `E mod N` instances get one more); the next step starts
 *   when the last instance ends and reads all their files.
 * - `n_pipelines` P > 1 runs P whole step chains concurrently, the events spread the same
 *   way; `n_parallel` is then ignored (parallelism is at the chain level, as in the reference).
 * - `split_tmpfs` puts the step-0 tmpfs footprint (`tmpfs_mb`, per instance or pipeline:
 *   each unpacks its own gridpack) into the cgroup while step 0 runs.
 * - Noise: with profile `noise` σ > 0 each run draws a wall factor (applied to wall and
 *   CPU alike, as a slower machine stretches both) and an RSS factor from N(1, σ), floored
 *   at 0.1. With σ = 0 nothing is drawn and the values are exactly the law's.
 */
import type { ReportKind } from "../../src/artifacts/proc-metrics.js";
import { stepResources } from "../../src/model/step-resources.js";
import type { StepProfile } from "../../src/model/workflow.js";
import type { Rand } from "./types.js";

export interface ProcStepSpec {
  profile: StepProfile;
  /** Threads of each cmsRun of this step. */
  threads: number;
  /** Concurrent instances (step 0 only; 1 otherwise). */
  nParallel: number;
  keepOutput: boolean;
}

/** A file a run reads: a previous run's output, named as the reading cmsRun sees it. */
export interface RunInput {
  name: string;
  events: number;
  kb: number;
}

/** One cmsRun execution: a step, or one instance or pipeline of it. */
export interface StepRun {
  /** 1-based step number K. */
  step: number;
  kind: ReportKind;
  /** Instance or pipeline number (absent for plain runs). */
  inst?: number;
  /** Seconds after the first step started. */
  startSec: number;
  /** `startSec + wallSec`: where the next step of the chain starts. */
  endSec: number;
  wallSec: number;
  cpuSec: number;
  threads: number;
  /** Peak RSS of cmsRun (what the FJR shows). */
  rssMb: number;
  /** Anonymous memory the cgroup accounts: RSS plus subprocesses. */
  anonMb: number;
  /** tmpfs (shared memory) the cgroup accounts while the run lasts. */
  tmpfsMb: number;
  inputEvents: number;
  outputEvents: number;
  outputKb: number;
  /** Input files (previous step's outputs); empty for step 1. */
  inputs: RunInput[];
  /** Output file name as the FJR PFN shows it (`step<K>_<TIER>.root`). */
  fjrOutput: string;
  /** Output file name in the job's working directory (pipelines prefix `pipe<p>_`). */
  jobOutput: string;
}

export interface StepPlanInput {
  steps: readonly ProcStepSpec[];
  events: number;
  nPipelines: number;
  splitTmpfs: boolean;
  rand: Rand;
}

export interface StepPlan {
  runs: StepRun[];
  /** Seconds from the start of the first step to the end of the last. */
  durationSec: number;
  /** Step 1 wrote no events: the wrapper stopped after it (exit code 80). */
  noEvents: boolean;
}

/** Share i of `total` items spread over `n` parts (the first `total mod n` get one more). */
export function spreadShare(total: number, n: number, i: number): number {
  return Math.floor(total / n) + (i < total % n ? 1 : 0);
}

function noiseFactor(rand: Rand, sigma: number): number {
  return sigma > 0 ? Math.max(0.1, rand.normal(1, sigma)) : 1;
}

interface RunShape {
  step: number;
  kind: ReportKind;
  inst?: number;
  startSec: number;
  events: number;
  inputs: RunInput[];
  tmpfs: boolean;
  fjrOutput: string;
  jobOutput: string;
}

function runStep(spec: ProcStepSpec, shape: RunShape, rand: Rand): StepRun {
  const p = spec.profile;
  const r = stepResources(p, spec.threads, shape.events, { tmpfs: shape.tmpfs });
  const wallFactor = noiseFactor(rand, p.noise);
  const rssFactor = noiseFactor(rand, p.noise);
  const rssMb = r.peakRssMb * rssFactor;
  const outputEvents = Math.round(r.outputEvents);
  const wallSec = r.wallSec * wallFactor;
  return {
    step: shape.step,
    kind: shape.kind,
    ...(shape.inst !== undefined ? { inst: shape.inst } : {}),
    startSec: shape.startSec,
    endSec: shape.startSec + wallSec,
    wallSec,
    cpuSec: r.cpuSec * wallFactor,
    threads: spec.threads,
    rssMb,
    anonMb: rssMb + p.subprocessMemoryMb,
    tmpfsMb: shape.tmpfs ? p.tmpfsMb : 0,
    inputEvents: shape.events,
    outputEvents,
    outputKb: outputEvents * p.outputSizePerEventKb,
    inputs: shape.inputs,
    fjrOutput: shape.fjrOutput,
    jobOutput: shape.jobOutput,
  };
}

interface Chain {
  pipe?: number;
  events: number;
  t: number;
  prev: RunInput[];
}

function asInput(run: StepRun): RunInput {
  return { name: run.fjrOutput, events: run.outputEvents, kb: run.outputKb };
}

/** Lay out the step runs of one job. */
export function planSteps(input: StepPlanInput): StepPlan {
  const { steps, rand } = input;
  const pipes = Math.max(1, input.nPipelines);
  const chains: Chain[] =
    pipes > 1
      ? Array.from({ length: pipes }, (_, p) => ({
          pipe: p,
          events: spreadShare(input.events, pipes, p),
          t: 0,
          prev: [],
        }))
      : [{ events: input.events, t: 0, prev: [] }];
  const runs: StepRun[] = [];
  let noEvents = false;
  for (let s = 0; s < steps.length && !noEvents; s++) {
    const spec = steps[s];
    const K = s + 1;
    const name = `step${K}_${spec.profile.dataTier}.root`;
    const tmpfs = input.splitTmpfs && s === 0;
    const stepRuns: StepRun[] = [];
    for (const c of chains) {
      const events = s === 0 ? c.events : c.prev.reduce((a, f) => a + f.events, 0);
      const base = { step: K, startSec: c.t, inputs: c.prev, tmpfs, fjrOutput: name };
      if (s === 0 && c.pipe === undefined && spec.nParallel > 1) {
        const n = spec.nParallel;
        const inst = Array.from({ length: n }, (_, i) => {
          const file = `inst${i}_${name}`;
          const shape: RunShape = {
            ...base,
            kind: "inst",
            inst: i,
            events: spreadShare(events, n, i),
            fjrOutput: file,
            jobOutput: file,
          };
          return runStep(spec, shape, rand);
        });
        c.t = Math.max(...inst.map((r) => r.endSec));
        c.prev = inst.map(asInput);
        stepRuns.push(...inst);
      } else {
        const piped = c.pipe !== undefined;
        const shape: RunShape = {
          ...base,
          kind: piped ? "pipe" : "plain",
          ...(piped ? { inst: c.pipe } : {}),
          events,
          jobOutput: piped ? `pipe${c.pipe}_${name}` : name,
        };
        const run = runStep(spec, shape, rand);
        c.t = run.endSec;
        c.prev = [asInput(run)];
        stepRuns.push(run);
      }
    }
    runs.push(...stepRuns);
    if (s === 0 && stepRuns.every((r) => r.outputEvents === 0)) noEvents = true;
  }
  return { runs, durationSec: Math.max(0, ...chains.map((c) => c.t)), noEvents };
}
