import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  renderJson,
  renderPerformanceSection,
  renderRunReport,
  sortKeys,
} from "../../src/report/run-report.js";
import { openStore } from "../../src/results/store.js";
import { allResults, failedResult, jobSplitResult, runRecord, standardResult } from "./fixtures.js";

const tmp = mkdtempSync(join(tmpdir(), "wms2-report-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("renderRunReport", () => {
  const text = renderRunReport(runRecord, allResults, { color: false });

  it("starts with the run header, then the summary", () => {
    expect(text.split("\n").slice(0, 9)).toEqual([
      "=".repeat(70),
      "Run 3: smoke",
      "  Started:  2026-02-24T21:05:00.000Z   Ended: 2026-02-24T21:05:04.500Z",
      "  Backend:  sim   Seed: 42   Commit: 1a2b3c4",
      "  Versions: node 20.20.2, wms2 0.1.0",
      "  Command:  matrix -l smoke",
      "=".repeat(70),
      "",
      "-".repeat(70),
    ]);
  });

  it("has one performance section per result with data, adaptive ones for multi-round results", () => {
    expect(text.match(/^Performance: /gm)).toHaveLength(3);
    expect(text).not.toContain("Performance: 500.0");
    expect(text).toContain("Throughput Comparison");
    expect(renderPerformanceSection(standardResult, { color: false })).not.toContain("Round 1");
    expect(
      renderPerformanceSection({ ...jobSplitResult, adaptive: null }, { color: false }),
    ).toContain("Throughput Comparison");
  });

  it("re-renders a stored run byte for byte", () => {
    const store = openStore(join(tmp, "results"));
    const runId = store.beginRun({
      startedAt: runRecord.startedAt,
      selection: runRecord.selection,
      backend: runRecord.backend,
      seed: runRecord.seed,
      gitCommit: runRecord.gitCommit,
      versions: runRecord.versions,
      argv: runRecord.argv,
    });
    for (const r of allResults) store.saveResult(runId, r);
    store.finishRun(runId, runRecord.endedAt!);
    const live = renderRunReport({ ...runRecord, runId }, allResults, { color: false });
    store.close();
    const reopened = openStore(join(tmp, "results"), { readonly: true });
    const saved = reopened.loadRun("latest");
    reopened.close();
    expect(saved.run.counts).toEqual(runRecord.counts);
    expect(renderRunReport(saved.run, saved.results, { color: false })).toBe(live);
    expect(renderJson(saved.run, saved.results)).toBe(
      renderJson({ ...runRecord, runId }, allResults),
    );
  });
});

describe("renderJson", () => {
  it("sorts object keys at every depth and keeps array order", () => {
    expect(JSON.stringify(sortKeys({ b: 1, a: [{ d: 1, c: 2 }, 3] }))).toBe(
      '{"a":[{"c":2,"d":1},3],"b":1}',
    );
  });

  it("gives the same text whatever order the object keys were built in", () => {
    const shuffled = Object.fromEntries(
      Object.entries(failedResult).reverse(),
    ) as typeof failedResult;
    const a = renderJson(runRecord, [failedResult]);
    expect(renderJson(runRecord, [shuffled])).toBe(a);
    expect(a.endsWith("}\n")).toBe(true);
    const parsed = JSON.parse(a);
    expect(Object.keys(parsed)).toEqual(["results", "run"]);
    expect(Object.keys(parsed.run).slice(0, 3)).toEqual(["argv", "backend", "counts"]);
    expect(parsed.results[0].reason).toBe(failedResult.reason);
  });
});
