import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oomHolds } from "../../src/matrix/perf.js";
import type { WorkflowResult } from "../../src/model/results.js";
import { renderAdaptive } from "../../src/report/adaptive.js";
import {
  entry,
  eventRanges,
  procJobsRun,
  procSubs,
  simRun,
  stepOneEvents,
  submitDirOf,
  submitValue,
  tempDir,
} from "./support.js";

const tmp = tempDir("job-split-run");
afterAll(() => tmp.remove());

describe("391.0 on the simulator: the replan splits Round 2 into more, smaller jobs", () => {
  const wf = entry(391.0);
  let result: WorkflowResult;
  let submitDir: string;
  let units: string[];
  beforeAll(async () => {
    result = await simRun(wf, tmp.dir);
    submitDir = submitDirOf(tmp.dir, wf);
    units = ["mg_000000", "mg_000001"].map((n) => join(submitDir, n));
  });

  it("passes, and the replan node ran between the units", () => {
    expect(result.status).toBe("passed");
    expect(readFileSync(join(submitDir, "replan_0.out"), "utf8")).toBe(
      "replan 0: job split ×2: 4 jobs × 4 cores, 8300 MB, 20 events/job [probe_peak]\n",
    );
  });

  it("runs 4 jobs of 4 cores in WU 1 where WU 0 ran 2 of 8", () => {
    expect(procJobsRun(units[0])).toEqual({ submitted: 2, cpus: [8, 8] });
    expect(procJobsRun(units[1])).toEqual({ submitted: 4, cpus: [4, 4, 4, 4] });
    expect(procSubs(units[1])).toEqual([
      "proc_000002.sub",
      "proc_000003.sub",
      "proc_000004.sub",
      "proc_000005.sub",
    ]);
    const sub = join(units[1], "proc_000004.sub");
    expect(submitValue(sub, "request_cpus")).toBe("4");
    expect(submitValue(sub, "request_memory")).toBe("8300");
    const tuned = JSON.parse(readFileSync(join(units[1], "manifest_tuned.json"), "utf8"));
    expect(tuned.steps.map((s: { multicore: number }) => s.multicore)).toEqual([4, 4, 4, 4, 4]);
    expect(tuned.split_tmpfs).toBe(true);
  });

  it("processes every event of the request exactly once across the rounds", () => {
    expect(stepOneEvents(units)).toBe(2 * 2 * 40);
    const ranges = eventRanges(units);
    expect(ranges).toEqual([
      [1, 40],
      [41, 80],
      [81, 100],
      [101, 120],
      [121, 140],
      [141, 160],
    ]);
  });

  it("holds no job for memory: the split jobs fit the memory the algorithm gave them", () => {
    expect(units.map(oomHolds)).toEqual([0, 0]);
    expect(result.perf?.rounds.map((r) => r.oomJobs)).toEqual([0, 0]);
    expect(result.perf?.rounds[1].peakMemoryMb).toBeLessThan(8300);
  });

  it("records the decision and the per-round labels, leaving the probe out of Round 1", () => {
    const d = result.adaptive?.decisions ?? [];
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({
      status: "tuned",
      mode: "job_split",
      job_multiplier: 2,
      new_num_jobs: 4,
      new_request_cpus: 4,
      memory_source: "probe_peak",
      probe_node: "proc_000001",
      probe_num_instances: 2,
    });
    const rounds = result.perf?.rounds ?? [];
    expect(rounds.map((r) => [r.round, r.jobs, r.cpusPerJob, r.threadsLabel, r.events])).toEqual([
      [1, 1, 8, "8T", 40],
      [2, 4, 4, "4T", 80],
    ]);
    expect(result.perf?.samples.some((s) => s.round === 1 && s.node === 1)).toBe(false);
  });

  it("checks the projections against Round 2 and flags the memory over-estimate", () => {
    const c = result.adaptive?.convergence ?? [];
    expect(c.map((x) => [x.round, x.quantity, x.projected, x.flagged])).toEqual([
      [2, "memory_mb", 8300, true],
      [2, "effective_cores", expect.closeTo(1.431, 3), false],
    ]);
    expect(c[0].measured).toBe(result.perf?.rounds[1].peakMemoryMb);
    const report = renderAdaptive(result, { color: false });
    expect(report).toContain("Round 2 (4 jobs, 4T):");
    expect(report).toContain("R2 request_memory: 8300 MB (4 cores, 2075 MB/core)  [probe_peak]");
    expect(report).toMatch(/R2 +1 +memory \(MB\) +8300 +5416 +-34\.7% +\*\* off by more than 20%/);
    expect(report).toMatch(/Ev\/core-hour +16\.1 +17\.9 +\+11\.5%/);
  });
});

describe("per-step tuning and pipeline split on the simulator", () => {
  it("351.0: the probe sizes step-0 instances; 2 × 4T at the slot ceiling, no memory hold", async () => {
    const wf = entry(351.0);
    const result = await simRun(wf, tmp.dir);
    expect(result.status).toBe("passed");
    const d = result.adaptive?.decisions[0] ?? {};
    expect(d).toMatchObject({
      mode: "per_step",
      actual_memory_mb: 20000,
      per_step: {
        "0": { tuned_nthreads: 4, n_parallel: 2, ideal_n_parallel: 4, memory_source: "probe_peak" },
      },
    });
    const wu1 = join(submitDirOf(tmp.dir, wf), "mg_000001");
    expect(submitValue(join(wu1, "proc_000002.sub"), "request_memory")).toBe("20000");
    expect(oomHolds(wu1)).toBe(0);
    const r2 = result.perf?.rounds[1];
    expect(r2?.threadsLabel).toBe("per-step [2×4, 8, 8, 8, 8]");
    expect(r2?.peakMemoryMb).toBeLessThan(20000);
    const step1 = result.perf?.steps.find((s) => s.round === 2 && s.step === 1);
    expect([step1?.n, step1?.nJobs, step1?.nThreads]).toEqual([4, 2, 4]);
  });

  it("380.0: two pipelines per slot, every step at most 4 threads", async () => {
    const wf = entry(380.0);
    const result = await simRun(wf, tmp.dir);
    expect(result.status).toBe("passed");
    const wu1 = join(submitDirOf(tmp.dir, wf), "mg_000001");
    const tuned = JSON.parse(readFileSync(join(wu1, "manifest_tuned.json"), "utf8"));
    expect(tuned.n_pipelines).toBe(2);
    expect(tuned.steps.map((s: { multicore: number }) => s.multicore)).toEqual([4, 4, 4, 2, 1]);
    expect(result.perf?.rounds[1].threadsLabel).toBe("2 pipelines × [4, 4, 4, 2, 1]");
    expect(oomHolds(wu1)).toBe(0);
    expect(stepOneEvents([join(submitDirOf(tmp.dir, wf), "mg_000000"), wu1])).toBe(2 * 8 * 40);
  });
});
