import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/matrix/catalog.js";
import type { WorkflowDef } from "../../src/model/workflow.js";
import { repoRoot } from "../helpers/shared-fixtures.js";

const catalog = loadCatalog(join(repoRoot, "catalog"));
const wf = (id: number): WorkflowDef => {
  const w = catalog.workflows.get(id);
  if (!w) throw new Error(`no workflow ${id}`);
  return w;
};

const C = ["condor"];
const R = ["condor", "cvmfs", "siteconf", "apptainer"];
// matrix.md §3.1: id, mode, jobs, ev/job, WUs, cores, memory (MB or [R1/c, max/c]), size, timeout, requires
type Row = [
  number,
  string,
  number,
  number,
  number,
  number,
  number | [number, number],
  string,
  number,
  string[],
];
const TABLE: Row[] = [
  [100.0, "synthetic", 1, 1, 1, 1, 512, "small", 120, C],
  [100.1, "synthetic", 8, 1, 1, 1, 512, "medium", 300, C],
  [150.0, "simulator", 1, 10, 1, 4, 4096, "small", 150, C],
  [150.1, "simulator", 4, 10, 1, 4, 4096, "small", 180, C],
  [151.0, "simulator", 2, 10, 1, 8, 8192, "small", 180, C],
  [152.0, "simulator", 2, 10, 1, 8, 16000, "small", 180, C],
  [155.0, "simulator", 2, 10, 2, 8, [2000, 2500], "medium", 300, C],
  [155.1, "simulator", 2, 10, 2, 8, [2000, 2500], "medium", 300, C],
  [155.2, "simulator", 2, 10, 3, 8, [2000, 3000], "large", 900, C],
  [160.0, "simulator", 2, 10, 1, 8, 16000, "medium", 600, C],
  [300.0, "cached", 2, 40, 1, 8, 16000, "large", 3600, R],
  [300.1, "cached", 4, 1000, 1, 16, 32000, "large", 36000, R],
  [301.0, "cached", 8, 400, 1, 8, 16000, "large", 10800, R],
  [350.0, "cached", 2, 40, 2, 8, [2000, 2000], "large", 7200, R],
  [350.1, "cached", 8, 10, 2, 8, [2000, 2000], "large", 3600, R],
  [351.0, "cached", 2, 40, 2, 8, [2000, 2500], "large", 7200, R],
  [351.1, "cached", 4, 400, 2, 8, [2000, 2500], "large", 10800, R],
  [360.0, "cached", 8, 40, 2, 8, [2000, 2000], "large", 7200, R],
  [370.0, "cached", 8, 40, 2, 8, [2000, 2000], "large", 7200, R],
  [380.0, "cached", 8, 40, 2, 8, [2000, 2000], "large", 7200, R],
  [380.1, "cached", 8, 400, 2, 8, [2000, 2000], "large", 72000, R],
  [391.0, "cached", 2, 40, 2, 8, [2000, 2500], "large", 7200, R],
  [391.1, "cached", 4, 400, 2, 8, [2000, 2500], "large", 10800, R],
  [391.2, "cached", 4, 400, 2, 8, [2000, 3000], "large", 10800, R],
  [391.3, "cached", 4, 400, 3, 8, [2000, 3000], "large", 16200, R],
  [391.4, "cached", 4, 40, 3, 8, [2000, 3000], "large", 16200, R],
  [392.0, "cached", 2, 40, 3, 8, [2000, 3000], "large", 10800, R],
  [392.1, "cached", 3, 10, 3, 2, 4337, "large", 3600, R],
  // Fault timeouts differ from matrix.md on purpose: the reference's 300/120/120 s were
  // live-pool limits; the simulator runs the POST back-off as written (see 500-faults.yaml).
  [500.0, "synthetic", 1, 1, 1, 1, 512, "medium", 3600, C],
  [501.0, "synthetic", 2, 1, 1, 1, 512, "small", 3600, C],
  [510.0, "synthetic", 2, 1, 1, 1, 512, "small", 900, C],
];

