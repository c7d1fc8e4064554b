import { describe, expect, it } from "vitest";
import { SIM_EPOCH, simulateDag } from "../../../simulator/dagman/simulate.js";
import { compileExpr, exprFacts } from "../../../simulator/pool/index.js";
import type { PoolConfig } from "../../../simulator/pool/types.js";
import { parseEventLog } from "../../../src/dagman/event-log.js";
import { periodicRemove } from "../../../src/planner/job-limits.js";
import { fsWith, runWatchingPosts, sub, testModels } from "./harness.js";

/** `waited` falls at the schedd's first evaluation (60 s grid) after `age` has passed. */
function expectFirstEvaluationAfter(waited: number, age: number): void {
  expect(waited).toBeGreaterThan(age);
  expect(waited).toBeLessThanOrEqual(age + 60);
}

/** Run one node (job `args`, submit lines `extra`, RETRY `retries`) watching its POSTs. */
function runOne(args: string, extra: string, retries = 0, pool?: PoolConfig) {
  const fs = fsWith({
    "/w/test.dag": `JOB A a.sub\nSCRIPT POST A post.sh $RETURN\nRETRY A ${retries}\n`,
    "/w/a.sub": sub(args, extra),
  });
  const { r, posts, times } = runWatchingPosts(fs, pool);
  return { r, posts, at: times };
}

describe("what a periodic_remove expression tells of its dependence on time", () => {
  it("numbers, attributes read, and whether time() appears only as the age in the state", () => {
    const planner = exprFacts(
      compileExpr(periodicRemove({ kind: "proc", idleTimeoutSec: 43200 }).expr),
    );
    expect(planner.onlyAge).toBe(true);
    expect(planner.numbers).toEqual([1, 2, 5, 60, 420, 1800, 43200, 172800, 20971520]);
    expect(planner.reads).toEqual([
      "diskusage",
      "enteredcurrentstatus",
      "jobstatus",
      "remotesyscpu",
      "remoteusercpu",
    ]);
    const limits = (text: string, ad: Record<string, number> = {}) =>
      exprFacts(compileExpr(text)).ageLimits.map((e) =>
        e(
          (k) => ad[k],
          () => undefined,
        ),
      );
    expect(limits("(time() - EnteredCurrentStatus) > 2 * 3600 && JobStatus == 1")).toEqual([7200]);
    expect(
      limits("MaxWallTimeMinsRun * 60 < (time() - EnteredCurrentStatus)", {
        maxwalltimeminsrun: 181,
      }),
    ).toEqual([10860]);
    expect(limits(periodicRemove({ kind: "landing", idleTimeoutSec: 14400 }).expr)).toEqual([
      420, 14400,
    ]);
    expect(exprFacts(compileExpr("time() > 1773490000")).onlyAge).toBe(false);
    expect(exprFacts(compileExpr("(time() - QDate) > 60")).onlyAge).toBe(false);
    expect(exprFacts(compileExpr("EnteredCurrentStatus > 5")).onlyAge).toBe(false);
    expect(exprFacts(compileExpr("JobStatus == 1")).onlyAge).toBe(true);
  });
});

/** WMS2's periodic_remove for proc jobs, with its reason. */
const proc = periodicRemove({ kind: "proc", idleTimeoutSec: 43200 });
const plannerPolicy = `periodic_remove = ${proc.expr}\n+PeriodicRemoveReason = ${proc.reason}\n`;

/** One 8-core machine (the reports' interval set by each test). */
const SLOW_REPORTS: PoolConfig = {
  negotiationIntervalSec: 10,
  firstClusterId: 1000,
  machines: [{ name: "wn", count: 1, cores: 8, memoryMb: 8000, diskKb: 10_000_000, site: "T2_X" }],
};

