import { writeFileSync } from "node:fs";
import { loadPoolFile } from "../../simulator/pool/config.js";
import { CondorBackend } from "../backends/condor/index.js";
import { SimBackend } from "../backends/sim.js";
import type { Backend } from "../backends/types.js";
import type { DagThrottles } from "../dagman/submit-dag-flags.js";
import { type BackendName, detectCapabilities } from "../matrix/capabilities.js";
import type { Catalog } from "../matrix/catalog.js";
import { runSelection } from "../matrix/runner.js";
import { InputError } from "../model/errors.js";
import type { WorkflowResult } from "../model/results.js";
import { formatWorkflowId, type WorkflowDef } from "../model/workflow.js";
import { renderJson, renderRunReport, writeHtmlReport } from "../report/index.js";
import { renderJunit } from "../report/junit.js";
import { openStore } from "../results/index.js";
import { EXIT } from "./errors.js";
import type { CliIo } from "./main.js";
import { Progress } from "./progress.js";
import { gitCommit, versions } from "./run-meta.js";

export interface RunOptions {
  selection: string;
  ids: number[];
  backend: BackendName;
  seed: number;
  jobs: number;
  pool?: string;
  /** condor_submit_dag's throttles for every workflow's top DAG, on either backend. */
  throttles: DagThrottles;
  workDir: string;
  resultsDir: string;
  json: boolean;
  junit?: string;
  html?: string;
  verbose: boolean;
  argv: string[];
}

/** Exit code of a finished run: 0 when every result passed or was skipped. */
export function runExitCode(results: readonly WorkflowResult[]): number {
  return results.some(
    (r) => r.status === "failed" || r.status === "error" || r.status === "timeout",
  )
    ? EXIT.failed
    : EXIT.ok;
}

export async function runCommand(catalog: Catalog, o: RunOptions, io: CliIo): Promise<number> {
  if (o.ids.length === 0) throw new InputError(`selection "${o.selection}" matched no workflows`);
  const pool = o.pool ? loadPoolFile(o.pool) : undefined;
  const caps = await detectCapabilities();
  const makeBackend = (wf: WorkflowDef, seed: number): Backend =>
    o.backend === "sim"
      ? new SimBackend({ seed, pool, throttles: o.throttles })
      : new CondorBackend({
          batchName: `wms2-matrix-${formatWorkflowId(wf.id)}`,
          ...o.throttles,
        });
  const store = openStore(o.resultsDir);
  try {
    const runId = store.beginRun({
      startedAt: new Date().toISOString(),
      selection: o.selection,
      backend: o.backend,
      seed: o.seed,
      gitCommit: gitCommit(),
      versions: versions(),
      argv: o.argv,
    });
    const progress = new Progress(io.err, io.isTTY, o.ids.length);
    // Results are saved as they finish, in selection order (a finished result waits for
    // the ones before it when -j runs several at once), one transaction each.
    const done = new Map<number, WorkflowResult>();
    let saved = 0;
    await runSelection({
      catalog,
      ids: o.ids,
      backendName: o.backend,
      makeBackend,
      caps,
      seed: o.seed,
      workDir: o.workDir,
      jobs: o.jobs,
      pollSec: o.backend === "sim" ? 30 : 5,
      wms2Command: io.selfCommand,
      onStart: (wf) => progress.start(wf),
      onProgress: (wf, p) => progress.update(wf, p),
      onResult: (r) => {
        progress.finish(r);
        done.set(r.wfId, r);
        while (saved < o.ids.length && done.has(o.ids[saved])) {
          store.saveResult(runId, done.get(o.ids[saved])!);
          saved++;
        }
      },
    });
    store.finishRun(runId, new Date().toISOString());
    const { run, results } = store.loadRun(runId);
    io.out(
      o.json
        ? renderJson(run, results)
        : renderRunReport(run, results, { color: io.isTTY && !o.json }),
    );
    if (o.junit) writeFileSync(o.junit, renderJunit(run, results));
    if (o.html) await writeHtmlReport(o.html, run, results);
    return runExitCode(results);
  } finally {
    store.close();
  }
}

export async function reportCommand(
  resultsDir: string,
  ref: string | true,
  json: boolean,
  io: CliIo,
  html?: string,
): Promise<number> {
  const store = openStore(resultsDir, { readonly: true });
  try {
    const which = ref === true || ref === "latest" ? "latest" : Number(ref);
    if (which !== "latest" && !Number.isInteger(which))
      throw new InputError(`--report: "${ref}" is not a run id`);
    const { run, results } = store.loadRun(which);
    io.out(json ? renderJson(run, results) : renderRunReport(run, results, { color: io.isTTY }));
    if (html) await writeHtmlReport(html, run, results);
    return EXIT.ok;
  } finally {
    store.close();
  }
}

export function resultsCommand(resultsDir: string, io: CliIo): number {
  const store = openStore(resultsDir, { readonly: true });
  try {
    const runs = store.listRuns();
    if (runs.length === 0) {
      io.out("No saved runs.\n");
      return EXIT.ok;
    }
    io.out(`Saved runs (${runs.length}) in ${resultsDir}/matrix.db:\n`);
    io.out(
      `${"Run".padStart(5)}  ${"Started".padEnd(24)}  ${"Backend".padEnd(7)}  ${"Seed".padStart(6)}  ${"Commit".padEnd(12)}  Pass Fail Skip  Selection\n`,
    );
    for (const r of runs) {
      const fail = r.counts.failed + r.counts.error + r.counts.timeout;
      io.out(
        `${String(r.runId).padStart(5)}  ${r.startedAt.padEnd(24)}  ${r.backend.padEnd(7)}  ${String(r.seed).padStart(6)}  ${(r.gitCommit || "-").padEnd(12)}  ${String(r.counts.passed).padStart(4)} ${String(fail).padStart(4)} ${String(r.counts.skipped).padStart(4)}  ${r.selection}${r.endedAt ? "" : "  (not finished)"}\n`,
      );
    }
    return EXIT.ok;
  } finally {
    store.close();
  }
}
