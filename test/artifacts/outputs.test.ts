import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  procOutputsFromReports,
  readProcOutputs,
  syntheticProcOutputs,
  tierFromFileName,
  writeProcOutputs,
} from "../../src/artifacts/outputs.js";
import { isNanoTier, tierFromModuleLabel, tierMatches } from "../../src/artifacts/tier.js";
import { stepReport, tempDir, thrown } from "./helpers.js";

describe("tiers", () => {
  it("derives the tier from the output module label", () => {
    expect(tierFromModuleLabel("MINIAODSIM1output")).toBe("MINIAODSIM1");
    expect(tierFromModuleLabel("LHEoutput")).toBe("LHE");
    expect(tierFromModuleLabel("AODSIMOutput")).toBe("AODSIM");
    expect(tierFromModuleLabel("Merged")).toBe("Merged");
  });

  it.each([
    ["AODSIM", "AODSIM", true, "exact"],
    ["NANOEDMAODSIM1", "NANOAODSIM", true, "EDM deleted and trailing digits stripped"],
    ["MINIAODSIM1", "MINIAODSIM", true, "trailing digit"],
    ["miniaodsim", "MINIAODSIM", true, "case"],
    ["GEN-SIM", "GEN-SIM-DIGI", false, "contained but 5 longer"],
    ["RAWSIM", "GEN-SIM-RAWSIM", false, "contained but 8 longer"],
    ["DIGI", "DIGIRAW", true, "contained, 3 longer"],
    ["AODSIM", "MINIAODSIM", false, "contained but 4 longer"],
    ["AODSIM", "NANOAODSIM", false, "contained but 4 longer"],
    [
      "NANOAODSIM",
      "NANOEDMAODSIM",
      false,
      "EDM is deleted from the file tier only; 3 longer but not contained",
    ],
    ["DQMIO", "AODSIM", false, "unrelated"],
    ["", "LHE", false, "empty file tier"],
  ])("%s vs %s → %s (%s)", (file, ds, want) => {
    expect(tierMatches(file, ds)).toBe(want);
  });

  it("recognises NANO tiers", () => {
    expect(isNanoTier("NANOAODSIM")).toBe(true);
    expect(isNanoTier("MINIAODSIM")).toBe(false);
  });
});

describe("proc_<N>_outputs.json", () => {
  const reports = [
    {
      stepIndex: 0,
      report: stepReport({
        wall: 1,
        cpu: 1,
        threads: 1,
        events: 1,
        label: "LHEoutput",
        pfn: "file:step1_LHE.root",
      }),
    },
    {
      stepIndex: 2,
      report: stepReport({
        wall: 1,
        cpu: 1,
        threads: 1,
        events: 1,
        label: "MINIAODSIM1output",
        pfn: "file:/w/step3_mini.root",
      }),
    },
  ];

  it("maps files by report PFN, by name, or to unknown", () => {
    const out = procOutputsFromReports(
      7,
      [
        { name: "step1_LHE.root", sizeBytes: 10 },
        { name: "step3_mini.root", sizeBytes: 30 },
        { name: "pipe1_step3_mini.root", sizeBytes: 31 },
        { name: "step2_AODSIM.root" },
        { name: "step4_NANOAODSIM_output.root" },
        { name: "other.root" },
      ],
      reports,
    );
    expect(out).toEqual({
      "proc_7_step1_LHE.root": { tier: "LHE", step_index: 0, size_bytes: 10 },
      "proc_7_step3_mini.root": { tier: "MINIAODSIM1", step_index: 2, size_bytes: 30 },
      "proc_7_pipe1_step3_mini.root": { tier: "MINIAODSIM1", step_index: 2, size_bytes: 31 },
      "proc_7_step2_AODSIM.root": { tier: "AODSIM", step_index: 1 },
      "proc_7_step4_NANOAODSIM_output.root": { tier: "NANOAODSIM", step_index: 3 },
      "proc_7_other.root": { tier: "unknown", step_index: -1 },
    });
  });

  it("parses step<K>_<TIER>.root names", () => {
    expect(tierFromFileName("step12_GEN-SIM.root")).toEqual({ tier: "GEN-SIM", stepIndex: 11 });
    expect(tierFromFileName("output.root")).toEqual({ tier: "unknown", stepIndex: -1 });
  });

  it("writes the synthetic form and reads the legacy string form", () => {
    expect(syntheticProcOutputs(3, "GEN-SIM")).toEqual({
      "proc_3_output.root": { tier: "GEN-SIM", step_index: -1 },
    });
    const d = tempDir();
    const file = join(d, "proc_3_outputs.json");
    writeFileSync(file, JSON.stringify({ "proc_3_output.root": "AODSIM" }));
    expect(readProcOutputs(file)).toEqual({
      "proc_3_output.root": { tier: "AODSIM", step_index: -1 },
    });
    const out = procOutputsFromReports(3, [{ name: "step1_LHE.root", sizeBytes: 5 }], reports);
    writeProcOutputs(file, out);
    expect(readProcOutputs(file)).toEqual(out);
  });

  it("names the file and entry of a bad value", () => {
    const d = tempDir();
    const file = join(d, "proc_3_outputs.json");
    writeFileSync(file, JSON.stringify({ "a.root": { tier: "AODSIM", step_index: "x" } }));
    expect(thrown(() => readProcOutputs(file)).message).toMatch(
      /proc_3_outputs\.json: field a\.root\.step_index: /,
    );
  });
});
