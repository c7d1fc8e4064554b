import { describe, expect, it } from "vitest";
import {
  primaryLocation,
  splitEventBased,
  splitFileBased,
  splitFiles,
  splitGen,
  splitLumiBased,
} from "../../src/planner/split.js";
import type { InputFile, PlannedJob } from "../../src/planner/types.js";

function coverage(jobs: PlannedJob[]): Map<string, number[]> {
  // For every file, list the events each segment covers, to check exactly-once coverage.
  const seen = new Map<string, number[]>();
  for (const j of jobs) {
    for (const s of j.segments) {
      const arr = seen.get(s.lfn) ?? [];
      for (let e = s.skipEvents; e < s.skipEvents + s.maxEvents; e++) arr.push(e);
      seen.set(s.lfn, arr);
    }
  }
  return seen;
}

describe("GEN splitting", () => {
  it("numbers ranges from next_first_event with full jobs (control-plane example)", () => {
    const jobs = splitGen({
      eventsPerJob: 57600,
      targetEvents: 3 * 57600,
      eventsProduced: 0,
      filterEfficiency: 1,
      nextFirstEvent: 80001,
    });
    expect(jobs.map((j) => j.inputs[0])).toEqual([
      "synthetic://gen/events_80001_137600",
      "synthetic://gen/events_137601_195200",
      "synthetic://gen/events_195201_252800",
    ]);
    expect(jobs.map((j) => j.lumi)).toEqual([1, 2, 3]);
  });

  it("turns remaining output events into generated events through the filter efficiency", () => {
    const jobs = splitGen({
      eventsPerJob: 100,
      targetEvents: 1000,
      eventsProduced: 400,
      filterEfficiency: 0.1,
      nextFirstEvent: 1,
    });
    // floor(600 / 0.1) = 6000 generated events -> 60 jobs of 100
    expect(jobs).toHaveLength(60);
    expect(jobs[59].lastEvent).toBe(6000);
  });

  it("covers every event exactly once and respects the job cap", () => {
    const jobs = splitGen({
      eventsPerJob: 7,
      targetEvents: 70,
      eventsProduced: 0,
      filterEfficiency: 1,
      nextFirstEvent: 1,
    });
    const events = jobs.flatMap((j) => {
      const r: number[] = [];
      for (let e = j.firstEvent!; e <= j.lastEvent!; e++) r.push(e);
      return r;
    });
    expect(events).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
    expect(
      splitGen({
        eventsPerJob: 7,
        targetEvents: 70,
        eventsProduced: 0,
        filterEfficiency: 1,
        nextFirstEvent: 1,
        maxJobs: 3,
      }),
    ).toHaveLength(3);
  });

  it("plans nothing once the target is produced", () => {
    expect(
      splitGen({
        eventsPerJob: 10,
        targetEvents: 100,
        eventsProduced: 100,
        filterEfficiency: 1,
        nextFirstEvent: 1,
      }),
    ).toEqual([]);
  });
});

const files: InputFile[] = [
  { lfn: "/store/data/A/f3.root", sizeBytes: 3, events: 30, locations: ["T2_B", "T2_A"] },
  { lfn: "/store/data/A/f1.root", sizeBytes: 1, events: 25, locations: ["T2_A"] },
  { lfn: "/store/data/A/f2.root", sizeBytes: 2, events: 10, locations: ["T2_A", "T2_B"] },
  { lfn: "/store/data/A/f4.root", sizeBytes: 4, events: 5, locations: [] },
];

describe("file-based splitting", () => {
  it("groups by first replica site in order of appearance and picks the majority site", () => {
    const jobs = splitFileBased(files, 2);
    expect(jobs.map((j) => j.inputs)).toEqual([
      ["/store/data/A/f3.root"],
      ["/store/data/A/f1.root", "/store/data/A/f2.root"],
      ["/store/data/A/f4.root"],
    ]);
    expect(jobs.map((j) => j.primaryLocation)).toEqual(["T2_B", "T2_A", undefined]);
    expect(jobs.map((j) => j.index)).toEqual([0, 1, 2]);
  });

  it("sorts by LFN and skips files planned by earlier rounds", () => {
    const jobs = splitFiles(files, { algo: "FileBased", filesPerJob: 1 }, { fileOffset: 1 });
    expect(jobs.map((j) => j.inputs[0])).toEqual([
      "/store/data/A/f2.root",
      "/store/data/A/f3.root",
      "/store/data/A/f4.root",
    ]);
  });

  it("primaryLocation takes the first site on ties", () => {
    expect(primaryLocation([files[0], files[2]])).toBe("T2_B");
  });
});

describe("event-based splitting over files", () => {
  it("lets files straddle jobs and covers every event exactly once", () => {
    const sorted = [...files].sort((a, b) => a.lfn.localeCompare(b.lfn));
    const jobs = splitEventBased(sorted, 20);
    expect(jobs.map((j) => j.events)).toEqual([20, 20, 20, 10]);
    expect(jobs[1].segments).toEqual([
      { lfn: "/store/data/A/f1.root", skipEvents: 20, maxEvents: 5 },
      { lfn: "/store/data/A/f2.root", skipEvents: 0, maxEvents: 10 },
      { lfn: "/store/data/A/f3.root", skipEvents: 0, maxEvents: 5 },
    ]);
    const cov = coverage(jobs);
    for (const f of files) {
      expect(cov.get(f.lfn)).toEqual(Array.from({ length: f.events }, (_, i) => i));
    }
  });
});

describe("lumi-based splitting", () => {
  it("groups consecutive lumis across files", () => {
    const lf: InputFile[] = [
      { lfn: "/a.root", sizeBytes: 1, events: 40, locations: ["T1_X"], lumis: [1, 2, 3, 4] },
      { lfn: "/b.root", sizeBytes: 1, events: 20, locations: ["T1_X"], lumis: [5, 6] },
    ];
    const jobs = splitLumiBased(lf, 3);
    expect(jobs.map((j) => j.segments.flatMap((s) => s.lumis))).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(jobs.map((j) => j.events)).toEqual([30, 30]);
    const cov = coverage(jobs);
    expect(cov.get("/a.root")).toHaveLength(40);
    expect(cov.get("/b.root")).toHaveLength(20);
  });
});
