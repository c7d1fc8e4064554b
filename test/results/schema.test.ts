import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import seedrandom from "seedrandom";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/model/errors.js";
import { MIGRATIONS, SCHEMA_VERSION } from "../../src/results/migrations.js";
import { openResultsDb } from "../../src/results/open-db.js";
import { APPLICATION_ID } from "../../src/results/schema.js";
import { openStore } from "../../src/results/store.js";
import { standardResult } from "../report/fixtures.js";
import { meta, tempDirs } from "./support.js";

const dirs = tempDirs("wms2-schema-");
afterAll(() => dirs.cleanup());

function pragmas(file: string) {
  const db = new Database(file, { readonly: true });
  const out = {
    appId: db.pragma("application_id", { simple: true }),
    version: db.pragma("user_version", { simple: true }),
    journal: db.pragma("journal_mode", { simple: true }),
    tables: db
      .prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
      .pluck()
      .all(),
  };
  db.close();
  return out;
}

function expectRefusedUnchanged(dir: string, message: string) {
  const file = join(dir, "matrix.db");
  const before = readFileSync(file);
  expect(() => openStore(dir)).toThrow(new InputError(message.replace("FILE", file)));
  expect(() => openStore(dir, { readonly: true })).toThrow(InputError);
  expect(readFileSync(file).equals(before)).toBe(true);
}

describe("schema and migrations", () => {
  it("migration versions run 1, 2, ... in order", () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it("an empty directory gets the full schema, WAL mode and the WMS2 application id", () => {
    const dir = dirs.make();
    openStore(dir).close();
    expect(pragmas(join(dir, "matrix.db"))).toEqual({
      appId: APPLICATION_ID,
      version: SCHEMA_VERSION,
      journal: "wal",
      tables: ["artifacts", "runs", "sqlite_sequence", "workflow_results"],
    });
  });

  it("an empty (0-byte) file is initialised like a new one", () => {
    const dir = dirs.make();
    writeFileSync(join(dir, "matrix.db"), "");
    openStore(dir).close();
    expect(pragmas(join(dir, "matrix.db")).version).toBe(SCHEMA_VERSION);
  });

  it("a version-1 database is migrated and keeps its data", () => {
    const dir = dirs.make();
    const file = join(dir, "matrix.db");
    const v1 = openResultsDb(file, { targetVersion: 1 });
    v1.prepare(
      `INSERT INTO runs (started_at, selection, backend, seed, git_commit, versions_json, argv_json)
       VALUES ('2026-01-01T00:00:00Z', 'old', 'sim', 1, 'abc', '{}', '[]')`,
    ).run();
    v1.prepare(
      `INSERT INTO workflow_results (run_id, wf_id, title, status, reason, elapsed_sec, wall_sec,
         dag_status, seed, backend, saved_at, result_json)
       VALUES (1, 100, 't', 'passed', '', 700, 0.05, 'completed', 42, 'sim', 'now', ?)`,
    ).run(JSON.stringify(standardResult));
    v1.close();
    expect(pragmas(file).version).toBe(1);
    expect(pragmas(file).tables).not.toContain("artifacts");

    const store = openStore(dir);
    expect(pragmas(file).version).toBe(SCHEMA_VERSION);
    const loaded = store.loadRun(1);
    expect(loaded.run.selection).toBe("old");
    expect(loaded.results).toEqual([standardResult]);
    expect(store.beginRun(meta())).toBe(2);
    store.close();
  });

  it("a file of random bytes is refused and left untouched", () => {
    const dir = dirs.make();
    const rng = seedrandom("corrupt-results-db");
    const bytes = Buffer.alloc(8192);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rng() * 256);
    writeFileSync(join(dir, "matrix.db"), bytes);
    expectRefusedUnchanged(dir, "FILE: not a WMS2 results database (not an SQLite file)");
  });

  it("an SQLite header followed by garbage is refused and left untouched", () => {
    const dir = dirs.make();
    const bytes = Buffer.alloc(4096, 0xab);
    bytes.write("SQLite format 3\0", 0, "latin1");
    writeFileSync(join(dir, "matrix.db"), bytes);
    const file = join(dir, "matrix.db");
    const before = readFileSync(file);
    expect(() => openStore(dir)).toThrow(/^.*matrix\.db: not a WMS2 results database \(.+\)$/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("a foreign SQLite database is refused and left untouched", () => {
    const dir = dirs.make();
    const db = new Database(join(dir, "matrix.db"));
    db.exec(
      "CREATE TABLE jobs (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO jobs (name) VALUES ('a')",
    );
    db.close();
    expectRefusedUnchanged(
      dir,
      "FILE: not a WMS2 results database (application_id 0, tables: jobs)",
    );
  });

  it("a database of another application is refused even when empty", () => {
    const dir = dirs.make();
    const db = new Database(join(dir, "matrix.db"));
    db.pragma("application_id = 1234");
    db.close();
    expectRefusedUnchanged(
      dir,
      "FILE: not a WMS2 results database (application_id 1234, tables: none)",
    );
  });

  it("a newer schema version is refused with a clear message", () => {
    const dir = dirs.make();
    openStore(dir).close();
    const db = new Database(join(dir, "matrix.db"));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expectRefusedUnchanged(
      dir,
      `FILE: schema version ${SCHEMA_VERSION + 1} is newer than this program supports (${SCHEMA_VERSION}); use a newer WMS2`,
    );
  });
});
