import { describe, expect, it } from "vitest";
import {
  chooseProbeNode,
  jobPeakMemoryFromLog,
  patchProcSubmit,
  probeManifest,
  probeMetricsFromEntries,
  probeSubmit,
  tuneManifest,
} from "../../src/adaptive/index.js";

const SUB = "request_memory = 16000\ntransfer_input_files = a, b  \nqueue 1\n";

describe("manifest patching (adaptive.md §14)", () => {
  it("tunes the named steps, ignores out-of-range ones and appends new keys", () => {
    const m = { steps: [{ name: "GEN", multicore: 8 }], mode: "simulator" };
    const tuned = tuneManifest(
      m,
      { "0": { tunedNthreads: 2, nParallel: 4 }, "5": { tunedNthreads: 1 } },
      {
        nPipelines: 2,
        splitTmpfs: true,
      },
    );
    expect(tuned).toEqual({
      steps: [{ name: "GEN", multicore: 2, n_parallel: 4 }],
      mode: "simulator",
      n_pipelines: 2,
      split_tmpfs: true,
    });
    expect(Object.keys(tuned)).toEqual(["steps", "mode", "n_pipelines", "split_tmpfs"]);
    expect(m.steps[0].multicore).toBe(8);
  });

  it("appends the tuned manifest and only ever raises the memory", () => {
    expect(patchProcSubmit(SUB, "/wu/manifest_tuned.json", 24000)).toBe(
      "request_memory = 24000\ntransfer_input_files = a, b, /wu/manifest_tuned.json\nqueue 1\n",
    );
    expect(patchProcSubmit(SUB, "/t.json", 8000)).toContain("request_memory = 16000\n");
    expect(patchProcSubmit("queue 1\n", "/t.json", 8000)).toBe("queue 1\n");
  });
});

describe("probe split (adaptive.md §18)", () => {
  it("chooses the last proc node, only when another one remains", () => {
    expect(chooseProbeNode(["proc_000001.sub", "proc_000000.sub"])).toBe("proc_000001");
    expect(chooseProbeNode(["proc_000000.sub"])).toBeNull();
  });

  it("shapes step 0 as 2 instances of N/2 threads", () => {
    expect(probeManifest({ steps: [{ multicore: 8 }, { multicore: 8 }] }, 8, true)).toEqual({
      steps: [{ multicore: 4, n_parallel: 2 }, { multicore: 8 }],
      split_tmpfs: true,
    });
    expect(probeManifest({ steps: [{ multicore: 2 }] }, 2)?.steps).toEqual([
      { multicore: 2, n_parallel: 2 },
    ]);
    expect(probeManifest({ steps: [] }, 8)).toBeNull();
    expect(probeSubmit(SUB, "/t.json", 16000 * 2)).toContain("request_memory = 32000\n");
  });

  it("reads the job peak from the log and splits it over the instances", () => {
    const log =
      "006 (1.0.0) x\n\t5800  -  MemoryUsage of job (MB)\n\t10308  -  MemoryUsage of job (MB)\n";
    expect(jobPeakMemoryFromLog(log)).toBe(10308);
    expect(jobPeakMemoryFromLog("nothing")).toBe(0);
    const entries = [
      { step_index: 0, peak_rss_mb: 1663 },
      { step_index: 0, peak_rss_mb: 1598.5 },
      { step_index: 1, peak_rss_mb: 2900 },
    ];
    expect(probeMetricsFromEntries(entries, 10308, "m.json")).toEqual({
      perInstanceRssMb: [1663, 1598.5],
      maxInstanceRssMb: 1663,
      numInstances: 2,
      jobPeakMb: 10308,
      perInstancePeakMb: 5154,
    });
    expect(probeMetricsFromEntries([{ step_index: 1, peak_rss_mb: 1 }], 0, "m.json")).toBeNull();
  });
});
