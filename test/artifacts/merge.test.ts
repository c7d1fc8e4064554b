import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { adler32, adler32File } from "../../src/artifacts/adler32.js";
import {
  cleanupManifest,
  mergeOutput,
  readCleanupManifest,
  readMergeOutput,
  writeCleanupManifest,
  writeMergeOutput,
} from "../../src/artifacts/merge-files.js";
import { type MergeInputFile, planMerge } from "../../src/artifacts/merge-plan.js";
import { tempDir, thrown } from "./helpers.js";

describe("adler32", () => {
  // Expected values from zlib.adler32.
  it("matches zlib", () => {
    expect(adler32("Wikipedia")).toBe("11e60398");
    expect(adler32(new Uint8Array(0))).toBe("00000001");
    expect(adler32(new Uint8Array(100000).fill(255))).toBe("149a302c");
    const bytes = Uint8Array.from({ length: 70000 }, (_, i) => i % 251);
    expect(adler32(bytes)).toBe("4ee37ee9");
  });

  it("streams a file to the same value", async () => {
    const d = tempDir();
    const file = join(d, "f.root");
    writeFileSync(file, Buffer.alloc(100000, 255));
    expect(await adler32File(file)).toBe("149a302c");
  });
});

const MB = 1_000_000;
const f = (lfn: string, tier: string, mb: number): MergeInputFile => ({
  lfn,
  tier,
  sizeBytes: mb * MB,
});
const datasets = [
  { dataset_name: "/P/E-P-v1/AODSIM", data_tier: "AODSIM" },
  { dataset_name: "/P/E-P-v1/NANOAODSIM", data_tier: "NANOAODSIM" },
];

describe("planMerge", () => {
  it("batches greedily up to the maximum and copies batches of one", () => {
    const files = [
      f("a", "AODSIM", 40),
      f("b", "AODSIM", 50),
      f("c", "AODSIM", 30),
      f("d", "AODSIM", 60),
    ];
    const plan = planMerge(files, datasets.slice(0, 1), 100 * MB, "local");
    const ds = plan.datasets[0];
    expect(ds.mode).toBe("edm");
    // a+b = 90, adding c would pass 100; c+d = 90 fit together
    expect(ds.batches.map((b) => b.map((x) => x.lfn))).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(ds.copied).toEqual([]);
    const plan2 = planMerge(
      [...files, f("e", "AODSIM", 20)],
      datasets.slice(0, 1),
      100 * MB,
      "local",
    );
    expect(plan2.datasets[0].batches.map((b) => b.map((x) => x.lfn))).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(plan2.datasets[0].copied.map((x) => x.lfn)).toEqual(["e"]);
  });

  it("grid mode copies each file at or above 0.75 of the maximum", () => {
    const files = [f("big", "AODSIM", 75), f("s1", "AODSIM", 10), f("s2", "AODSIM", 74.9)];
    const ds = planMerge(files, datasets.slice(0, 1), 100 * MB, "grid").datasets[0];
    expect(ds.copied.map((x) => x.lfn)).toEqual(["big"]);
    expect(ds.batches.map((b) => b.map((x) => x.lfn))).toEqual([["s1", "s2"]]);
  });

  it("local mode copies all files when their average reaches 0.75 of the maximum", () => {
    const over = planMerge(
      [f("x", "AODSIM", 90), f("y", "AODSIM", 60)],
      datasets.slice(0, 1),
      100 * MB,
      "local",
    );
    expect(over.datasets[0].copied.map((x) => x.lfn)).toEqual(["x", "y"]);
    expect(over.datasets[0].batches).toEqual([]);
    const under = planMerge(
      [f("x", "AODSIM", 80), f("y", "AODSIM", 60)],
      datasets.slice(0, 1),
      100 * MB,
      "local",
    );
    // average 70 < 75: nothing oversized, but 80 + 60 > 100 so two batches of one, both copied
    expect(under.datasets[0].copied.map((x) => x.lfn)).toEqual(["x", "y"]);
  });

  it("assigns files by tier matching and reports unmatched files", () => {
    const files = [
      f("n1", "NANOEDMAODSIM1", 1),
      f("n2", "NANOAODSIM", 1),
      f("a1", "AODSIM", 1),
      f("m", "MINIAODSIM", 1),
    ];
    const plan = planMerge(files, datasets, 100 * MB, "grid");
    expect(plan.datasets[0].copied.map((x) => x.lfn)).toEqual(["a1"]);
    expect(plan.datasets[1].mode).toBe("nano");
    expect(plan.datasets[1].batches.map((b) => b.map((x) => x.lfn))).toEqual([["n1", "n2"]]);
    expect(plan.unmatched.map((x) => x.lfn)).toEqual(["m"]);
  });
});

describe("merge_output.json and cleanup_manifest.json", () => {
  it("omits empty datasets and round-trips", () => {
    const out = mergeOutput(3, "T2_CH_CERN", {
      "/P/E-P-v1/AODSIM": {
        data_tier: "AODSIM",
        files: [
          { lfn: "/store/mc/E/P/AODSIM/P-v1/000003/u.root", size: 183500000, adler32: "0a1b2c3d" },
        ],
      },
      "/P/E-P-v1/NANOAODSIM": { data_tier: "NANOAODSIM", files: [] },
    });
    expect(Object.keys(out.datasets)).toEqual(["/P/E-P-v1/AODSIM"]);
    const d = tempDir();
    const file = join(d, "merge_output.json");
    writeMergeOutput(file, out);
    expect(readMergeOutput(file)).toEqual(out);
  });

  it("rejects a bad checksum with the field path", () => {
    const d = tempDir();
    const file = join(d, "merge_output.json");
    writeFileSync(
      file,
      JSON.stringify({
        group_index: 0,
        site: "local",
        datasets: {
          "/a/b-c-v1/T": { data_tier: "T", files: [{ lfn: "/x", size: 1, adler32: "ABC" }] },
        },
      }),
    );
    expect(thrown(() => readMergeOutput(file)).message).toBe(
      `${file}: field datasets./a/b-c-v1/T.files[0].adler32: adler32 must be 8 lowercase hex digits or empty`,
    );
  });

  it("lists the sorted unmerged block directories once", () => {
    const m = cleanupManifest(
      [
        "/store/unmerged/E/P/NANOAODSIM/P-v1",
        "/store/unmerged/E/P/AODSIM/P-v1/",
        "/store/unmerged/E/P/AODSIM/P-v1",
      ],
      12,
      "local",
    );
    expect(m).toEqual({
      unmerged_dirs: [
        "/store/unmerged/E/P/AODSIM/P-v1/000012",
        "/store/unmerged/E/P/NANOAODSIM/P-v1/000012",
      ],
      stageout_mode: "local",
    });
    const d = tempDir();
    const file = join(d, "cleanup_manifest.json");
    writeCleanupManifest(file, m);
    expect(readCleanupManifest(file)).toEqual(m);
    writeFileSync(file, JSON.stringify({ unmerged_dirs: [], stageout_mode: "test" }));
    expect(thrown(() => readCleanupManifest(file)).message).toMatch(
      /cleanup_manifest\.json: field stageout_mode: /,
    );
  });
});
