/**
 * The processing wrapper `wms2_proc.sh` as a payload model. It reads the manifest (the
 * tuned copy when the job lists it) and `output_info.json` from the iwd and:
 *
 * - synthetic mode: sleeps min(10 s, events × time_per_event) and writes one output of
 *   min(10240 KB, events × size_per_event) (at least 1 KB), like the planner's wrapper;
 * - simulator/cmssw mode: runs the steps (proc-steps.ts), writes an FJR per run, derives
 *   the metrics from the parsed FJRs, the cgroup record from the memory samples, and
 *   stages out the kept outputs; exit 80 when step 1 wrote no events (nothing staged).
 *
 * Both modes add a fixed stage-in (sandbox unpacking, project setup) of PROC_STAGE_IN_SEC
 * and a stage-out of PROC_STAGE_OUT_SEC; during them the cgroup holds only the wrapper,
 * WRAPPER_MEMORY_MB. While cmsRun runs no extra wrapper memory is added: the profiles'
 * `subprocess_memory_mb` was calibrated as cgroup anon minus FJR RSS, so it includes it.
 */
import type { OutputInfo } from "../../src/artifacts/output-info.js";
import { syntheticProcOutputs } from "../../src/artifacts/outputs.js";
import { EXIT_NO_EVENTS } from "../../src/artifacts/post-classify.js";
import { procFileName } from "../../src/artifacts/proc-files.js";
import type { ProcStepMetrics } from "../../src/artifacts/proc-metrics.js";
import type { SyntheticManifest } from "../../src/artifacts/sandbox-manifest.js";
import {
  CGROUP_FILE,
  PROC_METRICS_FILE,
  PROC_OUTPUTS_FILE,
  STAND_IN_FILE,
} from "../file-codecs.js";
import { writeFileValueIn } from "../fs.js";
import { readOutputInfoIfFile } from "./artifact-files.js";
import { resolveIn, submitFileOf, unitInputPath, writeStdio, writeStdioText } from "./job-io.js";
import { type JobManifest, MANIFEST, readJobManifest } from "./manifest.js";
import { jobEvents, type ProcArgs, parseProcArgs } from "./proc-args.js";
import {
  PROC_STAGE_IN_SEC,
  PROC_STAGE_OUT_SEC,
  stepsOutcome,
  WRAPPER_MEMORY_MB,
} from "./proc-outcome.js";
import { stagedOutputList } from "./proc-reports.js";
import { inDir, sideFileDir, stagedFileName, unmergedBlockPfn } from "./storage.js";
import type { JobContext, JobPlan, PayloadModel } from "./types.js";
import { steadyMemory } from "./usage.js";

export { PROC_STAGE_IN_SEC, PROC_STAGE_OUT_SEC, WRAPPER_MEMORY_MB };
export const SYNTHETIC_MAX_SEC = 10;
export const SYNTHETIC_MAX_KB = 10240;

const NOTHING_STAGED = "wms2_proc: no output datasets (output_info.json): nothing staged out";

export interface ProcModelOptions {
  /** Also write each FJR to `<iwd>/proc_<N>_reports/` (real jobs do not bring them back). */
  keepReports?: boolean;
}

/** A job that fails at once with exit code 1 and a line on stderr. */
export function failedRun(ctx: JobContext, message: string): JobPlan {
  return {
    durationSec: 1,
    exitCode: 1,
    memory: steadyMemory(WRAPPER_MEMORY_MB),
    complete: () => writeStdio(ctx, [], [message]),
  };
}

export function procModel(opts: ProcModelOptions = {}): PayloadModel {
  return (ctx) => {
    const file = submitFileOf(ctx);
    const args = parseProcArgs(ctx.argv, file);
    const events = jobEvents(args, file);
    const jm = readJobManifest(ctx);
    if (!jm) return failedRun(ctx, `wms2_proc: ${MANIFEST} (or its tuned copy) is missing`);
    const infoFile = args.outputInfo ? unitInputPath(ctx.iwd, args.outputInfo) : undefined;
    const info = infoFile ? readOutputInfoIfFile(ctx.fs, infoFile) : undefined;
    if (jm.manifest.mode === "synthetic") {
      return syntheticRun(ctx, args, events, jm.manifest as SyntheticManifest, info);
    }
    return stepsRun(ctx, args, events, jm, info, opts);
  };
}

