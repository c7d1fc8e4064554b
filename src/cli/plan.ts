import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Catalog } from "../matrix/catalog.js";
import { matrixPlanRequest } from "../matrix/plan-request.js";
import { InputError } from "../model/errors.js";
import { formatWorkflowId, type WorkflowDef } from "../model/workflow.js";
import { planWorkflow } from "../planner/plan.js";
import type { Plan } from "../planner/types.js";
import { writeBundle } from "../planner/write.js";

export interface PlanCommandOptions {
  out: string;
  storage?: string;
  force?: boolean;
  wms2Command: string;
}

/** Plan a catalog workflow into `out` and return the plan. */
export function planToDir(wf: WorkflowDef, catalog: Catalog, opts: PlanCommandOptions): Plan {
  const out = resolve(opts.out);
  if (existsSync(join(out, "workflow.dag")) && !opts.force) {
    throw new InputError(
      `${out}: already holds a submit directory (workflow.dag); use --force to replace it`,
    );
  }
  if (existsSync(out) && !opts.force && readdirSync(out).length > 0) {
    throw new InputError(`${out}: directory is not empty; use --force to write into it`);
  }
  const req = matrixPlanRequest(wf, catalog.profiles, {
    submitDir: out,
    storageDir: opts.storage ?? join(out, "storage"),
    wms2Command: opts.wms2Command,
  });
  const plan = planWorkflow(req);
  writeBundle(plan.bundle);
  return plan;
}

export function renderPlanSummary(wf: WorkflowDef, plan: Plan): string {
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
  return `${lines.join("\n")}\n`;
}
