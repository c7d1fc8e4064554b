/**
 * Adaptive fixtures: a 3-round job-split run (4×8T → 8×4T → 8×4T, 800 events per round)
 * and a 2-round per-step run whose second round runs step 1 as 2 instances × 4T per job.
 */
import type { PerfData, WorkflowResult } from "../../src/model/results.js";
import { base, measured, round, step } from "./fixture-builders.js";

const GEN = "GEN-SIM";
const RECO = "DIGI-RECO";

const jobSplitDecision = (index: number) => ({
  original_nthreads: 8,
  overcommit_max: 1,
  safety_margin: 0.2,
  n_pipelines: 1,
  job_multiplier: 2,
  tuned_nthreads: 4,
  new_num_jobs: 8,
  new_events_per_job: 100,
  new_request_cpus: 4,
  new_request_memory_mb: 8000,
  memory_source: "prior_rss",
  memory_per_core_mb: 2000,
  max_memory_per_core_mb: 3000,
  min_threads: 2,
  split_tmpfs: false,
  gridpack_disk_mb: 0,
  rounds_analyzed: index + 1,
  per_round_nthreads: index === 0 ? [8] : [8, 4],
  per_step: {
    "0": { tuned_nthreads: 4, cpu_eff: 0.3, effective_cores: 2.4, avg_rss_mb: 5500, n_parallel: 1 },
    "1": {
      tuned_nthreads: 4,
      cpu_eff: 0.45,
      effective_cores: 3.6,
      avg_rss_mb: 6000,
      n_parallel: 1,
    },
  },
});

const r1 = { n: 4, nJobs: 4, eventsTotal: 800 };
const later = { eventsTotal: 800 };

export const jobSplitPerf: PerfData = {
  numProcJobs: 20,
  coresPerJob: 8,
  totalEvents: 2400,
  coreHours: 61.4222,
  evPerCoreHour: 39.07,
  peakRssMb: 6100,
  steps: [
    measured(
      { round: 1, step: 1, name: GEN, nThreads: 8 },
      [1800, 30, 1760, 1840],
      [0.3, 0.01],
      [5500, 50, 5600],
      {
        ...r1,
        throughputEvS: 0.11,
      },
    ),
    measured(
      { round: 1, step: 2, name: RECO, nThreads: 8 },
      [700, 20, 680, 725],
      [0.45, 0.02],
      [6000, 60, 6100],
      {
        ...r1,
        throughputEvS: 0.29,
      },
    ),
    measured(
      { round: 2, step: 1, name: GEN, nThreads: 4 },
      [1650, 40, 1590, 1710],
      [0.55, 0.02],
      [3900, 40, 3960],
      {
        ...later,
        throughputEvS: 0.06,
      },
    ),
    measured(
      { round: 2, step: 2, name: RECO, nThreads: 4 },
      [600, 15, 580, 625],
      [0.7, 0.03],
      [4400, 50, 4480],
      {
        ...later,
        throughputEvS: 0.17,
      },
    ),
    measured(
      { round: 3, step: 1, name: GEN, nThreads: 4 },
      [1600, 35, 1550, 1660],
      [0.6, 0.02],
      [3850, 40, 3900],
      {
        ...later,
        throughputEvS: 0.06,
      },
    ),
    measured(
      { round: 3, step: 2, name: RECO, nThreads: 4 },
      [560, 12, 545, 580],
      [0.72, 0.03],
      [4350, 45, 4420],
      {
        ...later,
        throughputEvS: 0.18,
      },
    ),
  ],
  rounds: [
    round({
      round: 1,
      jobs: 4,
      cpusPerJob: 8,
      threadsLabel: "8T",
      requestMemoryMb: 16000,
      events: 800,
      coreHours: 22.2222,
      evPerCoreHour: 36.0,
      cpuEffPerJob: 0.342,
      peakMemoryMb: 6100,
      processingSec: 2600,
      mergeSec: 60,
      cleanupSec: 5,
      startSec: 0,
      endSec: 2570,
    }),
    round({
      round: 2,
      jobs: 8,
      cpusPerJob: 4,
      threadsLabel: "4T",
      requestMemoryMb: 8000,
      events: 800,
      coreHours: 20,
      evPerCoreHour: 40.0,
      cpuEffPerJob: 0.59,
      peakMemoryMb: 4480,
      oomJobs: 1,
      processingSec: 2400,
      mergeSec: 55,
      cleanupSec: 5,
      startSec: 2650,
      endSec: 4985,
    }),
    round({
      round: 3,
      jobs: 8,
      cpusPerJob: 4,
      threadsLabel: "4T",
      requestMemoryMb: 8000,
      events: 800,
      coreHours: 19.2,
      evPerCoreHour: 41.6667,
      cpuEffPerJob: 0.6311,
      peakMemoryMb: 4420,
      processingSec: 2280,
      mergeSec: 50,
      cleanupSec: 5,
      startSec: 5060,
      endSec: 7300,
    }),
  ],
  samples: [],
  time: { processingSec: 7280, mergeSec: 165, cleanupSec: 15, overheadSec: 80, totalSec: 7540 },
  cpu: {
    intervalSec: 300,
    cores: [
      10.2, 10.9, 11.0, 10.8, 10.6, 10.1, 9.0, 4.0, 18.1, 18.9, 19.0, 18.7, 18.5, 17.9, 12.0, 3.0,
      19.8, 20.2, 20.1, 20.0, 19.6, 18.8, 14.0, 6.0, 1.0,
    ],
    avgCores: 13.7,
    peakCores: 20.2,
    expectedCores: 32,
    roundMarks: [2610, 5022.5],
  },
  output: {
    mergedFiles: 3,
    mergedBytes: 157286400,
    unmergedCleaned: true,
    datasets: [
      {
        datasetName: "/GenSim/Adaptive-v1/AODSIM",
        mergedFiles: 3,
        mergedBytes: 157286400,
        mergedEvents: 2400,
        unmergedLeft: 0,
      },
    ],
  },
};

