import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  CommandError,
  condorHistory,
  condorQ,
  condorQedit,
  condorRelease,
  condorRm,
  condorScheddNames,
  condorStatusTotals,
  condorSubmitDag,
  execaRunner,
  runChecked,
} from "../../../src/backends/condor/index.js";
import { fakeRunner, fixture, ok } from "./fake-runner.js";

const tmp = mkdtempSync(join(tmpdir(), "wms2-condor-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function submitDirWithStaleFiles(name: string): string {
  const dir = join(tmp, name);
  const files = [
    "workflow.dag",
    "workflow.dag.condor.sub",
    "workflow.dag.lock",
    "workflow.dag.rescue001",
    "workflow.dag.dagman.out",
  ];
  mkdirSync(dir);
  for (const f of files) writeFileSync(join(dir, f), "x\n");
  return dir;
}

describe("condorSubmitDag", () => {
  it("deletes the stale .condor.sub and .lock, keeps the rescue DAG, never passes -force", async () => {
    const dir = submitDirWithStaleFiles("a");
    const seen: string[][] = [];
    const { runner, calls } = fakeRunner(() => {
      seen.push(readdirSync(dir).sort());
      return ok(fixture("submit-dag-ok.stdout.txt"));
    });
    const h = await condorSubmitDag(join(dir, "workflow.dag"), {
      runner,
      timeoutMs: 30_000,
      batchName: "matrix-100.0",
      config: "dagman.config",
      maxIdle: 50,
    });
    expect(h).toEqual({ clusterId: "4500", dagFile: join(dir, "workflow.dag") });
    expect(calls).toHaveLength(1);
    expect(calls[0].cmd).toBe("condor_submit_dag");
    expect(calls[0].args).toEqual([
      "-batch-name",
      "matrix-100.0",
      "-config",
      "dagman.config",
      "-MaxIdle",
      "50",
      "workflow.dag",
    ]);
    expect(calls[0].args.some((a) => /^-f/i.test(a))).toBe(false);
    expect(calls[0].opts).toEqual({ timeoutMs: 30_000, cwd: dir });
    // At the time condor_submit_dag ran, the stale files were gone and the rest kept.
    expect(seen[0]).toEqual(["workflow.dag", "workflow.dag.dagman.out", "workflow.dag.rescue001"]);
  });

  it("passes every throttle in condor_submit_dag's spelling and refuses a negative one", async () => {
    const dir = submitDirWithStaleFiles("t");
    const { runner, calls } = fakeRunner(() => ok(fixture("submit-dag-ok.stdout.txt")));
    const dag = join(dir, "workflow.dag");
    await condorSubmitDag(dag, { runner, maxPost: 5, maxPre: 2, maxJobs: 0, maxIdle: 100 });
    expect(calls[0].args).toEqual([
      "-MaxIdle",
      "100",
      "-MaxJobs",
      "0",
      "-MaxPre",
      "2",
      "-MaxPost",
      "5",
      "workflow.dag",
    ]);
    writeFileSync(`${dag}.lock`, "");
    await expect(condorSubmitDag(dag, { runner, maxJobs: -1 })).rejects.toThrow(
      /^condor_submit_dag: -MaxJobs must be a whole number >= 0, got -1$/,
    );
    expect(calls).toHaveLength(1);
    // Refused before anything was touched.
    expect(existsSync(`${dag}.lock`)).toBe(true);
  });

  it("passes only the DAG file without options", async () => {
    const dir = submitDirWithStaleFiles("b");
    const { runner, calls } = fakeRunner(() => ok(fixture("submit-dag-ok.stdout.txt")));
    await condorSubmitDag(join(dir, "workflow.dag"), { runner });
    expect(calls[0].args).toEqual(["workflow.dag"]);
    expect(calls[0].opts.timeoutMs).toBe(60_000);
  });

  it("a refused submission surfaces the first stderr line", async () => {
    const dir = submitDirWithStaleFiles("c");
    const { runner } = fakeRunner(() => ({
      exitCode: 1,
      stdout: "",
      stderr: fixture("submit-dag-exists.stderr.txt"),
    }));
    await expect(condorSubmitDag(join(dir, "workflow.dag"), { runner })).rejects.toThrow(
      new CommandError(
        "condor_submit_dag",
        "failed",
        'ERROR: "workflow.dag.condor.sub" already exists.',
      ),
    );
    const { runner: r2 } = fakeRunner(() => ({
      exitCode: 1,
      stdout: fixture("submit-dag-noschedd.stdout.txt"),
      stderr: fixture("submit-dag-noschedd.stderr.txt"),
    }));
    await expect(condorSubmitDag(join(dir, "workflow.dag"), { runner: r2 })).rejects.toThrow(
      /^condor_submit_dag: ERROR: Can't find address of local schedd$/,
    );
  });

  it("exit 0 without a cluster line is an error; rescue files are refused", async () => {
    const dir = submitDirWithStaleFiles("d");
    const { runner, calls } = fakeRunner(() => ok(fixture("submit-dag-noschedd.stdout.txt")));
    await expect(condorSubmitDag(join(dir, "workflow.dag"), { runner })).rejects.toThrow(
      "condor_submit_dag: no 'job(s) submitted to cluster' line",
    );
    await expect(condorSubmitDag(join(dir, "workflow.dag.rescue001"), { runner })).rejects.toThrow(
      "submit the original DAG, not a rescue file",
    );
    expect(calls).toHaveLength(1);
    expect(existsSync(join(dir, "workflow.dag.rescue001"))).toBe(true);
  });
});

describe("queries and job commands", () => {
  it("condor_q -json with attributes and a constraint", async () => {
    const { runner, calls } = fakeRunner(() => ok(fixture("condor-q-dagman-running.json")));
    const ads = await condorQ("ClusterId == 4500", ["ClusterId", "JobStatus"], { runner });
    expect(ads[0].JobStatus).toBe(2);
    expect(calls[0].cmd).toBe("condor_q");
    expect(calls[0].args).toEqual([
      "-json",
      "-attributes",
      "ClusterId,JobStatus",
      "-constraint",
      "ClusterId == 4500",
    ]);
  });

  it("condor_q without matches prints nothing", async () => {
    const { runner } = fakeRunner(() => ok(""));
    expect(await condorQ("ClusterId == 1", [], { runner })).toEqual([]);
  });

  it("condor_history -json -limit N", async () => {
    const { runner, calls } = fakeRunner(() => ok(fixture("condor-history-removed.json")));
    const ads = await condorHistory("ClusterId == 4500", ["JobStatus"], 1, { runner });
    expect(ads[0].JobStatus).toBe(3);
    expect(calls[0].args).toEqual([
      "-limit",
      "1",
      "-json",
      "-attributes",
      "JobStatus",
      "-constraint",
      "ClusterId == 4500",
    ]);
    await expect(condorHistory("true", [], 0, { runner })).rejects.toThrow(
      "-limit must be a positive",
    );
  });

  it("condor_rm, condor_qedit and condor_release take checked ids", async () => {
    const { runner, calls } = fakeRunner(() => ok());
    await condorRm("4500", { runner });
    await condorQedit("4503.0", "RequestMemory", 4500, { runner });
    await condorQedit("4503.0", "AcctGroup", 'a "b"', { runner });
    await condorQedit("4503.0", "WantIt", true, { runner });
    await condorQedit("4503.0", "Requirements", { expr: "Memory > 2000" }, { runner });
    await condorRelease("4503.0", { runner });
    expect(calls.map((c) => [c.cmd, ...c.args])).toEqual([
      ["condor_rm", "4500"],
      ["condor_qedit", "4503.0", "RequestMemory", "4500"],
      ["condor_qedit", "4503.0", "AcctGroup", '"a \\"b\\""'],
      ["condor_qedit", "4503.0", "WantIt", "true"],
      ["condor_qedit", "4503.0", "Requirements", "Memory > 2000"],
      ["condor_release", "4503.0"],
    ]);
    await expect(condorRm("-all", { runner })).rejects.toThrow('condor_rm: invalid job id "-all"');
    await expect(condorQedit("1", "bad attr", 1, { runner })).rejects.toThrow("invalid attribute");
    expect(calls).toHaveLength(6);
  });

  it("condor_rm failure names the command and stderr's first line", async () => {
    const { runner } = fakeRunner(() => ({
      exitCode: 1,
      stdout: "",
      stderr: "Couldn't find/remove all jobs in cluster 4500\nsecond line\n",
    }));
    await expect(condorRm("4500", { runner })).rejects.toThrow(
      /^condor_rm: Couldn't find\/remove all jobs in cluster 4500$/,
    );
  });

  it("condor_status totals and schedd names", async () => {
    const { runner, calls } = fakeRunner((c) =>
      ok(
        c.args[0] === "-total"
          ? fixture("condor-status-total.txt")
          : fixture("condor-status-schedd-af.txt"),
      ),
    );
    expect((await condorStatusTotals({ runner })).slots).toBe(16);
    expect(await condorScheddNames({ runner })).toEqual([
      "submit.example.org",
      "submit2.example.org",
    ]);
    expect(calls.map((c) => c.args)).toEqual([["-total"], ["-schedd", "-af", "Name"]]);
  });
});

describe("command failures are one line", () => {
  it("a runner exception keeps its first line", async () => {
    const { runner } = fakeRunner(() => {
      throw new Error("connection refused\n  at socket.connect");
    });
    await expect(condorQ("true", [], { runner })).rejects.toThrow(/^condor_q: connection refused$/);
  });

  it("the real runner: timeout, not found, non-zero exit", async () => {
    const node = process.execPath;
    const slow = runChecked(node, ["-e", "setTimeout(() => {}, 5000)"], {
      runner: execaRunner,
      timeoutMs: 300,
    });
    await expect(slow).rejects.toMatchObject({
      kind: "timeout",
      message: `${node}: timed out after 0.3 s`,
    });
    const missing = runChecked("condor_q_not_installed_here", [], { timeoutMs: 2000 });
    await expect(missing).rejects.toMatchObject({
      kind: "not-found",
      message: "condor_q_not_installed_here: not found on PATH",
    });
    const failing = runChecked(
      node,
      ["-e", "console.error('\\nboom: bad constraint\\nmore'); process.exit(2)"],
      { timeoutMs: 5000 },
    );
    await expect(failing).rejects.toMatchObject({
      kind: "failed",
      message: `${node}: boom: bad constraint`,
    });
    const good = await runChecked(node, ["-e", "console.log('hi')"], { timeoutMs: 5000 });
    expect(good).toEqual({ exitCode: 0, stdout: "hi\n", stderr: "" });
  });
});
