import { describe, expect, it } from "vitest";
import { stepProfileOf } from "../../../simulator/payload/manifest.js";
import { procModel } from "../../../simulator/payload/proc.js";
import { runReports } from "../../../simulator/payload/proc-reports.js";
import { planSteps } from "../../../simulator/payload/proc-steps.js";
import {
  cgroupRecordOf,
  cpuSegments,
  memoryTimeline,
  steadyMemory,
  sweepLanes,
} from "../../../simulator/payload/usage.js";
import { fjrNumber } from "../../../src/artifacts/fjr.js";
import { GROUP, jobCtx, noDraws, runJob, seedGroup, step } from "./helpers.js";

describe("usage sweep", () => {
  it("adds concurrent lanes, holds the idle level between them, merges equal phases", () => {
    const lanes = [
      { start: 2, end: 6, anonMb: 1000, shmemMb: 200, cores: 2 },
      { start: 2, end: 4, anonMb: 1000, shmemMb: 200, cores: 2 },
      { start: 6, end: 8, anonMb: 1200, shmemMb: 0, cores: 2 },
    ];
    const phases = sweepLanes(lanes, 10, 50);
    expect(phases.map((p) => [p.start, p.end, p.anonMb, p.shmemMb, p.cores])).toEqual([
      [0, 2, 50, 0, 0],
      [2, 4, 2000, 400, 4],
      [4, 6, 1000, 200, 2],
      [6, 8, 1200, 0, 2],
      [8, 10, 50, 0, 0],
    ]);
    expect(memoryTimeline(phases)).toEqual({
      timeline: [
        { atSec: 0, mb: 50 },
        { atSec: 2, mb: 2400 },
        { atSec: 4, mb: 1200 },
        { atSec: 8, mb: 50 },
      ],
    });
    expect(cpuSegments(phases)).toEqual([
      { start: 2, end: 4, cores: 4 },
      { start: 4, end: 6, cores: 2 },
      { start: 6, end: 8, cores: 2 },
    ]);
    expect(cgroupRecordOf(phases, 10, 300)).toEqual({
      peak_anon_mb: 2000,
      peak_shmem_mb: 400,
      peak_nonreclaim_mb: 2400,
      tmpfs_peak_nonreclaim_mb: 2400,
      no_tmpfs_peak_anon_mb: 1200,
      num_samples: 5,
      gridpack_disk_mb: 300,
    });
  });
});

describe("steady memory", () => {
  it("holds its size from the start, one frozen value per size", () => {
    const m = steadyMemory(250);
    expect(m).toEqual({ timeline: [{ atSec: 0, mb: 250 }] });
    expect(steadyMemory(250)).toBe(m);
    expect(steadyMemory(50)).toEqual({ timeline: [{ atSec: 0, mb: 50 }] });
    expect(Object.isFrozen(m)).toBe(true);
    const timeline = "timeline" in m ? m.timeline : [];
    expect(Object.isFrozen(timeline) && Object.isFrozen(timeline[0])).toBe(true);
  });
});

describe("FrameworkJobReports of a simulated job", () => {
  const specs = [step("GEN"), step("RECO")].map((s) => ({
    profile: stepProfileOf(s as Parameters<typeof stepProfileOf>[0], "manifest.json"),
    threads: 8,
    nParallel: 1,
    keepOutput: true,
  }));
  const plan = planSteps({
    steps: specs,
    events: 100,
    nPipelines: 1,
    splitTmpfs: false,
    rand: noDraws,
  });

  it("carry the cmsRun metric names and read back to the run's numbers", () => {
    const [r1, r2] = runReports(plan.runs, specs);
    expect(r1.fileName).toBe("report_step1.xml");
    for (const name of [
      "TotalJobTime",
      "TotalJobCPU",
      "NumberOfThreads",
      "EventThroughput",
      "AvgEventTime",
      "PeakValueRss",
      "PeakValueVsize",
      "NumberEvents",
      "Timing-file-read-totalMegabytes",
      "Timing-file-write-totalMegabytes",
    ]) {
      expect(r1.xml).toContain(`<Metric Name="${name}"`);
    }
    const rep = r1.parsed.report;
    expect(fjrNumber(rep, "Timing", "TotalJobTime")).toBe(plan.runs[0].wallSec);
    expect(fjrNumber(rep, "ApplicationMemory", "PeakValueVsize")).toBe(4200);
    expect(rep.inputFiles).toEqual([]);
    expect(rep.outputFiles[0]).toMatchObject({
      moduleLabel: "GEN-SIMoutput",
      totalEvents: 100,
      pfn: "file:step1_GEN-SIM.root",
    });
    expect(r2.parsed.report.inputFiles).toEqual([
      {
        lfn: "",
        pfn: "file:step1_GEN-SIM.root",
        eventsRead: 100,
        inputType: "primaryFiles",
        moduleLabel: "source",
      },
    ]);
    expect(r2.parsed.report.step).toEqual({ name: "RECO", exitCode: 0 });
  });

  it("are written to proc_<N>_reports/ only when asked", () => {
    for (const keepReports of [false, true]) {
      const fs = seedGroup({ events: 100 });
      runJob(procModel({ keepReports }), jobCtx(fs, "proc_000000"));
      const dir = `${GROUP}/proc_0_reports`;
      expect(fs.list(dir)).toEqual(
        keepReports ? ["report_step1.xml", "report_step2.xml", "report_step3.xml"] : [],
      );
    }
  });
});
