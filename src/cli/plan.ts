import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Catalog } from "../matrix/catalog.js";
import type { FaultPatch } from "../matrix/faults.js";
import { type WrittenPlan, writeMatrixPlan } from "../matrix/matrix-plan.js";
import { InputError } from "../model/errors.js";
import { formatWorkflowId, type WorkflowDef } from "../model/workflow.js";
import type { Plan } from "../planner/types.js";

export interface PlanCommandOptions {
  out: string;
  storage?: string;
  force?: boolean;
  /** Apply the catalog entry's fault to the written submit files (as the matrix runner does). */
  withFault?: boolean;
  wms2Command: string;
}

/** The `matrix plan` command-line flags. */
export type PlanFlags = Omit<PlanCommandOptions, "wms2Command">;

/** Plan a catalog workflow into `out` and return the plan. */
export function planToDir(
  wf: WorkflowDef,
  catalog: Catalog,
  opts: PlanCommandOptions,
): WrittenPlan {
  const out = resolve(opts.out);
  if (opts.withFault && !wf.fault)
    throw new InputError(`--with-fault: workflow ${formatWorkflowId(wf.id)} has no fault`);
  if (existsSync(join(out, "workflow.dag")) && !opts.force) {
    throw new InputError(
      `${out}: already holds a submit directory (workflow.dag); use --force to replace it`,
    );
  }
  if (existsSync(out) && !opts.force && readdirSync(out).length > 0) {
    throw new InputError(`${out}: directory is not empty; use --force to write into it`);
  }
  return writeMatrixPlan(wf, catalog, {
    submitDir: out,
    storageDir: opts.storage ?? join(out, "storage"),
    wms2Command: opts.wms2Command,
    withFault: Boolean(opts.withFault),
  });
}

export function renderPlanSummary(wf: WorkflowDef, plan: Plan, faults?: FaultPatch[]): string {
  const s = plan.summary;
  const files = plan.bundle.groups.reduce((n, g) => n + Object.keys(g.submits).length + 4, 0) + 1;
  const lines = [
    `Planned ${formatWorkflowId(wf.id)} — ${wf.title}`,
    `  submit dir:  ${plan.bundle.submitDir}`,
    `  jobs:        ${s.jobs.length} processing jobs × ${wf.multicore} cores`,
    `  work units:  ${plan.bundle.groups.length} (${s.workUnitJobs.map((w) => w.length).join(", ")} jobs)`,
    `  nodes:       ${s.nodes} inner + ${plan.bundle.outer.nodes.length} outer, ${s.edges} edges`,
    `  events:      ${s.totalEvents}`,
    `  blocks:      ${s.blocks.length} processing block(s)`,
    `  files:       ${files} DAG, submit and JSON files`,
  ];
  if (faults && wf.fault) {
    const f = wf.fault;
    const what = f.skipOutput
      ? "exit 0 without output"
      : f.signal
        ? `signal ${f.signal}`
        : `exit ${f.exitCode}`;
    lines.push(
      `  fault:       ${f.target} ${what} injected into ${faults.length} submit file(s)`,
      ...faults.map(
        (p) => `               ${p.submitFile.slice(plan.bundle.submitDir.length + 1)}`,
      ),
    );
  }
  return `${lines.join("\n")}\n`;
}