export const jobSplitResult: WorkflowResult = {
  ...base(155, "Simulator adaptive job split 3-round"),
  elapsedSec: 7540,
  perf: jobSplitPerf,
  adaptive: {
    decisions: [jobSplitDecision(0), jobSplitDecision(1)],
    convergence: [
      {
        round: 2,
        quantity: "memory_mb",
        step: 1,
        projected: 7320,
        measured: 5900,
        relError: -0.194,
        flagged: false,
      },
      {
        round: 3,
        quantity: "effective_cores",
        step: 1,
        projected: 2.2,
        measured: 2.9,
        relError: 0.318,
        flagged: true,
      },
    ],
  },
};

const plainStep = (
  r: number,
  s: number,
  name: string,
  wall: [number, number, number],
  effRss: [number, number, number],
) =>
  step({
    round: r,
    step: s,
    stepName: name,
    wallSecMean: wall[0],
    wallSecMin: wall[1],
    wallSecMax: wall[2],
    cpuEffMean: effRss[0],
    rssMbMean: effRss[1],
    rssMbMax: effRss[2],
    eventsTotal: 800,
  });

export const perStepPerf: PerfData = {
  ...jobSplitPerf,
  numProcJobs: 16,
  totalEvents: 1600,
  coreHours: 24,
  evPerCoreHour: 66.67,
  peakRssMb: 8600,
  steps: [
    plainStep(1, 1, GEN, [1000, 950, 1050], [0.4, 5000, 5200]),
    plainStep(1, 2, RECO, [500, 480, 520], [0.7, 6000, 6100]),
    // 2 instances × 4T per job: 16 samples from 8 jobs.
    {
      ...plainStep(2, 1, GEN, [850, 800, 900], [0.75, 4200, 4300]),
      n: 16,
      nJobs: 8,
      nThreads: 4,
      instances: 2,
    },
    plainStep(2, 2, RECO, [500, 485, 515], [0.7, 6000, 6050]),
  ],
  rounds: [
    round({
      round: 1,
      jobs: 8,
      events: 800,
      coreHours: 26.67,
      evPerCoreHour: 30.0,
      cpuEffPerJob: 0.5,
      peakMemoryMb: 6100,
      requestMemoryMb: 16000,
    }),
    round({
      round: 2,
      jobs: 8,
      events: 800,
      coreHours: 24,
      evPerCoreHour: 33.33,
      cpuEffPerJob: 0.73,
      peakMemoryMb: 8600,
      requestMemoryMb: 20000,
    }),
  ],
};

export const perStepResult: WorkflowResult = {
  ...base(151, "Simulator adaptive step-1 split 2-round"),
  elapsedSec: 3300,
  perf: perStepPerf,
  adaptive: {
    decisions: [
      {
        original_nthreads: 8,
        overcommit_max: 1,
        safety_margin: 0.2,
        n_pipelines: 1,
        memory_per_core_mb: 2000,
        max_memory_per_core_mb: 2500,
        ideal_memory_mb: 24000,
        actual_memory_mb: 20000,
        rounds_analyzed: 1,
        per_round_nthreads: [8],
        per_step: {
          // Keys out of order on purpose: reports sort steps numerically.
          "1": { tuned_nthreads: 8, n_parallel: 1, cpu_eff: 0.7, effective_cores: 5.6 },
          "0": {
            tuned_nthreads: 4,
            n_parallel: 2,
            cpu_eff: 0.4,
            effective_cores: 3.2,
            ideal_n_parallel: 4,
            ideal_memory_mb: 24000,
            memory_source: "cgroup_measured",
            instance_mem_mb: 5000,
          },
        },
        probe_node: "proc_000007",
        probe_num_instances: 2,
        probe_job_peak_total_mb: 10000,
        probe_rss_mb: 4200,
      },
    ],
    convergence: [],
  },
};