// matrix.md §3.2: adaptiveSplit, splitAllSteps, uniform, overcommit, tmpfs, tmpfsFromWu, probe, jobSplit, margin
type Flags = [boolean, boolean, boolean, number, boolean, number, boolean, boolean, number];
const FLAGS: Record<string, Flags> = {
  "155.0": [true, false, false, 1, false, 0, true, false, 0.2],
  "155.1": [false, false, false, 1, false, 0, true, true, 0.2],
  "155.2": [false, false, false, 1, true, 0, true, true, 0.2],
  "350.0": [true, false, false, 1, false, 0, false, false, 0.2],
  "350.1": [true, false, false, 1, false, 0, false, false, 0.2],
  "351.0": [true, false, false, 1, true, 0, true, false, 0.2],
  "351.1": [true, false, false, 1, true, 0, true, false, 0.2],
  "360.0": [false, false, false, 1.25, false, 0, false, false, 0.2],
  "370.0": [true, false, false, 1.25, false, 0, false, false, 0.2],
  "380.0": [false, true, false, 1, false, 0, false, false, 0.2],
  "380.1": [false, true, true, 1, false, 0, false, false, 0.2],
  "391.0": [false, false, false, 1, true, 0, true, true, 0.2],
  "391.1": [false, false, false, 1, true, 0, true, true, 0.2],
  "391.2": [false, false, false, 1, true, 0, true, true, 0.2],
  "391.3": [false, false, false, 1, true, 1, false, true, 0.1],
  "391.4": [false, false, false, 1, true, 1, false, true, 0.1],
  "392.0": [false, false, false, 1, true, 0, true, true, 0.2],
};

