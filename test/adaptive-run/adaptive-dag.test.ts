import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseReplanArgv } from "../../src/adaptive/replan-args.js";
import { parseArguments, parseDag } from "../../src/dagman/index.js";
import { prepareWorkflow } from "../../src/matrix/run-workflow.js";
import { catalog, entry, procSubs, submitValue, tempDir } from "./support.js";

const tmp = tempDir("adaptive-dag");
afterAll(() => tmp.remove());

function prepare(id: number) {
  return prepareWorkflow(entry(id), { catalog, workDir: tmp.dir, wms2Command: "matrix" });
}

describe("replan nodes in the outer DAG (391.0: job split, probe, tmpfs from WU 0)", () => {
  const { submitDir, probeNode } = prepare(391.0);
  const dagFile = join(submitDir, "workflow.dag");
  const dag = parseDag(readFileSync(dagFile, "utf8"), dagFile);

  it("puts replan_0 between mg_000000 and mg_000001, with no retry", () => {
    expect(dag.nodes.map((n) => `${n.kind} ${n.name}`)).toEqual([
      "SUBDAG mg_000000",
      "SUBDAG mg_000001",
      "JOB replan_0",
    ]);
    const replan = dag.nodes[2];
    expect(replan.file).toBe(join(submitDir, "replan_0.sub"));
    expect(replan.retry).toBeUndefined();
    expect(dag.edges).toEqual([
      { parents: ["mg_000000"], children: ["replan_0"] },
      { parents: ["replan_0"], children: ["mg_000001"] },
    ]);
    expect(dag.nodes[1].post?.executable).toBe(join(submitDir, "wu_post.sh"));
  });

  it("writes a local-universe replan_0.sub running the shim with the replan flags", () => {
    const sub = join(submitDir, "replan_0.sub");
    expect(submitValue(sub, "universe")).toBe("local");
    expect(submitValue(sub, "executable")).toBe(join(submitDir, "wms2_replan.sh"));
    for (const k of ["output", "error", "log"]) {
      expect(submitValue(sub, k)).toBe(
        join(submitDir, `replan_0.${k === "error" ? "err" : k === "output" ? "out" : "log"}`),
      );
    }
    const o = parseReplanArgv(parseArguments(submitValue(sub, "arguments") ?? ""));
    expect(o).toMatchObject({
      wuDir: join(submitDir, "mg_000001"),
      priorWuDirs: [join(submitDir, "mg_000000")],
      replanIndex: 0,
      ncores: 8,
      memPerCoreMb: 2000,
      maxMemPerCoreMb: 2500,
      jobSplit: true,
      split: false,
      eventsPerJob: 40,
      numJobs: 2,
      splitTmpfs: true,
      tmpfs: true,
      probeNode: "proc_000001",
      submitDir,
    });
    expect(o.memoryMb).toBeUndefined();
  });

  it("has the planner write the wms2_replan.sh shim beside post_script.sh", () => {
    const shim = join(submitDir, "wms2_replan.sh");
    expect(readFileSync(shim, "utf8")).toContain('\nexec matrix replan "$@"\n');
    expect(statSync(shim).mode & 0o111).toBe(0o111);
  });

  it("makes the last proc job of WU 0 the probe: 2 x 4T at 2500 MB/core, tmpfs", () => {
    const wu0 = join(submitDir, "mg_000000");
    expect(probeNode).toBe("proc_000001");
    expect(procSubs(wu0)).toEqual(["proc_000000.sub", "proc_000001.sub"]);
    const probeManifest = join(wu0, "probe", "manifest_tuned.json");
    const probeSub = join(wu0, "proc_000001.sub");
    expect(submitValue(probeSub, "request_memory")).toBe("20000");
    const inputs = submitValue(probeSub, "transfer_input_files") ?? "";
    expect(inputs.split(", ").filter((f) => f.endsWith("manifest_tuned.json"))).toEqual([
      probeManifest,
    ]);
    const m = JSON.parse(readFileSync(probeManifest, "utf8"));
    expect(m.steps[0]).toMatchObject({ multicore: 4, n_parallel: 2 });
    expect(m.steps[1].multicore).toBe(8);
    expect(m.split_tmpfs).toBe(true);
  });

  it("switches tmpfs on for the other jobs of WU 0 (tmpfs from WU 0 on the adaptive path)", () => {
    const wu0 = join(submitDir, "mg_000000");
    const own = join(wu0, "manifest_tuned.json");
    const m = JSON.parse(readFileSync(own, "utf8"));
    expect(m.split_tmpfs).toBe(true);
    expect(m.steps[0].multicore).toBe(8);
    expect(m.steps[0].n_parallel).toBeUndefined();
    expect(submitValue(join(wu0, "proc_000000.sub"), "transfer_input_files")).toContain(own);
    expect(submitValue(join(wu0, "proc_000000.sub"), "request_memory")).toBe("16000");
    expect(existsSync(join(submitDir, "mg_000001", "manifest_tuned.json"))).toBe(false);
  });
});

describe("replan nodes of a 3-unit run without probe (391.3: tmpfs from WU 1)", () => {
  const { submitDir, probeNode } = prepare(391.3);
  const dagFile = join(submitDir, "workflow.dag");
  const dag = parseDag(readFileSync(dagFile, "utf8"), dagFile);

  it("chains mg_0 → replan_0 → mg_1 → replan_1 → mg_2", () => {
    expect(dag.edges).toEqual([
      { parents: ["mg_000000"], children: ["replan_0"] },
      { parents: ["replan_0"], children: ["mg_000001"] },
      { parents: ["mg_000001"], children: ["replan_1"] },
      { parents: ["replan_1"], children: ["mg_000002"] },
    ]);
  });

  it("passes every prior unit and the tmpfs switch, and no probe", () => {
    expect(probeNode).toBeUndefined();
    const sub = join(submitDir, "replan_1.sub");
    const o = parseReplanArgv(parseArguments(submitValue(sub, "arguments") ?? ""));
    expect(o.priorWuDirs).toEqual([join(submitDir, "mg_000000"), join(submitDir, "mg_000001")]);
    expect(o.wuDir).toBe(join(submitDir, "mg_000002"));
    expect(o).toMatchObject({
      replanIndex: 1,
      safetyMargin: 0.1,
      maxMemPerCoreMb: 3000,
      tmpfs: true,
    });
    expect(o.probeNode).toBeUndefined();
    expect(existsSync(join(submitDir, "mg_000000", "manifest_tuned.json"))).toBe(false);
  });
});
