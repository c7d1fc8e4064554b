import { describe, expect, it } from "vitest";
import { deepFreeze } from "../../../simulator/payload/job-io.js";
import {
  sideFileDir,
  unmergedBlockPfn,
  unmergedFilePfn,
} from "../../../simulator/payload/storage.js";
import type { OutputInfo } from "../../../src/artifacts/output-info.js";
import { lfnToPfn, unmergedFileLfn } from "../../../src/planner/lfn.js";

function info(prefix: string, group: number): OutputInfo {
  return {
    output_datasets: [
      {
        dataset_name: "/P/E-S-v1/NANOAODSIM",
        data_tier: "NANOAODSIM",
        merged_lfn_base: "/store/mc/E/P/NANOAODSIM/S-v1",
        unmerged_lfn_base: "/store/unmerged/E/P/NANOAODSIM/S-v1/",
      },
    ],
    local_pfn_prefix: prefix,
    stageout_mode: "local",
    group_index: group,
    max_merge_size: 1,
    proc_node_indices: [],
  } as OutputInfo;
}

describe("storage paths of a work unit", () => {
  for (const prefix of ["/se", "/se/", "", "/a/b//"]) {
    it(`a staged file's PFN is the PFN of its unmerged LFN (prefix "${prefix}")`, () => {
      for (const frozen of [false, true]) {
        const i = frozen ? deepFreeze(info(prefix, 7)) : info(prefix, 7);
        const ds = i.output_datasets[0];
        const lfn = unmergedFileLfn(ds.unmerged_lfn_base, 7, 12, "step5_NANOAODSIM.root");
        expect(unmergedFilePfn(i, ds, 12, "step5_NANOAODSIM.root")).toBe(lfnToPfn(prefix, lfn));
        expect(sideFileDir(i)).toBe(unmergedBlockPfn(i, ds));
      }
    });
  }

  it("answers for the unit asked, not for the one asked before", () => {
    const a = deepFreeze(info("/se", 1));
    const b = deepFreeze(info("/se", 2));
    expect(unmergedBlockPfn(a, a.output_datasets[0])).toBe(
      "/se/store/unmerged/E/P/NANOAODSIM/S-v1/000001",
    );
    expect(unmergedBlockPfn(b, b.output_datasets[0])).toBe(
      "/se/store/unmerged/E/P/NANOAODSIM/S-v1/000002",
    );
    // A dataset value found in two units' infos: each unit's own block.
    const ds = a.output_datasets[0];
    const c = deepFreeze({ ...info("/se", 5), output_datasets: [ds] });
    expect(unmergedBlockPfn(c, ds)).toMatch(/000005$/);
    expect(unmergedBlockPfn(a, ds)).toMatch(/000001$/);
    const open = info("/se", 3);
    expect(unmergedBlockPfn(open, open.output_datasets[0])).toMatch(/000003$/);
    open.group_index = 4;
    expect(unmergedBlockPfn(open, open.output_datasets[0])).toMatch(/000004$/);
  });
});
