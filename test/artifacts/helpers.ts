import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { FjrReport } from "../../src/artifacts/fjr.js";
import { standardPerformance } from "../../src/artifacts/fjr-format.js";

/** Directories made by `tempDir` in this test file, removed when its tests are done. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory (removed after the test file). */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "wms2-artifacts-"));
  made.push(dir);
  return dir;
}

/** Run `fn` and return the error it throws (fails the test when nothing is thrown). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

/** A processing-step report with the standard performance blocks. */
export function stepReport(p: {
  wall: number;
  cpu: number;
  threads: number;
  events: number;
  rss?: number;
  label?: string;
  pfn?: string;
  eventsRead?: number[];
  written?: number;
}): FjrReport {
  return {
    inputFiles: (p.eventsRead ?? []).map((n, i) => ({
      lfn: "",
      pfn: `file:in${i}.root`,
      eventsRead: n,
    })),
    outputFiles: [
      {
        lfn: "",
        pfn: p.pfn ?? "file:out.root",
        moduleLabel: p.label ?? "AODSIMoutput",
        outputModuleClass: "PoolOutputModule",
        totalEvents: p.written ?? p.events,
      },
    ],
    skippedFiles: [],
    performance: standardPerformance({
      totalJobTime: p.wall,
      totalJobCpu: p.cpu,
      numberOfThreads: p.threads,
      eventThroughput: p.events / p.wall,
      avgEventTime: p.wall / p.events,
      peakValueRss: p.rss ?? 2000,
      peakValueVsize: (p.rss ?? 2000) * 1.2,
      numberEvents: p.events,
      readMb: 100,
      writeMb: 50,
    }),
    modules: [],
    errors: [],
  };
}
