/**
 * Identity of a WMS2 results database and the SQL that writes it. The statements are
 * exported so other programs (and tests running in a separate process) write rows in
 * exactly the store's format.
 */
import type { RunRecord, WorkflowResult } from "../model/results.js";
import { headlineMetrics } from "./metrics.js";

/** File name of the database inside the results directory. */
export const DB_FILE_NAME = "matrix.db";

/** `PRAGMA application_id` of every WMS2 results database: the bytes "WMS2". */
export const APPLICATION_ID = 0x574d5332;

/** Run metadata known when a run starts. */
export type RunMeta = Omit<RunRecord, "runId" | "endedAt" | "counts">;

export const INSERT_RUN_SQL = `
  INSERT INTO runs (started_at, ended_at, selection, backend, seed, git_commit, versions_json, argv_json)
  VALUES (@started_at, NULL, @selection, @backend, @seed, @git_commit, @versions_json, @argv_json)`;

/**
 * One workflow result; saving the same workflow twice in one run replaces the earlier row
 * and keeps its place in the run's order.
 */
export const INSERT_RESULT_SQL = `
  INSERT INTO workflow_results (run_id, wf_id, title, status, reason, elapsed_sec, wall_sec,
    dag_status, seed, backend, saved_at, result_json, total_events, core_hours,
    ev_per_core_hour, cpu_eff, peak_rss_mb)
  VALUES (@run_id, @wf_id, @title, @status, @reason, @elapsed_sec, @wall_sec, @dag_status,
    @seed, @backend, @saved_at, @result_json, @total_events, @core_hours, @ev_per_core_hour,
    @cpu_eff, @peak_rss_mb)
  ON CONFLICT (run_id, wf_id) DO UPDATE SET
    title = excluded.title, status = excluded.status, reason = excluded.reason,
    elapsed_sec = excluded.elapsed_sec, wall_sec = excluded.wall_sec,
    dag_status = excluded.dag_status, seed = excluded.seed, backend = excluded.backend,
    saved_at = excluded.saved_at, result_json = excluded.result_json,
    total_events = excluded.total_events, core_hours = excluded.core_hours,
    ev_per_core_hour = excluded.ev_per_core_hour, cpu_eff = excluded.cpu_eff,
    peak_rss_mb = excluded.peak_rss_mb`;

export const UPSERT_ARTIFACT_SQL = `
  INSERT INTO artifacts (run_id, wf_id, name, bytes, saved_at)
  VALUES (@run_id, @wf_id, @name, @bytes, @saved_at)
  ON CONFLICT (run_id, wf_id, name) DO UPDATE SET bytes = excluded.bytes, saved_at = excluded.saved_at`;

export interface RunRow {
  run_id: number;
  started_at: string;
  ended_at: string | null;
  selection: string;
  backend: string;
  seed: number;
  git_commit: string;
  versions_json: string;
  argv_json: string;
}

export function runRowParams(meta: RunMeta): Omit<RunRow, "run_id" | "ended_at"> {
  return {
    started_at: meta.startedAt,
    selection: meta.selection,
    backend: meta.backend,
    seed: meta.seed,
    git_commit: meta.gitCommit,
    versions_json: JSON.stringify(meta.versions),
    argv_json: JSON.stringify(meta.argv),
  };
}

/** Parameters of `INSERT_RESULT_SQL` for one result. */
export function resultRowParams(
  runId: number,
  result: WorkflowResult,
  savedAt: string,
): Record<string, string | number | null> {
  const m = headlineMetrics(result);
  return {
    run_id: runId,
    wf_id: result.wfId,
    title: result.title,
    status: result.status,
    reason: result.reason,
    elapsed_sec: result.elapsedSec,
    wall_sec: result.wallSec,
    dag_status: result.dagStatus,
    seed: result.seed,
    backend: result.backend,
    saved_at: savedAt,
    result_json: JSON.stringify(result),
    total_events: m.totalEvents,
    core_hours: m.coreHours,
    ev_per_core_hour: m.evPerCoreHour,
    cpu_eff: m.cpuEff,
    peak_rss_mb: m.peakRssMb,
  };
}
