/**
 * A run killed with SIGKILL leaves a sound results database: every result saved before
 * the kill is there, the file passes SQLite's integrity check, and the next run works.
 * Runs the built CLI as a child process (building it first when dist/ is missing).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openResultsDb, openStore } from "../../src/results/index.js";
import { repoRoot } from "../helpers/shared-fixtures.js";
import { makeWorkspace, runCli, type Workspace } from "./support.js";

const CLI = join(repoRoot, "dist", "src", "cli", "main.js");

/** Build dist/ when it is missing (tsc still emits when other files have type errors). */
function ensureBuilt(): boolean {
  if (!existsSync(CLI)) {
    spawnSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: repoRoot, stdio: "ignore" });
  }
  return existsSync(CLI);
}

const built = ensureBuilt();

/** wf ids saved so far (read-only; undefined while the database is not readable yet). */
function savedIds(file: string): number[] | undefined {
  if (!existsSync(file)) return undefined;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    return db.prepare("SELECT wf_id FROM workflow_results ORDER BY id").pluck().all() as number[];
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!built)("kill safety (needs dist/: npx tsc -p tsconfig.build.json)", () => {
  let ws: Workspace;
  let child: ChildProcess | undefined;
  let before: number[] = [];
  let signal: string | null = null;
  let fullIds: number[] = [];
  const dbFile = () => join(ws.results, "matrix.db");

  beforeAll(async () => {
    ws = makeWorkspace("cli-kill");
    const list = await runCli(["--list", "-l", "full", ...ws.args]);
    fullIds = [...list.out.matchAll(/^ +(\d+\.\d) {2}/gm)].map((m) => Number(m[1]));
    const c = spawn(process.execPath, [CLI, "-l", "full", ...ws.args], {
      cwd: ws.dir,
      stdio: "ignore",
    });
    child = c;
    const exited = new Promise<void>((resolve) => {
      c.on("exit", (_code, sig) => {
        signal = sig;
        resolve();
      });
    });
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ids = savedIds(dbFile());
      if (ids && ids.length >= 3) {
        before = ids;
        c.kill("SIGKILL");
        break;
      }
      if (Date.now() > deadline || c.exitCode !== null) break;
      await sleep(5);
    }
    await exited;
  }, 30_000);

  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    ws?.remove();
  });

  it("killed the run part way through", () => {
    expect(fullIds.length).toBeGreaterThan(20);
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(signal).toBe("SIGKILL");
    const after = savedIds(dbFile())!;
    expect(after.length).toBeLessThan(fullIds.length);
  });

  it("the database opens, passes integrity_check and keeps every result saved before the kill", () => {
    const db = openResultsDb(dbFile());
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      const after = db
        .prepare("SELECT wf_id FROM workflow_results WHERE run_id = 1 ORDER BY id")
        .pluck()
        .all() as number[];
      expect(after.slice(0, before.length)).toEqual(before);
      // Results are saved in selection order, so what is there is a prefix of the selection.
      expect(after).toEqual(fullIds.slice(0, after.length));
      const ended = db.prepare("SELECT ended_at FROM runs WHERE run_id = 1").pluck().get();
      expect(ended).toBeNull();
    } finally {
      db.close();
    }
    const store = openStore(ws.results, { readonly: true });
    try {
      const { results } = store.loadRun(1);
      expect(results.length).toBeGreaterThanOrEqual(before.length);
      expect(results.every((r) => r.status === "passed")).toBe(true);
    } finally {
      store.close();
    }
  });

  it("a second run works and the killed one is listed as not finished", async () => {
    const r = await runCli(["-l", "100.0", ...ws.args]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("Run 2: 100.0");
    const store = openStore(ws.results, { readonly: true });
    try {
      const runs = store.listRuns();
      expect(runs.map((x) => [x.runId, x.endedAt === null || x.endedAt === undefined])).toEqual([
        [1, true],
        [2, false],
      ]);
    } finally {
      store.close();
    }
  });
});
