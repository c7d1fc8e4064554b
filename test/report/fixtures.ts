/**
 * Hand-built results for the report and store tests: a non-adaptive 8-job 3-step run, the
 * adaptive runs of fixtures-adaptive.ts, a failed and a skipped workflow, and a run record.
 */
import type { PerfData, RunRecord, WorkflowResult } from "../../src/model/results.js";
import { base, round, samples, step } from "./fixture-builders.js";
import { jobSplitResult, perStepResult } from "./fixtures-adaptive.js";

export { measured, round, step } from "./fixture-builders.js";
export { jobSplitPerf, jobSplitResult, perStepPerf, perStepResult } from "./fixtures-adaptive.js";

export const standardPerf: PerfData = {
  numProcJobs: 8,
  coresPerJob: 8,
  totalEvents: 400,
  coreHours: 9.6164,
  evPerCoreHour: 41.595,
  peakRssMb: 7150,
  steps: [
    // Deliberately out of order: reports sort numerically.
    step({
      round: 1,
      step: 3,
      stepName: "NANO",
      wallSecMean: 0.42,
      wallSecStddev: 0.05,
      wallSecMin: 0.35,
      wallSecMax: 0.48,
      cpuEffMean: 0.12,
      cpuEffStddev: 0.01,
      rssMbMean: 1500,
      rssMbStddev: 0,
      rssMbMax: 1500,
      throughputEvS: 119.05,
    }),
    step({
      round: 1,
      step: 1,
      stepName: "GEN-SIM",
      wallSecMean: 290.5,
      wallSecStddev: 6.2,
      wallSecMin: 281.4,
      wallSecMax: 300.2,
      cpuEffMean: 0.6,
      cpuEffStddev: 0.02,
      rssMbMean: 2000,
      rssMbStddev: 10,
      rssMbMax: 2020,
      throughputEvS: 0.17,
    }),
    step({
      round: 1,
      step: 2,
      stepName: "DIGI-RECO",
      wallSecMean: 250,
      wallSecStddev: 25,
      wallSecMin: 220,
      wallSecMax: 300,
      cpuEffMean: 0.55,
      cpuEffStddev: 0.05,
      rssMbMean: 7000,
      rssMbStddev: 100,
      rssMbMax: 7150,
      throughputEvS: 0.2,
    }),
  ],
  rounds: [
    round({
      round: 1,
      events: 400,
      coreHours: 9.6164,
      evPerCoreHour: 41.595,
      cpuEffPerJob: 0.575,
      peakMemoryMb: 7150,
      processingSec: 620,
      mergeSec: 45.5,
      cleanupSec: 3.2,
      startSec: 0,
      endSec: 620,
    }),
  ],
  samples: samples(8, [
    { step: 1, wall: 290.5, eff: 0.6, rss: 2000 },
    { step: 2, wall: 250, eff: 0.55, rss: 7000 },
    { step: 3, wall: 0.42, eff: 0.12, rss: 1500 },
  ]),
  time: { processingSec: 620, mergeSec: 45.5, cleanupSec: 3.2, overheadSec: 31.3, totalSec: 700 },
  cpu: {
    intervalSec: 60,
    cores: [30.5, 38.2, 40.1, 39.8, 36.0, 30.2, 20.4, 8.1, 2.0, 1.0, 0.6, 0.3],
    avgCores: 20.6,
    peakCores: 40.1,
    expectedCores: 64,
    roundMarks: [],
  },
  output: {
    mergedFiles: 2,
    mergedBytes: 26214400,
    unmergedCleaned: true,
    datasets: [
      {
        datasetName: "/GenSim/Run3-v1/AODSIM",
        mergedFiles: 1,
        mergedBytes: 18874368,
        mergedEvents: 400,
        unmergedLeft: 0,
      },
      {
        datasetName: "/GenSim/Run3-v1/NANOAODSIM",
        mergedFiles: 1,
        mergedBytes: 7340032,
        mergedEvents: 400,
        unmergedLeft: 0,
      },
    ],
  },
};

export const standardResult: WorkflowResult = {
  ...base(100, "Simulator GEN-SIM → DIGI-RECO → NANO, 8 jobs × 8T"),
  elapsedSec: 700,
  perf: standardPerf,
  adaptive: null,
};

export const failedResult: WorkflowResult = {
  ...base(500, "Fault: proc exits 1 (retry then rescue)"),
  status: "failed",
  reason: "DAG completed but 1 rescue DAG(s) generated; expected merged outputs but none found",
  elapsedSec: 97,
  dagStatus: "failed",
  dagExitCode: 1,
  rescueDags: ["workflow.dag.rescue001"],
  perf: null,
  adaptive: null,
};

export const skippedResult: WorkflowResult = {
  ...base(300, "Real CMSSW DY2L 8 jobs"),
  status: "skipped",
  reason: "missing capabilities: cvmfs, apptainer",
  wallSec: 0,
  dagStatus: "not_run",
  dagExitCode: null,
  perf: null,
  adaptive: null,
};

export const runRecord: RunRecord = {
  runId: 3,
  startedAt: "2026-02-24T21:05:00.000Z",
  endedAt: "2026-02-24T21:05:04.500Z",
  selection: "smoke",
  backend: "sim",
  seed: 42,
  gitCommit: "1a2b3c4",
  versions: { wms2: "0.1.0", node: "20.20.2" },
  argv: ["matrix", "-l", "smoke"],
  counts: { passed: 3, failed: 1, skipped: 1, error: 0, timeout: 0 },
};

export const allResults: WorkflowResult[] = [
  standardResult,
  jobSplitResult,
  perStepResult,
  failedResult,
  skippedResult,
];
