import { describe, expect, it } from "vitest";
import { lowersTo } from "../../simulator/pool/job-record.js";
import { job, machine, makePool } from "./pool-setup.js";

describe("job attributes", () => {
  it("are found by any spelling, the last spelling given or edited winning", () => {
    const { pool } = makePool([machine()]);
    const j = pool.submit(
      job({ attrs: { DAGNodeName: "a", dagnodename: "b", UserLog: "/x.log", Gro\u00dfe: 1 } }),
    );
    expect(j.attrs).toEqual({ dagnodename: "b", UserLog: "/x.log", Gro\u00dfe: 1 });
    expect(j.attr("dagnodename")).toBe("b");
    expect(j.ad("userlog")).toBe("/x.log");
    expect(j.attr("gro\u00dfe")).toBe(1);
    expect(j.attr("user")).toBeUndefined();
    pool.edit(j.id, { USERLOG: "/y.log", DAGNodeName: undefined });
    expect(j.attrs).toEqual({ Gro\u00dfe: 1, USERLOG: "/y.log" });
    expect(j.attr("userlog")).toBe("/y.log");
    expect(j.attr("dagnodename")).toBeUndefined();
    expect(j.ad).toBe(j.ad);
  });

  it("fall back on the submitted attributes, which an edit overrides", () => {
    const { pool } = makePool([machine()]);
    const submitted = (name: string, my: (n: string) => unknown) =>
      name === "maxwalltimeminsrun"
        ? 30
        : name === "twice"
          ? Number(my("requestcpus")) * 2
          : undefined;
    const j = pool.submit(job({ requestCpus: 2, attrs: { DAGNodeName: "a" }, submitted }));
    expect(j.ad("maxwalltimeminsrun")).toBe(30);
    expect(j.ad("twice")).toBe(4);
    expect(j.ad("dagnodename")).toBe("a");
    expect(j.ad("other")).toBeUndefined();
    pool.edit(j.id, { MaxWallTimeMinsRun: 45 });
    expect(j.ad("maxwalltimeminsrun")).toBe(45);
  });

  it("keep a frozen DESIRED_Sites list as it is and copy one the submitter may change", () => {
    const { pool } = makePool([machine()]);
    const frozen = Object.freeze(["T2_CH_CERN"]);
    const open = ["T2_CH_CERN"];
    expect(pool.submit(job({ desiredSites: frozen })).desiredSites).toBe(frozen);
    const copied = pool.submit(job({ desiredSites: open }));
    open.push("T1_US_FNAL");
    expect(copied.desiredSites).toEqual(["T2_CH_CERN"]);
  });

  it("report RemoteUserCpu as the shadow last sent it, and the CPU of all runs", () => {
    const { sim, pool } = makePool([machine()], { shadowUpdateIntervalSec: 900 });
    const cpu = [{ start: 0, end: 3000, cores: 2 }];
    const j = pool.submit(job({ requestCpus: 2 }, { durationSec: 3000, cpu }));
    expect(j.ad("remoteusercpu")).toBe(0);
    sim.run(10);
    const start = j.lastRun?.start as number;
    expect(j.status).toBe(2);
    const at = (t: number) => {
      sim.run(start + t);
      return [j.attr("remoteusercpu"), j.attr("cumulativeremoteusercpu")];
    };
    // Reports at 900 s, 1800 s, ... of the run: each one's figure holds until the next.
    expect(at(899)).toEqual([0, 0]);
    expect(at(900)).toEqual([1800, 1800]);
    expect(at(1799)).toEqual([1800, 1800]);
    expect(at(1800)).toEqual([3600, 3600]);
    // A hold ends the run: its last report says what it used in all.
    sim.run(start + 2000);
    pool.hold(j.id);
    expect([j.attr("remoteusercpu"), j.attr("cumulativeremoteusercpu")]).toEqual([4000, 4000]);
    pool.release(j.id);
    sim.run(start + 2100);
    const second = j.lastRun?.start as number;
    expect(second).toBeGreaterThanOrEqual(start + 2000);
    // The new run has not reported yet; the cumulative figure keeps the first run's.
    expect([j.attr("remoteusercpu"), j.attr("cumulativeremoteusercpu")]).toEqual([0, 4000]);
    sim.run(second + 900);
    expect([j.attr("remoteusercpu"), j.attr("cumulativeremoteusercpu")]).toEqual([1800, 5800]);
    expect(j.attr("remotesyscpu")).toBe(0);
    expect(j.attr("cumulativeremotesyscpu")).toBe(0);
  });

  it("spread a run's CPU seconds over it when its plan gives no segments", () => {
    const { sim, pool } = makePool([machine()], { shadowUpdateIntervalSec: 300 });
    const j = pool.submit(job({}, { durationSec: 1000, cpuSec: 500 }));
    sim.run(10);
    const start = j.lastRun?.start as number;
    sim.run(start + 650);
    expect(j.attr("remoteusercpu")).toBe(300);
    sim.run();
    expect(j.status).toBe(4);
    expect(j.attr("remoteusercpu")).toBe(500);
  });

  it("compare names as toLowerCase does", () => {
    const names = [
      "UserLog",
      "userlog",
      "USERLOG",
      "UserLo",
      "UserLogs",
      "",
      "A_b.C",
      "\u0130x",
      "\u212aey",
      "Stra\u00dfe",
    ];
    const lowers = [
      "userlog",
      "userlo",
      "userlogs",
      "",
      "a_b.c",
      "i\u0307x",
      "key",
      "stra\u00dfe",
      "ix",
    ];
    for (const name of names) {
      for (const lower of lowers) expect(lowersTo(name, lower)).toBe(name.toLowerCase() === lower);
    }
  });
});