describe("periodic_remove of idle and running jobs", () => {
  it("removes a job idle past the age its expression names, at the schedd's next evaluation", () => {
    const { r, posts, at } = runOne(
      "sec=100",
      "request_memory = 900000\nperiodic_remove = (JobStatus == 1) && (time() - EnteredCurrentStatus) > 600\n" +
        '+PeriodicRemoveReason = "idle too long"\n',
    );
    expect(r.status).toBe("failed");
    expect(at("execute")).toEqual([]);
    // Evaluations fall on the 60 s grid: at 600 s the age is not yet over 600 s.
    expect(at("aborted")).toEqual([660]);
    expect(posts[0].jobReturn).toBe(-1002);
    expect(posts[0].job?.periodicRemoveReason).toBe("idle too long");
    expect(r.unmatchable).toEqual([
      { jobId: 1000, reason: expect.stringContaining("request_memory 900000 MiB") },
    ]);
  });

  it("evaluates jobs of one class each at its own time", () => {
    const idle = "periodic_remove = (JobStatus == 1) && (time() - EnteredCurrentStatus) > 600\n";
    const fs = fsWith({
      "/w/test.dag": "JOB A a.sub\nJOB B big.sub\nJOB C big.sub\nPARENT A CHILD B\n",
      "/w/a.sub": sub("sec=100", idle),
      "/w/big.sub": sub("sec=100", `request_memory = 900000\n${idle}`),
    });
    const r = simulateDag("/w/test.dag", { fs, models: testModels, seed: 1 });
    expect(r.status).toBe("failed");
    const events = parseEventLog(fs.readText("/w/test.dag.nodes.log"), "nodes.log");
    const when = (kind: string) =>
      events.filter((e) => e.kind === kind).map((e) => [e.cluster, e.time - SIM_EPOCH]);
    const submits = new Map(when("submit") as [number, number][]);
    const aborts = when("aborted") as [number, number][];
    // C (submitted at once) and B (after A's job) are removed 600 s into their wait.
    expect(aborts).toHaveLength(2);
    for (const [cluster, t] of aborts) {
      const waited = t - (submits.get(cluster) as number);
      expectFirstEvaluationAfter(waited, 600);
    }
    expect(aborts[0][1]).not.toBe(aborts[1][1]);
  });

  it("removes a job running past its limit, each retry on its own clock", () => {
    const { r, at } = runOne(
      "sec=1000",
      "periodic_remove = (JobStatus == 2) && (time() - EnteredCurrentStatus) > 300\n",
      1,
    );
    expect(r.status).toBe("failed");
    const starts = at("execute");
    const removals = at("aborted");
    expect(starts).toHaveLength(2);
    expect(removals).toHaveLength(2);
    for (let i = 0; i < 2; i++) {
      expectFirstEvaluationAfter(removals[i] - starts[i], 300);
      expect(removals[i] % 60).toBe(0);
    }
  });

  it("finds the age where the expression computes it: arithmetic and the job's attributes", () => {
    const byAttribute = runOne(
      "sec=4000",
      "+MaxWallTimeMinsRun = 10\n" +
        "periodic_remove = (JobStatus == 2) && (time() - EnteredCurrentStatus) > MaxWallTimeMinsRun * 60\n",
    );
    const byArithmetic = runOne(
      "sec=4000",
      "periodic_remove = (JobStatus == 2) && (time() - EnteredCurrentStatus) > 2 * 300\n",
    );
    for (const { r, at } of [byAttribute, byArithmetic]) {
      expect(r.status).toBe("failed");
      const waited = at("aborted")[0] - at("execute")[0];
      expectFirstEvaluationAfter(waited, 600);
    }
  });

  it("leaves a job that ends before the age alone", () => {
    const { r, at } = runOne(
      "sec=100",
      "periodic_remove = (JobStatus == 2) && (time() - EnteredCurrentStatus) > 300\n",
    );
    expect(r.status).toBe("success");
    expect(at("aborted")).toEqual([]);
  });

  it("removes a running proc job that used no CPU in 1800 s as a zombie, and tells its POST", () => {
    const { r, posts, at } = runOne("sec=4000", plannerPolicy);
    expect(r.status).toBe("failed");
    const [start] = at("execute");
    const [removed] = at("aborted");
    expectFirstEvaluationAfter(removed - start, 1800);
    expect(removed % 60).toBe(0);
    expect(posts[0].job?.periodicRemoveReason).toBe("WMS2: zombie job (no CPU used in 1800 s)");
  });

  it("leaves a job alone that used CPU before the report the schedd judges by", () => {
    // 1 core from 1000 s on: the report at 1800 s says 800 s of CPU.
    const { r, at } = runOne("sec=4000 cores=1 cpufrom=1000", plannerPolicy);
    expect(r.status).toBe("success");
    expect(at("aborted")).toEqual([]);
  });

  it("judges by the CPU the shadow last reported, not the CPU used since", () => {
    // Reports every 1000 s: at 1800 s the schedd still holds the report of 1000 s (no CPU),
    // though the job has used 100 s since 1700 s.
    const pool: PoolConfig = { ...SLOW_REPORTS, shadowUpdateIntervalSec: 1000 };
    const late = runOne("sec=4000 cores=1 cpufrom=1700", plannerPolicy, 0, pool);
    expect(late.r.status).toBe("failed");
    expect(late.posts[0].job?.periodicRemoveReason).toMatch(/zombie/);
    // Reports every 900 s: the report of 1800 s has the 100 s.
    const timely = runOne("sec=4000 cores=1 cpufrom=1700", plannerPolicy, 0, {
      ...SLOW_REPORTS,
      shadowUpdateIntervalSec: 900,
    });
    expect(timely.r.status).toBe("success");
  });

  it("costs the planner's jobs no evaluation while nothing in their policy can fire", () => {
    const remove = periodicRemove({ kind: "proc", idleTimeoutSec: 43200 });
    const dag = (extra: string) => {
      const nodes = Array.from({ length: 30 }, (_, i) => `JOB N${i} n.sub\n`).join("");
      const fs = fsWith({ "/w/test.dag": nodes, "/w/n.sub": sub("sec=200", extra) });
      return simulateDag("/w/test.dag", { fs, models: testModels, seed: 1 });
    };
    const plain = dag("");
    const policed = dag(
      `periodic_remove = ${remove.expr}\n+PeriodicRemoveReason = ${remove.reason}\n`,
    );
    expect(policed.status).toBe("success");
    expect(policed.events).toBe(plain.events);
    expect(policed.durationSec).toBe(plain.durationSec);
  });
});

