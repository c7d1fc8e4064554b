import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/matrix/catalog.js";
import { resolveSelection } from "../../src/matrix/select.js";
import { loadSets, setMembers } from "../../src/matrix/sets.js";
import { InputError } from "../../src/model/errors.js";
import { repoRoot } from "../helpers/shared-fixtures.js";

const catalog = loadCatalog(join(repoRoot, "catalog"));
const sets = loadSets(join(repoRoot, "sets"), catalog);
const members = (name: string) => setMembers(sets.get(name)!, catalog);
const select = (spec: string) => resolveSelection(spec, catalog, sets);

describe("named sets", () => {
  it("lists the seven sets alphabetically", () => {
    expect([...sets.keys()]).toEqual([
      "adaptive",
      "faults",
      "full",
      "integration",
      "simulator",
      "smoke",
      "synthetic",
    ]);
    expect(sets.get("smoke")?.sourceFile).toBe(join(repoRoot, "sets", "smoke.yaml"));
  });

  it("smoke is the fixed five", () => {
    expect(members("smoke")).toEqual([100.0, 150.0, 500.0, 501.0, 510.0]);
  });

  it("integration keeps the reference's order", () => {
    expect(members("integration")).toEqual([
      100.0, 100.1, 150.0, 150.1, 151.0, 152.0, 155.0, 155.1, 160.0, 300.0, 300.1, 301.0, 350.0,
      351.0, 351.1, 391.0, 360.0, 370.0, 380.0, 380.1, 350.1, 500.0, 501.0, 510.0,
    ]);
  });

  it("computes synthetic, simulator, faults, adaptive and full from the catalog", () => {
    expect(members("synthetic")).toEqual([100.0, 100.1, 500.0, 501.0, 510.0]);
    expect(members("simulator")).toEqual([150.0, 150.1, 151.0, 152.0, 155.0, 155.1, 155.2, 160.0]);
    expect(members("faults")).toEqual([500.0, 501.0, 510.0]);
    const adaptive = members("adaptive");
    expect(adaptive).toEqual([
      155.0, 155.1, 155.2, 350.0, 350.1, 351.0, 351.1, 360.0, 370.0, 380.0, 380.1, 391.0, 391.1,
      391.2, 391.3, 391.4, 392.0,
    ]);
    expect(adaptive).toHaveLength(17);
    expect(adaptive).not.toContain(392.1);
    expect(members("full")).toEqual([...catalog.workflows.keys()]);
    expect(members("full")).toHaveLength(31);
  });
});

describe("the -l selection grammar", () => {
  it("expands a set name", () => {
    expect(select("smoke")).toEqual([100.0, 150.0, 500.0, 501.0, 510.0]);
  });

  it("treats 100 and 100.0 as the same id", () => {
    expect(select("100")).toEqual([100.0]);
    expect(select("100.0,500")).toEqual([100.0, 500.0]);
  });

  it("expands inclusive ranges in ascending order", () => {
    expect(select("500-530")).toEqual([500.0, 501.0, 510.0]);
    expect(select("391-391.3")).toEqual([391.0, 391.1, 391.2, 391.3]);
    expect(select("155.1-160")).toEqual([155.1, 155.2, 160.0]);
  });

  it("mixes sets, ids and ranges and drops duplicates keeping the first occurrence", () => {
    expect(select("faults,155.2")).toEqual([500.0, 501.0, 510.0, 155.2]);
    expect(select("510, smoke ,100.1")).toEqual([510.0, 100.0, 150.0, 500.0, 501.0, 100.1]);
    expect(select("392-393,392.1,synthetic")).toEqual([
      392.0, 392.1, 100.0, 100.1, 500.0, 501.0, 510.0,
    ]);
  });

  const errors: [string, string][] = [
    ["999", "unknown workflow id 999.0"],
    ["100.0,155.3", "unknown workflow id 155.3"],
    [
      "smok",
      'unknown set "smok" (known sets: adaptive, faults, full, integration, simulator, smoke, synthetic)',
    ],
    ["600-700", "workflow range 600-700 matches no catalog id"],
    ["510-500", "workflow range 510-500: the low end is above the high end"],
    [
      "1x0",
      'malformed workflow selector "1x0" (expected a set name, an id such as 150.1, or a range LO-HI)',
    ],
    [
      "-5",
      'malformed workflow selector "-5" (expected a set name, an id such as 150.1, or a range LO-HI)',
    ],
    ["smoke,,100", 'empty item in workflow selection "smoke,,100"'],
    ["", "empty workflow selection"],
  ];
  it.each(errors)("rejects %j with one line", (spec, message) => {
    let caught: unknown;
    try {
      select(spec);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as Error).message).toBe(message);
  });
});
