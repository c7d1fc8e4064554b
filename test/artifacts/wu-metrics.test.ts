import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CgroupRecord } from "../../src/artifacts/cgroup.js";
import {
  listProcFiles,
  pickProcFiles,
  procFileIndex,
  procFileKind,
  procFileName,
} from "../../src/artifacts/proc-files.js";
import { type ProcStepMetrics, readProcMetrics } from "../../src/artifacts/proc-metrics.js";
import {
  aggregateWuMetrics,
  readWuMetrics,
  type WuMetrics,
  writeWuMetrics,
  wuMetricsFromDirs,
  wuOutputEvents,
} from "../../src/artifacts/wu-metrics.js";
import { tempDir, thrown } from "./helpers.js";

function entry(step: number, wall: number, events: number, eff: number | null): ProcStepMetrics {
  return {
    step,
    step_index: step - 1,
    wall_time_sec: wall,
    cpu_time_sec: null,
    num_threads: 4,
    throughput_ev_s: null,
    avg_event_time_sec: null,
    cpu_efficiency: eff,
    peak_rss_mb: null,
    peak_vsize_mb: null,
    events_processed: events,
    events_written: events,
    time_per_event_sec: null,
    read_mb: null,
    write_mb: null,
    ncpus: 4,
  };
}

const cg = (anon: number, shmem: number, grid = 0): CgroupRecord => ({
  peak_anon_mb: anon,
  peak_shmem_mb: shmem,
  peak_nonreclaim_mb: anon + shmem,
  tmpfs_peak_nonreclaim_mb: shmem > 0 ? anon + shmem : 0,
  no_tmpfs_peak_anon_mb: anon,
  num_samples: 10,
  gridpack_disk_mb: grid,
});

describe("pickProcFiles", () => {
  it("picks the same files whatever the order of the names in a listing", () => {
    const iwd = ["proc_3_metrics.json", "proc_000003_metrics.json", "x.log", "proc_1_cgroup.json"];
    const side = ["proc_1_metrics.json", "proc_3_metrics.json", "proc_12_metrics.json"];
    const join = (d: string, n: string) => `${d}/${n}`;
    const want = pickProcFiles(
      [
        { dir: "/wu", names: [...iwd].sort() },
        { dir: "/se", names: [...side].sort() },
      ],
      "metrics",
      join,
    );
    expect(want.map((f) => f.path)).toEqual([
      "/se/proc_1_metrics.json",
      "/wu/proc_000003_metrics.json",
      "/se/proc_12_metrics.json",
    ]);
    for (const order of [
      (a: string[]) => [...a].reverse(),
      (a: string[]) => [a[1], a[0], ...a.slice(2)],
    ]) {
      const got = pickProcFiles(
        [
          { dir: "/wu", names: order(iwd) },
          { dir: "/se", names: order(side) },
        ],
        "metrics",
        join,
      );
      expect(got).toEqual(want);
    }
  });
});

describe("aggregateWuMetrics", () => {
  const jobs = [
    [entry(1, 300.1, 50, 0.5), entry(2, 100, 50, 0.9)],
    [entry(1, 340.9, 50, 0.25), entry(2, 120, 50, null)],
    [entry(1, 313.65, 50, 0.33335)],
  ];

  it("gives the same figures, to the last bit, when jobs share one metrics value", () => {
    // Sums that depend on the order of addition: 0.1 added 7 times is not 0.7.
    const a = [entry(1, 0.1, 3, 0.1), entry(2, 1e-9, 1, 0.3)];
    const b = [entry(1, 0.7, 5, 0.2), entry(2, 3.3, 2, null)];
    const copy = (j: ProcStepMetrics[]) => j.map((e) => ({ ...e }));
    const order = [a, a, a, b, a, a, a, a, b, b, a];
    const shared = aggregateWuMetrics(4, order);
    const separate = aggregateWuMetrics(4, order.map(copy));
    expect(shared).toEqual(separate);
    expect(shared.per_step["1"].num_jobs).toBe(11);
    expect(shared.per_step["1"].events_processed).toEqual({ min: 3, max: 5, total: 39 });
    // Integer sums past 2^53 round at each addition: still the job-by-job figure.
    const big = [entry(1, 1, 2 ** 52 + 1, null)];
    const many = [big, big, big];
    expect(aggregateWuMetrics(0, many)).toEqual(aggregateWuMetrics(0, many.map(copy)));
    let sum = 0;
    for (const j of order) sum += j[0].wall_time_sec as number;
    expect(shared.per_step["1"].wall_time_sec).toEqual({
      min: 0.1,
      max: 0.7,
      mean: Math.round((sum / 11) * 1e4) / 1e4,
    });
  });

  it("gives min/max/mean (4 dp) per key and min/max/total for event counts", () => {
    const wu = aggregateWuMetrics(0, jobs, [cg(3754, 0), cg(3755, 1494, 700)]);
    expect(wu.num_proc_jobs).toBe(3);
    expect(Object.keys(wu.per_step)).toEqual(["1", "2"]);
    const s1 = wu.per_step["1"];
    expect(s1.step).toBe(1);
    expect(s1.num_jobs).toBe(3);
    expect(s1.wall_time_sec).toEqual({ min: 300.1, max: 340.9, mean: 318.2167 });
    expect(s1.cpu_efficiency).toEqual({ min: 0.25, max: 0.5, mean: 0.3611 });
    expect(s1.step_index).toEqual({ min: 0, max: 0, mean: 0 });
    expect(s1.ncpus).toEqual({ min: 4, max: 4, mean: 4 });
    expect(s1.events_written).toEqual({ min: 50, max: 50, total: 150 });
    expect(s1.events_processed).toEqual({ min: 50, max: 50, total: 150 });
    expect(s1).not.toHaveProperty("peak_rss_mb");
    expect(Object.keys(s1).slice(0, 3)).toEqual(["step", "num_jobs", "step_index"]);
    // num_jobs counts metrics files, not the jobs that reported the step
    expect(wu.per_step["2"].num_jobs).toBe(3);
    expect(wu.per_step["2"].cpu_efficiency).toEqual({ min: 0.9, max: 0.9, mean: 0.9 });
    expect(wu.cgroup).toEqual({
      peak_anon_mb: 3755,
      peak_shmem_mb: 1494,
      peak_nonreclaim_mb: 5249,
      tmpfs_peak_nonreclaim_mb: 5249,
      no_tmpfs_peak_anon_mb: 3755,
      gridpack_disk_mb: 700,
      num_jobs: 2,
    });
    expect(wuOutputEvents(wu)).toBe(100);
  });

  it("returns the empty form without metrics files", () => {
    expect(aggregateWuMetrics(4, [], [cg(1, 1)])).toEqual({
      group_index: 4,
      num_proc_jobs: 0,
      per_step: {},
    });
  });

  it("orders steps numerically (10 after 9)", () => {
    const wu = aggregateWuMetrics(0, [[entry(10, 1, 5, null), entry(9, 1, 7, null)]]);
    expect(Object.keys(wu.per_step)).toEqual(["9", "10"]);
    expect(wuOutputEvents(wu)).toBe(5);
  });
});

