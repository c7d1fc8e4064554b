import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { summarizeOutputs } from "../../src/matrix/output-summary.js";
import { lfnToPfn } from "../../src/planner/lfn.js";
import type { OutputDatasetPlan } from "../../src/planner/types.js";

const root = mkdtempSync(join(tmpdir(), "wms2-outputs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const submit = join(root, "submit");
const storage = join(root, "storage");

const GEN: OutputDatasetPlan = {
  datasetName: "/P/Era-Proc-v1/GEN-SIM",
  dataTier: "GEN-SIM",
  mergedLfnBase: "/store/mc/Era/P/GEN-SIM/Proc-v1",
  unmergedLfnBase: "/store/unmerged/Era/P/GEN-SIM/Proc-v1",
};
const AOD: OutputDatasetPlan = {
  datasetName: "/P/Era-Proc-v1/AODSIM",
  dataTier: "AODSIM",
  mergedLfnBase: "/store/mc/Era/P/AODSIM/Proc-v1",
  unmergedLfnBase: "/store/unmerged/Era/P/AODSIM/Proc-v1",
};

function put(lfn: string, bytes = 10): void {
  const p = lfnToPfn(storage, lfn);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, "x".repeat(bytes));
}

function mergeOutput(wu: string, files: { lfn: string; size: number; events?: number }[]): void {
  mkdirSync(join(submit, wu), { recursive: true });
  writeFileSync(
    join(submit, wu, "merge_output.json"),
    JSON.stringify({ datasets: { [GEN.datasetName]: { files } } }),
  );
}

describe("summarizeOutputs on a storage tree", () => {
  const a = `${GEN.mergedLfnBase}/000000/merged_a.root`;
  const b = `${GEN.mergedLfnBase}/000001/merged_b.root`;
  put(a);
  put(b);
  // Recorded sizes are the nominal ones from merge_output.json, not the bytes on disk.
  mergeOutput("mg_000000", [
    { lfn: a, size: 1000, events: 10 },
    { lfn: `${GEN.mergedLfnBase}/000000/gone.root`, size: 5000, events: 50 },
  ]);
  mergeOutput("mg_000001", [{ lfn: b, size: 2000, events: 20 }]);
  mkdirSync(join(submit, "mg_000002"), { recursive: true });
  writeFileSync(join(submit, "mg_000002", "merge_output.json"), "{ not json");
  for (const n of [0, 1, 2]) put(`${AOD.unmergedLfnBase}/000000/proc_${n}_out.root`);
  mkdirSync(lfnToPfn(storage, `${GEN.unmergedLfnBase}/000000`), { recursive: true });

  const s = summarizeOutputs(submit, ["mg_000000", "mg_000001", "mg_000002"], [GEN, AOD], storage);

  it("counts merged files on disk with the sizes and events the merges recorded", () => {
    expect(s.datasets[0]).toEqual({
      datasetName: GEN.datasetName,
      mergedFiles: 2,
      mergedBytes: 3000,
      mergedEvents: 30,
      unmergedLeft: 0,
    });
  });

  it("counts the unmerged files still present", () => {
    expect(s.datasets[1]).toEqual({
      datasetName: AOD.datasetName,
      mergedFiles: 0,
      mergedBytes: 0,
      mergedEvents: 0,
      unmergedLeft: 3,
    });
  });

  it("totals over datasets", () => {
    expect(s.mergedFiles).toBe(2);
    expect(s.mergedBytes).toBe(3000);
    expect(s.unmergedCleaned).toBe(false);
  });

  it("an empty tree is all zeros and clean", () => {
    const e = summarizeOutputs(join(root, "nothing"), ["mg_000000"], [GEN], join(root, "none"));
    expect(e).toEqual({
      mergedFiles: 0,
      mergedBytes: 0,
      unmergedCleaned: true,
      datasets: [
        {
          datasetName: GEN.datasetName,
          mergedFiles: 0,
          mergedBytes: 0,
          mergedEvents: 0,
          unmergedLeft: 0,
        },
      ],
    });
  });
});

describe("events of merged files the merges did not record", () => {
  const sub = join(root, "submit2");
  const se = join(root, "storage2");
  for (const [wu, gen, aod] of [
    ["mg_000000", 8, 40],
    ["mg_000001", 2, 10],
  ] as const) {
    mkdirSync(join(sub, wu), { recursive: true });
    writeFileSync(
      join(sub, wu, "work_unit_metrics.json"),
      JSON.stringify({
        per_step: {
          "1": { events_written: { total: gen } },
          "2": { events_written: { total: aod } },
        },
      }),
    );
  }
  const p = lfnToPfn(se, `${AOD.mergedLfnBase}/000000/merged.root`);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, "x");

  it("take the events the producing step wrote, summed over work units, when files exist", () => {
    const s = summarizeOutputs(sub, ["mg_000000", "mg_000001"], [GEN, AOD], se, [
      "GEN-SIM",
      "AODSIM",
    ]);
    expect(s.datasets.map((d) => [d.mergedFiles, d.mergedEvents])).toEqual([
      [0, 0],
      [1, 50],
    ]);
  });
});
