import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemFs } from "../../simulator/fs.js";
import {
  readCgroupIn,
  readCleanupManifestIn,
  readOutputInfoIn,
  readPostViewIn,
  readProcMetricsIn,
  readProcOutputsIn,
} from "../../simulator/payload/artifact-files.js";
import { readManifestIn } from "../../simulator/payload/manifest.js";
import { parseCgroupRecord } from "../../src/artifacts/cgroup.js";
import { parseJsonText } from "../../src/artifacts/json-io.js";
import { parseCleanupManifest, readCleanupManifest } from "../../src/artifacts/merge-files.js";
import { parseOutputInfo, readOutputInfo } from "../../src/artifacts/output-info.js";
import { parseProcOutputs } from "../../src/artifacts/outputs.js";
import { parsePostRecordView } from "../../src/artifacts/post-record.js";
import { parseProcMetrics } from "../../src/artifacts/proc-metrics.js";
import { parseSandboxManifest } from "../../src/artifacts/sandbox-manifest.js";
import { escapeXml } from "../../src/model/xml.js";
import { tempDir, thrown } from "./helpers.js";

const INFO = {
  output_datasets: [
    {
      dataset_name: "/A/B/GEN-SIM",
      merged_lfn_base: "/store/mc/B/GEN-SIM",
      unmerged_lfn_base: "/store/unmerged/B/GEN-SIM",
      data_tier: "GEN-SIM",
    },
  ],
  local_pfn_prefix: "/data",
  stageout_mode: "local",
  group_index: 3,
  max_merge_size: 4000000000,
  proc_node_indices: [0, 1],
};

describe("parseJsonText", () => {
  it("parses, and validates when given a schema, with one-line errors naming the file", () => {
    expect(parseJsonText('{"a": 1}', "x.json")).toEqual({ a: 1 });
    expect(thrown(() => parseJsonText("{", "x.json")).message).toMatch(
      /^x\.json: invalid JSON: [^\n]+$/,
    );
    expect(thrown(() => parseOutputInfo("{}", "oi.json")).message).toMatch(
      /^oi\.json: field output_datasets: [^\n]+$/,
    );
  });
});

describe("text twins of the file readers", () => {
  it("read a file exactly as the file reader does", () => {
    const dir = tempDir();
    const file = join(dir, "output_info.json");
    writeFileSync(file, JSON.stringify(INFO));
    expect(parseOutputInfo(JSON.stringify(INFO), file)).toEqual(readOutputInfo(file));
    expect(parseOutputInfo(JSON.stringify(INFO), file).proc_node_indices).toEqual([0, 1]);
    const cleanup = { unmerged_dirs: ["/store/unmerged/B/GEN-SIM/000003"], stageout_mode: "grid" };
    writeFileSync(join(dir, "c.json"), JSON.stringify(cleanup));
    expect(parseCleanupManifest(JSON.stringify(cleanup), "c.json")).toEqual(
      readCleanupManifest(join(dir, "c.json")),
    );
  });

  it("fill defaults and legacy forms", () => {
    const cg = { peak_anon_mb: 10, peak_shmem_mb: 2, peak_nonreclaim_mb: 12 };
    const cgText = JSON.stringify({ ...cg, tmpfs_peak_nonreclaim_mb: 0, no_tmpfs_peak_anon_mb: 9 });
    expect(parseCgroupRecord(cgText, "c.json")).toMatchObject({
      num_samples: 0,
      gridpack_disk_mb: 0,
    });
    expect(parseProcOutputs('{"proc_1_a.root": "AODSIM"}', "o.json")).toEqual({
      "proc_1_a.root": { tier: "AODSIM", step_index: -1 },
    });
    const metrics = parseProcMetrics('[{"step": 2, "wall_time_sec": 5}]', "m.json");
    expect(metrics[0]).toMatchObject({ step: 2, step_index: 1, wall_time_sec: 5, ncpus: null });
  });

  it("read only the view of a POST record, with the site defaulting to unknown", () => {
    const text = JSON.stringify({
      final: true,
      job: { exit_code: 8021 },
      classification: { category: "data" },
    });
    expect(parsePostRecordView(text, "p.post.json")).toEqual({
      final: true,
      job: { exit_code: 8021, site: "unknown" },
      classification: { category: "data" },
    });
    const bad = text.replace('"data"', '"other"');
    expect(thrown(() => parsePostRecordView(bad, "p.post.json")).message).toMatch(
      /^p\.post\.json: field classification\.category: [^\n]+$/,
    );
  });

  it("the artifact manifest needs every simulator step key, the simulated wrapper does not", () => {
    const text = JSON.stringify({ mode: "simulator", steps: [{ name: "GEN-SIM", multicore: 4 }] });
    expect(thrown(() => parseSandboxManifest(text, "manifest.json")).message).toMatch(
      /^manifest\.json: field steps\[0\]\.serial_fraction: /,
    );
    const fs = new MemFs();
    fs.writeText("/w/manifest.json", text);
    const m = readManifestIn(fs, "/w/manifest.json");
    expect(m.mode === "simulator" && m.steps[0].multicore).toBe(4);
    fs.writeText("/w/bad.json", text.replace('"multicore":4', '"multicore":0'));
    expect(thrown(() => readManifestIn(fs, "/w/bad.json")).message).toMatch(
      /^\/w\/bad\.json: field steps\[0\]\.multicore: /,
    );
  });
});

