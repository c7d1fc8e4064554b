import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/matrix/catalog.js";
import { loadSets } from "../../src/matrix/sets.js";
import { InputError } from "../../src/model/errors.js";

const root = mkdtempSync(join(tmpdir(), "wms2-catalog-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PROFILE = `profiles:
  GEN:
    serialFraction: 0.3
    scaling: linear
    baseMemoryMb: 1500
    marginalPerThreadMb: 250
    wallSecPerEvent: 0.05
    outputSizePerEventKb: 50
    dataTier: GEN-SIM
    source: test
`;

const REQUEST = `requests:
  r1:
    requestName: r1
    steps: [{ name: GEN-SIM, profile: GEN }]
    timePerEvent: 0.05
    sizePerEvent: 50
`;

const ENTRIES = `workflows:
  - id: 100.0
    title: base
    mode: simulator
    request: r1
  - derive: 100.0
    id: 100.1
    title: variant
    numJobs: 4
`;

let n = 0;
/** Write a catalog folder (with profiles/) and return its path. */
function makeCatalog(files: Record<string, string>, profile = PROFILE): string {
  const dir = join(root, `c${n++}`);
  mkdirSync(join(dir, "profiles"), { recursive: true });
  writeFileSync(join(dir, "profiles", "p.yaml"), profile);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as Error).message;
    expect(msg).not.toContain("\n");
    return msg;
  }
  throw new Error("expected an InputError");
}

describe("catalog validation errors are one line naming file, entry and field", () => {
  it("accepts the valid baseline", () => {
    const c = loadCatalog(makeCatalog({ "a.yaml": REQUEST + ENTRIES }));
    expect([...c.workflows.keys()]).toEqual([100.0, 100.1]);
    expect(c.workflows.get(100.1)).toMatchObject({
      numJobs: 4,
      title: "variant",
      derivedFrom: 100.0,
      mode: "simulator",
    });
  });

  const cases: [string, string, string][] = [
    [
      "missing field",
      ENTRIES.replace("    title: base\n", ""),
      "entry 100.0: field title: missing required field (expected a non-empty string)",
    ],
    [
      "mistyped field",
      ENTRIES.replace("numJobs: 4", "eventsPerJob: ten"),
      'entry 100.1: field eventsPerJob: expected a positive integer, got "ten"',
    ],
    [
      "fractional integer",
      ENTRIES.replace("numJobs: 4", "numJobs: 2.5"),
      "entry 100.1: field numJobs: expected a positive integer, got 2.5",
    ],
    [
      "unknown field",
      ENTRIES.replace("mode: simulator", "mode: simulator\n    evntsPerJob: 3"),
      "entry 100.0: field evntsPerJob: unknown field",
    ],
    [
      "bad enum",
      ENTRIES.replace("mode: simulator", "mode: simulated"),
      'entry 100.0: field mode: expected one of synthetic, simulator, cached, cmssw, got "simulated"',
    ],
    [
      "nested field",
      ENTRIES.replace("numJobs: 4", "verify: { expectSuccess: maybe }"),
      'entry 100.1: field verify.expectSuccess: expected true or false, got "maybe"',
    ],
    [
      "bad id",
      ENTRIES.replace("id: 100.1", "id: 100.15"),
      "entry #2: field id: expected a catalog number with at most one decimal such as 150.1, got 100.15",
    ],
    [
      "unknown parent",
      ENTRIES.replace("derive: 100.0", "derive: 100.5"),
      "entry 100.1: field derive: unknown parent 100.5",
    ],
    [
      "derived without title",
      ENTRIES.replace("    title: variant\n", ""),
      "entry 100.1: field title: a derived entry must set its own title",
    ],
    [
      "derivation cycle",
      ENTRIES.replace("    mode: simulator", "    derive: 100.1\n    mode: simulator"),
      "entry 100.1: field derive: derivation cycle 100.0 -> 100.1 -> 100.0",
    ],
    [
      "unknown request",
      ENTRIES.replace("request: r1", "request: r9"),
      'entry 100.0: field request: unknown request "r9"',
    ],
    [
      "unknown dataset group",
      ENTRIES.replace("request: r1", "request: r1\n    outputDatasets: NOPE"),
      'entry 100.0: field outputDatasets: unknown dataset group "NOPE"',
    ],
    [
      "per-WU memory beyond the work units",
      ENTRIES.replace("numJobs: 4", "memoryMbPerWu: { 3: 6000 }"),
      "entry 100.1: field memoryMbPerWu.3: work unit 3 does not exist (numWorkUnits 1)",
    ],
    [
      "adaptive with one work unit",
      ENTRIES.replace("numJobs: 4", "adaptive: true\n    multicore: 8"),
      "entry 100.1: field numWorkUnits: an adaptive workflow needs at least 2 work units, got 1",
    ],
  ];
  it.each(cases)("%s", (_name, entries, message) => {
    const dir = makeCatalog({ "a.yaml": REQUEST + entries });
    expect(errorOf(() => loadCatalog(dir))).toBe(`${join(dir, "a.yaml")}: ${message}`);
  });

  it("unknown profile", () => {
    const dir = makeCatalog({
      "a.yaml": REQUEST.replace("profile: GEN", "profile: GENN") + ENTRIES,
    });
    expect(errorOf(() => loadCatalog(dir))).toBe(
      `${join(dir, "a.yaml")}: entry 100.0: field request.steps[0].profile: unknown profile "GENN"`,
    );
  });

  it("duplicate id across files names both files", () => {
    const second =
      "workflows:\n  - id: 100\n    title: again\n    mode: synthetic\n    request: r1\n";
    const dir = makeCatalog({ "a.yaml": REQUEST + ENTRIES, "b.yaml": second });
    expect(errorOf(() => loadCatalog(dir))).toBe(
      `${join(dir, "b.yaml")}: entry 100.0: field id: duplicate id 100.0, already defined in ${join(dir, "a.yaml")}`,
    );
  });

  it("a parent in another file can be derived from", () => {
    const child =
      "workflows:\n  - derive: 100.1\n    id: 100.2\n    title: grandchild\n    multicore: 2\n";
    const c = loadCatalog(makeCatalog({ "a.yaml": REQUEST + ENTRIES, "b.yaml": child }));
    expect(c.workflows.get(100.2)).toMatchObject({ numJobs: 4, multicore: 2, derivedFrom: 100.1 });
  });

  it("a derived entry naming another request replaces the parent's request", () => {
    const r2 =
      "  r2:\n    requestName: r2\n    steps: [{ name: X }]\n    timePerEvent: 1\n    sizePerEvent: 2\n";
    const parentCampaign = ENTRIES.replace(
      "    request: r1\n",
      "    request: { use: r1, campaign: C1 }\n",
    );
    const child =
      "workflows:\n  - derive: 100.0\n    id: 100.2\n    title: other request\n    request: r2\n    fault: null\n";
    const c = loadCatalog(
      makeCatalog({ "a.yaml": REQUEST + r2 + parentCampaign, "b.yaml": child }),
    );
    expect(c.workflows.get(100.0)?.request.campaign).toBe("C1");
    expect(c.workflows.get(100.2)?.request).toEqual({
      requestName: "r2",
      requestType: "StepChain",
      steps: [{ name: "X" }],
      timePerEvent: 1,
      sizePerEvent: 2,
      filterEfficiency: 1,
    });
    const overlay =
      "workflows:\n  - derive: 100.0\n    id: 100.3\n    title: overlay\n    request: { priority: 7 }\n";
    const c2 = loadCatalog(makeCatalog({ "a.yaml": REQUEST + parentCampaign, "b.yaml": overlay }));
    expect(c2.workflows.get(100.3)?.request).toMatchObject({
      requestName: "r1",
      campaign: "C1",
      priority: 7,
    });
  });

  it("YAML syntax error gives the line", () => {
    const dir = makeCatalog({
      "a.yaml": `${REQUEST}workflows:\n  - id: 100.0\n    title: [unclosed\n`,
    });
    expect(errorOf(() => loadCatalog(dir))).toBe(
      `${join(dir, "a.yaml")}:10: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    );
  });

  it("duplicate YAML keys are syntax errors", () => {
    const dir = makeCatalog({ "a.yaml": `${REQUEST}workflows:\n  - id: 100.0\n    id: 101.0\n` });
    expect(errorOf(() => loadCatalog(dir))).toBe(
      `${join(dir, "a.yaml")}:9: invalid YAML: Map keys must be unique`,
    );
  });

  it("unknown top-level section", () => {
    const dir = makeCatalog({ "a.yaml": `${REQUEST}${ENTRIES}workflow: []\n` });
    expect(errorOf(() => loadCatalog(dir))).toBe(
      `${join(dir, "a.yaml")}: field workflow: unknown top-level section (expected datasets, requests, workflows)`,
    );
  });

  it("errors in a shared request are reported at its definition", () => {
    const dir = makeCatalog({
      "a.yaml": REQUEST.replace("    timePerEvent: 0.05\n", "") + ENTRIES,
    });
    expect(errorOf(() => loadCatalog(dir))).toBe(
      `${join(dir, "a.yaml")}: request r1: field timePerEvent: missing required field (expected a positive number)`,
    );
  });

  it("a bad profile field names the profile", () => {
    const dir = makeCatalog(
      { "a.yaml": REQUEST + ENTRIES },
      PROFILE.replace("serialFraction: 0.3", "serialFraction: 1.5"),
    );
    expect(errorOf(() => loadCatalog(dir))).toBe(
      `${join(dir, "profiles", "p.yaml")}: profile GEN: field serialFraction: expected a serial fraction between 0 and 1, got 1.5`,
    );
  });

  it("a missing catalog folder is one line", () => {
    const dir = join(root, "does-not-exist");
    expect(errorOf(() => loadCatalog(dir))).toBe(
      `${join(dir, "profiles")}: cannot read folder (ENOENT)`,
    );
  });
});

