import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runReplan } from "../../src/adaptive/replan.js";
import { formatReplanArgv } from "../../src/adaptive/replan-args.js";
import { replanOptions } from "../../src/matrix/adaptive-dag.js";
import { prepareWorkflow } from "../../src/matrix/run-workflow.js";
import type { WorkflowDef } from "../../src/model/workflow.js";
import { runCli } from "../cli/support.js";
import {
  catalog,
  entry,
  jobMetrics,
  procJobsRun,
  simRun,
  submitValue,
  tempDir,
} from "./support.js";

const tmp = tempDir("replan-bad-input");
afterAll(() => tmp.remove());

let count = 0;
/** A freshly planned 391.3 (4 jobs of 40 events per unit, no probe) in its own work dir. */
function planned(overrides: Partial<WorkflowDef> = {}) {
  const wf = entry(391.3, { eventsPerJob: 40, ...overrides });
  const workDir = join(tmp.dir, `case${count++}`);
  const { submitDir } = prepareWorkflow(wf, { catalog, workDir, wms2Command: "matrix" });
  const groups = ["mg_000000", "mg_000001", "mg_000002"].map((g) => join(submitDir, g));
  const options = replanOptions(wf, 0, groups, submitDir);
  const snapshot = () =>
    Object.fromEntries(
      readdirSync(groups[1])
        .filter((n) => n.endsWith(".sub") || n === "group.dag")
        .map((n) => [n, readFileSync(join(groups[1], n), "utf8")]),
    );
  const writeMetrics = (nodes: number[]) => {
    for (const n of nodes) {
      writeFileSync(join(groups[0], `proc_${n}_metrics.json`), JSON.stringify(jobMetrics(40)));
    }
  };
  return { submitDir, groups, options, snapshot, writeMetrics };
}

function decisionsOf(submitDir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(submitDir, "replan_0_decisions.json"), "utf8"));
}

describe("replan on bad input keeps the next work unit as planned and says why", () => {
  it("tunes when every job of the completed unit left metrics (the control case)", () => {
    const p = planned();
    p.writeMetrics([0, 1, 2, 3]);
    const r = runReplan(p.options);
    expect(r.status).toBe("tuned");
    expect(r.decisions).toMatchObject({
      job_multiplier: 2,
      new_num_jobs: 8,
      new_events_per_job: 20,
    });
  });

  it.each([
    ["a corrupt metrics file", [0, 1, 2], "proc_3_metrics.json: not valid JSON"],
    [
      "a missing metrics file",
      [0, 1, 2],
      "proc_3_metrics.json missing (1 of 4 jobs without metrics)",
    ],
    ["a unit with zero successful jobs", [], "no proc metrics found (no successful job)"],
  ])("%s", (what, written, reason) => {
    const p = planned();
    p.writeMetrics(written as number[]);
    if (what === "a corrupt metrics file") {
      writeFileSync(join(p.groups[0], "proc_3_metrics.json"), "[{ not json");
    }
    const before = p.snapshot();
    const r = runReplan(p.options);
    expect(r.status).toBe("kept");
    const d = decisionsOf(p.submitDir);
    expect(d.status).toBe("kept");
    expect(d.reason).toContain(reason);
    expect(d.per_step).toMatchObject({ "0": { tuned_nthreads: 8, n_parallel: 1 } });
    expect(r.summary).toBe(`replan 0: kept the next work unit as planned: ${d.reason}`);
    // Only the catalog's tmpfs switch reaches the unit: its proc jobs get the tmpfs manifest.
    const after = p.snapshot();
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(after["group.dag"]).toBe(before["group.dag"]);
    expect(submitValue(join(p.groups[1], "proc_000004.sub"), "request_memory")).toBe("16000");
    expect(submitValue(join(p.groups[1], "proc_000004.sub"), "arguments")).toContain(
      "--first-event 161 --last-event 200",
    );
    const tuned = JSON.parse(readFileSync(join(p.groups[1], "manifest_tuned.json"), "utf8"));
    expect(tuned.split_tmpfs).toBe(true);
    expect(tuned.steps[0].multicore).toBe(8);
  });

  it("exits 0 from the CLI on a kept decision, and still applies the memory override", async () => {
    const p = planned();
    rmSync(p.groups[0], { recursive: true });
    const r = await runCli(["replan", ...formatReplanArgv({ ...p.options, memoryMb: 5000 })]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `replan 0: kept the next work unit as planned: ${p.groups[0]}: work unit directory not found\n`,
    );
    const d = decisionsOf(p.submitDir);
    expect(d).toMatchObject({ status: "kept", memory_override_mb: 5000 });
    expect(submitValue(join(p.groups[1], "proc_000007.sub"), "request_memory")).toBe("5000");
  });
});

describe("a round with zero successful jobs on the simulator (391.0, WU 0 jobs write nothing)", () => {
  it("keeps WU 1 as planned and the run goes on", async () => {
    const base = entry(391.0);
    const wf: WorkflowDef = {
      ...base,
      fault: {
        target: "proc",
        workUnits: [0],
        exitCode: 0,
        signal: 0,
        delaySec: 0,
        skipOutput: true,
      },
    };
    const workDir = join(tmp.dir, "sim");
    const result = await simRun(wf, workDir);
    const d = result.adaptive?.decisions ?? [];
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ status: "kept", mode: "job_split", job_multiplier: 1 });
    expect(d[0].reason).toContain("no proc metrics found (no successful job)");
    expect(result.dagStatus).toBe("completed");
    const wu1 = join(result.submitDir, "mg_000001");
    expect(procJobsRun(wu1)).toEqual({ submitted: 2, cpus: [8, 8] });
    expect(readdirSync(wu1).filter((n) => /^proc_\d+_metrics\.json$/.test(n))).toEqual([
      "proc_2_metrics.json",
      "proc_3_metrics.json",
    ]);
    expect(result.perf?.rounds.find((r) => r.round === 2)?.threadsLabel).toBe("8T");
  });
});
