import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type OutputInfo,
  readOutputInfo,
  stageoutModeFor,
  writeOutputInfo,
} from "../../src/artifacts/output-info.js";
import {
  readSandboxManifest,
  type SandboxManifest,
  stepMulticore,
  writeSandboxManifest,
} from "../../src/artifacts/sandbox-manifest.js";
import { InputError } from "../../src/model/errors.js";
import { tempDir, thrown } from "./helpers.js";

const simStep = {
  name: "GEN-SIM",
  serial_fraction: 0.3,
  base_memory_mb: 1500,
  marginal_per_thread_mb: 250,
  wall_sec_per_event: 0.05,
  output_size_per_event_kb: 50,
  multicore: 8,
  output_module: "RAWSIMoutput",
  data_tier: "GEN-SIM",
  keep_output: false,
};

function roundTrip(m: SandboxManifest): SandboxManifest {
  const file = join(tempDir(), "manifest.json");
  writeSandboxManifest(file, m);
  return readSandboxManifest(file);
}

describe("sandbox manifest", () => {
  it("reads the three modes and keeps tuning and unknown keys", () => {
    const synthetic: SandboxManifest = {
      mode: "synthetic",
      size_per_event_kb: 50,
      time_per_event_sec: 0.1,
      memory_mb: 2000,
      output_tiers: ["GEN-SIM"],
    };
    expect(roundTrip(synthetic)).toEqual(synthetic);
    expect(stepMulticore(synthetic)).toEqual([]);
    const sim: SandboxManifest = {
      mode: "simulator",
      steps: [
        { ...simStep, n_parallel: 2 },
        { ...simStep, name: "DIGI", multicore: 4 },
      ],
      n_pipelines: 2,
      split_tmpfs: true,
      extra_note: "kept",
    };
    expect(roundTrip(sim)).toEqual(sim);
    expect(stepMulticore(sim)).toEqual([8, 4]);
    const cmssw: SandboxManifest = {
      mode: "cmssw",
      request_name: "req",
      steps: [
        {
          name: "GEN",
          cmssw_version: "CMSSW_13_0_10",
          pset: "steps/step1/cfg.py",
          multicore: 2,
          mc_pileup: null,
        },
        { name: "DIGI", multicore: 8, input_step: "GEN", input_from_output_module: "RAWSIMoutput" },
      ],
    };
    expect(roundTrip(cmssw)).toEqual(cmssw);
    expect(stepMulticore(cmssw)).toEqual([2, 8]);
  });

  it("defaults a cmssw step's multicore to 1 and reads the legacy single-step form", () => {
    const file = join(tempDir(), "manifest_tuned.json");
    writeFileSync(file, JSON.stringify({ mode: "cmssw", steps: [{ name: "A" }] }));
    expect(stepMulticore(readSandboxManifest(file))).toEqual([1]);
    writeFileSync(
      file,
      JSON.stringify({
        mode: "cmssw",
        cmssw_version: "CMSSW_7_4_2",
        multicore: 4,
        memory_mb: 8000,
      }),
    );
    expect(stepMulticore(readSandboxManifest(file))).toEqual([4]);
  });

  it("names file and field of an invalid manifest", () => {
    const file = join(tempDir(), "manifest.json");
    writeFileSync(
      file,
      JSON.stringify({ mode: "simulator", steps: [simStep, { ...simStep, multicore: 0 }] }),
    );
    const err = thrown(() => readSandboxManifest(file));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/manifest\.json: field steps\[1\]\.multicore: /);
    writeFileSync(file, JSON.stringify({ mode: "docker" }));
    expect(thrown(() => readSandboxManifest(file)).message).toMatch(/manifest\.json: field mode: /);
    writeFileSync(
      file,
      JSON.stringify({
        mode: "synthetic",
        size_per_event_kb: 1,
        time_per_event_sec: 1,
        memory_mb: 1,
      }),
    );
    expect(thrown(() => readSandboxManifest(file)).message).toMatch(/field output_tiers: /);
  });
});

describe("output_info.json", () => {
  const info: OutputInfo = {
    output_datasets: [
      {
        dataset_name: "/P/Era-Proc-v1/AODSIM",
        merged_lfn_base: "/store/mc/Era/P/AODSIM/Proc-v1",
        unmerged_lfn_base: "/store/unmerged/Era/P/AODSIM/Proc-v1",
        data_tier: "AODSIM",
      },
    ],
    local_pfn_prefix: "/data",
    stageout_mode: "local",
    group_index: 0,
    max_merge_size: 4294967296,
    proc_node_indices: [0, 1],
  };

  it("round-trips", () => {
    const file = join(tempDir(), "output_info.json");
    writeOutputInfo(file, info);
    expect(readOutputInfo(file)).toEqual(info);
  });

  it("maps request stage-out modes", () => {
    expect(stageoutModeFor("local")).toBe("local");
    expect(stageoutModeFor("test")).toBe("grid");
    expect(stageoutModeFor("production")).toBe("grid");
  });

  it("checks every node index and names the first bad one", () => {
    const file = join(tempDir(), "output_info.json");
    const cases: [unknown, RegExp][] = [
      [[0, 1, 2.5], /field proc_node_indices\[2\]: expected a whole number ≥ 0$/],
      [[3, "4"], /field proc_node_indices\[1\]: expected a whole number ≥ 0$/],
      [[null], /field proc_node_indices\[0\]: expected a whole number ≥ 0$/],
      [{ 0: 1 }, /field proc_node_indices: expected an array$/],
    ];
    for (const [indices, message] of cases) {
      writeFileSync(file, JSON.stringify({ ...info, proc_node_indices: indices }));
      expect(thrown(() => readOutputInfo(file)).message).toMatch(message);
    }
    writeFileSync(file, JSON.stringify({ ...info, proc_node_indices: [] }));
    expect(readOutputInfo(file).proc_node_indices).toEqual([]);
  });

  it("names the bad field", () => {
    const file = join(tempDir(), "output_info.json");
    writeFileSync(file, JSON.stringify({ ...info, proc_node_indices: [0, -1] }));
    expect(thrown(() => readOutputInfo(file)).message).toMatch(
      /output_info\.json: field proc_node_indices\[1\]: /,
    );
    writeFileSync(
      file,
      JSON.stringify({ ...info, output_datasets: [{ dataset_name: "/a/b-c-v1/T" }] }),
    );
    expect(thrown(() => readOutputInfo(file)).message).toMatch(
      /field output_datasets\[0\]\.merged_lfn_base: /,
    );
  });
});
