import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type DagmanOutRecord,
  formatDagmanOut,
  formatJobId,
  type UlogEvent,
} from "../../src/dagman/index.js";
import { binCpu, collectPerf, wuRequests } from "../../src/matrix/perf.js";
import type { OutputSummary } from "../../src/model/results.js";

const root = mkdtempSync(join(tmpdir(), "wms2-perf-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const NO_OUTPUT: OutputSummary = {
  mergedFiles: 0,
  mergedBytes: 0,
  unmergedCleaned: true,
  datasets: [],
};

interface Entry {
  step: number;
  wall: number;
  cpu: number;
  threads: number;
  events: number;
  rss: number;
}

function metric(e: Entry) {
  return {
    step: e.step,
    step_index: e.step - 1,
    wall_time_sec: e.wall,
    cpu_time_sec: e.cpu,
    num_threads: e.threads,
    throughput_ev_s: e.events / e.wall,
    cpu_efficiency: e.cpu / (e.wall * e.threads),
    peak_rss_mb: e.rss,
    events_processed: e.events,
    events_written: e.events,
  };
}

/**
 * A work unit of three 4-core jobs: step 1 ran as two 2-thread instances per job
 * (walls 100/110, 120/130, 80/90 s; 5 events each), step 2 as one 4-thread process
 * (40, 50, 60 s). CPU: 1.5 × wall for step 1 instances, 3 × wall for step 2.
 */
function workUnit(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "proc_000000.sub"),
    "universe = vanilla\nexecutable = wms2_proc.sh\nrequest_cpus = 4\nrequest_memory = 8000\nqueue\n",
  );
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({ steps: [{ name: "GEN-SIM" }, { name: "DIGI" }] }),
  );
  const jobs = [
    [100, 110, 40],
    [120, 130, 50],
    [80, 90, 60],
  ];
  jobs.forEach(([a, b, c], node) => {
    const entries = [
      metric({ step: 1, wall: a, cpu: 1.5 * a, threads: 2, events: 5, rss: 1000 + node * 100 }),
      metric({ step: 1, wall: b, cpu: 1.5 * b, threads: 2, events: 5, rss: 1050 + node * 100 }),
      metric({ step: 2, wall: c, cpu: 3 * c, threads: 4, events: 10, rss: 2000 + node * 10 }),
    ];
    writeFileSync(join(dir, `proc_${node}_metrics.json`), JSON.stringify(entries));
  });
  return dir;
}

describe("collectPerf on hand-made metrics files", () => {
  const dir = workUnit("mg_000000");
  const perf = collectPerf({
    workUnits: [{ name: "mg_000000", index: 0, round: 1, groupDir: dir }],
    cpuPoints: [],
    expectedCores: 12,
    output: NO_OUTPUT,
  });

  it("aggregates wall time per step over every instance", () => {
    const [s1, s2] = perf.steps;
    expect(s1).toMatchObject({
      round: 1,
      step: 1,
      stepName: "GEN-SIM",
      n: 6,
      nJobs: 3,
      nThreads: 2,
      instances: 2,
      wallSecMean: 105,
      wallSecMin: 80,
      wallSecMax: 130,
      eventsTotal: 30,
      rssMbMax: 1250,
    });
    // sample sd of 100,110,120,130,80,90: sqrt(1750 / 5)
    expect(s1.wallSecStddev).toBeCloseTo(Math.sqrt(350), 12);
    expect(s2).toMatchObject({
      step: 2,
      stepName: "DIGI",
      n: 3,
      nJobs: 3,
      nThreads: 4,
      instances: 1,
      wallSecMean: 50,
      wallSecStddev: 10,
      wallSecMin: 40,
      wallSecMax: 60,
      eventsTotal: 30,
      rssMbMax: 2020,
    });
    expect(s1.cpuEffMean).toBeCloseTo(0.75, 12);
    expect(s2.cpuEffMean).toBeCloseTo(0.75, 12);
  });

  it("computes core-hours from the slowest instance per step and the job's request_cpus", () => {
    // job walls: 110+40, 130+50, 90+60 = 480 s; × 4 cores = 1920 core-s
    expect(perf.numProcJobs).toBe(3);
    expect(perf.coresPerJob).toBe(4);
    expect(perf.coreHours).toBeCloseTo(1920 / 3600, 12);
    // events are counted on step 1 (all instances): 6 × 5
    expect(perf.totalEvents).toBe(30);
    expect(perf.evPerCoreHour).toBeCloseTo(56.25, 9);
    expect(perf.peakRssMb).toBe(2020);
    const [r] = perf.rounds;
    expect(r).toMatchObject({
      round: 1,
      jobs: 3,
      cpusPerJob: 4,
      requestMemoryMb: 8000,
      events: 30,
    });
    // cpu: (150+165+120) + (180+195+150) + (120+135+180) = 1395 s over 1920 core-s
    expect(r.cpuEffPerJob).toBeCloseTo(1395 / 1920, 12);
    expect(r.threadsLabel).toBe("4T");
    expect(r.peakMemoryMb).toBe(2020);
    expect(perf.samples).toHaveLength(9);
  });

  it("leaves excluded nodes out of every figure", () => {
    const p = collectPerf({
      workUnits: [{ name: "mg_000000", index: 0, round: 1, groupDir: dir }],
      excludeNodes: new Set([1]),
      cpuPoints: [],
      expectedCores: 8,
      output: NO_OUTPUT,
    });
    expect(p.numProcJobs).toBe(2);
    expect(p.totalEvents).toBe(20);
    expect(p.coreHours).toBeCloseTo((4 * 300) / 3600, 12);
    expect(p.steps[0].wallSecMean).toBe(95);
  });

  it("keeps rounds apart for an adaptive layout", () => {
    const second = workUnit("mg_000001");
    const p = collectPerf({
      workUnits: [
        { name: "mg_000000", index: 0, round: 1, groupDir: dir },
        { name: "mg_000001", index: 1, round: 2, groupDir: second },
      ],
      cpuPoints: [],
      expectedCores: 12,
      output: NO_OUTPUT,
    });
    expect(p.rounds.map((r) => [r.round, r.jobs, r.events])).toEqual([
      [1, 3, 30],
      [2, 3, 30],
    ]);
    expect(p.steps.map((s) => [s.round, s.step, s.n])).toEqual([
      [1, 1, 6],
      [1, 2, 3],
      [2, 1, 6],
      [2, 2, 3],
    ]);
    expect(p.coreHours).toBeCloseTo(3840 / 3600, 12);
  });

  it("reads request_cpus/memory from the first proc submit file, defaults when there is none", () => {
    expect(wuRequests(dir)).toEqual({ cpus: 4, memoryMb: 8000 });
    expect(wuRequests(join(root, "missing"))).toEqual({ cpus: 1, memoryMb: 0 });
  });
});

