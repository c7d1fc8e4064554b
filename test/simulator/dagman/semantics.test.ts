import { describe, expect, it } from "vitest";
import { SimSession } from "../../../simulator/dagman/simulate.js";
import { parseEventLog } from "../../../src/dagman/event-log.js";
import { parseDagMetrics, parseNodeStatus, parseRescueDag } from "../../../src/dagman/index.js";
import { fsWith, run, sub, submissions, testModels } from "./harness.js";

describe("DAGMan node semantics", () => {
  it.each([
    // [description, dag lines, submit args, expected attempts, expected success]
    ["RETRY 3 reruns a failing node 3 more times", "RETRY A 3", "exit=1", 4, false],
    ["UNLESS-EXIT stops retries on that value", "RETRY A 5 UNLESS-EXIT 42", "exit=42", 1, false],
    ["UNLESS-EXIT on another value still retries", "RETRY A 2 UNLESS-EXIT 42", "exit=3", 3, false],
    ["no RETRY: one attempt", "", "exit=1", 1, false],
    ["a signal counts as failure", "RETRY A 1", "signal=9", 2, false],
    ["success needs no retry", "RETRY A 3", "exit=0", 1, true],
  ])("%s", (_d, extra, args, attempts, ok) => {
    const fs = fsWith({ "/w/test.dag": `JOB A a.sub\n${extra}\n`, "/w/a.sub": sub(args) });
    const s = run(fs);
    expect(submissions(fs, "A")).toBe(attempts);
    expect(s.status).toBe(ok ? "success" : "failed");
    expect(s.exit?.exitCode).toBe(ok ? 0 : 1);
    expect(fs.exists("/w/test.dag.rescue001")).toBe(!ok);
  });

  it("the POST script's exit decides the node, not the job's", () => {
    const fs = fsWith({
      "/w/test.dag": "JOB A a.sub\nSCRIPT POST A pass.sh\nJOB B b.sub\nSCRIPT POST B exit.sh 1\n",
      "/w/a.sub": sub("exit=1"),
      "/w/b.sub": sub("exit=0"),
    });
    const s = run(fs);
    expect(s.status).toBe("failed");
    const byNode = Object.fromEntries(s.top.nodes.map((n) => [n.def.name, n.state]));
    expect(byNode).toEqual({ A: 5, B: 6 });
    expect(s.top.byName.get("A")!.jobReturn).toBe(1);
  });

  it("POST receives the job's return value, -signo for a signal", () => {
    const fs = fsWith({
      "/w/test.dag":
        "JOB A a.sub\nSCRIPT POST A echo_return.sh $RETURN\nJOB B b.sub\nSCRIPT POST B echo_return.sh $RETURN\n",
      "/w/a.sub": sub("exit=7"),
      "/w/b.sub": sub("signal=9"),
    });
    const s = run(fs);
    const a = s.top.byName.get("A")!;
    const b = s.top.byName.get("B")!;
    expect(a.jobReturn).toBe(7);
    expect(a.state).toBe(6);
    expect(b.jobReturn).toBe(-9);
    expect(b.state).toBe(5); // echo_return maps negatives to 0
  });

  it("a failing PRE script skips the job and the POST", () => {
    const fs = fsWith({
      "/w/test.dag":
        "JOB A a.sub\nSCRIPT PRE A exit.sh 2\nSCRIPT POST A pass.sh\nJOB B b.sub\nPARENT A CHILD B\n",
      "/w/a.sub": sub("exit=0"),
      "/w/b.sub": sub("exit=0"),
    });
    const s = run(fs);
    expect(submissions(fs, "A")).toBe(0);
    expect(s.top.byName.get("A")!.state).toBe(6);
    expect(s.top.byName.get("B")!.state).toBe(7); // futile
    expect(s.top.byName.get("A")!.jobReturn).toBe(-1004);
  });

  it.each([
    ["PRE_SKIP's value: job and POST skipped, the node done", "PRE_SKIP A 3\n", 5],
    ["another value: the node fails", "PRE_SKIP A 4\n", 6],
    ["no PRE_SKIP: the node fails", "", 6],
  ])("a PRE exiting 3 with %s", (_d, extra, state) => {
    const fs = fsWith({
      "/w/test.dag": `JOB A a.sub\nSCRIPT PRE A exit.sh 3\nSCRIPT POST A exit.sh 1\n${extra}JOB B b.sub\nPARENT A CHILD B\n`,
      "/w/a.sub": sub("exit=0"),
      "/w/b.sub": sub("exit=0"),
    });
    const s = run(fs);
    const a = s.top.byName.get("A")!;
    expect(submissions(fs, "A")).toBe(0);
    expect(a.state).toBe(state);
    // A done lets B run; a failed A makes it futile.
    expect(s.top.byName.get("B")!.state).toBe(state === 5 ? 5 : 7);
    expect(s.status).toBe(state === 5 ? "success" : "failed");
    const out = fs.readText("/w/test.dag.dagman.out");
    expect(
      out.includes("PRE_SKIP return value 3 indicates we are done (successfully) with node A"),
    ).toBe(state === 5);
    expect(out).not.toMatch(/POST Script of node A failed/);
  });

  it("never has more than MAXJOBS jobs of a category queued (checked on the event log)", () => {
    const nodes = Array.from(
      { length: 12 },
      (_, i) => `JOB N${i} n.sub\nCATEGORY N${i} Work\n`,
    ).join("");
    const fs = fsWith({ "/w/test.dag": `${nodes}MAXJOBS Work 3\n`, "/w/n.sub": sub("sec=50") });
    const s = run(fs);
    expect(s.status).toBe("success");
    const events = parseEventLog(fs.readText("/w/test.dag.nodes.log"), "nodes.log");
    let queued = 0;
    let peak = 0;
    for (const e of events) {
      if (e.kind === "submit") queued++;
      if (e.kind === "terminated" || e.kind === "aborted") queued--;
      peak = Math.max(peak, queued);
    }
    expect(events.filter((e) => e.kind === "submit")).toHaveLength(12);
    expect(peak).toBe(3);
  });

  it("runs at most DAGMAN_MAX_PRE_SCRIPTS PREs and DAGMAN_MAX_POST_SCRIPTS POSTs at once", () => {
    const nodes = Array.from(
      { length: 5 },
      (_, i) => `JOB N${i} n.sub\nSCRIPT PRE N${i} slow.sh\nSCRIPT POST N${i} slow.sh\n`,
    ).join("");
    const fs = fsWith({
      "/w/test.dag": `CONFIG /w/dagman.config\n${nodes}`,
      "/w/dagman.config": "DAGMAN_MAX_PRE_SCRIPTS = 2\nDAGMAN_MAX_POST_SCRIPTS = 1\n",
      "/w/n.sub": sub("sec=5"),
    });
    const starts: { kind: string; at: number }[] = [];
    const models = {
      ...testModels,
      scriptFor: () => (c: { kind: string; now: number }) => {
        starts.push({ kind: c.kind, at: c.now });
        return { exitCode: 0, durationSec: 30 };
      },
    };
    const s = new SimSession("/w/test.dag", { fs, models, seed: 1 });
    s.runToEnd();
    expect(s.status).toBe("success");
    const peak = (kind: string) => {
      const at = starts.filter((x) => x.kind === kind).map((x) => x.at);
      return Math.max(...at.map((t) => at.filter((u) => u <= t && t < u + 30).length));
    };
    expect(starts.filter((x) => x.kind === "PRE")).toHaveLength(5);
    expect(starts.filter((x) => x.kind === "POST")).toHaveLength(5);
    expect(peak("PRE")).toBe(2);
    expect(peak("POST")).toBe(1);
  });

  it("writes a rescue DAG with DONE lines; resubmission skips DONE nodes", () => {
    const fs = fsWith({
      "/w/test.dag": "JOB A a.sub\nJOB B b.sub\nJOB C c.sub\nPARENT A CHILD B\nPARENT B CHILD C\n",
      "/w/a.sub": sub("exit=0"),
      "/w/b.sub": sub("exit=1"),
      "/w/c.sub": sub("exit=0"),
    });
    const first = run(fs);
    expect(first.status).toBe("failed");
    const rescue = parseRescueDag(fs.readText("/w/test.dag.rescue001"), "rescue");
    expect(rescue.doneNodes).toEqual(["A"]);
    expect(rescue.failedNodes).toEqual(["B"]);
    expect(rescue.totalNodes).toBe(3);
    fs.writeText("/w/b.sub", sub("exit=0"));
    const second = run(fs);
    expect(second.status).toBe("success");
    expect(fs.readText("/w/A.ran")).toBe("0\n"); // ran once, in the first submission only
    expect(fs.readText("/w/B.ran")).toBe("0\n0\n");
    const metrics = parseDagMetrics(fs.readText("/w/test.dag.metrics"), "metrics");
    expect(metrics.rescueDagNumber).toBe(1);
    expect(metrics.exitcode).toBe(0);
    expect(fs.exists("/w/test.dag.rescue002")).toBe(false);
  });

  it("a failing SUBDAG fails its node in the parent, and its children are futile", () => {
    const fs = fsWith({
      "/w/test.dag": "SUBDAG EXTERNAL S in.dag DIR inner\nJOB T t.sub\nPARENT S CHILD T\n",
      "/w/inner/in.dag": "JOB X x.sub\n",
      "/w/inner/x.sub": sub("exit=5"),
      "/w/t.sub": sub("exit=0"),
    });
    const s = run(fs);
    expect(s.status).toBe("failed");
    expect(s.top.byName.get("S")!.jobReturn).toBe(1);
    expect(s.top.byName.get("T")!.state).toBe(7);
    expect(fs.exists("/w/inner/in.dag.rescue001")).toBe(true);
    expect(fs.exists("/w/test.dag.rescue001")).toBe(true);
    const inner = parseDagMetrics(fs.readText("/w/inner/in.dag.metrics"), "m");
    expect(inner.parentDagmanId).not.toBe("");
    expect(inner.jobsFailed).toBe(1);
  });

  it("ABORT-DAG-ON stops the DAG with the RETURN value and removes running jobs", () => {
    const fs = fsWith({
      "/w/test.dag":
        "JOB A a.sub\nSCRIPT POST A exit.sh 43\nRETRY A 5 UNLESS-EXIT 42\nABORT-DAG-ON A 43 RETURN 1\nJOB L l.sub\n",
      "/w/a.sub": sub("exit=1 sec=10"),
      "/w/l.sub": sub("sec=100000"),
    });
    const s = run(fs);
    expect(s.status).toBe("aborted");
    expect(s.exit?.exitCode).toBe(1);
    expect(submissions(fs, "A")).toBe(1); // abort beats retry
    expect(s.pool.jobs().find((j) => j.attrs.DAGNodeName === "L")?.status).toBe(3);
    expect(s.sim.now - 1773480000).toBeLessThan(1000);
  });

  it("the node status file shows the DAG at several times", () => {
    const fs = fsWith({
      "/w/test.dag":
        "NODE_STATUS_FILE test.status 30\nJOB A a.sub\nJOB B b.sub\nPARENT A CHILD B\n",
      "/w/a.sub": sub("sec=300"),
      "/w/b.sub": sub("sec=300"),
    });
    const s = new SimSession("/w/test.dag", { fs, models: testModels, seed: 1 });
    s.runFor(120);
    let st = parseNodeStatus(fs.readText("/w/test.status"), "s");
    expect(st.nodes.map((n) => [n.node, n.nodeStatus])).toEqual([
      ["A", 3],
      ["B", 0],
    ]);
    expect(st.dag.nodesQueued).toBe(1);
    s.runFor(400);
    st = parseNodeStatus(fs.readText("/w/test.status"), "s");
    expect(st.nodes.map((n) => n.nodeStatus)).toEqual([5, 3]);
    s.runToEnd();
    st = parseNodeStatus(fs.readText("/w/test.status"), "s");
    expect(st.dag.dagStatus).toBe(5);
    expect(st.dag.nodesDone).toBe(2);
    expect(st.end.nextUpdate).toBe(0);
  });
});

