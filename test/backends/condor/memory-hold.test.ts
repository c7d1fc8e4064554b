import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  applyMemoryHold,
  CondorBackend,
  memoryHoldAction,
  parseJsonAds,
  rewriteRequestMemory,
} from "../../../src/backends/condor/index.js";
import { DagSyntaxError } from "../../../src/dagman/model.js";
import { fakeRunner, fixture, ok, sequenceRunner } from "./fake-runner.js";

const tmp = mkdtempSync(join(tmpdir(), "wms2-condor-hold-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const held = (over: Record<string, unknown> = {}) => ({
  ClusterId: 4503,
  ProcId: 0,
  JobStatus: 5,
  HoldReasonCode: 34,
  HoldReasonSubCode: 102,
  RequestMemory: 3000,
  RequestCpus: 2,
  DAGNodeName: "proc_000000",
  Iwd: "/data/wf/mg_000000",
  ...over,
});

const SUB = [
  "# proc job",
  "universe = vanilla",
  "request_cpus = 2",
  "request_memory = 3000",
  "request_disk = 1048576",
  "queue 1",
  "",
].join("\n");

describe("memoryHoldAction decision table", () => {
  it.each([
    ["memory hold below the cap", {}, 3000, 4500],
    ["1.5x capped at 3000 MB per core", { RequestMemory: 5000 }, 3000, 6000],
    ["no subcode still counts as memory", { HoldReasonSubCode: undefined }, 3000, 4500],
    ["subcode 0 counts as memory", { HoldReasonSubCode: 0 }, 3000, 4500],
    ["1.5x rounds up", { RequestMemory: 1001, RequestCpus: 1 }, 3000, 1502],
    ["custom cap per core", { RequestMemory: 3000 }, 2000, 4000],
    ["no RequestCpus means one core", { RequestMemory: 1000, RequestCpus: undefined }, 3000, 1500],
  ])("%s", (_name, over, perCore, toMb) => {
    const d = memoryHoldAction(held(over), perCore);
    expect(d).toEqual({
      action: "raise",
      jobId: "4503.0",
      fromMb: (over as { RequestMemory?: number }).RequestMemory ?? 3000,
      toMb,
      submitFile: join("/data/wf/mg_000000", "proc_000000.sub"),
    });
  });

  it.each([
    ["running", { JobStatus: 2 }, "4503.0: not held"],
    [
      "held for output transfer",
      { HoldReasonCode: 12 },
      "4503.0: hold code 12 is not a resource limit",
    ],
    [
      "held without code",
      { HoldReasonCode: undefined },
      "4503.0: hold code missing is not a resource limit",
    ],
    ["disk limit", { HoldReasonSubCode: 104 }, "4503.0: resource limit subcode 104 is not memory"],
    [
      "expression memory",
      { RequestMemory: "/Expr(MemoryUsage)/" },
      "4503.0: RequestMemory is not a number",
    ],
    [
      "at the cap",
      { RequestMemory: 6000 },
      "4503.0: RequestMemory 6000 MB is already at the cap 6000 MB",
    ],
  ])("no action: %s", (_name, over, reason) => {
    expect(memoryHoldAction(held(over))).toEqual({ action: "none", reason });
  });

  it("on the recorded held jobs: raise the memory hold, skip the transfer hold", () => {
    const ads = parseJsonAds("condor_q", fixture("condor-q-held-memory.json"));
    expect(ads.map((a) => memoryHoldAction(a).action)).toEqual(["raise", "none"]);
    const d = memoryHoldAction(held({ Iwd: undefined }));
    expect(d.action === "raise" && d.submitFile).toBeUndefined();
  });
});

describe("request_memory rewrite", () => {
  it("replaces the line, or adds it before queue", () => {
    expect(rewriteRequestMemory("a.sub", SUB, 4500)).toBe(SUB.replace("= 3000", "= 4500"));
    const without = SUB.replace("request_memory = 3000\n", "");
    expect(rewriteRequestMemory("a.sub", without, 4500).split("\n").slice(-3)).toEqual([
      "request_memory = 4500",
      "queue 1",
      "",
    ]);
    expect(() => rewriteRequestMemory("a.sub", "universe = vanilla\n", 1)).toThrow(DagSyntaxError);
    expect(() => rewriteRequestMemory("a.sub", "universe = vanilla\n", 1)).toThrow(
      "a.sub: no queue statement to put request_memory before",
    );
  });
});

describe("applying a raise", () => {
  function setup(name: string) {
    const iwd = join(tmp, name);
    mkdirSync(iwd);
    writeFileSync(join(iwd, "proc_000000.sub"), SUB);
    return { iwd, sub: join(iwd, "proc_000000.sub") };
  }

  it("qedit, rewrite, release", async () => {
    const { iwd, sub } = setup("a");
    const { runner, calls } = fakeRunner(() => ok());
    await applyMemoryHold(memoryHoldAction(held({ Iwd: iwd })), {
      runner,
      rewriteSubmitFile: true,
    });
    expect(calls.map((c) => [c.cmd, ...c.args])).toEqual([
      ["condor_qedit", "4503.0", "RequestMemory", "4500"],
      ["condor_release", "4503.0"],
    ]);
    expect(readFileSync(sub, "utf8")).toContain("request_memory = 4500\n");
  });

  it("without the option the submit file is left alone; `none` does nothing", async () => {
    const { iwd, sub } = setup("b");
    const { runner, calls } = fakeRunner(() => ok());
    await applyMemoryHold(memoryHoldAction(held({ Iwd: iwd })), { runner });
    expect(readFileSync(sub, "utf8")).toBe(SUB);
    await applyMemoryHold({ action: "none", reason: "x" }, { runner });
    expect(calls).toHaveLength(2);
  });

  it("the backend handles holds only when asked to", async () => {
    const off = sequenceRunner([ok(fixture("condor-q-dagman-running.json"))]);
    await new CondorBackend({ runner: off.runner }).dagJobState({
      clusterId: "4500",
      dagFile: "w",
    });
    expect(off.calls.map((c) => c.cmd)).toEqual(["condor_q"]);

    const { iwd, sub } = setup("c");
    const heldAds = JSON.stringify([
      held({ Iwd: iwd, JobUniverse: 5 }),
      held({ ClusterId: 4504, HoldReasonCode: 12 }),
    ]);
    const on = sequenceRunner([
      ok(fixture("condor-q-dagman-running.json")),
      ok(fixture("condor-q-outer-children.json")),
      ok(heldAds),
      ok(),
      ok(),
    ]);
    const b = new CondorBackend({ runner: on.runner, memoryHolds: { maxMemoryPerCoreMb: 2000 } });
    expect(await b.dagJobState({ clusterId: "4500", dagFile: "w" })).toEqual({ state: "running" });
    expect(on.calls.map((c) => [c.cmd, ...c.args.slice(0, 3)]).slice(3)).toEqual([
      ["condor_qedit", "4503.0", "RequestMemory", "4000"],
      ["condor_release", "4503.0"],
    ]);
    expect(readFileSync(sub, "utf8")).toContain("request_memory = 4000\n");
  });
});