describe("set validation errors", () => {
  const catalog = loadCatalog(makeCatalog({ "a.yaml": REQUEST + ENTRIES }));
  const setsDir = (files: Record<string, string>) => {
    const dir = join(root, `s${n++}`);
    mkdirSync(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };

  it("rejects an unknown id in an explicit set", () => {
    const dir = setsDir({ "x.yaml": "name: x\ndescription: d\nids: [100.0, 999]\n" });
    expect(errorOf(() => loadSets(dir, catalog))).toBe(
      `${join(dir, "x.yaml")}: set x: field ids[1]: unknown workflow id 999.0`,
    );
  });

  it("rejects a set with both ids and where", () => {
    const dir = setsDir({
      "x.yaml": "name: x\ndescription: d\nids: [100.0]\nwhere: { all: true }\n",
    });
    expect(errorOf(() => loadSets(dir, catalog))).toBe(
      `${join(dir, "x.yaml")}: set x: expected exactly one of ids or where`,
    );
  });

  it("rejects an unknown predicate key and duplicate set names", () => {
    const bad = setsDir({ "x.yaml": "name: x\ndescription: d\nwhere: { size: [large] }\n" });
    expect(errorOf(() => loadSets(bad, catalog))).toBe(
      `${join(bad, "x.yaml")}: set x: field where.size: unknown field`,
    );
    const dup = setsDir({
      "a.yaml": "name: x\ndescription: d\nids: [100]\n",
      "b.yaml": "name: x\ndescription: e\nids: [100.1]\n",
    });
    expect(errorOf(() => loadSets(dup, catalog))).toBe(
      `${join(dup, "b.yaml")}: set x: field name: duplicate set, already defined in ${join(dup, "a.yaml")}`,
    );
  });
});