describe("bad input", () => {
  it("a cyclic DAG is refused with the node on the cycle", () => {
    const fs = fsWith({
      "/w/test.dag": "JOB A a.sub\nJOB B a.sub\nPARENT A CHILD B\nPARENT B CHILD A\n",
    });
    expect(() => run(fs)).toThrow(/test\.dag.*cycle/i);
  });

  it.each([
    ["SPLICE S inner.dag", /^\/w\/test\.dag: "SPLICE S inner\.dag": splices are not simulated/],
    ["INCLUDE more.dag", /^\/w\/test\.dag: "INCLUDE more\.dag": INCLUDE is not simulated/],
    ["REJECT", /^\/w\/test\.dag: "REJECT": the DAG is marked REJECT/],
  ])("a DAG with %s, which would change what runs, is refused in one line", (line, message) => {
    const fs = fsWith({
      "/w/test.dag": `JOB A a.sub\n${line}\n`,
      "/w/a.sub": sub("exit=0"),
      "/w/inner.dag": "JOB B a.sub\n",
      "/w/more.dag": "JOB C a.sub\n",
    });
    expect(() => run(fs)).toThrow(message);
  });

  it("a sub-DAG with a SPLICE stops the run with one line naming its file", () => {
    const fs = fsWith({
      "/w/test.dag": "SUBDAG EXTERNAL S inner.dag\n",
      "/w/inner.dag": "JOB B a.sub\nSPLICE T t.dag\n",
      "/w/a.sub": sub("exit=0"),
    });
    expect(() => run(fs)).toThrow(/^\/w\/inner\.dag: "SPLICE T t\.dag": splices are not simulated/);
  });

  it.each(["queue 3", "queue name from names.txt"])(
    "a submit file with %s (several jobs) is refused naming it",
    (queue) => {
      const fs = fsWith({
        "/w/test.dag": "JOB A a.sub\n",
        "/w/a.sub": sub("exit=0").replace(/queue\n$/, `${queue}\n`),
      });
      expect(() => run(fs)).toThrow(`/w/a.sub: ${queue}: the simulator runs one job per node`);
    },
  );

  it("a universe given by the node's VARS is read after the macro, as condor_submit does", () => {
    const dag = (u: string) =>
      fsWith({
        "/w/test.dag": `JOB A a.sub\nVARS A u="${u}"\n`,
        "/w/a.sub": `universe = $(u)\n${sub("exit=0")}`,
      });
    const local = run(dag("local"));
    expect(local.status).toBe("success");
    // A local-universe job runs on the access point: the pool never saw it.
    expect(local.pool.runs()).toEqual([]);
    expect(run(dag("vanilla")).pool.runs()).toHaveLength(1);
    expect(() => run(dag("vanila"))).toThrow('/w/a.sub: unknown universe "vanila"');
  });

  it("statements that do not change what runs are ignored", () => {
    const fs = fsWith({
      "/w/test.dag": "JOB A a.sub\nDOT dag.dot\nJOBSTATE_LOG state.log\nSET_JOB_ATTR x = 1\n",
      "/w/a.sub": sub("exit=0"),
    });
    expect(run(fs).status).toBe("success");
  });

  it("a DAG naming a missing submit file gives one line naming it", () => {
    const fs = fsWith({ "/w/test.dag": "JOB A missing.sub\n" });
    expect(() => run(fs)).toThrow("/w/missing.sub: file not found");
  });

  it("a submit file without executable is refused", () => {
    const fs = fsWith({ "/w/test.dag": "JOB A a.sub\n", "/w/a.sub": "arguments = x\nqueue\n" });
    expect(() => run(fs)).toThrow(/a\.sub.*executable/);
  });

  it("an unknown executable is refused naming the submit file", () => {
    const fs = fsWith({
      "/w/test.dag": "JOB A a.sub\n",
      "/w/a.sub": "executable = foo.sh\nqueue\n",
    });
    expect(() => run(fs)).toThrow(
      '/w/a.sub: executable "foo.sh" is not a payload the simulator knows',
    );
  });
});
