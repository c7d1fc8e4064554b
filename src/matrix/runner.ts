import type { Backend } from "../backends/types.js";
import type { DagProgress } from "../control/dag-monitor.js";
import type { WorkflowResult } from "../model/results.js";
import type { WorkflowDef } from "../model/workflow.js";
import type { BackendName, CapabilityReport } from "./capabilities.js";
import { runnableOn } from "./capabilities.js";
import type { Catalog } from "./catalog.js";
import { errorResult, runWorkflow, skippedResult, workflowSeed } from "./run-workflow.js";

export interface SelectionRunOptions {
  catalog: Catalog;
  ids: number[];
  backendName: BackendName;
  /** A fresh backend for one workflow (sim: its own pool and clock, seeded for that workflow). */
  makeBackend: (wf: WorkflowDef, seed: number) => Backend;
  caps: CapabilityReport;
  seed: number;
  workDir: string;
  jobs: number;
  pollSec: number;
  wms2Command: string;
  /** Called as each workflow finishes (in completion order); the store saves it here. */
  onResult: (r: WorkflowResult) => void;
  onStart?: (wf: WorkflowDef) => void;
  onProgress?: (wf: WorkflowDef, p: { progress: DagProgress; elapsedSec: number }) => void;
}

/**
 * Run a selection: every workflow on its own backend instance, at most `jobs` at once.
 * Results come back in selection order whatever the completion order, and each
 * workflow's numbers depend only on the seed and the workflow (not on -j).
 */
export async function runSelection(o: SelectionRunOptions): Promise<WorkflowResult[]> {
  const results: (WorkflowResult | undefined)[] = new Array(o.ids.length);
  let next = 0;
  const worker = async () => {
    while (next < o.ids.length) {
      const i = next++;
      const wf = o.catalog.workflows.get(o.ids[i])!;
      const seed = workflowSeed(o.seed, wf.id);
      const can = runnableOn(wf, o.catalog, o.backendName, o.caps);
      let r: WorkflowResult;
      if (!can.ok) r = skippedResult(wf, can.reason, o.seed, o.backendName);
      else {
        o.onStart?.(wf);
        const backend = o.makeBackend(wf, seed);
        try {
          r = await runWorkflow(wf, {
            catalog: o.catalog,
            workDir: o.workDir,
            seed: o.seed,
            pollSec: o.pollSec,
            wms2Command: o.wms2Command,
            backend,
            onProgress: o.onProgress,
          });
        } catch (e) {
          r = errorResult(wf, e, o.seed, o.backendName);
        } finally {
          await backend.close();
        }
      }
      results[i] = r;
      o.onResult(r);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.jobs, o.ids.length)) }, worker));
  return results as WorkflowResult[];
}
