import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planWorkflow } from "../src/planner/plan.js";
import type { PlanRequest } from "../src/planner/types.js";
import { writeBundle } from "../src/planner/write.js";
import { line, time } from "./util.js";

/** A 100,000-job GEN request in 1,000 work units of 100 jobs. */
export function bigRequest(submitDir: string): PlanRequest {
  return {
    workflowId: "bench-100k",
    requestName: "bench_100k",
    submitDir,
    splitting: { algo: "EventBased", eventsPerJob: 500 },
    targetEvents: 100000 * 500,
    eventsProduced: 0,
    filterEfficiency: 1,
    nextFirstEvent: 1,
    jobsPerWorkUnit: 100,
    cpus: 8,
    memoryMb: 16000,
    diskKb: 10485760,
    outputDatasets: [
      {
        datasetName: "/Bench/Era-Proc-v1/MINIAODSIM",
        dataTier: "MINIAODSIM",
        mergedLfnBase: "/store/mc/Era/Bench/MINIAODSIM/Proc-v1",
        unmergedLfnBase: "/store/unmerged/Era/Bench/MINIAODSIM/Proc-v1",
      },
    ],
    localPfnPrefix: join(submitDir, "storage"),
    stageoutMode: "local",
    categoryThrottles: { Processing: 5000, Merge: 100, Cleanup: 50 },
    priority: 5,
    wuRetryCount: 1,
    manifest: {
      mode: "synthetic",
      size_per_event_kb: 1,
      time_per_event_sec: 0.01,
      memory_mb: 512,
      output_tiers: ["MINIAODSIM"],
    },
    sandboxName: "sandbox.tar.gz",
    pool: "local",
    accountingGroupUser: "wms2",
    extraClassAds: {},
    allowedSites: [],
    bannedSites: [],
    round: 0,
    idleTimeoutSec: 43200,
    maxMergeSizeBytes: 4294967296,
    wms2Command: "matrix",
  };
}

export function benchPlanner(): string[] {
  const dir = mkdtempSync(join(tmpdir(), "wms2-bench-plan-"));
  try {
    const req = bigRequest(join(dir, "submit"));
    let jobs = 0;
    const plan = time(() => {
      jobs = planWorkflow(req).summary.jobs.length;
    });
    const bundle = planWorkflow(req).bundle;
    const write = time(() => {
      rmSync(req.submitDir, { recursive: true, force: true });
      writeBundle(bundle);
    }, 1);
    return [
      line(
        `plan ${jobs} jobs / ${bundle.groups.length} WUs into a DagBundle`,
        `${plan.medianMs.toFixed(0)} ms`,
        "<= 1000 ms",
        plan.medianMs <= 1000,
      ),
      line(
        "write its submit directory",
        `${write.medianMs.toFixed(0)} ms`,
        "<= 15000 ms",
        write.medianMs <= 15000,
      ),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