describe("simulator readers through SimFs", () => {
  it("use the artifact parsers and name a missing file", () => {
    const fs = new MemFs();
    fs.writeText("/g/output_info.json", JSON.stringify(INFO));
    expect(readOutputInfoIn(fs, "/g/output_info.json")).toEqual(
      parseOutputInfo(JSON.stringify(INFO), "x"),
    );
    fs.writeText("/g/proc_0_metrics.json", '[{"step": 1, "step_index": 0}]');
    expect(readProcMetricsIn(fs, "/g/proc_0_metrics.json")[0].wall_time_sec).toBeNull();
    fs.writeText("/g/proc_0_outputs.json", '{"proc_0_x.root": {"tier": "RAW", "step_index": 0}}');
    expect(
      new Map(readProcOutputsIn(fs, "/g/proc_0_outputs.json")).get("proc_0_x.root")?.tier,
    ).toBe("RAW");
    // A listed file, by its directory and name, reads the same and is named the same.
    const listed = { dir: "/g", name: "proc_0_metrics.json" };
    expect(readProcMetricsIn(fs, listed)).toEqual(readProcMetricsIn(fs, "/g/proc_0_metrics.json"));
    expect(thrown(() => readCgroupIn(fs, { dir: "/g", name: "proc_0_cgroup.json" })).message).toBe(
      "/g/proc_0_cgroup.json: file not found",
    );
    fs.writeText("/g/bad_cgroup.json", '{"peak_anon_mb": -1}');
    expect(thrown(() => readCgroupIn(fs, { dir: "/g", name: "bad_cgroup.json" })).message).toMatch(
      /^\/g\/bad_cgroup\.json: field peak_anon_mb: [^\n]+$/,
    );
    expect(thrown(() => readCgroupIn(fs, "/g/bad_cgroup.json")).message).toMatch(
      /^\/g\/bad_cgroup\.json: field peak_anon_mb: [^\n]+$/,
    );
    expect(thrown(() => readCleanupManifestIn(fs, "/g/cleanup_manifest.json")).message).toBe(
      "/g/cleanup_manifest.json: file not found",
    );
    expect(thrown(() => readPostViewIn(fs, "/g/proc_000000.post.json")).message).toBe(
      "/g/proc_000000.post.json: file not found",
    );
  });
});

describe("escapeXml", () => {
  it("replaces the four XML specials", () => {
    expect(escapeXml(`a<b & "c">`)).toBe("a&lt;b &amp; &quot;c&quot;&gt;");
  });
});
