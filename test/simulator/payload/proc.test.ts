import { describe, expect, it } from "vitest";
import { PROC_STAGE_IN_SEC, procModel } from "../../../simulator/payload/proc.js";
import { InputError } from "../../../src/model/errors.js";
import {
  GROUP,
  jobCtx,
  outputInfo,
  procSubmitText,
  readJson,
  runJob,
  seedGroup,
  simManifest,
  step,
  unmergedDir,
  writeJson,
} from "./helpers.js";

type Json = Record<string, unknown>;
const proc = procModel();
const W1 = 5 / 5.9; // GEN, 8 threads, 100 events
const W2 = 3 / 7.3; // DIGI/RECO, 8 threads, 100 events

describe("processing wrapper, simulator mode", () => {
  it("plans the job: stage-in, the three steps, stage-out, with the memory held per step", () => {
    const fs = seedGroup({ events: 100 });
    const plan = proc(jobCtx(fs, "proc_000000"));
    expect(plan.exitCode).toBe(0);
    expect(plan.durationSec).toBeCloseTo(5 + W1 + 2 * W2 + 5, 9);
    const timeline = "timeline" in plan.memory! ? plan.memory.timeline : [];
    expect(timeline.map((p) => p.mb)).toEqual([50, 3500, 4200, 50]);
    expect(timeline[1].atSec).toBe(PROC_STAGE_IN_SEC);
    expect(timeline[2].atSec).toBeCloseTo(5 + W1, 12);
    expect(timeline[3].atSec).toBeCloseTo(5 + W1 + 2 * W2, 12);
    expect(plan.rssMb).toBe(4200);
    expect(plan.cpu!.map((s) => s.cores)).toEqual([5.9, 7.3].map((c) => expect.closeTo(c, 9)));
    expect(plan.cpu![0].start).toBe(5);
  });

  it("writes metrics from the parsed FJRs, the cgroup record, outputs and the staged file", () => {
    const fs = seedGroup({ events: 100 });
    const ctx = jobCtx(fs, "proc_000000");
    const plan = runJob(proc, ctx);
    const side = unmergedDir("GEN-SIM");
    const metrics = readJson<Json[]>(fs, `${side}/proc_0_metrics.json`);
    expect(metrics.map((m) => m.step)).toEqual([1, 2, 3]);
    expect(metrics[0]).toMatchObject({
      step_index: 0,
      wall_time_sec: 0.85,
      cpu_time_sec: 5,
      num_threads: 8,
      cpu_efficiency: 0.7375,
      peak_rss_mb: 3500,
      peak_vsize_mb: 4200,
      events_processed: 100,
      events_written: 100,
      throughput_ev_s: 118,
      read_mb: 0,
      write_mb: 4.88,
      ncpus: 8,
      cgroup_memory_mb: 4200,
    });
    expect(metrics[1]).toMatchObject({ cpu_efficiency: 0.9125, read_mb: 4.88, write_mb: 2.93 });
    expect(readJson(fs, `${side}/proc_0_cgroup.json`)).toEqual({
      peak_anon_mb: 4200,
      peak_shmem_mb: 0,
      peak_nonreclaim_mb: 4200,
      tmpfs_peak_nonreclaim_mb: 0,
      no_tmpfs_peak_anon_mb: 4200,
      num_samples: Math.ceil(plan.durationSec / 2),
      gridpack_disk_mb: 0,
    });
    expect(readJson(fs, `${side}/proc_0_outputs.json`)).toEqual({
      "proc_0_step3_RECO.root": { tier: "RECO", step_index: 2, size_bytes: 2048000 },
    });
    // Only the kept step (RECO) is staged, under its own dataset's unmerged block dir.
    expect(fs.list(unmergedDir("RECO"))).toEqual(["proc_0_step3_RECO.root"]);
    expect(fs.readText(`${unmergedDir("RECO")}/proc_0_step3_RECO.root`)).toContain(
      "size_bytes=2048000",
    );
    expect(fs.list(unmergedDir("DIGI"))).toEqual([]);
    const out = fs.readText(`${GROUP}/proc_000000.out`).split("\n");
    expect(out[1]).toBe("Step 1: wall=0.85s cpu_eff=0.7375 rss=3500MB events=100");
    expect(out[3]).toBe("Step 3: wall=0.41s cpu_eff=0.9125 rss=4200MB events=100");
    expect(fs.readText(`${GROUP}/proc_000000.err`)).toBe("");
  });

  it("uses --ncpus for the threads unless the tuned manifest is listed", () => {
    const fs = seedGroup({ events: 100 });
    fs.writeText(`${GROUP}/proc_000000.sub`, procSubmitText(0, { events: 100, ncpus: 4 }));
    runJob(proc, jobCtx(fs, "proc_000000"));
    const m = readJson<Json[]>(fs, `${unmergedDir("GEN-SIM")}/proc_0_metrics.json`);
    expect(m.map((e) => [e.num_threads, e.ncpus, e.cpu_efficiency])).toEqual([
      [4, 8, 0.775],
      [4, 8, 0.925],
      [4, 8, 0.925],
    ]);
  });

  it("runs step-0 instances from the tuned manifest: memory adds up, one FJR each", () => {
    const tuned = simManifest([
      step("GEN", { multicore: 4, n_parallel: 2 }),
      step("DIGI"),
      step("RECO"),
    ]);
    const fs = seedGroup({ events: 100 });
    writeJson(fs, `${GROUP}/manifest_tuned.json`, tuned);
    fs.writeText(`${GROUP}/proc_000000.sub`, procSubmitText(0, { events: 100, tuned: true }));
    const plan = runJob(proc, jobCtx(fs, "proc_000000"));
    const timeline = "timeline" in plan.memory! ? plan.memory.timeline : [];
    expect(timeline.map((p) => p.mb)).toEqual([50, 5000, 4200, 50]);
    expect(plan.cpu![0].cores).toBeCloseTo(6.2, 9);
    const m = readJson<Json[]>(fs, `${unmergedDir("GEN-SIM")}/proc_0_metrics.json`);
    expect(m.map((e) => [e.step, e.num_threads, e.ncpus, e.events_processed])).toEqual([
      [1, 4, 4, 50],
      [1, 4, 4, 50],
      [2, 8, 8, 100],
      [3, 8, 8, 100],
    ]);
    expect(m[0].cgroup_memory_mb).toBe(5000);
  });

  it("runs pipelines: pipeline FJRs and pipeN_ outputs", () => {
    const tuned = simManifest(
      [
        step("GEN", { multicore: 4 }),
        step("DIGI", { multicore: 4 }),
        step("RECO", { multicore: 4 }),
      ],
      { n_pipelines: 2 },
    );
    const fs = seedGroup({ events: 100 });
    writeJson(fs, `${GROUP}/manifest_tuned.json`, tuned);
    fs.writeText(`${GROUP}/proc_000000.sub`, procSubmitText(0, { events: 100, tuned: true }));
    const plan = runJob(proc, jobCtx(fs, "proc_000000"));
    const side = unmergedDir("GEN-SIM");
    const m = readJson<Json[]>(fs, `${side}/proc_0_metrics.json`);
    expect(m.map((e) => [e.step, e.events_processed])).toEqual([
      [1, 50],
      [1, 50],
      [2, 50],
      [2, 50],
      [3, 50],
      [3, 50],
    ]);
    expect(readJson(fs, `${side}/proc_0_outputs.json`)).toEqual({
      "proc_0_pipe0_step3_RECO.root": { tier: "RECO", step_index: 2, size_bytes: 1024000 },
      "proc_0_pipe1_step3_RECO.root": { tier: "RECO", step_index: 2, size_bytes: 1024000 },
    });
    const timeline = "timeline" in plan.memory! ? plan.memory.timeline : [];
    expect(Math.max(...timeline.map((p) => p.mb))).toBe(2 * (1800 + 4 * 300));
  });

  it("puts tmpfs into the cgroup during step 0 with split_tmpfs", () => {
    const steps = [step("GEN", { tmpfs_mb: 1000, subprocess_memory_mb: 500 }), step("RECO")];
    for (const split of [true, false]) {
      const fs = seedGroup({ events: 100, manifest: simManifest(steps, { split_tmpfs: split }) });
      runJob(proc, jobCtx(fs, "proc_000000"));
      const cg = readJson(fs, `${unmergedDir("GEN-SIM")}/proc_0_cgroup.json`);
      expect(cg).toMatchObject(
        split
          ? {
              peak_shmem_mb: 1000,
              peak_anon_mb: 4200,
              peak_nonreclaim_mb: 5000,
              tmpfs_peak_nonreclaim_mb: 5000,
              no_tmpfs_peak_anon_mb: 4200,
              gridpack_disk_mb: 1000,
            }
          : {
              peak_shmem_mb: 0,
              peak_anon_mb: 4200,
              peak_nonreclaim_mb: 4200,
              tmpfs_peak_nonreclaim_mb: 0,
              no_tmpfs_peak_anon_mb: 4200,
              gridpack_disk_mb: 1000,
            },
      );
    }
  });

  it("exits 80 without staging anything when step 1 wrote no events", () => {
    const manifest = simManifest([step("GEN", { filter_efficiency: 0.001 }), step("RECO")]);
    const fs = seedGroup({ events: 100, manifest });
    const plan = runJob(proc, jobCtx(fs, "proc_000000"));
    expect(plan.exitCode).toBe(80);
    expect(plan.durationSec).toBeCloseTo(5 + W1, 9);
    expect(fs.exists(unmergedDir("GEN-SIM"))).toBe(false);
    expect(fs.readText(`${GROUP}/proc_000000.err`)).toContain("step 1 wrote 0 events");
  });

  it("gives the same artifacts for the same seed with noise", () => {
    const manifest = simManifest([step("GEN", { noise: 0.2 }), step("RECO", { noise: 0.2 })]);
    const texts = [1, 2].map(() => {
      const fs = seedGroup({ events: 100, manifest });
      runJob(proc, jobCtx(fs, "proc_000000"));
      return fs.readText(`${unmergedDir("GEN-SIM")}/proc_0_metrics.json`);
    });
    expect(texts[0]).toBe(texts[1]);
    expect(JSON.parse(texts[0])[0].wall_time_sec).not.toBe(0.85);
  });

  it("fails with exit 1 when the manifest is missing, and rejects a bad command line", () => {
    const fs = seedGroup();
    fs.remove(`${GROUP}/manifest.json`);
    const plan = runJob(proc, jobCtx(fs, "proc_000000"));
    expect(plan.exitCode).toBe(1);
    expect(fs.readText(`${GROUP}/proc_000000.err`)).toContain("manifest.json");
    const ctx = jobCtx(seedGroup(), "proc_000000", { argv: ["--ncpus", "8"] });
    expect(() => proc(ctx)).toThrow(InputError);
    expect(() => proc(ctx)).toThrow(
      "mg_000000/proc_000000.sub: field arguments: the processing wrapper needs --node-index",
    );
  });
});

