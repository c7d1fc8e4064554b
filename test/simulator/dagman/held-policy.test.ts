import { describe, expect, it } from "vitest";
import { heldPolicy, NO_POLICY } from "../../../simulator/dagman/schedd-policy.js";
import { SimSession, simulateDag } from "../../../simulator/dagman/simulate.js";
import type { ClassAdValue } from "../../../simulator/pool/index.js";
import { PERIODIC_RELEASE, periodicRemove } from "../../../src/planner/job-limits.js";
import { fsWith, runWatchingPosts, sub, testModels } from "./harness.js";

/** A job using 300 MB against a request of 100: held for memory (34/102) at each start. */
function oomDag(policy: string) {
  return fsWith({
    "/w/test.dag": "JOB A a.sub\nSCRIPT POST A post.sh $RETURN\n",
    "/w/a.sub": sub("mem=300 sec=100", policy),
  });
}

describe("periodic_release and periodic_remove of a held job", () => {
  it("evaluates them as expressions: release by hold subcode up to a start limit, then removal", () => {
    const { r, posts, times } = runWatchingPosts(
      oomDag(
        [
          "periodic_release = (HoldReasonCode == 34) && (HoldReasonSubCode == 102) && (NumJobStarts < 3)",
          "periodic_remove = (JobStatus == 5) && (time() - EnteredCurrentStatus) > 300",
          '+PeriodicRemoveReason = strcat("WMS2: ", ifThenElse(NumJobStarts >= 3, "held after 3 starts", "held"))',
          "",
        ].join("\n"),
      ),
    );
    expect(r.status).toBe("failed");
    expect(times("execute")).toHaveLength(3);
    expect(times("held")).toHaveLength(3);
    expect(times("released")).toHaveLength(2);
    const [lastHold] = times("held").slice(-1);
    const [removed] = times("aborted");
    // Removed at the first evaluation (every 60 s) after 300 s held.
    expect(removed - lastHold).toBeGreaterThan(300);
    expect(removed - lastHold).toBeLessThanOrEqual(360);
    expect(posts).toHaveLength(1);
    expect(posts[0].jobReturn).toBe(-1002);
    expect(posts[0].job?.periodicRemoveReason).toBe("WMS2: held after 3 starts");
  });

  it("does not release a hold whose subcode the expression does not name", () => {
    const { times, posts } = runWatchingPosts(
      oomDag(
        "periodic_release = (HoldReasonCode == 34) && (HoldReasonSubCode == 104)\nperiodic_remove = JobStatus == 5\n",
      ),
    );
    expect(times("released")).toEqual([]);
    expect(times("execute")).toHaveLength(1);
    expect(times("aborted")[0] - times("held")[0]).toBeLessThanOrEqual(60);
    // No +PeriodicRemoveReason: the POST script is told none.
    expect(posts[0].job?.periodicRemoveReason).toBeUndefined();
  });

  it("keeps a job held when its submit file has neither expression", () => {
    const fs = oomDag("");
    const s = new SimSession("/w/test.dag", { fs, models: testModels, seed: 1 });
    s.runFor(3600);
    expect(s.pool.jobs()[0].status).toBe(5);
    // Nothing left to evaluate: the simulation has no event waiting.
    expect(s.sim.pending).toBe(0);
  });

  it("reports the jobs held when a DAG stalls on them", () => {
    const r = simulateDag("/w/test.dag", { fs: oomDag(""), models: testModels });
    expect(r.status).toBe("stalled");
    expect(r.held).toEqual([
      {
        jobId: 1000,
        reason: expect.stringContaining("memory usage exceeded"),
        code: 34,
        subCode: 102,
      },
    ]);
    expect(r.unmatchable).toEqual([]);
  });

  it("refuses a periodic_remove that does not parse, naming the submit file", () => {
    const fs = oomDag("periodic_remove = (JobStatus == 5\n");
    expect(() => new SimSession("/w/test.dag", { fs, models: testModels }).runToEnd()).toThrow(
      /^\/w\/a\.sub: periodic_remove: expected "\)" at column 16/,
    );
  });
});

describe("the planner's own policy", () => {
  const remove = periodicRemove({ kind: "proc", idleTimeoutSec: 43200 });
  const policy = heldPolicy(
    {
      ...NO_POLICY,
      periodicRelease: PERIODIC_RELEASE,
      periodicRemove: remove.expr,
      periodicRemoveReason: remove.reason,
    },
    "proc_000000.sub",
  );
  const heldAd =
    (attrs: Record<string, ClassAdValue>) =>
    (lower: string): ClassAdValue =>
      ({ jobstatus: 5, enteredcurrentstatus: 1000, numjobstarts: 1, ...attrs })[lower];

  it.each([
    ["input transfer failed (13), first start", { holdreasoncode: 13 }, 1010, "release"],
    ["starter failed (6), fifth start", { holdreasoncode: 6, numjobstarts: 5 }, 1010, "none"],
    ["memory (34), 400 s held", { holdreasoncode: 34 }, 1400, "none"],
    ["memory (34), 421 s held", { holdreasoncode: 34 }, 1421, "remove"],
  ] as const)("%s: %s", (_what, attrs, now, action) => {
    expect(policy.decide(heldAd(attrs), now).action).toBe(action);
  });

  it("tells the POST script why it removed the job", () => {
    expect(policy.decide(heldAd({ holdreasoncode: 34 }), 1421)).toEqual({
      action: "remove",
      reason: "WMS2: held for more than 420 s",
    });
  });
});