describe("binCpu", () => {
  it("bins a step function into mean cores per interval", () => {
    const t = 1_773_480_000;
    const c = binCpu(
      [
        { t, cores: 4 },
        { t: t + 10, cores: 2 },
        { t: t + 20, cores: 0 },
      ],
      8,
      [t + 10],
    );
    expect(c).toEqual({
      intervalSec: 5,
      cores: [4, 4, 2, 2],
      avgCores: 3,
      peakCores: 4,
      expectedCores: 8,
      roundMarks: [10],
    });
  });

  it("splits a change inside a bin by time", () => {
    const c = binCpu(
      [
        { t: 0, cores: 3 },
        { t: 7, cores: 0 },
      ],
      4,
      [],
    );
    expect(c.intervalSec).toBe(5);
    expect(c.cores).toEqual([3, 1.2]);
    expect(c.avgCores).toBeCloseTo(2.1, 12);
    expect(c.peakCores).toBe(3);
  });

  it("widens the interval to keep at most 300 bins, and ignores idle bins in the average", () => {
    const c = binCpu(
      [
        { t: 0, cores: 2 },
        { t: 3000, cores: 0 },
        { t: 6000, cores: 6 },
        { t: 9000, cores: 0 },
      ],
      6,
      [],
    );
    expect(c.intervalSec).toBe(30);
    expect(c.cores).toHaveLength(300);
    expect(c.cores.slice(0, 100).every((v) => v === 2)).toBe(true);
    expect(c.cores.slice(100, 200).every((v) => v === 0)).toBe(true);
    expect(c.cores.slice(200).every((v) => v === 6)).toBe(true);
    expect(c.avgCores).toBe(4);
    expect(c.peakCores).toBe(6);
  });

  it("is empty without points", () => {
    expect(binCpu([], 16, [5])).toEqual({
      intervalSec: 0,
      cores: [],
      avgCores: 0,
      peakCores: 0,
      expectedCores: 16,
      roundMarks: [5],
    });
  });
});

describe("collectPerf reads dagman.out times in the backend's zone", () => {
  /** A unit's DAGMan log: its proc job runs from `t` to `t + 100` s. */
  function dagmanOut(dir: string, t: number): void {
    const id = formatJobId(7000);
    const ev = (at: number, event: UlogEvent, node: string): DagmanOutRecord => ({
      kind: "event",
      time: at,
      event,
      node,
      jobId: id,
      eventTime: at,
    });
    const records: DagmanOutRecord[] = [
      { kind: "submitting", time: t, node: "proc_000000" },
      ev(t + 5, "ULOG_EXECUTE", "proc_000000"),
      ev(t + 100, "ULOG_JOB_TERMINATED", "proc_000000"),
    ];
    writeFileSync(join(dir, "group.dag.dagman.out"), formatDagmanOut(records));
  }

  it("places the round marks at the same instants as the CPU samples of a live pool", () => {
    const t0 = Date.UTC(2026, 0, 15, 9, 0, 0) / 1000;
    const a = workUnit("zone_a");
    const b = workUnit("zone_b");
    dagmanOut(a, t0);
    dagmanOut(b, t0 + 200);
    const marks = (dagmanZone: "utc" | "local") =>
      collectPerf({
        workUnits: [
          { name: "zone_a", index: 0, round: 1, groupDir: a },
          { name: "zone_b", index: 1, round: 2, groupDir: b },
        ],
        dagmanZone,
        cpuPoints: [],
        expectedCores: 12,
        output: NO_OUTPUT,
      }).cpu.roundMarks;
    const zone = process.env.TZ;
    try {
      process.env.TZ = "Europe/Zurich"; // UTC+1 in January
      const utc = marks("utc");
      expect(utc).toHaveLength(1);
      expect(utc[0]).toBeGreaterThan(t0 + 100);
      expect(utc[0]).toBeLessThan(t0 + 200);
      expect(marks("local")).toEqual([utc[0] - 3600]);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
