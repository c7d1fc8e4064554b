import { describe, expect, it } from "vitest";
import type { MemFs } from "../../../simulator/fs.js";
import { cleanupModel } from "../../../simulator/payload/cleanup.js";
import { parseStandIn } from "../../../simulator/payload/job-io.js";
import {
  MERGE_OVERHEAD_SEC,
  MERGE_RATE_BYTES_PER_SEC,
  mergeModel,
} from "../../../simulator/payload/merge.js";
import { procModel } from "../../../simulator/payload/proc.js";
import { adler32 } from "../../../src/artifacts/adler32.js";
import {
  GROUP,
  jobCtx,
  mergedDir,
  outputInfo,
  PFX,
  rand,
  readJson,
  runJob,
  seedGroup,
  simManifest,
  step,
  unmergedDir,
} from "./helpers.js";

type Json = Record<string, unknown>;

const MERGE_SUB = [
  "executable = ../wms2_merge.sh",
  "arguments = --sandbox sandbox.tar.gz --output-info output_info.json",
  "output = merge.out",
  "error = merge.err",
  "transfer_input_files = output_info.json,manifest.json",
  "transfer_output_files = merge_output.json,work_unit_metrics.json,cleanup_manifest.json",
  "queue 1",
  "",
].join("\n");

const CLEANUP_SUB = [
  "executable = ../wms2_cleanup.sh",
  "arguments = --output-info output_info.json",
  "output = cleanup.out",
  "error = cleanup.err",
  "transfer_input_files = output_info.json,cleanup_manifest.json",
  "queue 1",
  "",
].join("\n");

/** A work unit whose `procs` processing jobs (100 events each) have run. */
function afterProcs(opts: { manifest?: Json; info?: Json; procs?: number } = {}): MemFs {
  const fs = seedGroup({ events: 100, procs: opts.procs ?? 2, ...opts });
  for (let n = 0; n < (opts.procs ?? 2); n++) {
    runJob(procModel(), jobCtx(fs, `proc_${String(n).padStart(6, "0")}`));
  }
  fs.writeText(`${GROUP}/merge.sub`, MERGE_SUB);
  fs.writeText(`${GROUP}/cleanup.sub`, CLEANUP_SUB);
  return fs;
}

const RECO_BYTES = 100 * 20 * 1024;

