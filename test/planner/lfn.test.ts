import { describe, expect, it } from "vitest";
import {
  blockDir,
  lfnBaseForDataset,
  lfnToPfn,
  mergedStoreBase,
  parseDatasetName,
  unmergedFileLfn,
} from "../../src/planner/lfn.js";

describe("CMS naming", () => {
  it("splits the processed name at the last hyphen before -vN", () => {
    expect(parseDatasetName("/P/A-B-C-v2/T")).toEqual({
      primary: "P",
      era: "A-B",
      processingString: "C",
      version: 2,
      tier: "T",
    });
  });

  it("rejects a malformed dataset name with one line naming it", () => {
    expect(() => parseDatasetName("/P/NoVersion/AODSIM")).toThrow(
      /dataset name "\/P\/NoVersion\/AODSIM"/,
    );
  });

  it("derives merged and unmerged bases", () => {
    const ds = "/DYto2L/Run3Summer22EE-GEN_v12-v1/MINIAODSIM";
    expect(lfnBaseForDataset("/store/mc", ds)).toBe(
      "/store/mc/Run3Summer22EE/DYto2L/MINIAODSIM/GEN_v12-v1",
    );
    expect(lfnBaseForDataset("/store/unmerged/", ds)).toBe(
      "/store/unmerged/Run3Summer22EE/DYto2L/MINIAODSIM/GEN_v12-v1",
    );
    expect(mergedStoreBase({ isGen: true })).toBe("/store/mc");
    expect(mergedStoreBase({ isGen: false, inputLfn: "/store/data/Run2022A/x.root" })).toBe(
      "/store/data",
    );
    expect(mergedStoreBase({ explicit: "/store/results/", isGen: false })).toBe("/store/results");
  });

  it("builds block dirs, unmerged file LFNs and PFNs", () => {
    expect(blockDir("/store/unmerged/E/P/T/X-v1", 12)).toBe("/store/unmerged/E/P/T/X-v1/000012");
    expect(unmergedFileLfn("/store/unmerged/E/P/T/X-v1", 0, 41, "out.root")).toBe(
      "/store/unmerged/E/P/T/X-v1/000000/proc_41_out.root",
    );
    expect(lfnToPfn("/data/se", "/store/mc/x.root")).toBe("/data/se/store/mc/x.root");
    expect(lfnToPfn("/data/se/", "/store/mc/x.root")).toBe("/data/se/store/mc/x.root");
  });
});
