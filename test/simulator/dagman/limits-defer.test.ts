import { describe, expect, it } from "vitest";
import { parseDagmanConfigText } from "../../../simulator/dagman/config.js";
import { SIM_EPOCH } from "../../../simulator/dagman/simulate.js";
import type { ScriptModel } from "../../../simulator/payload/types.js";
import { parseEventLog } from "../../../src/dagman/event-log.js";
import { flatDag, fsWith, notes, peaks, runWith, sub, testModels } from "./harness.js";

describe("DAGMan's limits on node jobs", () => {
  it("DAGMAN_MAX_JOBS_IDLE: no submission while that many jobs are idle", () => {
    const fs = flatDag(20, "DAGMAN_MAX_JOBS_IDLE = 3\n");
    const s = runWith(fs);
    expect(s.status).toBe("success");
    const p = peaks(fs);
    expect(p.submitted).toBe(20);
    expect(p.idle).toBe(3);
    expect(p.queued).toBe(5); // 2 running + 3 idle
    const note = notes(fs).find((l) => l.includes("-MaxIdle"));
    expect(note).toMatch(/^Note: [1-9]\d* total job deferrals because of -MaxIdle limit \(3\)$/);
  });

  it("DAGMAN_MAX_JOBS_SUBMITTED: never more node jobs queued than the limit", () => {
    const fs = flatDag(20, "DAGMAN_MAX_JOBS_SUBMITTED = 4\n");
    const s = runWith(fs);
    expect(s.status).toBe("success");
    expect(peaks(fs)).toEqual({ queued: 4, idle: 4, submitted: 20 });
    expect(notes(fs)[0]).toMatch(
      /^Note: [1-9]\d* total job deferrals because of -MaxJobs limit \(4\)$/,
    );
  });

  it("by default submits up to 1000 idle jobs, with no limit on queued jobs", () => {
    const fs = flatDag(20, "");
    const s = runWith(fs);
    expect(s.status).toBe("success");
    expect(peaks(fs)).toEqual({ queued: 20, idle: 20, submitted: 20 });
    expect(notes(fs)).toEqual([
      "Note: 0 total job deferrals because of -MaxJobs limit (0)",
      "Note: 0 total job deferrals because of -MaxIdle limit (1000)",
      "Note: 0 total job deferrals because of node category throttles",
      "Note: 0 total PRE script deferrals because of -MaxPre limit (20) or DEFER",
      "Note: 0 total POST script deferrals because of -MaxPost limit (20) or DEFER",
      "Note: 0 total HOLD script deferrals because of -MaxHold limit (20) or DEFER",
    ]);
    const out = fs.readText("/w/test.dag.dagman.out").trimEnd().split("\n");
    expect(out.at(-1)).toMatch(/EXITING WITH STATUS 0$/);
    expect(out.at(-8)).toMatch(/DAG status: 0 \(DAG_STATUS_OK\)$/);
  });

  it("the limits hold back submissions, not PRE scripts", () => {
    const fs = flatDag(6, "DAGMAN_MAX_JOBS_SUBMITTED = 1\n", { pre: true });
    const preAt: number[] = [];
    const s = runWith(fs, () => (c) => {
      preAt.push(c.now);
      return { exitCode: 0, durationSec: 1 };
    });
    expect(s.status).toBe("success");
    expect(new Set(preAt).size).toBe(1); // every PRE ran at the start
    expect(peaks(fs).queued).toBe(1);
  });

  it("submits ready nodes by PRIORITY, higher first, then in file order", () => {
    const fs = fsWith({
      "/w/test.dag": [
        "CONFIG /w/dagman.config",
        "JOB A n.sub",
        "JOB B n.sub",
        "JOB C n.sub",
        "JOB D n.sub",
        "PRIORITY C 10",
        "PRIORITY D -5",
        "PRIORITY B 10",
        "",
      ].join("\n"),
      "/w/dagman.config": "DAGMAN_MAX_JOBS_SUBMITTED = 1\n",
      "/w/n.sub": sub("sec=100"),
    });
    runWith(fs);
    const order = fs
      .readText("/w/test.dag.dagman.out")
      .split("\n")
      .map((l) => /Submitting HTCondor Node (\S+) /.exec(l)?.[1])
      .filter((x) => x !== undefined);
    expect(order).toEqual(["B", "C", "A", "D"]);
  });

  it("counts category deferrals", () => {
    const lines = Array.from({ length: 4 }, (_, i) => `JOB N${i} n.sub\nCATEGORY N${i} Work\n`);
    const fs = fsWith({
      "/w/test.dag": `${lines.join("")}MAXJOBS Work 1\n`,
      "/w/n.sub": sub("sec=100"),
    });
    runWith(fs);
    expect(notes(fs)[2]).toMatch(
      /^Note: [1-9]\d* total job deferrals because of node category throttles$/,
    );
    expect(peaks(fs).queued).toBe(1);
  });

  it("counts a PRE waiting for a place once, however many passes it waits", () => {
    const fs = flatDag(5, "DAGMAN_MAX_PRE_SCRIPTS = 2\n", { pre: true, sec: 10 });
    const s = runWith(fs, () => () => ({ exitCode: 0, durationSec: 30 }));
    expect(s.status).toBe("success");
    expect(notes(fs)[3]).toBe(
      "Note: 3 total PRE script deferrals because of -MaxPre limit (2) or DEFER",
    );
  });

  it.each([
    [
      "DAGMAN_MAX_JOBS_IDLE = -1",
      /DAGMAN_MAX_JOBS_IDLE must be a whole number >= 0 \(0: no limit\), got "-1"$/,
    ],
    [
      "DAGMAN_MAX_JOBS_SUBMITTED = 2.5",
      /DAGMAN_MAX_JOBS_SUBMITTED must be a whole number, got "2.5"$/,
    ],
    ["DAGMAN_MAX_JOBS_IDLE = lots", /DAGMAN_MAX_JOBS_IDLE must be a whole number, got "lots"$/],
    [
      "DAGMAN_MAX_PRE_SCRIPTS = -2",
      /DAGMAN_MAX_PRE_SCRIPTS must be a whole number >= 0 \(0: no limit\), got "-2"$/,
    ],
    ["DAGMAN_MAX_POST_SCRIPTS = 1.5", /DAGMAN_MAX_POST_SCRIPTS must be a whole number, got "1.5"$/],
    [
      "DAGMAN_USER_LOG_SCAN_INTERVAL =",
      /DAGMAN_USER_LOG_SCAN_INTERVAL must be a whole number, got ""$/,
    ],
  ])("refuses %s naming file and line", (line, message) => {
    expect(() => parseDagmanConfigText(`# limits\n${line}\n`, "dagman.config")).toThrow(
      new RegExp(`^dagman\\.config:2: ${message.source}`),
    );
  });
});

