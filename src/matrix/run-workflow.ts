import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { tierMatches } from "../artifacts/tier.js";
import type { Backend, DagHandle } from "../backends/types.js";
import {
  type DagProgress,
  findRescueDags,
  readDagOutcome,
  readDagProgress,
} from "../control/dag-monitor.js";
import { InputError } from "../model/errors.js";
import type { WorkflowResult } from "../model/results.js";
import { formatWorkflowId, type WorkflowDef } from "../model/workflow.js";
import { blockDir, lfnToPfn } from "../planner/lfn.js";
import type { Plan } from "../planner/types.js";
import {
  adaptiveData,
  probeExclusion,
  readDecisions,
  roundThreadsLabel,
} from "./adaptive-results.js";
import type { Catalog } from "./catalog.js";
import { writeMatrixPlan } from "./matrix-plan.js";
import { summarizeOutputs } from "./output-summary.js";
import { collectPerf, oomHolds } from "./perf.js";
import type { WorkUnitDirs } from "./perf-samples.js";
import { verifyOutcome } from "./verify.js";

export interface WorkflowRunEnv {
  catalog: Catalog;
  workDir: string;
  seed: number;
  /** Seconds between monitor polls (on the backend's clock). */
  pollSec: number;
  wms2Command: string;
  backend: Backend;
  onProgress?: (wf: WorkflowDef, p: { progress: DagProgress; elapsedSec: number }) => void;
}

