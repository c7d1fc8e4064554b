/**
 * The public entry point of the WMS2 package: the planner, the DAGMan file formats, the
 * adaptive algorithms, the job artifacts, the results store and reports, and the
 * simulator's API. The `matrix` command is built on exactly these pieces.
 */

export { SimSession, simulateDag } from "../simulator/dagman/simulate.js";
export * from "./adaptive/index.js";
export * as artifacts from "./artifacts/index.js";
export * as dagman from "./dagman/index.js";
export { loadCatalog } from "./matrix/catalog.js";
export { matrixPlanRequest } from "./matrix/plan-request.js";
export { runSelection } from "./matrix/runner.js";
export { resolveSelection } from "./matrix/select.js";
export { loadSets } from "./matrix/sets.js";
export { InputError } from "./model/errors.js";
export type * from "./model/results.js";
export type * from "./model/workflow.js";
export { formatWorkflowId } from "./model/workflow.js";
export { planWorkflow } from "./planner/plan.js";
export { readBundle } from "./planner/read.js";
export type { DagBundle, Plan, PlannedJob, PlanRequest, PlanSummary } from "./planner/types.js";
export { writeBundle } from "./planner/write.js";
export { renderRunReport } from "./report/index.js";
export { compareRuns } from "./results/compare.js";
export { openStore } from "./results/index.js";