describe("merge", () => {
  it("merges the staged files of the matching tier and writes the three declared outputs", () => {
    const fs = afterProcs();
    const plan = runJob(mergeModel(), jobCtx(fs, "merge", { rand: rand("merge") }));
    expect(plan.durationSec).toBeCloseTo(
      MERGE_OVERHEAD_SEC + (2 * RECO_BYTES) / MERGE_RATE_BYTES_PER_SEC,
      12,
    );
    for (const f of ["merge_output.json", "work_unit_metrics.json", "cleanup_manifest.json"]) {
      expect(fs.exists(`${GROUP}/${f}`)).toBe(true);
    }
    const out = readJson<{ site: string; datasets: Record<string, { files: Json[] }> }>(
      fs,
      `${GROUP}/merge_output.json`,
    );
    expect(out.site).toBe("local");
    expect(Object.keys(out.datasets)).toEqual(["/TestPrimary/Test-v1/RECO"]);
    const [file] = out.datasets["/TestPrimary/Test-v1/RECO"].files;
    expect(file.lfn).toMatch(
      /^\/store\/mc\/Test\/TestPrimary\/RECO\/v1\/000000\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.root$/,
    );
    expect(file.size).toBe(2 * RECO_BYTES);
    const pfn = `${PFX}${file.lfn}`;
    const text = fs.readText(pfn);
    expect(file.adler32).toBe(adler32(text));
    expect(parseStandIn(text, pfn)).toEqual({
      sizeBytes: 2 * RECO_BYTES,
      events: 200,
      tier: "RECO",
    });

    const wu = readJson<Json & { per_step: Record<string, Json>; cgroup: Json }>(
      fs,
      `${GROUP}/work_unit_metrics.json`,
    );
    expect(wu.num_proc_jobs).toBe(2);
    expect(Object.keys(wu.per_step)).toEqual(["1", "2", "3"]);
    expect(wu.per_step["1"].events_processed).toEqual({ min: 100, max: 100, total: 200 });
    expect(wu.per_step["1"].cpu_efficiency).toEqual({ min: 0.7375, max: 0.7375, mean: 0.7375 });
    expect(wu.cgroup).toMatchObject({ peak_anon_mb: 4200, num_jobs: 2 });
    expect(readJson(fs, `${GROUP}/cleanup_manifest.json`)).toEqual({
      unmerged_dirs: ["DIGI", "GEN-SIM", "RECO"].map(
        (t) => `/store/unmerged/Test/TestPrimary/${t}/v1/000000`,
      ),
      stageout_mode: "local",
    });
  });

  it("merges the staged files named in side files that are still in the block directory", () => {
    const fs = afterProcs({ procs: 3 });
    const block = unmergedDir("RECO");
    const staged = fs.list(block).filter((n) => n.endsWith(".root"));
    expect(staged).toHaveLength(3);
    fs.remove(`${block}/${staged[1]}`); // lost before the merge ran
    fs.writeText(`${block}/stray.root`, "named in no side file");
    const plan = runJob(mergeModel(), jobCtx(fs, "merge", { rand: rand("merge") }));
    expect(plan.exitCode).toBe(0);
    const out = readJson<{ datasets: Record<string, { files: Json[] }> }>(
      fs,
      `${GROUP}/merge_output.json`,
    );
    const [file] = out.datasets["/TestPrimary/Test-v1/RECO"].files;
    expect(file.size).toBe(2 * RECO_BYTES);
    expect(parseStandIn(fs.readText(`${PFX}${file.lfn}`), String(file.lfn)).events).toBe(200);
  });

  it("draws the merged names from the seed", () => {
    const names = ["a", "a", "b"].map((seed) => {
      const fs = afterProcs();
      runJob(mergeModel(), jobCtx(fs, "merge", { rand: rand(seed) }));
      return fs.list(mergedDir("RECO"))[0];
    });
    expect(names[0]).toBe(names[1]);
    expect(names[0]).not.toBe(names[2]);
  });

  it("copies oversized files keeping their names (no checksum in grid mode)", () => {
    for (const mode of ["local", "grid"] as const) {
      const info = outputInfo(undefined, { max_merge_size: RECO_BYTES, stageout_mode: mode });
      const fs = afterProcs({ info });
      runJob(mergeModel(), jobCtx(fs, "merge"));
      const out = readJson<{ site: string; datasets: Record<string, { files: Json[] }> }>(
        fs,
        `${GROUP}/merge_output.json`,
      );
      const files = out.datasets["/TestPrimary/Test-v1/RECO"].files;
      expect(files.map((f) => f.lfn)).toEqual(
        [0, 1].map((n) => `/store/mc/Test/TestPrimary/RECO/v1/000000/proc_${n}_step3_RECO.root`),
      );
      expect(files.map((f) => (f.adler32 as string).length)).toEqual(
        mode === "grid" ? [0, 0] : [8, 8],
      );
      expect(out.site).toBe(mode === "grid" ? "T2_CH_CERN" : "local");
    }
  });

  it("copies synthetic outputs keeping their names", () => {
    const manifest = {
      mode: "synthetic",
      size_per_event_kb: 1,
      time_per_event_sec: 0.01,
      memory_mb: 1000,
      output_tiers: ["GEN-SIM"],
    };
    const fs = afterProcs({ manifest, info: outputInfo(["GEN-SIM"]) });
    runJob(mergeModel(), jobCtx(fs, "merge"));
    expect(fs.list(mergedDir("GEN-SIM"))).toEqual(["proc_0_output.root", "proc_1_output.root"]);
    const wu = readJson<{
      num_proc_jobs: number;
      per_step: Record<string, { events_processed: { total: number } }>;
    }>(fs, `${GROUP}/work_unit_metrics.json`);
    expect(wu.num_proc_jobs).toBe(2);
    expect(wu.per_step["1"].events_processed.total).toBeGreaterThan(0);
    // the jobs' side files are brought into the work-unit directory before cleanup
    expect(fs.exists(`${GROUP}/proc_0_metrics.json`)).toBe(true);
  });

  it("merges every kept tier into its own dataset", () => {
    const manifest = simManifest([step("GEN", { keep_output: true }), step("RECO")]);
    const fs = afterProcs({ manifest, info: outputInfo(["GEN-SIM", "RECO"]) });
    runJob(mergeModel(), jobCtx(fs, "merge"));
    const out = readJson<{ datasets: Record<string, { data_tier: string; files: Json[] }> }>(
      fs,
      `${GROUP}/merge_output.json`,
    );
    expect(
      Object.values(out.datasets).map((d) => [d.data_tier, d.files.length, d.files[0].size]),
    ).toEqual([
      ["GEN-SIM", 1, 2 * 100 * 50 * 1024],
      ["RECO", 1, 2 * RECO_BYTES],
    ]);
  });

  it("fails with exit 1 when output_info.json is missing", () => {
    const fs = afterProcs();
    fs.remove(`${GROUP}/output_info.json`);
    const plan = runJob(mergeModel(), jobCtx(fs, "merge"));
    expect(plan.exitCode).toBe(1);
    expect(fs.exists(`${GROUP}/merge_output.json`)).toBe(false);
  });
});

describe("cleanup", () => {
  it("removes the unmerged block dirs the merge listed, leaving merged files", () => {
    const fs = afterProcs();
    runJob(mergeModel(), jobCtx(fs, "merge"));
    const plan = cleanupModel()(jobCtx(fs, "cleanup"));
    expect(plan.durationSec).toBe(2 + 3 * 0.5);
    expect(fs.exists(unmergedDir("RECO"))).toBe(true);
    plan.complete(plan.durationSec);
    for (const t of ["GEN-SIM", "DIGI", "RECO"]) expect(fs.exists(unmergedDir(t))).toBe(false);
    expect(fs.list(mergedDir("RECO"))).toHaveLength(1);
    expect(fs.readText(`${GROUP}/cleanup.out`)).toBe("wms2_cleanup: removed 2 of 3 dir(s)\n");
  });

  it("fails with exit 1 without cleanup_manifest.json", () => {
    const fs = afterProcs();
    const plan = runJob(cleanupModel(), jobCtx(fs, "cleanup"));
    expect(plan.exitCode).toBe(1);
    expect(fs.exists(unmergedDir("RECO"))).toBe(true);
  });
});
