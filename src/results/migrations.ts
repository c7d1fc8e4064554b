/**
 * The results database schema as an ordered list of migrations. `PRAGMA user_version`
 * holds the number of the last one applied; a database is brought up to date inside one
 * write transaction, so a concurrent opener either sees the old schema or the new one.
 * Add new migrations at the end; never edit one that has shipped.
 */
import type Database from "better-sqlite3";

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "runs and workflow results",
    sql: `
      CREATE TABLE runs (
        run_id        INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at    TEXT NOT NULL,
        ended_at      TEXT,
        selection     TEXT NOT NULL,
        backend       TEXT NOT NULL,
        seed          INTEGER NOT NULL,
        git_commit    TEXT NOT NULL,
        versions_json TEXT NOT NULL,
        argv_json     TEXT NOT NULL
      );
      CREATE TABLE workflow_results (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id       INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        wf_id        REAL NOT NULL,
        title        TEXT NOT NULL,
        status       TEXT NOT NULL,
        reason       TEXT NOT NULL,
        elapsed_sec  REAL NOT NULL,
        wall_sec     REAL NOT NULL,
        dag_status   TEXT NOT NULL,
        seed         INTEGER NOT NULL,
        backend      TEXT NOT NULL,
        saved_at     TEXT NOT NULL,
        result_json  TEXT NOT NULL,
        UNIQUE (run_id, wf_id)
      );
      CREATE INDEX workflow_results_by_wf ON workflow_results (wf_id, run_id);
    `,
  },
  {
    version: 2,
    description: "performance columns for queries, artifacts index",
    sql: `
      ALTER TABLE workflow_results ADD COLUMN total_events REAL;
      ALTER TABLE workflow_results ADD COLUMN core_hours REAL;
      ALTER TABLE workflow_results ADD COLUMN ev_per_core_hour REAL;
      ALTER TABLE workflow_results ADD COLUMN cpu_eff REAL;
      ALTER TABLE workflow_results ADD COLUMN peak_rss_mb REAL;
      CREATE TABLE artifacts (
        run_id   INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
        wf_id    REAL NOT NULL,
        name     TEXT NOT NULL,
        bytes    INTEGER NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (run_id, wf_id, name)
      );
    `,
  },
];

/** The schema version this code writes and understands. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/**
 * Apply, in order, every migration above the database's `user_version` up to `target`.
 * The caller holds the write transaction. Returns the versions applied.
 */
export function applyMigrations(db: Database.Database, target = SCHEMA_VERSION): number[] {
  const current = db.pragma("user_version", { simple: true }) as number;
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    db.exec(m.sql);
    db.pragma(`user_version = ${m.version}`);
    applied.push(m.version);
  }
  return applied;
}
