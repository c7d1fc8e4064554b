import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import type { WorkflowResult } from "../../src/model/results.js";
import { INSERT_RESULT_SQL, resultRowParams } from "../../src/results/schema.js";
import { openStore } from "../../src/results/store.js";
import { failedResult, standardResult } from "../report/fixtures.js";
import { WRITER_CHILD as CHILD, meta, tempDirs } from "./support.js";

const dirs = tempDirs("wms2-concurrency-");
afterAll(() => dirs.cleanup());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function results(from: number, count: number): WorkflowResult[] {
  return Array.from({ length: count }, (_, i) => ({
    ...standardResult,
    wfId: from + i,
    title: `wf ${from + i}`,
  }));
}

interface Child {
  proc: ChildProcess;
  ready: Promise<void>;
  exit: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

function runChild(args: Record<string, unknown>): Child {
  const proc = spawn(process.execPath, [CHILD], { stdio: ["pipe", "pipe", "pipe"] });
  proc.stdin?.end(JSON.stringify(args));
  let stdout = "";
  let stderr = "";
  let onReady: () => void = () => {};
  const ready = new Promise<void>((r) => {
    onReady = r;
  });
  proc.stdout?.on("data", (d) => {
    stdout += String(d);
    if (stdout.includes("ready\n")) onReady();
  });
  proc.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  const exit = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => proc.on("exit", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { proc, ready, exit };
}

function rowsFor(runId: number, rs: WorkflowResult[]) {
  return rs.map((r) => resultRowParams(runId, r, "2026-02-24T21:05:00.000Z"));
}

describe("several writers on one store", () => {
  it("two connections in one process, writing interleaved, both persist", () => {
    const dir = dirs.make();
    const a = openStore(dir);
    const b = openStore(dir);
    const ra = a.beginRun(meta("a"));
    const rb = b.beginRun(meta("b"));
    for (let i = 0; i < 10; i++) {
      a.saveResult(ra, { ...standardResult, wfId: 100 + i });
      b.saveResult(rb, { ...failedResult, wfId: 500 + i });
    }
    expect(b.loadRun(ra).results).toHaveLength(10);
    a.close();
    b.close();
    const c = openStore(dir, { readonly: true });
    expect(c.listRuns().map((r) => [r.selection, r.counts.passed, r.counts.failed])).toEqual([
      ["a", 10, 0],
      ["b", 0, 10],
    ]);
    c.close();
  });

  it("a second process writing at the same time: every row of both persists", async () => {
    const dir = dirs.make();
    const store = openStore(dir);
    const mine = store.beginRun(meta("parent"));
    const theirs = store.beginRun(meta("child"));
    const child = runChild({
      file: store.file,
      sql: INSERT_RESULT_SQL,
      rows: rowsFor(theirs, results(1000, 40)),
      delayMs: 2,
      mode: "insert",
    });
    await child.ready;
    for (const r of results(100, 40)) {
      store.saveResult(mine, r);
      await sleep(2);
    }
    const done = await child.exit;
    expect(done.stderr).toBe("");
    expect(done.code).toBe(0);
    expect(store.loadRun(mine).results.map((r) => r.wfId)).toEqual(
      results(100, 40).map((r) => r.wfId),
    );
    expect(store.loadRun(theirs).results.map((r) => r.wfId)).toEqual(
      results(1000, 40).map((r) => r.wfId),
    );
    store.close();
  });

  it("a writer blocked by another's open transaction waits (busy timeout) instead of failing", async () => {
    const dir = dirs.make();
    const store = openStore(dir);
    const runId = store.beginRun(meta());
    const holder = new Database(store.file);
    holder.exec("BEGIN IMMEDIATE");
    holder.prepare(INSERT_RESULT_SQL).run(resultRowParams(runId, standardResult, "now"));
    const child = runChild({
      file: store.file,
      sql: INSERT_RESULT_SQL,
      rows: rowsFor(runId, [failedResult]),
      delayMs: 0,
      mode: "insert",
    });
    await child.ready;
    await sleep(400);
    holder.exec("COMMIT");
    holder.close();
    const done = await child.exit;
    expect(done.code).toBe(0);
    expect(Number(done.stdout.match(/done (\d+)/)?.[1])).toBeGreaterThanOrEqual(250);
    expect(store.loadRun(runId).results.map((r) => r.wfId)).toEqual([100, 500]);
    store.close();
  });
});

describe("kill safety", () => {
  it("a process killed inside its transaction leaves every earlier result intact", async () => {
    const dir = dirs.make();
    const store = openStore(dir);
    const runId = store.beginRun(meta());
    store.saveResult(runId, standardResult);
    store.saveResult(runId, failedResult);
    const child = runChild({
      file: store.file,
      sql: INSERT_RESULT_SQL,
      rows: rowsFor(runId, results(700, 3)),
      delayMs: 0,
      mode: "kill",
    });
    const done = await child.exit;
    expect(done.signal).toBe("SIGKILL");
    store.close();

    const again = openStore(dir);
    expect(again.loadRun(runId).results.map((r) => r.wfId)).toEqual([100, 500]);
    again.saveResult(runId, { ...standardResult, wfId: 101 });
    expect(again.loadRun(runId).results.map((r) => r.wfId)).toEqual([100, 500, 101]);
    again.close();
    const db = new Database(join(dir, "matrix.db"), { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();
  });
});
