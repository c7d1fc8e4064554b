import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWorkspace, runCli, type Workspace } from "./support.js";

interface JsonRun {
  run: Record<string, unknown> & { runId: number; seed: number };
  results: (Record<string, unknown> & { wfId: number; status: string; perf: unknown })[];
}

/** Results JSON without what legitimately differs between two runs of the same thing. */
function comparable(text: string, drop: string[] = []): unknown {
  const j = JSON.parse(text) as JsonRun;
  const run: Record<string, unknown> = { ...j.run };
  for (const k of ["runId", "startedAt", "endedAt", "argv", ...drop]) delete run[k];
  const results = j.results.map((r) => {
    const c: Record<string, unknown> = { ...r };
    for (const k of ["wallSec", ...drop]) delete c[k];
    return c;
  });
  return { run, results };
}

let ws: Workspace;
beforeAll(() => {
  ws = makeWorkspace("cli-run");
});
afterAll(() => ws.remove());

describe("matrix -l smoke, end to end in a temp workspace", () => {
  let text: Awaited<ReturnType<typeof runCli>>;
  const junit = () => join(ws.dir, "smoke.xml");
  beforeAll(async () => {
    text = await runCli(["-l", "smoke", "--junit", junit(), ...ws.args]);
  });

  it("passes all five smoke workflows and exits 0", () => {
    expect(text.code).toBe(0);
    expect(text.out).toContain("Run 1: smoke");
    expect(text.out).toMatch(/^5 passed {2}4600\.0s total$/m);
    for (const id of ["100.0", "150.0", "500.0", "501.0", "510.0"])
      expect(text.out).toMatch(new RegExp(`^ +${id.replace(".", "\\.")} +passed`, "m"));
    // Progress goes to stderr, one start and one finish line per workflow.
    expect(text.err.split("\n").filter((l) => / PASSED \(/.test(l))).toHaveLength(5);
    expect(text.err).toContain("[3/5] 500.0 PASSED (00:27:20 on the backend clock");
  });

  it("--junit writes one testcase per workflow", () => {
    const xml = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(junit(), "utf8"));
    const suite = xml.testsuites.testsuite;
    expect(suite["@_name"]).toBe("matrix run 1: smoke");
    expect(suite["@_tests"]).toBe("5");
    expect(suite["@_failures"]).toBe("0");
    expect(suite.testcase).toHaveLength(5);
    expect(suite.testcase[2]["@_name"]).toBe("500.0 Fault: proc exits 1 (retry then rescue)");
    expect(suite.testcase.every((c: Record<string, unknown>) => !("failure" in c))).toBe(true);
  });

  it("--report re-renders the saved run byte for byte", async () => {
    const again = await runCli(["--report", "1", "--results", ws.results]);
    expect(again.code).toBe(0);
    expect(again.err).toBe("");
    expect(again.out).toBe(text.out);
    const latest = await runCli(["--report", "--results", ws.results]);
    expect(latest.out).toBe(text.out);
  });

  it("--results alone lists the saved run", async () => {
    const cwd = process.cwd();
    process.chdir(ws.dir);
    try {
      const list = await runCli(["--results"]);
      expect(list.code).toBe(0);
      expect(list.out).toContain("Saved runs (1) in results/matrix.db:");
      expect(list.out).toMatch(/^ {4}1 {2}\S+ +sim +1 +\S+ +5 +0 +0 {2}smoke$/m);
    } finally {
      process.chdir(cwd);
    }
  });

  it("--results DIR without -l lists the runs saved in DIR (and runs nothing)", async () => {
    const list = await runCli(["--results", ws.results]);
    expect(list.code).toBe(0);
    expect(list.out).toContain(`Saved runs (1) in ${ws.results}/matrix.db:`);
    expect(list.err).toBe("");
  });
});

