import { describe, expect, it } from "vitest";
import { formatSubmit, submitGet } from "../../src/dagman/index.js";
import { planWorkflow } from "../../src/planner/plan.js";
import { procSubmit } from "../../src/planner/submit-files.js";
import type { InputFile, PlanRequest } from "../../src/planner/types.js";

function request(over: Partial<PlanRequest> = {}): PlanRequest {
  return {
    workflowId: "t",
    requestName: "t",
    submitDir: "/submit",
    splitting: { algo: "EventBased", eventsPerJob: 100 },
    targetEvents: 600,
    jobsPerWorkUnit: 3,
    cpus: 4,
    memoryMb: 8000,
    diskKb: 1000000,
    outputDatasets: [],
    localPfnPrefix: "/storage",
    stageoutMode: "local",
    categoryThrottles: { Processing: 10, Merge: 2, Cleanup: 2 },
    priority: 5,
    wuRetryCount: 1,
    manifest: { mode: "synthetic" },
    sandboxName: "sandbox.tar.gz",
    pool: "local",
    accountingGroupUser: "wms2",
    extraClassAds: { WMS2_QuickJob: "True" },
    allowedSites: [],
    bannedSites: [],
    round: 0,
    idleTimeoutSec: 43200,
    maxMergeSizeBytes: 4294967296,
    wms2Command: "matrix",
    ...over,
  };
}

describe("submit files of a plan", () => {
  it("share every line but the node's own between the proc files of a plan", () => {
    const { bundle, summary } = planWorkflow(request());
    const subs = bundle.groups.flatMap((g) =>
      Object.entries(g.submits).filter(([k]) => k.startsWith("proc_")),
    );
    expect(subs).toHaveLength(6);
    const [, a] = subs[0];
    const [, b] = subs[5];
    expect(b.entries.map((e) => e.key)).toEqual(a.entries.map((e) => e.key));
    for (let i = 0; i < a.entries.length; i++) {
      const own = i >= 2 && i <= 5; // arguments, output, error, log
      expect(b.entries[i] === a.entries[i], a.entries[i].key).toBe(!own);
    }
    expect(submitGet(b, "log")).toBe("proc_000005.log");
    expect(b.header).toEqual([" Processing node proc_000005 of merge group 1"]);
    expect(submitGet(b, "arguments")).toBe(
      "--sandbox sandbox.tar.gz --input synthetic://gen/events_501_600 --node-index 5 " +
        "--output-info output_info.json --first-event 501 --last-event 600 " +
        "--events-per-job 100 --ncpus 4",
    );
    // The same file as a submit model built on its own.
    expect(procSubmit(request(), summary.jobs[5], 1)).toEqual(b);
  });

  it("keep jobs with their own site or wall limit apart", () => {
    const files: InputFile[] = [
      { lfn: "/store/a.root", sizeBytes: 1, events: 100, locations: ["T2_A"] },
      { lfn: "/store/b.root", sizeBytes: 1, events: 1000, locations: ["T2_B"] },
      { lfn: "/store/c.root", sizeBytes: 1, events: 100, locations: [] },
    ];
    const req = request({
      inputFiles: files,
      splitting: { algo: "FileBased", filesPerJob: 1 },
      measuredWallPerEventSec: 10,
    });
    const { bundle } = planWorkflow(req);
    const g = bundle.groups[0];
    const texts = ["proc_000000.sub", "proc_000001.sub", "proc_000002.sub"].map((n) =>
      formatSubmit(g.submits[n]),
    );
    expect(texts[0]).toContain('+DESIRED_Sites = "T2_A"');
    expect(texts[1]).toContain('+DESIRED_Sites = "T2_B"');
    expect(texts[2]).not.toContain("DESIRED_Sites");
    expect(texts.map((t) => /MaxWallTimeMinsRun = (\d+)/.exec(t)?.[1])).toEqual([
      "120",
      "266",
      "120",
    ]);
  });
});
