import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { simulateDag } from "../../simulator/dagman/simulate.js";
import { DiskFs } from "../../simulator/fs.js";
import { diskModels } from "../../src/backends/sim.js";
import { loadCatalog } from "../../src/matrix/catalog.js";
import { matrixPlanRequest } from "../../src/matrix/plan-request.js";
import { planWorkflow } from "../../src/planner/plan.js";
import { jsonText, writeBundle } from "../../src/planner/write.js";
import { repoRoot } from "../helpers/shared-fixtures.js";

const catalog = loadCatalog(join(repoRoot, "catalog"));
const tmp = mkdtempSync(join(tmpdir(), "wms2-det-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Plan 151.0 into `dir`, optionally with per-job noise on every step, and simulate it. */
function runOnce(dir: string, seed: number, noise: number) {
  const wf = catalog.workflows.get(151.0)!;
  const req = matrixPlanRequest(wf, catalog.profiles, {
    submitDir: dir,
    storageDir: join(dir, "storage"),
    wms2Command: "matrix",
  });
  const plan = planWorkflow(req);
  writeBundle(plan.bundle);
  if (noise > 0) {
    for (const g of plan.bundle.groups) {
      const m = g.manifest as { steps: Record<string, unknown>[] };
      const noisy = { ...m, steps: m.steps.map((s) => ({ ...s, noise })) };
      writeFileSync(join(dir, g.name, "manifest.json"), jsonText(noisy));
    }
  }
  const fs = new DiskFs();
  return simulateDag(join(dir, "workflow.dag"), { seed, fs, models: diskModels(fs) });
}

/** Every text file the run produced, by path relative to the submit dir. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(status|metrics|log|out|json)$/.test(n)) {
        out.set(relative(dir, p), readFileSync(p, "utf8").split(dir).join("<DIR>"));
      }
    }
  };
  walk(dir);
  return out;
}

describe("determinism", () => {
  it("the same seed gives byte-identical status files, metrics, event logs and job metrics", () => {
    const a = join(tmp, "a");
    const b = join(tmp, "b");
    const ra = runOnce(a, 7, 0.1);
    const rb = runOnce(b, 7, 0.1);
    expect(ra.status).toBe("success");
    expect(rb.durationSec).toBe(ra.durationSec);
    const sa = snapshot(a);
    const sb = snapshot(b);
    expect([...sb.keys()]).toEqual([...sa.keys()]);
    expect(sa.has("mg_000000/group.dag.nodes.log")).toBe(true);
    expect(sa.has("workflow.dag.metrics")).toBe(true);
    for (const [k, v] of sa) expect(sb.get(k), k).toBe(v);
  });

  it("a different seed changes the noisy figures, and only when noise is enabled", () => {
    const metrics = (dir: string) =>
      readFileSync(join(dir, "mg_000000", "proc_0_metrics.json"), "utf8");
    runOnce(join(tmp, "n1"), 1, 0.1);
    runOnce(join(tmp, "n2"), 2, 0.1);
    expect(metrics(join(tmp, "n2"))).not.toBe(metrics(join(tmp, "n1")));
    runOnce(join(tmp, "q1"), 1, 0);
    runOnce(join(tmp, "q2"), 2, 0);
    expect(metrics(join(tmp, "q2"))).toBe(metrics(join(tmp, "q1")));
  });
});
