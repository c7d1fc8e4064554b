import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderSimSummary } from "../../src/cli/sim.js";
import { parseDagMetrics } from "../../src/dagman/index.js";
import { makeWorkspace, oneLine, runCli, type Workspace } from "./support.js";

let ws: Workspace;
beforeAll(() => {
  ws = makeWorkspace("cli-sim");
});
afterAll(() => ws.remove());

/** The value printed after `label:` in a summary. */
function field(out: string, label: string): string {
  const m = new RegExp(`^ {2}${label}: +(.*)$`, "m").exec(out);
  if (!m) throw new Error(`no "${label}" line in:\n${out}`);
  return m[1];
}

async function plan(id: string, name: string, ...extra: string[]) {
  const out = join(ws.dir, name);
  const r = await runCli(["plan", id, "--out", out, ...extra, ...ws.args]);
  expect(r.code).toBe(0);
  return { dir: out, dag: join(out, "workflow.dag"), text: r.out };
}

/** Every file below dir with its size, for "nothing was written" checks. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(`${relative(dir, p)} ${statSync(p).size}`);
    }
  };
  walk(dir);
  return out;
}

describe("matrix sim on a planned directory", () => {
  it("completes every node of 100.1", async () => {
    const p = await plan("100.1", "ok");
    const r = await runCli(["sim", p.dag]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out.split("\n")[0]).toBe(`Simulated ${p.dag} (seed 1)`);
    expect(field(r.out, "status")).toBe("SUCCESS");
    expect(field(r.out, "DAGMan exit")).toBe("0");
    expect(field(r.out, "DAG_Status")).toBe("0");
    expect(field(r.out, "top DAG nodes")).toBe("1 total, 1 done, 0 failed, 0 futile");
    expect(field(r.out, "inner nodes")).toBe("11 total, 11 done, 0 failed, 0 futile");
    expect(field(r.out, "jobs submitted")).toBe("11");
    expect(field(r.out, "virtual time")).toBe("00:01:35");
    expect(field(r.out, "rescue DAG")).toBe("none");
    expect(field(r.out, "dagman.out")).toBe(`${p.dag}.dagman.out`);
    expect(field(r.out, "node status")).toBe(`${p.dag}.status`);
    const metrics = parseDagMetrics(readFileSync(`${p.dag}.metrics`, "utf8"), "m");
    expect(field(r.out, "metrics")).toBe(`${p.dag}.metrics`);
    expect(metrics).toMatchObject({ exitcode: 0, dagStatus: 0, duration: 95 });
    expect(r.out).not.toContain("unmatchable");
  });

  it("plan --with-fault injects 500.0's fault and the simulation ends with a rescue DAG", async () => {
    const p = await plan("500.0", "fault", "--with-fault");
    expect(p.text).toContain("  fault:       proc exit 1 injected into 1 submit file(s)\n");
    expect(p.text).toContain("               mg_000000/proc_000000.sub\n");
    expect(existsSync(join(p.dir, "mg_000000", "proc_000000_fault.sh"))).toBe(true);
    const r = await runCli(["sim", p.dag, "--seed", "3"]);
    expect(r.code).toBe(1);
    expect(r.out.split("\n")[0]).toBe(`Simulated ${p.dag} (seed 3)`);
    expect(field(r.out, "status")).toBe("FAILED");
    expect(field(r.out, "DAGMan exit")).toBe("1");
    expect(field(r.out, "DAG_Status")).toBe("2");
    expect(field(r.out, "top DAG nodes")).toBe("1 total, 0 done, 1 failed, 0 futile");
    expect(field(r.out, "inner nodes")).toBe("4 total, 1 done, 1 failed, 0 futile");
    // landing, then the proc job and its 5 retries.
    expect(field(r.out, "jobs submitted")).toBe("7");
    // DAGMan's own duration (the matrix runner reports 500.0 at 00:27:20 too).
    expect(field(r.out, "virtual time")).toBe("00:27:20");
    expect(field(r.out, "rescue DAG")).toBe(`${p.dag}.rescue001`);
    expect(existsSync(`${p.dag}.rescue001`)).toBe(true);
  });

  it("a proc job that hangs without CPU is removed as a zombie by the planner's policy", async () => {
    const p = await plan("500.0", "hang", "--with-fault");
    // The wrapper sleeps two hours, as a stuck payload would, then exits 0.
    const wrapper = join(p.dir, "mg_000000", "proc_000000_fault.sh");
    writeFileSync(wrapper, "#!/bin/bash\nsleep 7200\nexit 0\n");
    const r = await runCli(["sim", p.dag]);
    expect(r.code).toBe(1);
    expect(field(r.out, "status")).toBe("FAILED");
    // landing, then one proc attempt: a zombie's removal is an infrastructure failure the
    // POST script does not retry.
    expect(field(r.out, "jobs submitted")).toBe("2");
    const post = JSON.parse(
      readFileSync(join(p.dir, "mg_000000", "proc_000000.post.json"), "utf8"),
    );
    expect(post.job.periodic_remove_reason).toBe("WMS2: zombie job (no CPU used in 1800 s)");
    expect(post.job.wall_time_sec).toBeGreaterThan(1800);
    expect(post.job.wall_time_sec).toBeLessThanOrEqual(1860);
    expect(post.classification).toMatchObject({ category: "infrastructure", retryable: false });
  });

  it("without --with-fault the same workflow succeeds", async () => {
    const p = await plan("500.0", "nofault");
    expect(p.text).not.toContain("fault:");
    expect(readdirSync(join(p.dir, "mg_000000")).some((n) => n.endsWith("_fault.sh"))).toBe(false);
    const r = await runCli(["sim", p.dag]);
    expect(r.code).toBe(0);
    expect(field(r.out, "inner nodes")).toBe("4 total, 4 done, 0 failed, 0 futile");
  });

  it("--memory writes nothing to disk and gives the same outcome", async () => {
    const p = await plan("100.1", "mem");
    const beforeFiles = listing(p.dir);
    const r = await runCli(["--seed", "5", "sim", p.dag, "--memory"]);
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[0]).toBe(`Simulated ${p.dag} (seed 5, files kept in memory)`);
    expect(field(r.out, "inner nodes")).toBe("11 total, 11 done, 0 failed, 0 futile");
    expect(field(r.out, "virtual time")).toBe("00:01:35");
    expect(field(r.out, "dagman.out")).toBe(`${p.dag}.dagman.out (in memory)`);
    expect(listing(p.dir)).toEqual(beforeFiles);
  });

  it("passes --maxidle/--maxjobs/--maxpre/--maxpost to the top DAG's DAGMan alone", async () => {
    const p = await plan("100.1", "throttled");
    const r = await runCli(["sim", p.dag, "--maxjobs", "1", "--maxidle", "0"]);
    expect(r.code).toBe(0);
    expect(field(r.out, "inner nodes")).toBe("11 total, 11 done, 0 failed, 0 futile");
    const argv = (file: string) =>
      readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.includes(" argv["))
        .map((l) => l.slice(l.indexOf("argv[")));
    expect(argv(`${p.dag}.dagman.out`)).toEqual([
      'argv[0] == "condor_dagman"',
      'argv[1] == "-MaxIdle"',
      'argv[2] == "0"',
      'argv[3] == "-MaxJobs"',
      'argv[4] == "1"',
    ]);
    expect(argv(join(p.dir, "mg_000000", "group.dag.dagman.out"))).toEqual([
      'argv[0] == "condor_dagman"',
    ]);
  });

  it("stops a DAG that never ends at --max-days and exits 1", async () => {
    const dir = join(ws.dir, "forever");
    mkdirSync(dir, { recursive: true });
    const dag = join(dir, "loop.dag");
    // The PRE script exits 1, which SCRIPT DEFER turns into "run me again in 60 s".
    writeFileSync(dag, "JOB A a.sub\nSCRIPT DEFER 1 60 PRE A /bin/false\n");
    writeFileSync(join(dir, "a.sub"), "executable = /bin/true\nqueue\n");
    const r = await runCli(["sim", dag, "--max-days", "0.5"]);
    expect(r.code).toBe(1);
    expect(field(r.out, "status")).toBe(
      "RUNNING (stopped after 0.5 days of virtual time; --max-days to change)",
    );
    expect(field(r.out, "DAGMan exit")).toBe("none (did not exit)");
    expect(field(r.out, "metrics")).toBe("not written (DAGMan did not exit)");
    expect(field(r.out, "virtual time")).toMatch(/^1[12]:\d\d:\d\d$/);
  });

  it("jobs no machine can run wait for WMS2's idle timeouts; the DAG fails and lists them", async () => {
    const p = await plan("100.1", "stall");
    const pool = join(ws.dir, "tiny-pool.yaml");
    writeFileSync(
      pool,
      "machines:\n  - name: tiny\n    count: 2\n    cores: 1\n    memoryMb: 256\n    diskKb: 50000000\n    site: T2_CH_CERN\n",
    );
    const r = await runCli(["sim", p.dag, "--pool", pool]);
    expect(r.code).toBe(1);
    expect(field(r.out, "status")).toBe("FAILED");
    expect(field(r.out, "DAGMan exit")).toBe("1");
    // The landing job and six attempts of each of the eight proc jobs, none ever run.
    expect(r.out).toContain(
      "  unmatchable jobs (49): no machine of the pool can run them\n    jobs 1000-1048 (49): too large for every matching machine: request_memory 512 MiB > 256 MB\n",
    );
    // periodic_remove took the landing job after 4 h idle, at the schedd's next evaluation.
    const out = readFileSync(join(p.dir, "mg_000000", "group.dag.dagman.out"), "utf8");
    expect(out).toContain(
      "03/14/26 13:21:05 Event: ULOG_JOB_ABORTED for HTCondor Node landing (1000.0.0) {03/14/26 13:21:00}\n",
    );
    const post = JSON.parse(
      readFileSync(join(p.dir, "mg_000000", "proc_000000.post.json"), "utf8"),
    );
    expect(post.job.periodic_remove_reason).toBe("WMS2: idle for more than 43200 s");
  });

  it("a job no machine can run, with no periodic_remove, stalls the DAG and is listed", async () => {
    const dir = join(ws.dir, "huge");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "t.dag"), "JOB A a.sub\n");
    writeFileSync(join(dir, "a.sub"), "executable = /bin/true\nrequest_memory = 100G\nqueue\n");
    const r = await runCli(["sim", join(dir, "t.dag")]);
    expect(r.code).toBe(1);
    expect(field(r.out, "status")).toBe("STALLED");
    expect(field(r.out, "metrics")).toBe("not written (DAGMan did not exit)");
    expect(r.out).toMatch(
      /\n {2}unmatchable jobs \(1\): no machine of the pool can run them\n {4}job 1000: too large for every matching machine: request_memory 102400 MiB > \d+ MB\n/,
    );
  });
});

describe("the summary of matrix sim", () => {
  it("lists the jobs held when the simulation stopped, with their hold codes", () => {
    const counts = { total: 1, done: 0, failed: 0, futile: 0 };
    const text = renderSimSummary("/w/t.dag", 1, {
      status: "stalled",
      exitCode: null,
      dagStatus: null,
      startTime: 0,
      endTime: 100,
      durationSec: 100,
      nodes: counts,
      inner: { ...counts, total: 0 },
      jobsSubmitted: 1,
      events: 9,
      dagmanOut: "/w/t.dag.dagman.out",
      metricsFile: "/w/t.dag.metrics",
      unmatchable: [],
      held: [
        { jobId: 1000, reason: "memory usage exceeded request_memory", code: 34, subCode: 102 },
      ],
    });
    expect(text).toContain("  status:          STALLED\n");
    expect(text).toContain(
      "  held jobs (1) when the simulation stopped:\n    job 1000: memory usage exceeded request_memory (HoldReasonCode 34, subcode 102)\n",
    );
    expect(text).not.toContain("unmatchable");
  });
});

describe("matrix sim and plan --with-fault on bad input: one line, exit 2", () => {
  it("a missing DAG file", async () => {
    const dag = join(ws.dir, "none", "workflow.dag");
    const r = await runCli(["sim", dag]);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toBe(`matrix: ${dag}: no such DAG file`);
  });

  it("a directory instead of the DAG", async () => {
    const r = await runCli(["sim", ws.dir]);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toContain("is a directory; give the DAG file");
  });

  it("a DAG with a syntax error names file and line", async () => {
    const dag = join(ws.dir, "broken.dag");
    writeFileSync(dag, "JOB a a.sub\nPARENT a CHILD\n");
    const r = await runCli(["sim", dag]);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toMatch(new RegExp(`^matrix: ${dag}:2: `));
  });

  it("a bad seed", async () => {
    const r = await runCli(["sim", join(ws.dir, "x.dag"), "--seed", "abc"]);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toBe('matrix: --seed: expected a non-negative integer, got "abc"');
  });

  it("a --max-days that is no positive number", async () => {
    const r = await runCli(["sim", join(ws.dir, "x.dag"), "--max-days", "0"]);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toBe('matrix: --max-days: expected a number of days > 0, got "0"');
  });

  it("a throttle that is no whole number", async () => {
    const r = await runCli(["sim", join(ws.dir, "x.dag"), "--maxpre", "lots"]);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toBe(
      'matrix: --maxpre: expected a whole number >= 0 (0: no limit), got "lots"',
    );
  });

  it("--with-fault on a workflow without a fault writes nothing", async () => {
    const out = join(ws.dir, "nofault-plan");
    const r = await runCli(["plan", "100.0", "--out", out, "--with-fault", ...ws.args]);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toBe("matrix: --with-fault: workflow 100.0 has no fault");
    expect(existsSync(out)).toBe(false);
  });
});