/** A per-workflow seed: independent of selection order and of -j. */
export function workflowSeed(seed: number, id: number): number {
  let h = 2166136261 ^ seed;
  for (const ch of `${seed}:${formatWorkflowId(id)}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

/** Sweep the work directory, plan with the real planner, patch faults and overrides, write. */
export function prepareWorkflow(
  wf: WorkflowDef,
  env: Pick<WorkflowRunEnv, "catalog" | "workDir" | "wms2Command">,
): {
  plan: Plan;
  submitDir: string;
  storageDir: string;
  /** Adaptive runs: the probe job of the first work unit, when one was injected. */
  probeNode?: string;
} {
  const wd = resolve(env.workDir, `wf_${formatWorkflowId(wf.id)}`);
  rmSync(wd, { recursive: true, force: true });
  mkdirSync(wd, { recursive: true });
  const submitDir = join(wd, "submit");
  const storageDir = join(wd, "storage");
  const { plan, probeNode } = writeMatrixPlan(wf, env.catalog, {
    submitDir,
    storageDir,
    wms2Command: env.wms2Command,
    withFault: true,
  });
  return { plan, submitDir, storageDir, probeNode };
}

/** Run one workflow end to end on a backend and judge it against its VerifySpec. */
export async function runWorkflow(wf: WorkflowDef, env: WorkflowRunEnv): Promise<WorkflowResult> {
  const t0 = Date.now();
  const { plan, submitDir, storageDir, probeNode } = prepareWorkflow(wf, env);
  const backend = env.backend;
  const dagFile = join(submitDir, "workflow.dag");
  const h: DagHandle = await backend.submitDag(dagFile);
  const start = backend.clock.now();
  let dagState: "completed" | "removed" | "timeout" = "completed";
  let stalled: string | undefined;
  for (;;) {
    const st = await backend.dagJobState(h);
    if (st.state === "completed") break;
    if (st.state === "removed") {
      dagState = "removed";
      break;
    }
    const elapsed = backend.clock.now() - start;
    stalled = (backend as { stalledReason?: () => string | undefined }).stalledReason?.();
    if (elapsed >= wf.timeoutSec || stalled) {
      await backend.remove(h);
      dagState = "timeout";
      break;
    }
    await backend.clock.sleep(Math.min(env.pollSec, Math.max(1, wf.timeoutSec - elapsed)));
    env.onProgress?.(wf, {
      progress: readDagProgress(submitDir),
      elapsedSec: backend.clock.now() - start,
    });
  }
  const outcome = readDagOutcome(dagFile, backend.dagmanZone);
  const rescueDags = findRescueDags(submitDir);
  const datasets = plan.bundle.groups[0] ? matrixDatasets(plan) : [];
  const output = summarizeOutputs(
    submitDir,
    plan.bundle.groups.map((g) => g.name),
    datasets,
    storageDir,
    stepTiers(plan),
  );
  const kept = keptTiers(plan);
  output.datasets.forEach((d, i) => {
    d.kept = kept.some((t) => tierMatches(t, datasets[i].dataTier));
  });
  const memoryHolds: Record<number, number> = {};
  plan.bundle.groups.forEach((g) => {
    memoryHolds[g.index] = oomHolds(join(submitDir, g.name));
  });
  const reasons = verifyOutcome(wf.verify, {
    dagState,
    exitCode: outcome?.exitCode ?? null,
    dagStatus: outcome?.dagStatus ?? null,
    rescueDags,
    datasets: output.datasets,
    memoryHolds,
  });
  if (stalled) reasons.unshift(stalled);
  const workUnits: WorkUnitDirs[] = plan.bundle.groups.map((g) => ({
    name: g.name,
    index: g.index,
    round: wf.adaptive ? g.index + 1 : 1,
    groupDir: join(submitDir, g.name),
    unmergedDir: datasets[0]
      ? lfnToPfn(storageDir, blockDir(datasets[0].unmergedLfnBase, g.index))
      : undefined,
  }));
  const sim = backend as { cpuTimeline?: () => { t: number; cores: number }[] };
  const decisions = wf.adaptive ? readDecisions(submitDir, plan.bundle.groups.length - 1) : [];
  const perf = collectPerf({
    ...(wf.adaptive
      ? {
          excludeNodes: probeExclusion(probeNode),
          threadsLabel: roundThreadsLabel(decisions, wf.multicore),
        }
      : {}),
    workUnits,
    dagmanZone: backend.dagmanZone,
    cpuPoints: sim.cpuTimeline?.() ?? [],
    expectedCores: wf.multicore * (plan.summary.workUnitJobs[0]?.length ?? 0),
    output,
  });
  const end = outcome?.endTime ?? backend.clock.now();
  return {
    wfId: wf.id,
    title: wf.title,
    status:
      reasons.length === 0
        ? "passed"
        : dagState === "timeout" && wf.verify.expectSuccess
          ? "timeout"
          : "failed",
    reason: reasons.join("; "),
    elapsedSec: Math.max(0, end - start),
    wallSec: (Date.now() - t0) / 1000,
    dagStatus:
      dagState === "completed" ? (outcome?.exitCode === 0 ? "completed" : "failed") : dagState,
    dagExitCode: outcome?.exitCode ?? null,
    rescueDags: rescueDags.map((p) => p.slice(submitDir.length + 1)),
    submitDir,
    seed: env.seed,
    backend: backend.name,
    perf,
    adaptive: wf.adaptive ? adaptiveData(decisions, perf) : null,
  };
}

/** Data tiers the request keeps (steps with keep_output; synthetic jobs stage the first dataset's tier). */
function keptTiers(plan: Plan): string[] {
  const m = plan.bundle.groups[0]?.manifest as {
    mode?: string;
    steps?: { data_tier?: string; keep_output?: boolean }[];
    output_tiers?: string[];
  };
  if (!m) return [];
  if (m.mode === "synthetic") return m.output_tiers?.slice(0, 1) ?? [];
  return (m.steps ?? [])
    .filter((s) => s.keep_output && s.data_tier)
    .map((s) => s.data_tier as string);
}

/** Data tier of every step of the request, in step order. */
function stepTiers(plan: Plan): string[] {
  const m = plan.bundle.groups[0]?.manifest as {
    steps?: { data_tier?: string }[];
    output_tiers?: string[];
  };
  return m?.steps?.map((s) => s.data_tier ?? "") ?? m?.output_tiers?.slice(0, 1) ?? [];
}

function matrixDatasets(plan: Plan) {
  const info = plan.bundle.groups[0].outputInfo as {
    output_datasets: {
      dataset_name: string;
      merged_lfn_base: string;
      unmerged_lfn_base: string;
      data_tier: string;
    }[];
  };
  return info.output_datasets.map((d) => ({
    datasetName: d.dataset_name,
    mergedLfnBase: d.merged_lfn_base,
    unmergedLfnBase: d.unmerged_lfn_base,
    dataTier: d.data_tier,
  }));
}

/** A result for a workflow that could not run here. */
export function skippedResult(
  wf: WorkflowDef,
  reason: string,
  seed: number,
  backend: string,
): WorkflowResult {
  return {
    wfId: wf.id,
    title: wf.title,
    status: "skipped",
    reason,
    elapsedSec: 0,
    wallSec: 0,
    dagStatus: "not_run",
    dagExitCode: null,
    rescueDags: [],
    submitDir: "",
    seed,
    backend,
    perf: null,
    adaptive: null,
  };
}

/** A result for a workflow whose run raised an error (bad input found while running). */
export function errorResult(
  wf: WorkflowDef,
  err: unknown,
  seed: number,
  backend: string,
): WorkflowResult {
  const msg =
    err instanceof InputError ? err.message : err instanceof Error ? err.message : String(err);
  return { ...skippedResult(wf, msg, seed, backend), status: "error" };
}

export function workDirExists(dir: string): boolean {
  return existsSync(dir);
}
