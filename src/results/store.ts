/**
 * The results store: one SQLite database per results directory (`<dir>/matrix.db`) holding
 * every run and, per run, one row per finished workflow. Each result is committed in its
 * own transaction as soon as it is saved, so a run that is killed keeps what finished; WAL
 * mode and a busy timeout let several `matrix` processes write to one store at once.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { InputError, inputErrorMessage } from "../model/errors.js";
import type { ResultStatus, RunRecord, WorkflowResult } from "../model/results.js";
import { artifactDirOf, writeArtifactFile } from "./artifacts.js";
import { type OpenDbOptions, openResultsDb } from "./open-db.js";
import {
  DB_FILE_NAME,
  INSERT_RESULT_SQL,
  INSERT_RUN_SQL,
  type RunMeta,
  type RunRow,
  resultRowParams,
  runRowParams,
  UPSERT_ARTIFACT_SQL,
} from "./schema.js";
import { workflowResultProblem } from "./validate.js";
import { formatWfId } from "./wf-id.js";

export interface LoadedRun {
  run: RunRecord;
  /** In the order they were first saved. */
  results: WorkflowResult[];
}

export interface ArtifactEntry {
  wfId: number;
  name: string;
  bytes: number;
  path: string;
}

export type RunCounts = RunRecord["counts"];

export function emptyCounts(): RunCounts {
  return { passed: 0, failed: 0, skipped: 0, error: 0, timeout: 0 };
}

export function countStatuses(statuses: readonly ResultStatus[]): RunCounts {
  const counts = emptyCounts();
  for (const s of statuses) counts[s] += 1;
  return counts;
}

function runFromRow(row: RunRow, counts: RunCounts): RunRecord {
  return {
    runId: row.run_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    selection: row.selection,
    backend: row.backend,
    seed: row.seed,
    gitCommit: row.git_commit,
    versions: JSON.parse(row.versions_json) as Record<string, string>,
    argv: JSON.parse(row.argv_json) as string[],
    counts,
  };
}

export class ResultsStore {
  /** Path of the database file, as built from the directory given (used in messages). */
  readonly file: string;
  private readonly db: Database.Database;

  constructor(
    readonly dir: string,
    opts: OpenDbOptions = {},
  ) {
    this.file = join(dir, DB_FILE_NAME);
    this.db = openResultsDb(this.file, opts);
  }

  /** Record the start of a run; returns its id. */
  beginRun(meta: RunMeta): number {
    const info = this.db.prepare(INSERT_RUN_SQL).run(runRowParams(meta));
    return Number(info.lastInsertRowid);
  }

  /** Save one finished workflow in its own transaction (replacing an earlier save of it). */
  saveResult(runId: number, result: WorkflowResult): void {
    const problem = workflowResultProblem(result);
    if (problem !== null) {
      throw new Error(
        `cannot save workflow ${formatWfId(result.wfId)} of run ${runId}: ${problem}`,
      );
    }
    const params = resultRowParams(runId, result, new Date().toISOString());
    const insert = this.db.prepare(INSERT_RESULT_SQL);
    // IMMEDIATE: take the write lock first (waiting up to the busy timeout). A deferred
    // transaction that reads and then writes fails at once if another process committed
    // in between.
    this.db
      .transaction(() => {
        this.requireRun(runId);
        insert.run(params);
      })
      .immediate();
  }

  finishRun(runId: number, endedAt: string): void {
    const info = this.db
      .prepare("UPDATE runs SET ended_at = ? WHERE run_id = ?")
      .run(endedAt, runId);
    if (info.changes === 0) throw this.noRun(runId);
  }

  /** Every run, oldest first, with its status counts. */
  listRuns(): RunRecord[] {
    const rows = this.db.prepare("SELECT * FROM runs ORDER BY run_id").all() as RunRow[];
    const tallies = this.db
      .prepare("SELECT run_id, status, COUNT(*) AS n FROM workflow_results GROUP BY run_id, status")
      .all() as { run_id: number; status: ResultStatus; n: number }[];
    const counts = new Map<number, RunCounts>();
    for (const t of tallies) {
      const c = counts.get(t.run_id) ?? emptyCounts();
      if (t.status in c) c[t.status] += t.n;
      counts.set(t.run_id, c);
    }
    return rows.map((r) => runFromRow(r, counts.get(r.run_id) ?? emptyCounts()));
  }