describe("the real catalog", () => {
  it("holds the 31 workflows of matrix.md in ascending order", () => {
    expect([...catalog.workflows.keys()]).toEqual(TABLE.map((r) => r[0]));
  });

  it.each(TABLE)(
    "%s matches the matrix.md §3.1 row",
    (id, mode, jobs, ev, wus, cores, mem, size, timeout, req) => {
      const w = wf(id);
      expect(w.id).toBe(id);
      expect([
        w.mode,
        w.numJobs,
        w.eventsPerJob,
        w.numWorkUnits,
        w.multicore,
        w.size,
        w.timeoutSec,
      ]).toEqual([mode, jobs, ev, wus, cores, size, timeout]);
      expect(w.requires).toEqual(req);
      if (Array.isArray(mem)) {
        expect(w.adaptive).toBe(true);
        expect([w.memoryPerCoreMb, w.maxMemoryPerCoreMb]).toEqual(mem);
      } else {
        expect(w.adaptive).toBe(false);
        expect(w.memoryMb).toBe(mem);
      }
      expect(w.title.length).toBeGreaterThan(5);
    },
  );

  it("sets the adaptive and tmpfs flags of matrix.md §3.2", () => {
    for (const [id, f] of Object.entries(FLAGS)) {
      const w = wf(Number(id));
      const got: Flags = [
        w.adaptiveSplit,
        w.splitAllSteps,
        w.splitUniformThreads,
        w.overcommitMax,
        w.splitTmpfs,
        w.splitTmpfsFromWu,
        w.probeSplit,
        w.jobSplit,
        w.safetyMargin,
      ];
      expect(got, id).toEqual(f);
    }
    expect(wf(360.0).overcommitMax).toBe(1.25);
  });

  it("155.2 is a 3-round simulator job split with tmpfs and a 3 GB/core ceiling", () => {
    const w = wf(155.2);
    expect(w.title).toBe("Simulator adaptive job split 3-round, 3 GB/core");
    expect(w.request.steps.map((s) => [s.name, s.profile])).toEqual([
      ["GEN-SIM", "GEN"],
      ["DIGI", "DIGI"],
      ["RECO", "RECO"],
    ]);
    expect(w.outputDatasets.map((d) => d.dataTier)).toEqual(["GEN-SIM", "DIGI", "RECO"]);
    expect(w.derivedFrom).toBe(155.1);
    expect(w.sourceFile).toBe(join(repoRoot, "catalog", "150-simulator.yaml"));
  });

  it("391.3 runs 3 rounds without probe, tmpfs from WU 1 and a 10% margin", () => {
    const w = wf(391.3);
    expect(w.title).toBe("DY2L adaptive 3-round no-probe (8T, 2 GB/core, no tmpfs R1, 10% margin)");
    expect(w.request.filterEfficiency).toBe(0.10231);
    expect(w.request.steps[0]).toEqual({
      name: "wmLHEGS",
      profile: "DY2L-wmLHEGS",
      cmsswVersion: "CMSSW_12_4_19",
    });
    expect(w.outputDatasets.map((d) => d.dataTier)).toEqual(["MINIAODSIM", "NANOAODSIM"]);
  });

  it("392.1 is a fixed 2-thread memory test whose Round 3 runs out of memory (and recovers)", () => {
    const w = wf(392.1);
    expect(w.memoryMbPerWu).toEqual({ 1: 6000 });
    expect(w.adaptive).toBe(false);
    expect([w.splitTmpfs, w.splitTmpfsFromWu]).toEqual([true, 1]);
    expect(w.verify).toEqual({
      expectSuccess: true,
      expectRescueDag: false,
      expectMergedOutputs: true,
      expectCleanupRan: true,
      expectMemoryHolds: [2],
    });
  });

  it("500.0, 501.0 and 510.0 inject their faults and expect a failed DAG", () => {
    const failed = {
      expectSuccess: false,
      expectRescueDag: true,
      expectMergedOutputs: false,
      expectCleanupRan: false,
      expectDagStatus: 2,
    };
    expect(wf(500.0).fault).toEqual({
      target: "proc",
      exitCode: 1,
      signal: 0,
      delaySec: 0,
      skipOutput: false,
    });
    expect(wf(501.0).fault).toEqual({
      target: "proc",
      exitCode: 0,
      signal: 9,
      delaySec: 0,
      skipOutput: false,
    });
    expect(wf(510.0).fault).toEqual({
      target: "merge",
      exitCode: 1,
      signal: 0,
      delaySec: 0,
      skipOutput: false,
    });
    for (const id of [500.0, 501.0, 510.0]) expect(wf(id).verify).toEqual(failed);
    expect(wf(100.0).fault).toBeUndefined();
    expect(wf(100.0).verify).toEqual({
      expectSuccess: true,
      expectRescueDag: false,
      expectMergedOutputs: true,
      expectCleanupRan: true,
    });
  });

  it("derived variants equal their parent except for the overrides", () => {
    const cases: [number, number, Partial<WorkflowDef>][] = [
      [
        100.1,
        100.0,
        { title: "Synthetic baseline, 8 jobs", numJobs: 8, size: "medium", timeoutSec: 300 },
      ],
      [
        350.1,
        350.0,
        {
          title: "Adaptive nThreads tuning, 10 ev/job",
          numJobs: 8,
          eventsPerJob: 10,
          timeoutSec: 3600,
        },
      ],
      [391.4, 391.3, { title: wf(391.4).title, eventsPerJob: 40 }],
      [
        391.2,
        391.1,
        { title: "DY2L adaptive job split (4 jobs x 400 ev, 3 GB/core)", maxMemoryPerCoreMb: 3000 },
      ],
    ];
    for (const [child, parent, overrides] of cases) {
      const { id, derivedFrom, ...rest } = wf(child);
      const { id: pid, derivedFrom: _pd, ...parentRest } = wf(parent);
      expect(id).toBe(child);
      expect(pid).toBe(parent);
      expect(derivedFrom).toBe(parent);
      expect(rest).toEqual({ ...parentRest, ...overrides });
    }
  });

  it("uses the reference defaults for unspecified fields", () => {
    const w = wf(100.0);
    expect(w).toMatchObject({
      memoryMb: 512,
      multicore: 1,
      serial: false,
      adaptive: false,
      numWorkUnits: 1,
      adaptiveSplit: true,
      overcommitMax: 1,
      memoryMbPerWu: {},
      memoryPerCoreMb: 2000,
      maxMemoryPerCoreMb: 2000,
      safetyMargin: 0.2,
      minThreads: 2,
      productionPath: false,
    });
    expect(w.request).toEqual({
      requestName: "wms2_matrix_synthetic",
      requestType: "StepChain",
      steps: [{ name: "GEN-SIM", keepOutput: true }],
      globalTag: "auto:mc",
      timePerEvent: 0.01,
      sizePerEvent: 1,
      filterEfficiency: 1,
    });
  });

  it("160.0 takes the production path with the production request fields", () => {
    const w = wf(160.0);
    expect(w.productionPath).toBe(true);
    expect(w.requires).toEqual(["condor"]);
    expect(w.request).toMatchObject({
      campaign: "NPS-Run3Summer22EEGS",
      priority: 100000,
      requestor: "integration-test",
    });
    expect(w.request.steps.map((s) => s.profile)).toEqual(["GEN", "DIGI", "RECO", "MINI", "NANO"]);
    expect(w.outputDatasets).toHaveLength(5);
  });

  it("152.0 uses a high-memory profile that needs more than 151.0's request", () => {
    const p = catalog.profiles.get(wf(152.0).request.steps[0].profile!)!;
    expect(p.name).toBe("GEN-HIGHMEM");
    const rss8 = p.baseMemoryMb + 8 * p.marginalPerThreadMb;
    expect(rss8).toBe(14000);
    expect(rss8).toBeGreaterThan(wf(151.0).memoryMb);
    expect(rss8).toBeLessThan(wf(152.0).memoryMb);
  });

  it("every step of every simulator or cached workflow names a known profile", () => {
    for (const w of catalog.workflows.values()) {
      if (w.mode === "synthetic") continue;
      for (const s of w.request.steps)
        expect(catalog.profiles.has(s.profile ?? ""), `${w.id} ${s.name}`).toBe(true);
    }
    expect(catalog.profiles.size).toBe(16);
  });
});
