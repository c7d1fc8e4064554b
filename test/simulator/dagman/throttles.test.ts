import { describe, expect, it } from "vitest";
import { parseEventLog } from "../../../src/dagman/event-log.js";
import {
  flatDag,
  fsWith,
  mostAtOnce,
  notes,
  peaks,
  runOnBigPool,
  runWith,
  scriptedDag,
  sub,
  timedScripts,
} from "./harness.js";

describe("condor_submit_dag's throttles (-MaxIdle, -MaxJobs, -MaxPre, -MaxPost)", () => {
  it("-MaxIdle beats the CONFIG file's DAGMAN_MAX_JOBS_IDLE", () => {
    const fs = flatDag(20, "DAGMAN_MAX_JOBS_IDLE = 100\n");
    expect(runWith(fs, undefined, { maxIdle: 3 }).status).toBe("success");
    expect(peaks(fs).idle).toBe(3);
    expect(notes(fs)[1]).toMatch(
      /^Note: [1-9]\d* total job deferrals because of -MaxIdle limit \(3\)$/,
    );
  });

  it("-MaxIdle 0 lifts the CONFIG file's limit", () => {
    const fs = flatDag(20, "DAGMAN_MAX_JOBS_IDLE = 3\n");
    expect(runWith(fs, undefined, { maxIdle: 0 }).status).toBe("success");
    // All 20 are submitted in the first pass, before the negotiator starts any.
    expect(peaks(fs).idle).toBe(20);
  });

  it("-MaxJobs beats DAGMAN_MAX_JOBS_SUBMITTED", () => {
    const fs = flatDag(6, "DAGMAN_MAX_JOBS_SUBMITTED = 5\n");
    expect(runWith(fs, undefined, { maxJobs: 1 }).status).toBe("success");
    expect(peaks(fs).queued).toBe(1);
  });

  it.each([
    ["-MaxPre", { maxPre: 2 }, "PRE", 2],
    ["-MaxPost", { maxPost: 3 }, "POST", 3],
  ] as const)("%s beats the CONFIG file's script limit", (_flag, throttles, kind, most) => {
    const { runs, scripts } = timedScripts(30);
    const fs = scriptedDag(8, "DAGMAN_MAX_PRE_SCRIPTS = 10\nDAGMAN_MAX_POST_SCRIPTS = 10\n");
    expect(runOnBigPool(fs, scripts, throttles).status).toBe("success");
    expect(mostAtOnce(runs[kind])).toBe(most);
    // Without the flag, the CONFIG file's limit of 10 lets all 8 run at once.
    const free = timedScripts(30);
    runOnBigPool(
      scriptedDag(8, "DAGMAN_MAX_PRE_SCRIPTS = 10\nDAGMAN_MAX_POST_SCRIPTS = 10\n"),
      free.scripts,
    );
    expect(mostAtOnce(free.runs[kind])).toBe(8);
  });

  it("are listed among DAGMan's arguments in .dagman.out", () => {
    const fs = flatDag(2, "");
    runWith(fs, undefined, { maxPost: 4, maxIdle: 7 });
    const argv = fs
      .readText("/w/test.dag.dagman.out")
      .split("\n")
      .filter((l) => l.includes(" argv["))
      .map((l) => l.slice(l.indexOf("argv[")));
    expect(argv).toEqual([
      'argv[0] == "condor_dagman"',
      'argv[1] == "-MaxIdle"',
      'argv[2] == "7"',
      'argv[3] == "-MaxPost"',
      'argv[4] == "4"',
    ]);
  });

  it("do not reach sub-DAGs", () => {
    const inner = Array.from({ length: 4 }, (_, i) => `JOB I${i} n.sub\n`).join("");
    const fs = fsWith({
      "/w/test.dag": "SUBDAG EXTERNAL S inner.dag\nJOB T n.sub\n",
      "/w/inner.dag": inner,
      "/w/n.sub": sub("sec=100"),
    });
    const s = runWith(fs, undefined, { maxJobs: 1 });
    expect(s.status).toBe("success");
    // The top DAG's sub-DAG job and its own job queue one after the other...
    expect(peaks(fs).queued).toBe(1);
    // ...while the sub-DAG's DAGMan queues its four jobs at once.
    const innerLog = parseEventLog(fs.readText("/w/inner.dag.nodes.log"), "inner");
    expect(innerLog.filter((e) => e.kind === "submit" && e.time === innerLog[0].time)).toHaveLength(
      4,
    );
    const innerOut = fs.readText("/w/inner.dag.dagman.out");
    expect(innerOut).toMatch(/ argv\[0\] == "condor_dagman"\n/);
    expect(innerOut).not.toMatch(/argv\[1\]/);
  });

  it("a throttle that is no whole number >= 0 is one error", () => {
    expect(() => runWith(flatDag(1, ""), undefined, { maxPre: -1 })).toThrow(
      /^condor_submit_dag: -MaxPre must be a whole number >= 0, got -1$/,
    );
  });
});