describe("wuOutputEvents", () => {
  const base = { group_index: 0, num_proc_jobs: 2 };
  it("uses the highest step's events_written, else events_processed, else 0", () => {
    const wu: WuMetrics = {
      ...base,
      per_step: {
        "2": { step: 2, num_jobs: 2, events_processed: { min: 1, max: 2, total: 30 } },
        "1": { step: 1, num_jobs: 2, events_written: { min: 1, max: 2, total: 99 } },
      },
    };
    expect(wuOutputEvents(wu)).toBe(30);
    expect(wuOutputEvents({ ...base, per_step: { "1": { step: 1, num_jobs: 2 } } })).toBe(0);
    expect(wuOutputEvents({ ...base, per_step: {} })).toBe(0);
  });
});

describe("work unit metrics from directories", () => {
  it("matches padded and unpadded names numerically and prefers the first directory", () => {
    const root = tempDir();
    const a = join(root, "unmerged");
    const b = join(root, "mg_000000");
    mkdirSync(a);
    mkdirSync(b);
    const write = (dir: string, name: string, v: unknown) =>
      writeFileSync(join(dir, name), JSON.stringify(v));
    write(a, "proc_10_metrics.json", [entry(1, 10, 5, null)]);
    write(a, "proc_2_metrics.json", [entry(1, 20, 5, null)]);
    write(b, "proc_000002_metrics.json", [entry(1, 999, 5, null)]);
    write(b, "proc_000003_metrics.json", [entry(1, 30, 5, null)]);
    write(b, "proc_3_cgroup.json", cg(100, 0));
    write(b, "proc_000011_cgroup.json", cg(200, 50));
    write(b, "proc_x_metrics.json", []);
    expect(listProcFiles(b, "metrics").map((f) => f.nodeIndex)).toEqual([2, 3]);
    const wu = wuMetricsFromDirs(0, [a, b, join(root, "missing")]);
    expect(wu.num_proc_jobs).toBe(3);
    expect(wu.per_step["1"].wall_time_sec).toEqual({ min: 10, max: 30, mean: 20 });
    expect(wu.cgroup?.peak_nonreclaim_mb).toBe(250);
    expect(wu.cgroup?.num_jobs).toBe(2);
    const file = join(root, "work_unit_metrics.json");
    writeWuMetrics(file, wu);
    expect(readWuMetrics(file)).toEqual(wu);
  });

  it("names the proc file of a node index", () => {
    expect(procFileName(12, "cgroup")).toBe("proc_12_cgroup.json");
    expect(procFileIndex("proc_000012_cgroup.json", "cgroup")).toBe(12);
    expect(procFileIndex("proc_12_metrics.json", "cgroup")).toBeUndefined();
  });

  it("tells the kind of a proc file from its name alone", () => {
    expect(procFileKind("proc_12_metrics.json")).toBe("metrics");
    expect(procFileKind("proc_000012_cgroup.json")).toBe("cgroup");
    expect(procFileKind("proc_7_outputs.json")).toBe("outputs");
    for (const other of [
      "proc_12.sub",
      "proc_12.post.json",
      "proc__metrics.json",
      "proc_12_x_metrics.json",
      "proc_12_metrics.jsonx",
      "proc_12_Cgroup.json",
      "proc_12_cgroup.json.bak",
      "xproc_12_metrics.json",
      "proc_12_NANOAODSIMoutput.root",
    ])
      expect(procFileKind(other), other).toBeUndefined();
  });

  it("rejects a bad summary with the field named", () => {
    const d = tempDir();
    const file = join(d, "work_unit_metrics.json");
    writeFileSync(
      file,
      JSON.stringify({ group_index: 0, num_proc_jobs: 1, per_step: { one: {} } }),
    );
    expect(thrown(() => readWuMetrics(file)).message).toMatch(
      /work_unit_metrics\.json: field per_step\.one: invalid key: step key must be a number/,
    );
    writeFileSync(
      file,
      JSON.stringify({
        group_index: 0,
        num_proc_jobs: 1,
        per_step: { "1": { wall_time_sec: { min: 1 } } },
      }),
    );
    expect(thrown(() => readWuMetrics(file)).message).toMatch(/field per_step\.1\.wall_time_sec/);
    expect(() => readProcMetrics(join(d, "none.json"))).toThrow(/none\.json: file not found/);
  });
});