describe("processing wrapper, synthetic mode", () => {
  it("sleeps min(10 s, events × time) and stages one output of the first dataset's tier", () => {
    const manifest = {
      mode: "synthetic",
      size_per_event_kb: 50,
      time_per_event_sec: 0.05,
      memory_mb: 2000,
      output_tiers: ["GEN-SIM"],
    };
    const fs = seedGroup({ events: 100, manifest, info: outputInfo(["GEN-SIM"]) });
    const plan = runJob(proc, jobCtx(fs, "proc_000001"));
    expect(plan.durationSec).toBe(5 + 5 + 5);
    expect(readJson(fs, `${unmergedDir("GEN-SIM")}/proc_1_outputs.json`)).toEqual({
      "proc_1_output.root": { tier: "GEN-SIM", step_index: -1, size_bytes: 5000 * 1024 },
    });
    // One "step" with the sleep as wall time, so synthetic runs have performance samples.
    const metrics = readJson<Record<string, unknown>[]>(
      fs,
      `${unmergedDir("GEN-SIM")}/proc_1_metrics.json`,
    );
    expect(metrics).toHaveLength(1);
    expect(metrics[0]).toMatchObject({
      step: 1,
      wall_time_sec: 5,
      cpu_time_sec: 0.1,
      num_threads: 1,
      cpu_efficiency: 0.02,
      events_processed: 100,
      throughput_ev_s: 20,
    });
    expect(fs.readText(`${GROUP}/proc_000001.out`)).toBe(
      "Step 1: wall=5s cpu_eff=None rss=None events=100\n",
    );
  });
});
