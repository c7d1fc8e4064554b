import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oomHolds } from "../../src/matrix/perf.js";
import type { WorkflowResult } from "../../src/model/results.js";
import { renderAdaptive } from "../../src/report/adaptive.js";
import { entry, procJobsRun, simRun, submitDirOf, submitValue, tempDir } from "./support.js";

const tmp = tempDir("memory-override");
afterAll(() => tmp.remove());

describe("a per-work-unit memory override on the adaptive path (391.0, WU 1 at 4000 MB)", () => {
  const base = entry(391.0);
  const wf = {
    ...base,
    memoryMbPerWu: { 1: 4000 },
    verify: { ...base.verify, expectMemoryHolds: [1] },
  };
  let result: WorkflowResult;
  let wu1: string;
  beforeAll(async () => {
    result = await simRun(wf, tmp.dir);
    wu1 = join(submitDirOf(tmp.dir, wf), "mg_000001");
  });

  it("overrides the memory the replan chose, and the replan records it", () => {
    const d = result.adaptive?.decisions[0] ?? {};
    expect(d.new_request_memory_mb).toBe(8300);
    expect(d.memory_override_mb).toBe(4000);
    expect(d.next_wu).toMatchObject({ num_jobs: 4, request_cpus: 4, request_memory_mb: 4000 });
  });

  it("gets the split jobs held for memory in WU 1 only; the POST raises memory and they recover", () => {
    expect(oomHolds(join(submitDirOf(tmp.dir, wf), "mg_000000"))).toBe(0);
    expect(oomHolds(wu1)).toBe(4);
    expect(procJobsRun(wu1).submitted).toBe(8);
    expect(submitValue(join(wu1, "proc_000002.sub"), "request_memory")).toBe("6000");
    expect(result.status).toBe("passed");
    expect(result.perf?.rounds.map((r) => r.oomJobs)).toEqual([0, 4]);
  });

  it("says so in the report", () => {
    const report = renderAdaptive(result, { color: false });
    expect(report).toContain("Jobs over their memory request: R2 4 jobs");
  });
});
