import { describe, expect, it } from "vitest";
import {
  adBoolean,
  adNumber,
  adString,
  parseJsonAds,
  parseStatusTotals,
  parseSubmittedCluster,
} from "../../../src/backends/condor/index.js";
import { fixture } from "./fake-runner.js";

describe("condor_submit_dag output", () => {
  it("finds the cluster in the banner", () => {
    expect(parseSubmittedCluster(fixture("submit-dag-ok.stdout.txt"))).toBe("4500");
  });
  it("has no cluster when the submission failed", () => {
    expect(parseSubmittedCluster(fixture("submit-dag-noschedd.stdout.txt"))).toBeUndefined();
  });
});

describe("condor_q / condor_history -json", () => {
  it("parses the DAGMan job ad with its DAG counters", () => {
    const ads = parseJsonAds("condor_q", fixture("condor-q-dagman-running.json"));
    expect(ads).toHaveLength(1);
    expect(adNumber(ads[0], "ClusterId")).toBe(4500);
    expect(adNumber(ads[0], "JobStatus")).toBe(2);
    expect(adNumber(ads[0], "DAG_NodesTotal")).toBe(3);
    expect(adNumber(ads[0], "DAG_NodesDone")).toBe(1);
    expect(adNumber(ads[0], "DAG_Status")).toBe(0);
  });
  it("reads missing attributes as undefined", () => {
    const [ad] = parseJsonAds("condor_q", fixture("condor-q-dagman-missing.json"));
    expect(adNumber(ad, "DAG_NodesTotal")).toBeUndefined();
    expect(adNumber(ad, "ExitCode")).toBeUndefined();
    expect(adString(ad, "HoldReason")).toBeUndefined();
    expect(adNumber(ad, "JobStatus")).toBe(1);
  });
  it("several ads separated by commas on their own line", () => {
    const ads = parseJsonAds("condor_q", fixture("condor-q-payload-t0.json"));
    expect(ads.map((a) => a.ClusterId)).toEqual([4503, 4504, 4510]);
  });
  it("unevaluated expressions are not numbers", () => {
    const ads = parseJsonAds("condor_q", fixture("condor-q-held-memory.json"));
    expect(adNumber(ads[0], "RequestMemory")).toBe(3000);
    expect(adString(ads[1], "RequestMemory")).toMatch(/^\/Expr\(/);
    expect(adNumber(ads[1], "RequestMemory")).toBeUndefined();
  });
  it("booleans of the history ad", () => {
    const [ad] = parseJsonAds("condor_history", fixture("condor-history-completed.json"));
    expect(adBoolean(ad, "ExitBySignal")).toBe(false);
    expect(adNumber(ad, "ExitCode")).toBe(0);
  });
  it("empty output and [] mean no jobs", () => {
    expect(parseJsonAds("condor_q", "")).toEqual([]);
    expect(parseJsonAds("condor_q", "\n  \n")).toEqual([]);
    expect(parseJsonAds("condor_q", "[]\n")).toEqual([]);
  });
  it("bad output gives one line naming the command", () => {
    expect(() => parseJsonAds("condor_q", "-- Failed to fetch ads from: <1.2.3.4:9618>\n")).toThrow(
      /^condor_q: output is not JSON \([^\n]*\)$/,
    );
    expect(() => parseJsonAds("condor_history", '{"ClusterId": 1}')).toThrow(
      "condor_history: JSON output is not an array",
    );
    expect(() => parseJsonAds("condor_q", "[1]")).toThrow(
      "condor_q: JSON element 0 is not an object",
    );
  });
});

describe("condor_status -total", () => {
  it("reads the rows and the Total line", () => {
    const t = parseStatusTotals(fixture("condor-status-total.txt"));
    expect(t.slots).toBe(16);
    expect(t.columns).toEqual([
      "Total",
      "Owner",
      "Claimed",
      "Unclaimed",
      "Matched",
      "Preempting",
      "Drain",
      "Backfill",
      "BkIdle",
    ]);
    expect(t.rows).toEqual([
      {
        label: "X86_64/LINUX",
        counts: {
          Total: 16,
          Owner: 0,
          Claimed: 4,
          Unclaimed: 12,
          Matched: 0,
          Preempting: 0,
          Drain: 0,
          Backfill: 0,
          BkIdle: 0,
        },
      },
    ]);
    expect(t.total.Claimed).toBe(4);
    expect(t.total.Unclaimed).toBe(12);
  });
  it("older column order and two platforms", () => {
    const t = parseStatusTotals(fixture("condor-status-total-two-arch.txt"));
    expect(t.slots).toBe(42);
    expect(t.rows.map((r) => [r.label, r.counts.Total, r.counts.Claimed])).toEqual([
      ["INTEL/WINDOWS", 2, 0],
      ["X86_64/LINUX", 40, 31],
    ]);
    expect(t.total.Owner).toBe(3);
  });
  it("older header starting with Machines: slots from the first column", () => {
    const text = [
      "               Machines Owner Claimed Unclaimed Matched Preempting  Drain",
      "  X86_64/LINUX        3     0       1         2       0          0      0",
      "         Total        3     0       1         2       0          0      0",
    ].join("\n");
    const t = parseStatusTotals(text);
    expect(t.slots).toBe(3);
    expect(t.rows).toHaveLength(1);
    expect(t.total.Unclaimed).toBe(2);
  });
  it("a pool without slots prints nothing: 0 slots", () => {
    expect(parseStatusTotals("\n").slots).toBe(0);
  });
  it("a table without Total line is an error", () => {
    const text = fixture("condor-status-total.txt").split("\n").slice(0, 3).join("\n");
    expect(() => parseStatusTotals(text)).toThrow("condor_status -total: no Total line");
    expect(() => parseStatusTotals("Error: communication error\n")).toThrow(
      "condor_status -total: no header line starting with Total",
    );
    expect(() => parseStatusTotals("   Total Owner\n  X86_64/LINUX  4  x\n")).toThrow(
      'row "X86_64/LINUX" does not have 2 counts',
    );
  });
});