describe("results depend on the seed and the workflow only", () => {
  const sel = ["-l", "100.0,500-510"];
  const runs: Record<string, string> = {};
  beforeAll(async () => {
    for (const [name, extra] of [
      ["j1", ["-j", "1"]],
      ["j2", ["-j", "2", "--seed", "1"]],
      ["seed7", ["--seed", "7"]],
    ] as const) {
      const r = await runCli([...sel, ...extra, "--json", ...ws.args]);
      expect(r.code).toBe(0);
      runs[name] = r.out;
    }
  });

  it("--json prints the saved run and its results", () => {
    const j = JSON.parse(runs.j1) as JsonRun;
    expect(j.run).toMatchObject({ runId: 2, seed: 1, backend: "sim", selection: "100.0,500-510" });
    expect(j.run.counts).toEqual({ passed: 4, failed: 0, skipped: 0, error: 0, timeout: 0 });
    expect(j.results.map((x) => [x.wfId, x.status, x.dagStatus, x.dagExitCode])).toEqual([
      [100, "passed", "completed", 0],
      [500, "passed", "failed", 1],
      [501, "passed", "failed", 1],
      [510, "passed", "failed", 1],
    ]);
  });

  it("-j 2 gives the same per-workflow figures as -j 1", () => {
    const a = JSON.parse(runs.j1) as JsonRun;
    const b = JSON.parse(runs.j2) as JsonRun;
    expect(a.results.map((r) => r.wfId)).toEqual([100, 500, 501, 510]);
    expect(b.results.map((r) => r.wfId)).toEqual([100, 500, 501, 510]);
    for (let i = 0; i < a.results.length; i++) {
      expect(b.results[i].perf).toEqual(a.results[i].perf);
      expect(b.results[i].elapsedSec).toBe(a.results[i].elapsedSec);
    }
    const perf100 = a.results[0].perf as { totalEvents: number; numProcJobs: number };
    expect(perf100).toMatchObject({ totalEvents: 1, numProcJobs: 1 });
    expect(a.results.map((r) => r.elapsedSec)).toEqual([95, 1640, 2240, 530]);
  });

  it("the same seed gives identical results JSON apart from times", () => {
    expect(comparable(runs.j2)).toEqual(comparable(runs.j1));
  });

  it("another seed changes no figure (the catalog has no noise), only the recorded seed", () => {
    const a = JSON.parse(runs.j1) as JsonRun;
    const c = JSON.parse(runs.seed7) as JsonRun;
    expect(c.run.seed).toBe(7);
    expect(c.results.every((r) => r.seed === 7)).toBe(true);
    expect(a.results.every((r) => r.seed === 1)).toBe(true);
    expect(comparable(runs.seed7, ["seed"])).toEqual(comparable(runs.j1, ["seed"]));
  });
});

describe("matrix run with condor_submit_dag's throttles", () => {
  it("gives them to each workflow's top DAG and records them with the run", async () => {
    const work = join(ws.dir, "throttled-work");
    const r = await runCli([
      "-l",
      "100.1",
      "--maxjobs",
      "1",
      "--json",
      ...ws.args,
      "--work-dir",
      work,
    ]);
    expect(r.code).toBe(0);
    const run = (JSON.parse(r.out) as JsonRun).run as unknown as { argv: string[] };
    expect(run.argv.join(" ")).toContain("--maxjobs 1");
    const outs = readdirSync(work, { recursive: true, encoding: "utf8" }).filter((p) =>
      p.endsWith("workflow.dag.dagman.out"),
    );
    expect(outs).toHaveLength(1);
    const argv = readFileSync(join(work, outs[0]), "utf8")
      .split("\n")
      .filter((l) => l.includes(" argv["))
      .map((l) => l.slice(l.indexOf("argv[")));
    expect(argv).toEqual(['argv[0] == "condor_dagman"', 'argv[1] == "-MaxJobs"', 'argv[2] == "1"']);
  });

  it("refuses a throttle that is no whole number in one line, exit 2", async () => {
    const r = await runCli(["-l", "100.1", "--maxidle", "-3", ...ws.args]);
    expect(r.code).toBe(2);
    expect(r.err).toBe('matrix: --maxidle: expected a whole number >= 0 (0: no limit), got "-3"\n');
  });
});