describe("DAGMAN_ALWAYS_RUN_POST", () => {
  const dag = (config: string) =>
    fsWith({
      "/w/test.dag": [
        "CONFIG /w/dagman.config",
        "JOB A a.sub",
        "SCRIPT PRE A exit.sh 3",
        "SCRIPT POST A post.sh $RETURN $PRE_SCRIPT_RETURN",
        "JOB B a.sub",
        "PARENT A CHILD B",
        "",
      ].join("\n"),
      "/w/dagman.config": config,
      "/w/a.sub": sub("exit=0"),
    });
  /** The POST exits 0: it decides the node whatever the PRE did. */
  const posts: string[][] = [];
  const scripts = (executable: string): ScriptModel =>
    executable === "post.sh"
      ? (c) => {
          posts.push([...c.args]);
          return { exitCode: 0, durationSec: 1 };
        }
      : testModels.scriptFor(executable, "/w/test.dag");

  it("runs the POST after a failed PRE, with $RETURN -1004; the POST decides", () => {
    posts.length = 0;
    const fs = dag("DAGMAN_ALWAYS_RUN_POST = True\n");
    const s = runWith(fs, scripts);
    expect(posts).toEqual([["-1004", "3"]]);
    expect(s.status).toBe("success");
    expect(s.top.byName.get("A")!.state).toBe(5);
    expect(s.top.byName.get("B")!.state).toBe(5);
    expect(fs.readText("/w/test.dag.dagman.out")).not.toMatch(/Submitting HTCondor Node A /);
  });

  it("is off by default: the failed PRE fails the node and its POST does not run", () => {
    posts.length = 0;
    const s = runWith(dag("DAGMAN_ALWAYS_RUN_POST = false\n"), scripts);
    expect(posts).toEqual([]);
    expect(s.status).toBe("failed");
    expect(s.top.byName.get("B")!.state).toBe(7);
  });

  it.each([
    ["T", true],
    ["1", true],
    ["0", false],
    ["FALSE", false],
  ])("reads %s as HTCondor does", (value, on) => {
    const text = `DAGMAN_ALWAYS_RUN_POST = ${value}\n`;
    expect(parseDagmanConfigText(text, "c").alwaysRunPost).toBe(on);
  });

  it("refuses a value that is no boolean, naming file and line", () => {
    expect(() => parseDagmanConfigText("DAGMAN_ALWAYS_RUN_POST = sometimes\n", "c")).toThrow(
      /^c:1: DAGMAN_ALWAYS_RUN_POST must be True or False, got "sometimes"$/,
    );
  });
});

