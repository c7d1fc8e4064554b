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

  it("keep a frozen DESIRED_Sites list as it is and copy one the submitter may change", () => {
    const { pool } = makePool([machine()]);
    const frozen = Object.freeze(["T2_CH_CERN"]);
    const open = ["T2_CH_CERN"];
    expect(pool.submit(job({ desiredSites: frozen })).desiredSites).toBe(frozen);
    const copied = pool.submit(job({ desiredSites: open }));
    open.push("T1_US_FNAL");
    expect(copied.desiredSites).toEqual(["T2_CH_CERN"]);
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
