import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  busyCores,
  CommandError,
  CondorBackend,
  cpuTotals,
  dagChildrenConstraint,
  historyState,
  jobCpuSeconds,
  queueState,
  realClock,
} from "../../../src/backends/condor/index.js";
import type { Clock } from "../../../src/backends/types.js";
import { fakeRunner, fixture, ok, sequenceRunner } from "./fake-runner.js";

const H = { clusterId: "4500", dagFile: "/x/workflow.dag" };

describe("state of the DAGMan job", () => {
  it("maps every JobStatus of a job still in the queue", () => {
    const states = [1, 2, 3, 4, 5, 6, 7, 9].map((s) => queueState({ JobStatus: s, ExitCode: 1 }));
    expect(states).toEqual([
      { state: "queued" },
      { state: "running" },
      { state: "removed" },
      { state: "completed", exitCode: 1 },
      { state: "queued" },
      { state: "running" },
      { state: "queued" },
      { state: "unknown", detail: "queue: JobStatus 9" },
    ]);
    expect(queueState({})).toEqual({ state: "unknown", detail: "queue: JobStatus missing" });
  });

  it("maps history ads: completed carries the exit code, 3 is removed", () => {
    expect(historyState({ JobStatus: 4, ExitCode: 0 })).toEqual({
      state: "completed",
      exitCode: 0,
    });
    expect(historyState({ JobStatus: 4, ExitCode: 1 })).toEqual({
      state: "completed",
      exitCode: 1,
    });
    expect(historyState({ JobStatus: 3 })).toEqual({ state: "removed" });
    expect(historyState({ JobStatus: 4 })).toEqual({
      state: "unknown",
      detail: "history: completed without ExitCode",
    });
    expect(historyState({ JobStatus: 4, ExitBySignal: true, ExitSignal: 9 })).toEqual({
      state: "unknown",
      detail: "history: completed, killed by signal 9",
    });
    expect(historyState({ JobStatus: 5 })).toEqual({
      state: "unknown",
      detail: "history: JobStatus 5",
    });
  });

  it("submits with the throttles it was given", async () => {
    const { runner, calls } = sequenceRunner([ok(fixture("submit-dag-ok.stdout.txt"))]);
    const b = new CondorBackend({ runner, batchName: "wms2-matrix-100.1", maxJobs: 1, maxPost: 0 });
    const dir = mkdtempSync(join(tmpdir(), "wms2-backend-"));
    await b.submitDag(join(dir, "workflow.dag"));
    expect(calls[0].args).toEqual([
      "-batch-name",
      "wms2-matrix-100.1",
      "-MaxJobs",
      "1",
      "-MaxPost",
      "0",
      "workflow.dag",
    ]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads the queue first", async () => {
    const { runner, calls } = sequenceRunner([ok(fixture("condor-q-dagman-running.json"))]);
    const b = new CondorBackend({ runner });
    expect(await b.dagJobState(H)).toEqual({ state: "running" });
    expect(calls).toHaveLength(1);
    expect(calls[0].args.at(-1)).toBe("ClusterId == 4500");
  });

  it("falls back to the history once the job left the queue", async () => {
    for (const [file, want] of [
      ["condor-history-completed.json", { state: "completed", exitCode: 0 }],
      ["condor-history-failed.json", { state: "completed", exitCode: 1 }],
      ["condor-history-removed.json", { state: "removed" }],
    ] as const) {
      const { runner, calls } = sequenceRunner([ok(""), ok(fixture(file))]);
      expect(await new CondorBackend({ runner }).dagJobState(H)).toEqual(want);
      expect(calls.map((c) => c.cmd)).toEqual(["condor_q", "condor_history"]);
      expect(calls[1].args.slice(0, 2)).toEqual(["-limit", "1"]);
    }
  });

  it("neither queue nor history: unknown with a detail", async () => {
    const { runner } = sequenceRunner([ok(""), ok("")]);
    expect(await new CondorBackend({ runner }).dagJobState(H)).toEqual({
      state: "unknown",
      detail: "cluster 4500 is neither in the queue nor in the history",
    });
    const failing = sequenceRunner([
      ok("[]"),
      { exitCode: 1, stdout: "", stderr: "Error: No history file is defined\n" },
    ]);
    expect(await new CondorBackend({ runner: failing.runner }).dagJobState(H)).toEqual({
      state: "unknown",
      detail: "cluster 4500 left the queue; condor_history: Error: No history file is defined",
    });
  });

  it("a failing queue query is thrown, one line", async () => {
    const { runner } = sequenceRunner([
      { exitCode: 1, stdout: "", stderr: "-- Failed to fetch ads from: <127.0.0.1:9618>\nmore\n" },
    ]);
    const p = new CondorBackend({ runner }).dagJobState(H);
    await expect(p).rejects.toBeInstanceOf(CommandError);
    await expect(
      new CondorBackend({ runner: sequenceRunner([new Error("x\ny")]).runner }).dagJobState(H),
    ).rejects.toThrow(/^condor_q: x$/);
  });

  it("remove runs condor_rm on the cluster", async () => {
    const { runner, calls } = fakeRunner(() =>
      ok("All jobs in cluster 4500 have been marked for removal\n"),
    );
    await new CondorBackend({ runner }).remove(H);
    expect(calls.map((c) => [c.cmd, ...c.args])).toEqual([["condor_rm", "4500"]]);
  });
});

describe("CPU samples", () => {
  it("job CPU prefers the cumulative counters", () => {
    expect(
      jobCpuSeconds({ CumulativeRemoteUserCpu: 100, CumulativeRemoteSysCpu: 5, RemoteUserCpu: 40 }),
    ).toBe(105);
    expect(jobCpuSeconds({ RemoteUserCpu: 40, RemoteSysCpu: 2 })).toBe(42);
    expect(jobCpuSeconds({})).toBe(0);
  });

  it("delta over elapsed time; new jobs count fully, counters going down count 0", () => {
    const prev = cpuTotals(
      [
        { ClusterId: 1, ProcId: 0, RemoteUserCpu: 100 },
        { ClusterId: 2, RemoteUserCpu: 50 },
      ],
      0,
    );
    const cur = cpuTotals(
      [
        { ClusterId: 1, ProcId: 0, RemoteUserCpu: 160 },
        { ClusterId: 2, RemoteUserCpu: 10 },
        { ClusterId: 3, RemoteUserCpu: 30 },
      ],
      30,
    );
    expect(busyCores(prev, cur)).toBe((60 + 0 + 30) / 30);
    expect(busyCores(prev, { ...cur, time: 0 })).toBeUndefined();
  });

  it("sums the payload jobs below the sub-DAGs between two calls", async () => {
    const times = [1000, 1600];
    const clock: Clock = { now: () => times.shift() ?? 0, sleep: async () => {} };
    const { runner, calls } = sequenceRunner([
      ok(fixture("condor-q-outer-children.json")),
      ok(fixture("condor-q-payload-t0.json")),
      ok(fixture("condor-q-outer-children.json")),
      ok(fixture("condor-q-payload-t1.json")),
    ]);
    const b = new CondorBackend({ runner, clock });
    expect(await b.cpuSample(H)).toBeUndefined();
    // 4503: 600 → 1800 s; 4504 left; 4510: 0 → 600 (RemoteUserCpu); 4511 new: 300.
    expect(await b.cpuSample(H)).toEqual({ time: 1600, cores: (1200 + 600 + 300) / 600 });
    const constraints = calls.map((c) => c.args[c.args.indexOf("-constraint") + 1]);
    expect(constraints).toEqual([
      "DAGManJobId == 4500",
      "(DAGManJobId == 4501 || DAGManJobId == 4502)",
      "DAGManJobId == 4500",
      "(DAGManJobId == 4501 || DAGManJobId == 4502)",
    ]);
    expect(calls[0].args[2]).toBe(
      "ClusterId,ProcId,JobUniverse,CumulativeRemoteUserCpu,CumulativeRemoteSysCpu,RemoteUserCpu,RemoteSysCpu",
    );
    await b.close();
  });

  it("constraint for one cluster has no parentheses", () => {
    expect(dagChildrenConstraint(["7"])).toBe("DAGManJobId == 7");
  });
});

describe("real clock", () => {
  it("sleep waits", async () => {
    const t0 = realClock.now();
    await realClock.sleep(0.05);
    expect(realClock.now() - t0).toBeGreaterThanOrEqual(0.04);
    expect(Math.abs(realClock.now() - Date.now() / 1000)).toBeLessThan(1);
    expect(new CondorBackend().name).toBe("condor");
  });
});