  /** One run and its results; "latest" is the run with the highest id. */
  loadRun(ref: number | "latest"): LoadedRun {
    const row = (
      ref === "latest"
        ? this.db.prepare("SELECT * FROM runs ORDER BY run_id DESC LIMIT 1").get()
        : this.db.prepare("SELECT * FROM runs WHERE run_id = ?").get(ref)
    ) as RunRow | undefined;
    if (row === undefined) {
      if (ref === "latest")
        throw new InputError(inputErrorMessage({ file: this.file, problem: "no saved runs" }));
      throw this.noRun(ref);
    }
    const rows = this.db
      .prepare("SELECT wf_id, result_json FROM workflow_results WHERE run_id = ? ORDER BY id")
      .all(row.run_id) as { wf_id: number; result_json: string }[];
    const results = rows.map((r) => this.parseResult(row.run_id, r.wf_id, r.result_json));
    return { run: runFromRow(row, countStatuses(results.map((r) => r.status))), results };
  }

  /** Folder for the files of one workflow of one run (not created until something is saved). */
  artifactDir(runId: number, wfId: number): string {
    return artifactDirOf(this.dir, runId, wfId);
  }

  /** Write an artifact atomically and index it; returns its path. */
  saveArtifact(runId: number, wfId: number, name: string, data: string | Buffer): string {
    this.requireRun(runId);
    const path = writeArtifactFile(this.artifactDir(runId, wfId), name, data);
    this.db.prepare(UPSERT_ARTIFACT_SQL).run({
      run_id: runId,
      wf_id: wfId,
      name,
      bytes: typeof data === "string" ? Buffer.byteLength(data) : data.length,
      saved_at: new Date().toISOString(),
    });
    return path;
  }

  listArtifacts(runId: number, wfId?: number): ArtifactEntry[] {
    const rows = (
      wfId === undefined
        ? this.db
            .prepare("SELECT * FROM artifacts WHERE run_id = ? ORDER BY wf_id, name")
            .all(runId)
        : this.db
            .prepare("SELECT * FROM artifacts WHERE run_id = ? AND wf_id = ? ORDER BY name")
            .all(runId, wfId)
    ) as { wf_id: number; name: string; bytes: number }[];
    return rows.map((r) => ({
      wfId: r.wf_id,
      name: r.name,
      bytes: r.bytes,
      path: join(this.artifactDir(runId, r.wf_id), r.name),
    }));
  }

  close(): void {
    this.db.close();
  }

  private requireRun(runId: number): void {
    const found = this.db.prepare("SELECT 1 FROM runs WHERE run_id = ?").get(runId);
    if (found === undefined) throw this.noRun(runId);
  }

  private noRun(runId: number): InputError {
    return new InputError(inputErrorMessage({ file: this.file, problem: `no run ${runId}` }));
  }

  private parseResult(runId: number, wfId: number, json: string): WorkflowResult {
    const entry = `run ${runId} workflow ${formatWfId(wfId)}`;
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (err) {
      const problem = `invalid JSON: ${(err as Error).message.split("\n")[0]}`;
      throw new InputError(inputErrorMessage({ file: this.file, entry, problem }));
    }
    const problem = workflowResultProblem(value);
    if (problem !== null)
      throw new InputError(inputErrorMessage({ file: this.file, entry, problem }));
    return value as WorkflowResult;
  }
}

/** Open (or create) the store in `dir` (default `results`). */
export function openStore(dir = "results", opts: OpenDbOptions = {}): ResultsStore {
  if (!opts.readonly) mkdirSync(dir, { recursive: true });
  return new ResultsStore(dir, opts);
}
