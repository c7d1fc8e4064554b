import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/model/errors.js";
import { openStore } from "../../src/results/store.js";
import { failedResult, jobSplitResult, skippedResult, standardResult } from "../report/fixtures.js";
import { meta, tempDirs } from "./support.js";

const dirs = tempDirs("wms2-store-");
afterAll(() => dirs.cleanup());

describe("results store: runs and results", () => {
  it("creates <dir>/matrix.db and keeps results in insertion order across reopen", () => {
    const dir = join(dirs.make(), "results");
    const store = openStore(dir);
    expect(store.file).toBe(join(dir, "matrix.db"));
    const runId = store.beginRun(meta());
    expect(runId).toBe(1);
    store.saveResult(runId, skippedResult);
    store.saveResult(runId, standardResult);
    store.saveResult(runId, failedResult);
    store.close();

    const again = openStore(dir);
    const loaded = again.loadRun(runId);
    expect(loaded.results.map((r) => r.wfId)).toEqual([300, 100, 500]);
    expect(loaded.results[1]).toEqual(standardResult);
    expect(loaded.run).toEqual({
      ...meta(),
      runId: 1,
      endedAt: null,
      counts: { passed: 1, failed: 1, skipped: 1, error: 0, timeout: 0 },
    });
    again.close();
  });

  it("saving a workflow again replaces it in place", () => {
    const store = openStore(dirs.make());
    const runId = store.beginRun(meta());
    store.saveResult(runId, standardResult);
    store.saveResult(runId, failedResult);
    store.saveResult(runId, { ...standardResult, status: "failed", reason: "rerun failed" });
    const { results, run } = store.loadRun(runId);
    expect(results.map((r) => `${r.wfId}:${r.status}`)).toEqual(["100:failed", "500:failed"]);
    expect(run.counts.failed).toBe(2);
    store.close();
  });

  it("lists runs with counts, finishes runs, and resolves 'latest' to the highest id", () => {
    const store = openStore(dirs.make());
    const a = store.beginRun(meta("smoke"));
    const b = store.beginRun(meta("adaptive", "2026-02-25T08:00:00.000Z"));
    store.saveResult(a, standardResult);
    store.saveResult(b, jobSplitResult);
    store.saveResult(b, failedResult);
    store.finishRun(a, "2026-02-24T21:06:00.000Z");
    const runs = store.listRuns();
    expect(
      runs.map((r) => [r.runId, r.selection, r.endedAt, r.counts.passed, r.counts.failed]),
    ).toEqual([
      [a, "smoke", "2026-02-24T21:06:00.000Z", 1, 0],
      [b, "adaptive", null, 1, 1],
    ]);
    expect(store.loadRun("latest").run.runId).toBe(b);
    expect(store.loadRun("latest").results[0]).toEqual(jobSplitResult);
    store.close();
  });

  it("keeps scalar columns for queries", () => {
    const dir = dirs.make();
    const store = openStore(dir);
    const runId = store.beginRun(meta());
    store.saveResult(runId, standardResult);
    store.saveResult(runId, jobSplitResult);
    store.close();
    const db = new Database(join(dir, "matrix.db"), { readonly: true });
    const rows = db
      .prepare(
        "SELECT wf_id, status, ev_per_core_hour, cpu_eff, peak_rss_mb FROM workflow_results ORDER BY id",
      )
      .all();
    db.close();
    expect(rows).toEqual([
      { wf_id: 100, status: "passed", ev_per_core_hour: 41.595, cpu_eff: 0.575, peak_rss_mb: 7150 },
      { wf_id: 155, status: "passed", ev_per_core_hour: 39.07, cpu_eff: 0.6311, peak_rss_mb: 6100 },
    ]);
  });

  it("errors are one line naming the file", () => {
    const dir = dirs.make();
    const store = openStore(dir);
    const file = join(dir, "matrix.db");
    expect(() => store.loadRun("latest")).toThrow(new InputError(`${file}: no saved runs`));
    expect(() => store.loadRun(7)).toThrow(new InputError(`${file}: no run 7`));
    expect(() => store.saveResult(7, standardResult)).toThrow(new InputError(`${file}: no run 7`));
    expect(() => store.finishRun(7, "x")).toThrow(new InputError(`${file}: no run 7`));
    store.close();
    expect(() => openStore(join(dir, "none"), { readonly: true })).toThrow(
      new InputError(`${join(dir, "none", "matrix.db")}: no results database (file not found)`),
    );
  });

  it("refuses to save NaN or a missing field, and saves nothing", () => {
    const store = openStore(dirs.make());
    const runId = store.beginRun(meta());
    const bad = { ...standardResult, perf: { ...standardResult.perf!, evPerCoreHour: Number.NaN } };
    expect(() => store.saveResult(runId, bad)).toThrow(
      /^cannot save workflow 100\.0 of run 1: field perf\.evPerCoreHour: /,
    );
    expect(store.loadRun(runId).results).toEqual([]);
    store.close();
  });

  it("reports a damaged stored row with its run and workflow", () => {
    const dir = dirs.make();
    const store = openStore(dir);
    const runId = store.beginRun(meta());
    store.saveResult(runId, standardResult);
    store.close();
    const db = new Database(join(dir, "matrix.db"));
    db.prepare("UPDATE workflow_results SET result_json = ?").run(
      JSON.stringify({ ...standardResult, title: 5 }),
    );
    db.close();
    const again = openStore(dir, { readonly: true });
    expect(() => again.loadRun(1)).toThrow(
      `${join(dir, "matrix.db")}: entry run 1 workflow 100.0: field title: Invalid input: expected string, received number`,
    );
    again.close();
  });
});

describe("results store: artifacts", () => {
  it("writes artifacts under artifacts/run_<id>/<wf id>/ atomically and indexes them", () => {
    const dir = dirs.make();
    const store = openStore(dir);
    const runId = store.beginRun(meta());
    const wfDir = store.artifactDir(runId, 155.2);
    expect(wfDir).toBe(join(dir, "artifacts", "run_1", "155.2"));
    expect(existsSync(wfDir)).toBe(false);
    const p1 = store.saveArtifact(runId, 155.2, "report.txt", "hello\n");
    const p2 = store.saveArtifact(runId, 155.2, "cpu.svg", Buffer.from("<svg/>"));
    store.saveArtifact(runId, 100, "dagman.out", "x");
    expect(readFileSync(p1, "utf8")).toBe("hello\n");
    expect(readFileSync(p2, "utf8")).toBe("<svg/>");
    expect(readdirSync(wfDir).sort()).toEqual(["cpu.svg", "report.txt"]);
    expect(store.listArtifacts(runId, 155.2).map((a) => [a.name, a.bytes])).toEqual([
      ["cpu.svg", 6],
      ["report.txt", 6],
    ]);
    expect(store.listArtifacts(runId).map((a) => `${a.wfId}/${a.name}`)).toEqual([
      "100/dagman.out",
      "155.2/cpu.svg",
      "155.2/report.txt",
    ]);
    for (const bad of ["../x", "a/b", ".hidden", ""]) {
      expect(() => store.saveArtifact(runId, 100, bad, "x")).toThrow(/invalid artifact name/);
    }
    store.close();
  });
});