describe("SCRIPT DEFER", () => {
  /** A script that exits with `first` on its first run, 0 after; its start times. */
  function flaky(first: number) {
    const starts: { kind: string; at: number; attempt: number }[] = [];
    const model = (): ScriptModel => (c) => {
      starts.push({ kind: c.kind, at: c.now, attempt: c.attempt });
      return { exitCode: starts.length === 1 ? first : 0, durationSec: 1 };
    };
    return { starts, model };
  }

  it.each([
    ["PRE", 7, 60, "Note: 1 total PRE script deferrals because of -MaxPre limit (20) or DEFER"],
    ["POST", 3, 30, "Note: 1 total POST script deferrals because of -MaxPost limit (20) or DEFER"],
  ] as const)(
    "runs a %s again after the time when it exits with the status",
    (which, status, sec, note) => {
      const fs = fsWith({
        "/w/test.dag": `JOB A n.sub\nSCRIPT DEFER ${status} ${sec} ${which} A script.sh\n`,
        "/w/n.sub": sub("sec=10"),
      });
      const f = flaky(status);
      const s = runWith(fs, f.model);
      expect(s.status).toBe("success");
      expect(f.starts.map((x) => x.kind)).toEqual([which, which]);
      expect(f.starts[1].at - f.starts[0].at).toBeGreaterThanOrEqual(sec + 1);
      expect(f.starts.map((x) => x.attempt)).toEqual([0, 0]); // not a retry
      expect(s.top.byName.get("A")!.retry).toBe(0);
      // Only a POST's last run is logged.
      const events = parseEventLog(fs.readText("/w/test.dag.nodes.log"), "nodes.log");
      const logged = events.filter((e) => e.kind === "postScriptTerminated");
      expect(logged).toHaveLength(which === "POST" ? 1 : 0);
      expect(notes(fs)).toContain(note);
    },
  );

  /** A DAG whose scripts exit with `first` on their first run, 0 after, run to its end. */
  function runFlaky(dag: string, first: number, files: Record<string, string> = {}) {
    const f = flaky(first);
    const fs = fsWith({ "/w/test.dag": dag, "/w/n.sub": sub("sec=10"), ...files });
    return { s: runWith(fs, f.model), f };
  }

  it("another exit status fails the node as without DEFER", () => {
    const { s, f } = runFlaky("JOB A n.sub\nSCRIPT DEFER 7 60 PRE A pre.sh\n", 8);
    expect(s.status).toBe("failed");
    expect(f.starts).toHaveLength(1);
    expect(s.top.byName.get("A")!.state).toBe(6);
  });

  it("a script deferred when the DAG aborts is not run again, and its node fails", () => {
    const dag =
      "JOB A n.sub\nSCRIPT DEFER 7 3600 PRE A pre.sh\nJOB B b.sub\nABORT-DAG-ON B 5 RETURN 9\n";
    const { s, f } = runFlaky(dag, 7, { "/w/b.sub": sub("exit=5 sec=50") });
    expect(s.status).toBe("aborted");
    expect(f.starts).toHaveLength(1);
    expect(s.top.byName.get("A")!.state).toBe(6);
    expect(s.exitTime! - SIM_EPOCH).toBeLessThan(3600);
  });
});
