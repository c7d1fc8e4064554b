/** Catalog entries, simulated runs and file readers shared by the adaptive-run tests. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SimBackend } from "../../src/backends/sim.js";
import { parseEventLog } from "../../src/dagman/event-log.js";
import { parseSubmit, submitGet } from "../../src/dagman/index.js";
import { loadCatalog } from "../../src/matrix/catalog.js";
import { runWorkflow } from "../../src/matrix/run-workflow.js";
import type { WorkflowResult } from "../../src/model/results.js";
import type { WorkflowDef } from "../../src/model/workflow.js";
import { repoRoot } from "../helpers/shared-fixtures.js";

export const catalog = loadCatalog(join(repoRoot, "catalog"));

/** A catalog entry with some fields changed. */
export function entry(id: number, overrides: Partial<WorkflowDef> = {}): WorkflowDef {
  const wf = catalog.workflows.get(id);
  if (!wf) throw new Error(`no catalog entry ${id}`);
  return { ...wf, ...overrides };
}

export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `wms2-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a workflow on the simulator in `workDir`. */
export function simRun(wf: WorkflowDef, workDir: string): Promise<WorkflowResult> {
  return runWorkflow(wf, {
    catalog,
    workDir,
    seed: 1,
    pollSec: 30,
    wms2Command: "matrix",
    backend: new SimBackend({ seed: 1 }),
  });
}

/** The submit directory of a workflow run in `workDir`. */
export function submitDirOf(workDir: string, wf: WorkflowDef): string {
  return join(workDir, `wf_${wf.id.toFixed(1)}`, "submit");
}

export function procSubs(groupDir: string): string[] {
  return readdirSync(groupDir)
    .filter((n) => /^proc_\d+\.sub$/.test(n))
    .sort();
}

export function submitValue(file: string, key: string): string | undefined {
  return submitGet(parseSubmit(readFileSync(file, "utf8"), file), key);
}

/** Proc jobs of a work unit as the event log saw them: submissions and the cores they ran on. */
export function procJobsRun(groupDir: string): { submitted: number; cpus: number[] } {
  const file = join(groupDir, "group.dag.nodes.log");
  const events = parseEventLog(readFileSync(file, "utf8"), file);
  const procClusters = new Set<number>();
  let submitted = 0;
  for (const e of events) {
    if (e.kind === "submit" && e.dagNode?.startsWith("proc_")) {
      submitted++;
      procClusters.add(e.cluster);
    }
  }
  const cpus = events
    .filter((e) => e.kind === "execute" && procClusters.has(e.cluster))
    .map((e) => Number((e as { attrs?: Record<string, unknown> }).attrs?.Cpus));
  return { submitted, cpus };
}

/** Events of step 1 over every proc metrics file of the work units (each job once). */
export function stepOneEvents(groupDirs: readonly string[]): number {
  let total = 0;
  for (const dir of groupDirs) {
    for (const name of readdirSync(dir).filter((n) => /^proc_\d+_metrics\.json$/.test(n))) {
      const entries = JSON.parse(readFileSync(join(dir, name), "utf8")) as {
        step: number;
        events_processed: number | null;
      }[];
      for (const e of entries) if (e.step === 1) total += e.events_processed ?? 0;
    }
  }
  return total;
}

/** The GEN event ranges `--first-event F --last-event L` of every proc job, sorted. */
export function eventRanges(groupDirs: readonly string[]): [number, number][] {
  const out: [number, number][] = [];
  for (const dir of groupDirs) {
    for (const sub of procSubs(dir)) {
      const args = submitValue(join(dir, sub), "arguments") ?? "";
      const f = /--first-event (\d+)/.exec(args);
      const l = /--last-event (\d+)/.exec(args);
      if (f && l) out.push([Number(f[1]), Number(l[1])]);
    }
  }
  return out.sort((a, b) => a[0] - b[0]);
}

/** One job's metrics: 5 steps at 8 threads, step 0 at 18% efficiency. */
export function jobMetrics(events: number): unknown[] {
  const effs = [0.18, 0.62, 0.6, 0.28, 0.17];
  const rss = [1750, 7617, 4029, 2466, 1735];
  return effs.map((eff, i) => ({
    step: i + 1,
    step_index: i,
    wall_time_sec: 100 * (5 - i),
    cpu_time_sec: 100 * (5 - i) * eff * 8,
    num_threads: 8,
    cpu_efficiency: eff,
    peak_rss_mb: rss[i],
    events_processed: i === 0 ? events : 4,
    throughput_ev_s: 0.1,
  }));
}
