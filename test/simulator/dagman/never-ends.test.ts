import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_VIRTUAL_SEC,
  SimSession,
  simulateDag,
} from "../../../simulator/dagman/simulate.js";
import { fsWith, sub, testModels } from "./harness.js";

/** A PRE script that asks to be deferred every time it runs: the DAG never ends. */
function deferringForEver() {
  return fsWith({
    "/w/test.dag": "JOB A a.sub\nSCRIPT DEFER 1 600 PRE A exit.sh 1\n",
    "/w/a.sub": sub("sec=10"),
  });
}

describe("a DAG that never ends", () => {
  it("stops at the virtual-time limit, still running, with no metrics written", () => {
    const fs = deferringForEver();
    const r = simulateDag("/w/test.dag", { fs, models: testModels, maxVirtualSec: 6 * 3600 });
    expect(r.status).toBe("running");
    expect(r.exitCode).toBeNull();
    // The last deferred run before the limit: one every 600 s, on the 5 s grid.
    expect(r.durationSec).toBeGreaterThan(6 * 3600 - 610);
    expect(r.durationSec).toBeLessThanOrEqual(6 * 3600);
    expect(fs.exists("/w/test.dag.metrics")).toBe(false);
    expect(fs.exists("/w/test.dag.rescue001")).toBe(false);
  });

  it("stops by default after 30 days of virtual time", () => {
    expect(DEFAULT_MAX_VIRTUAL_SEC).toBe(30 * 86400);
    const r = simulateDag("/w/test.dag", { fs: deferringForEver(), models: testModels });
    expect(r.status).toBe("running");
    expect(r.durationSec).toBeGreaterThan(DEFAULT_MAX_VIRTUAL_SEC - 610);
    expect(r.durationSec).toBeLessThanOrEqual(DEFAULT_MAX_VIRTUAL_SEC);
  });
});

describe(".dagman.out while the DAG runs", () => {
  it("has every line up to now whenever the simulation hands over", () => {
    const fs = fsWith({ "/w/test.dag": "JOB A a.sub\n", "/w/a.sub": sub("sec=300") });
    const s = new SimSession("/w/test.dag", { fs, models: testModels, seed: 1 });
    s.runFor(60);
    const lines = fs.readText("/w/test.dag.dagman.out").trimEnd().split("\n");
    expect(lines.some((l) => l.endsWith("Submitting HTCondor Node A job(s)..."))).toBe(true);
    expect(lines.at(-1)).toMatch(/Event: ULOG_EXECUTE for HTCondor Node A /);
    s.runToEnd();
    expect(fs.readText("/w/test.dag.dagman.out")).toMatch(/EXITING WITH STATUS 0\n$/);
  });
});