function syntheticRun(
  ctx: JobContext,
  args: ProcArgs,
  events: number,
  m: SyntheticManifest,
  info: OutputInfo | undefined,
): JobPlan {
  const secs = Math.min(SYNTHETIC_MAX_SEC, events * m.time_per_event_sec);
  const kb = Math.max(1, Math.min(SYNTHETIC_MAX_KB, Math.floor(events * m.size_per_event_kb)));
  return {
    durationSec: PROC_STAGE_IN_SEC + secs + PROC_STAGE_OUT_SEC,
    exitCode: 0,
    memory: steadyMemory(WRAPPER_MEMORY_MB),
    cpuSec: 0,
    complete: () => {
      const stdout = [`Step 1: wall=${secs}s cpu_eff=None rss=None events=${events}`];
      const stderr: string[] = [];
      const ds = info?.output_datasets[0];
      const sideDir = info && sideFileDir(info);
      if (info && ds && sideDir) {
        const N = args.nodeIndex;
        const sizeBytes = kb * 1024;
        const standIn = { sizeBytes, events, tier: ds.data_tier };
        const blockDir = unmergedBlockPfn(info, ds);
        writeFileValueIn(
          ctx.fs,
          blockDir,
          stagedFileName(N, "output.root"),
          STAND_IN_FILE,
          standIn,
        );
        const outputs = Object.entries(syntheticProcOutputs(N, ds.data_tier));
        for (const [, entry] of outputs) entry.size_bytes = sizeBytes;
        writeFileValueIn(ctx.fs, sideDir, procFileName(N, "outputs"), PROC_OUTPUTS_FILE, outputs);
        writeFileValueIn(ctx.fs, sideDir, procFileName(N, "metrics"), PROC_METRICS_FILE, [
          syntheticMetrics(secs, events, kb),
        ]);
      } else {
        stderr.push(NOTHING_STAGED);
      }
      writeStdio(ctx, stdout, stderr);
    },
  };
}

/**
 * The one "step" of a synthetic job as a proc metrics entry: it sleeps, so it uses almost
 * no CPU (the wrapper's own 2 %), one thread and WRAPPER_MEMORY_MB of memory.
 */
export function syntheticMetrics(secs: number, events: number, kb: number): ProcStepMetrics {
  const cpu = Math.round(secs * SYNTHETIC_CPU_FRACTION * 100) / 100;
  return {
    step: 1,
    step_index: 0,
    wall_time_sec: secs,
    cpu_time_sec: cpu,
    num_threads: 1,
    throughput_ev_s: secs > 0 ? Math.round((events / secs) * 1e4) / 1e4 : null,
    avg_event_time_sec: events > 0 ? Math.round((secs / events) * 1e4) / 1e4 : null,
    cpu_efficiency: secs > 0 ? Math.round((cpu / secs) * 1e4) / 1e4 : null,
    peak_rss_mb: WRAPPER_MEMORY_MB,
    peak_vsize_mb: WRAPPER_MEMORY_MB * 1.2,
    events_processed: events,
    events_written: events,
    time_per_event_sec: events > 0 ? Math.round((secs / events) * 1e4) / 1e4 : null,
    read_mb: 0,
    write_mb: Math.round((kb / 1024) * 100) / 100,
    ncpus: 1,
  };
}

/** CPU a sleeping synthetic payload uses, as a fraction of its wall time. */
export const SYNTHETIC_CPU_FRACTION = 0.02;

function stepsRun(
  ctx: JobContext,
  args: ProcArgs,
  events: number,
  jm: JobManifest,
  info: OutputInfo | undefined,
  opts: ProcModelOptions,
): JobPlan {
  const o = stepsOutcome(jm, args, events, ctx.rand);
  const { plan, durationSec } = o;
  return {
    durationSec,
    exitCode: plan.noEvents ? EXIT_NO_EVENTS : 0,
    memory: o.memory,
    rssMb: o.rssMb,
    cpu: o.cpu,
    complete: () => {
      const N = args.nodeIndex;
      const { reports, stdoutAfterNode, metrics, cgroup } = o.derived();
      if (opts.keepReports) {
        const dir = resolveIn(ctx.iwd, `proc_${N}_reports`);
        for (const r of reports) ctx.fs.writeText(inDir(dir, r.fileName), r.xml);
      }
      // Only the node index is the job's own: the rest of the text is the outcome's.
      const stdout = `wms2_proc: node ${N}${stdoutAfterNode}`;
      if (plan.noEvents) {
        writeStdioText(ctx, stdout, "wms2_proc: step 1 wrote 0 events, stopping (exit 80)\n");
        return;
      }
      const sideDir = info && sideFileDir(info);
      if (!info || !sideDir) {
        writeStdioText(ctx, stdout, `${NOTHING_STAGED}\n`);
        return;
      }
      const { staged, stderr } = o.stageOut(info.output_datasets);
      for (const s of staged) {
        const blockDir = unmergedBlockPfn(info, s.dataset);
        writeFileValueIn(ctx.fs, blockDir, stagedFileName(N, s.name), STAND_IN_FILE, s.standIn);
      }
      const fs = ctx.fs;
      writeFileValueIn(fs, sideDir, procFileName(N, "metrics"), PROC_METRICS_FILE, metrics);
      writeFileValueIn(fs, sideDir, procFileName(N, "cgroup"), CGROUP_FILE, cgroup);
      const outputs = stagedOutputList(N, staged);
      writeFileValueIn(fs, sideDir, procFileName(N, "outputs"), PROC_OUTPUTS_FILE, outputs);
      writeStdioText(ctx, stdout, stderr);
    },
  };
}
