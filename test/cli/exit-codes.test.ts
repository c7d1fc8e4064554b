import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWorkspace, runCli, type Workspace } from "./support.js";

const WRONG = "expected failure but DAG completed with all nodes successful";

let ws: Workspace;
beforeAll(() => {
  ws = makeWorkspace("cli-exit");
  // 100.0 succeeds; claim it should fail.
  const file = join(ws.catalog, "100-synthetic.yaml");
  const text = readFileSync(file, "utf8");
  const entry = "  - id: 100.0\n";
  const at = text.indexOf("    eventsPerJob: 1\n", text.indexOf(entry));
  const patched = `${text.slice(0, at)}    eventsPerJob: 1\n    verify:\n      expectSuccess: false\n${text.slice(at + "    eventsPerJob: 1\n".length)}`;
  writeFileSync(file, patched);
});
afterAll(() => ws.remove());

describe("a workflow whose expectation is wrong fails the run", () => {
  it("fails 100.0 with the reason and exits 1", async () => {
    const junit = join(ws.dir, "run.xml");
    const r = await runCli(["-l", "100.0,150.0", "--junit", junit, ...ws.args]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`[1/2] 100.0 FAILED (00:01:35 on the backend clock`);
    expect(r.err).toContain(` — ${WRONG}\n`);
    expect(r.err).toContain("[2/2] 150.0 PASSED");
    expect(r.out).toMatch(/^ +100\.0 +failed/m);
    expect(r.out).toMatch(/^ +150\.0 +passed/m);
    expect(r.out).toContain(WRONG);
    const xml = readFileSync(junit, "utf8");
    expect(xml).toContain('tests="2" failures="1" errors="0" skipped="0"');
    expect(xml).toContain(`<failure message="${WRONG}" type="failed"/>`);
  });

  it("saves the failure with its reason and DAG outcome", async () => {
    const r = await runCli(["--report", "--json", "--results", ws.results]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      results: { wfId: number; status: string; reason: string; dagStatus: string }[];
    };
    expect(j.results[0]).toMatchObject({
      wfId: 100,
      status: "failed",
      reason: WRONG,
      dagStatus: "completed",
    });
    expect(j.results[1]).toMatchObject({ wfId: 150, status: "passed", reason: "" });
  });

  it("a run of passing workflows only exits 0", async () => {
    const r = await runCli(["-l", "150.0", ...ws.args]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^1 passed/m);
  });
});
