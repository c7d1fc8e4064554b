import { join } from "node:path";
import type { WorkflowDef } from "../model/workflow.js";
import { planWorkflow } from "../planner/plan.js";
import type { Plan } from "../planner/types.js";
import { writeBundle } from "../planner/write.js";
import { prepareAdaptive } from "./adaptive-dag.js";
import type { Catalog } from "./catalog.js";
import { type FaultPatch, injectFault } from "./faults.js";
import { matrixPlanRequest } from "./plan-request.js";
import { applyWorkUnitOverrides } from "./wu-overrides.js";

export interface MatrixPlanDirs {
  submitDir: string;
  storageDir: string;
  wms2Command: string;
  /** Inject the catalog entry's fault (the runner always does; `matrix plan` on request). */
  withFault: boolean;
}

export interface WrittenPlan {
  plan: Plan;
  /** Adaptive runs: the probe job of the first work unit, when one was injected. */
  probeNode?: string;
  faults: FaultPatch[];
}

/**
 * Plan a catalog workflow with the real planner and write its submit directory exactly
 * as the matrix submits it: the planner's files, then the per-work-unit overrides, the
 * adaptive replan nodes and probe, and the fault. `matrix plan` and the runner both use it.
 */
export function writeMatrixPlan(wf: WorkflowDef, catalog: Catalog, o: MatrixPlanDirs): WrittenPlan {
  const plan = planWorkflow(
    matrixPlanRequest(wf, catalog.profiles, {
      submitDir: o.submitDir,
      storageDir: o.storageDir,
      wms2Command: o.wms2Command,
    }),
  );
  writeBundle(plan.bundle);
  const groupDirs = plan.bundle.groups.map((g) => join(plan.bundle.submitDir, g.name));
  applyWorkUnitOverrides(wf, groupDirs);
  const adaptive = wf.adaptive ? prepareAdaptive(wf, plan.bundle.submitDir, groupDirs) : {};
  const faults = o.withFault && wf.fault ? injectFault(groupDirs, wf.fault) : [];
  return { plan, faults, ...adaptive };
}
