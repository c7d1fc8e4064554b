import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWorkspace, oneLine, runCli, type Workspace } from "./support.js";

let ws: Workspace;
beforeAll(() => {
  ws = makeWorkspace("cli-bad");
});
afterAll(() => ws.remove());

describe("bad selections: one line naming the culprit, exit 2, nothing saved", () => {
  const cases: [string, string, RegExp][] = [
    ["unknown id", "100.0,999.5", /^matrix: unknown workflow id 999\.5$/],
    ["unknown set", "smoke,nosuchset", /^matrix: unknown set "nosuchset" \(known sets: .*smoke/],
    ["malformed range", "500-x1", /^matrix: malformed workflow selector "500-x1"/],
    ["inverted range", "510-500", /^matrix: workflow range 510-500: the low end is above/],
    ["empty range", "600-700", /^matrix: workflow range 600-700 matches no catalog id$/],
  ];
  for (const [what, sel, msg] of cases) {
    it(what, async () => {
      const results = join(ws.dir, `results-${what.replace(/ /g, "-")}`);
      const r = await runCli(["-l", sel, ...ws.args, "--results", results]);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      expect(oneLine(r.err)).toMatch(msg);
      expect(existsSync(results)).toBe(false);
    });
  }

  it("a bad -j or --seed is one line too", async () => {
    const j = await runCli(["-l", "100.0", "-j", "0", ...ws.args]);
    expect(j.code).toBe(2);
    expect(oneLine(j.err)).toBe('matrix: -j: expected a positive integer, got "0"');
    const s = await runCli(["-l", "100.0", "--seed", "-3", ...ws.args]);
    expect(s.code).toBe(2);
    expect(oneLine(s.err)).toBe('matrix: --seed: expected a non-negative integer, got "-3"');
    expect(existsSync(ws.results)).toBe(false);
  });
});

describe("results database problems", () => {
  it("--report without a database says so in one line", async () => {
    const empty = join(ws.dir, "no-results");
    const r = await runCli(["--report", "--results", empty]);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toBe(
      `matrix: ${join(empty, "matrix.db")}: no results database (file not found)`,
    );
    expect(existsSync(empty)).toBe(false);
  });

  it("a corrupt matrix.db is refused in one line and left unchanged", async () => {
    const dir = join(ws.dir, "corrupt");
    mkdirSync(dir);
    const db = join(dir, "matrix.db");
    const junk = Buffer.from(`${"this is not a database\n".repeat(20)}`);
    writeFileSync(db, junk);
    for (const args of [
      ["-l", "100.0", ...ws.args, "--results", dir],
      ["--report", "--results", dir],
    ]) {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(oneLine(r.err)).toBe(
        `matrix: ${db}: not a WMS2 results database (not an SQLite file)`,
      );
      expect(readFileSync(db).equals(junk)).toBe(true);
    }
    expect(existsSync(join(ws.work, "wf_100.0"))).toBe(false);
  });
});

describe("plan and catalog input", () => {
  it("plan refuses a non-empty directory", async () => {
    const out = join(ws.dir, "busy");
    mkdirSync(out);
    writeFileSync(join(out, "notes.txt"), "keep me\n");
    const r = await runCli(["plan", "100.0", "--out", out, ...ws.args]);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toBe(
      `matrix: ${out}: directory is not empty; use --force to write into it`,
    );
    expect(readFileSync(join(out, "notes.txt"), "utf8")).toBe("keep me\n");
    expect(existsSync(join(out, "workflow.dag"))).toBe(false);
  });

  it("a mistyped catalog field names file, entry and field", async () => {
    const file = join(ws.catalog, "100-synthetic.yaml");
    const good = readFileSync(file, "utf8");
    try {
      writeFileSync(file, good.replace("    numJobs: 8\n", "    numJobs: eight\n"));
      const r = await runCli(["-l", "100.0", ...ws.args]);
      expect(r.code).toBe(2);
      const line = oneLine(r.err);
      expect(line).toContain(file);
      expect(line).toContain("entry 100.1");
      expect(line).toContain("field numJobs");

      writeFileSync(file, good.replace("    numJobs: 8\n", "    numJob: 8\n"));
      const typo = await runCli(["--list", ...ws.args]);
      expect(typo.code).toBe(2);
      const l2 = oneLine(typo.err);
      expect(l2).toContain(file);
      expect(l2).toContain("entry 100.1");
      expect(l2).toContain("numJob");
    } finally {
      writeFileSync(file, good);
    }
    expect(existsSync(ws.results)).toBe(false);
  });
});