describe("periodic_hold of idle and running jobs", () => {
  /** The hold events of the nodes log, with their time in the run. */
  function holds(fs: ReturnType<typeof fsWith>) {
    return parseEventLog(fs.readText("/w/test.dag.nodes.log"), "nodes.log")
      .filter((e) => e.kind === "held")
      .map((e) => ({ ...e, at: e.time - SIM_EPOCH }));
  }

  it("holds a running job past the age it names (code 3), then release and removal take over", () => {
    const fs = fsWith({
      "/w/test.dag": "JOB A a.sub\nSCRIPT POST A post.sh $RETURN\n",
      "/w/a.sub": sub(
        "sec=1000",
        "periodic_hold = (JobStatus == 2) && (time() - EnteredCurrentStatus) > 300\n" +
          "periodic_release = (NumJobStarts < 2) && (time() - EnteredCurrentStatus) > 100\n" +
          "periodic_remove = (JobStatus == 5) && (time() - EnteredCurrentStatus) > 200\n",
      ),
    });
    const { r, posts, times } = runWatchingPosts(fs);
    expect(r.status).toBe("failed");
    const starts = times("execute");
    const held = holds(fs);
    // Each run is held on the first evaluation after 300 s; the first is released after
    // 100 s held and runs again, the second stays held and is removed after 200 s.
    expect(starts).toHaveLength(2);
    expect(held).toHaveLength(2);
    for (let i = 0; i < 2; i++) {
      expectFirstEvaluationAfter(held[i].at - starts[i], 300);
      expect(held[i]).toMatchObject({
        reasonCode: 3,
        reasonSubcode: 0,
        reason:
          "The job attribute PeriodicHold expression '(JobStatus == 2) && (time() - EnteredCurrentStatus) > 300' evaluated to TRUE",
      });
    }
    const [released] = times("released");
    expectFirstEvaluationAfter(released - held[0].at, 100);
    const [removed] = times("aborted");
    expectFirstEvaluationAfter(removed - held[1].at, 200);
    expect(posts).toHaveLength(1);
  });

  it("holds an idle job with the reason and subcode the submit file computes", () => {
    const fs = fsWith({
      "/w/test.dag": "JOB A a.sub\n",
      "/w/a.sub": sub(
        "sec=100",
        "request_memory = 900000\n" +
          "periodic_hold = (JobStatus == 1) && (time() - EnteredCurrentStatus) > 600\n" +
          'periodic_hold_reason = strcat("waited ", "too long")\nperiodic_hold_subcode = 40 + 2\n' +
          "periodic_remove = (JobStatus == 5)\n",
      ),
    });
    const { r } = runWatchingPosts(fs);
    expect(r.status).toBe("failed");
    const [held] = holds(fs);
    expect(held).toMatchObject({ reasonCode: 3, reasonSubcode: 42, reason: "waited too long" });
    expectFirstEvaluationAfter(held.at, 600);
  });

  it("costs nothing when the submit file gives none", () => {
    const run = (extra: string) => {
      const fs = fsWith({ "/w/test.dag": "JOB A a.sub\n", "/w/a.sub": sub("sec=1000", extra) });
      return simulateDag("/w/test.dag", { fs, models: testModels, seed: 1 });
    };
    const never = run(
      "periodic_hold = (JobStatus == 2) && (time() - EnteredCurrentStatus) > 5000\n",
    );
    expect(never.status).toBe("success");
    expect(never.events).toBe(run("").events);
  });
});
