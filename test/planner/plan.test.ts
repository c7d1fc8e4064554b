import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDag, parseSubmit, submitGet } from "../../src/dagman/index.js";
import { loadCatalog } from "../../src/matrix/catalog.js";
import { matrixPlanRequest } from "../../src/matrix/plan-request.js";
import { planWorkflow } from "../../src/planner/plan.js";
import { readBundle } from "../../src/planner/read.js";
import { writeBundle } from "../../src/planner/write.js";
import { repoRoot } from "../helpers/shared-fixtures.js";

const catalog = loadCatalog(join(repoRoot, "catalog"));
const tmp = mkdtempSync(join(tmpdir(), "wms2-plan-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function planOf(id: number, dir = join(tmp, String(id))) {
  const wf = catalog.workflows.get(id)!;
  return planWorkflow(
    matrixPlanRequest(wf, catalog.profiles, {
      submitDir: dir,
      storageDir: join(dir, "storage"),
      wms2Command: "matrix",
    }),
  );
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describe("planning catalog workflows", () => {
  it("100.1: one work unit of 8 single-core jobs, each event planned once", () => {
    const { bundle, summary } = planOf(100.1);
    expect(bundle.groups).toHaveLength(1);
    const g = bundle.groups[0];
    expect(g.dag.nodes.map((n) => n.name)).toEqual([
      "landing",
      ...Array.from({ length: 8 }, (_, i) => `proc_00000${i}`),
      "merge",
      "cleanup",
    ]);
    expect(summary.nodes).toBe(11);
    expect(summary.edges).toBe(17);
    const edges = g.dag.edges.reduce((s, e) => s + e.parents.length * e.children.length, 0);
    expect(edges).toBe(17);
    expect(summary.jobs.map((j) => [j.firstEvent, j.lastEvent])).toEqual(
      Array.from({ length: 8 }, (_, i) => [i + 1, i + 1]),
    );
    const proc = g.submits["proc_000005.sub"];
    expect(submitGet(proc, "request_cpus")).toBe("1");
    expect(submitGet(proc, "request_memory")).toBe("512");
    expect(submitGet(proc, "arguments")).toContain(
      "--input synthetic://gen/events_6_6 --node-index 5",
    );
  });

  it("retries, abort codes and throttles follow the WMS2 exit protocol", () => {
    const g = planOf(150.1).bundle.groups[0];
    const byName = new Map(g.dag.nodes.map((n) => [n.name, n]));
    expect(byName.get("landing")?.retry).toEqual({ count: 3, unlessExit: 42 });
    expect(byName.get("proc_000000")?.retry).toEqual({ count: 5, unlessExit: 42 });
    expect(byName.get("proc_000000")?.abortDagOn).toEqual({ value: 43, returnValue: 1 });
    expect(byName.get("merge")?.retry).toEqual({ count: 2, unlessExit: 42 });
    expect(byName.get("cleanup")?.retry).toEqual({ count: 1 });
    expect(byName.get("cleanup")?.abortDagOn).toBeUndefined();
    expect(byName.get("landing")?.category).toBeUndefined();
    expect(g.dag.maxJobs).toEqual({ Processing: 100, Merge: 10, Cleanup: 10 });
    expect(byName.get("proc_000002")?.post?.args).toEqual([
      "$JOB",
      "$RETURN",
      "$RETRY",
      "$MAX_RETRIES",
    ]);
    expect(submitGet(g.submits["proc_000000.sub"], "request_cpus")).toBe("4");
    expect(submitGet(g.submits["proc_000000.sub"], "request_memory")).toBe("4096");
    expect(submitGet(g.submits["merge.sub"], "transfer_output_files")).toBe(
      "merge_output.json,work_unit_metrics.json,cleanup_manifest.json",
    );
    expect(submitGet(g.submits["landing.sub"], "priority")).toBe("15");
    expect(submitGet(g.submits["merge.sub"], "priority")).toBe("15");
  });

  it("adaptive 351.0: one work unit per round, Round-1 memory from the per-core figure", () => {
    const { bundle, summary } = planOf(351.0);
    const wf = catalog.workflows.get(351.0)!;
    expect(bundle.groups).toHaveLength(wf.numWorkUnits);
    expect(summary.workUnitJobs.map((w) => w.length)).toEqual(
      Array(wf.numWorkUnits).fill(wf.numJobs),
    );
    // proc indices are global across work units
    expect(summary.workUnitJobs[1][0]).toBe(wf.numJobs);
    const sub = bundle.groups[1].submits[`proc_${String(wf.numJobs).padStart(6, "0")}.sub`];
    expect(submitGet(sub, "request_memory")).toBe(String(wf.memoryPerCoreMb * wf.multicore));
    expect(bundle.outer.nodes.map((n) => n.name)).toEqual(["mg_000000", "mg_000001"]);
    const manifest = bundle.groups[0].manifest as { mode: string; steps: { name: string }[] };
    expect(manifest.mode).toBe("cmssw");
    expect(manifest.steps).toHaveLength(5);
  });

  it("writes a submit directory that reads back into the same bundle, nothing outside it", () => {
    const dir = join(tmp, "rt-100.1");
    const { bundle } = planOf(100.1, dir);
    writeBundle(bundle);
    const files = walk(dir).map((p) => relative(dir, p));
    expect(files.every((f) => !f.startsWith(".."))).toBe(true);
    expect(readdirSync(tmp).filter((n) => n.startsWith("rt-"))).toEqual(["rt-100.1"]);
    expect(readBundle(dir)).toEqual(bundle);
    const outer = readFileSync(join(dir, "workflow.dag"), "utf8");
    expect(outer).toContain(
      `SUBDAG EXTERNAL mg_000000 ${dir}/mg_000000/group.dag DIR ${dir}/mg_000000`,
    );
    expect(outer).toContain("RETRY mg_000000 1 UNLESS-EXIT 42");
    expect(statSync(join(dir, "wms2_proc.sh")).mode & 0o111).toBeTruthy();
  });

  it("round-trips parse(write(bundle)) for every catalog workflow", () => {
    for (const id of catalog.workflows.keys()) {
      const dir = join(tmp, `all-${id}`);
      const { bundle } = planOf(id, dir);
      writeBundle(bundle);
      expect(readBundle(dir), `workflow ${id}`).toEqual(bundle);
      for (const g of bundle.groups) {
        const text = readFileSync(join(dir, g.name, "group.dag"), "utf8");
        expect(parseDag(text, "group.dag")).toEqual(g.dag);
        const p0 = Object.keys(g.submits).find((k) => k.startsWith("proc_"))!;
        expect(parseSubmit(readFileSync(join(dir, g.name, p0), "utf8"), p0)).toEqual(g.submits[p0]);
      }
    }
  });

  it("covers each event of a multi-work-unit request exactly once", () => {
    for (const id of [155.2, 391.3, 392.1]) {
      const { summary } = planOf(id);
      const ranges = summary.jobs.map((j) => [j.firstEvent!, j.lastEvent!]);
      let next = 1;
      for (const [f, l] of ranges) {
        expect(f).toBe(next);
        next = l + 1;
      }
      expect(next - 1).toBe(summary.totalEvents);
    }
  });
});
