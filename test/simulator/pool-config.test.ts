import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Simulation } from "../../simulator/core/simulation.js";
import { DEFAULT_POOL, loadPoolFile, parsePoolYaml } from "../../simulator/pool/config.js";
import { Pool } from "../../simulator/pool/pool.js";
import { InputError } from "../../src/model/errors.js";
import { repoRoot } from "../helpers/shared-fixtures.js";

const ok = `negotiationIntervalSec: 20
machines:
  - { name: slot-host, count: 16, cores: 8, memoryMb: 32000, diskKb: 100000000, site: T2_CH_CERN }
  - { name: fat, cores: 32, memoryMb: 256000, diskKb: 100000000, site: T1_US_FNAL }
`;

function errorOf(text: string): string {
  try {
    parsePoolYaml(text, "pool.yaml");
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const msg = (e as Error).message;
    expect(msg).not.toContain("\n");
    return msg;
  }
  throw new Error("expected an InputError");
}

describe("pool description YAML", () => {
  it("parses machines, applies defaults and builds the pool", () => {
    const cfg = parsePoolYaml(ok, "pool.yaml");
    expect(cfg.negotiationIntervalSec).toBe(20);
    expect(cfg.firstClusterId).toBe(1000);
    expect(cfg.machines[1].count).toBe(1);
    const pool = new Pool(new Simulation(), cfg);
    expect(pool.totalCores).toBe(16 * 8 + 32);
    const names = pool.machines().map((m) => m.name);
    expect([names[0], names[15], names[16]]).toEqual(["slot-host-01", "slot-host-16", "fat"]);
  });

  it("ships default-pool.yaml equal to DEFAULT_POOL, big enough for 16-core 32 GB jobs", () => {
    const file = join(repoRoot, "simulator", "pool", "default-pool.yaml");
    expect(loadPoolFile(file)).toEqual(DEFAULT_POOL);
    const pool = new Pool(new Simulation());
    const j = pool.submit({
      requestCpus: 16,
      requestMemoryMb: 32000,
      requestDiskKb: 20_000_000,
      driver: () => ({ durationSec: 1 }),
    });
    expect(pool.unmatchable()).toEqual([]);
    expect(pool.totalCores).toBe(512);
    pool.sim.run();
    expect(j.exitCode).toBe(0);
  });

  it("names the file and field of an unknown key", () => {
    expect(errorOf(ok.replace("cores: 8,", "cors: 8,"))).toBe(
      "pool.yaml: field machines[0].cors: unknown field",
    );
    expect(errorOf(`${ok}extra: 1\n`)).toBe("pool.yaml: field extra: unknown field");
  });

  it("names the field of a wrong type, a missing field and a bad value", () => {
    expect(errorOf(ok.replace("cores: 8,", 'cores: "eight",'))).toBe(
      'pool.yaml: field machines[0].cores: expected a number, got "eight"',
    );
    expect(errorOf(ok.replace("cores: 8,", "cores: 8.5,"))).toBe(
      "pool.yaml: field machines[0].cores: expected an integer, got 8.5",
    );
    expect(errorOf(ok.replace(", site: T1_US_FNAL", ""))).toBe(
      "pool.yaml: field machines[1].site: missing (required)",
    );
    expect(errorOf("negotiationIntervalSec: 5\n")).toBe(
      "pool.yaml: field machines: missing (required)",
    );
    expect(errorOf("machines: []\n")).toBe("pool.yaml: field machines: must be at least 1 entries");
    expect(errorOf(ok.replace("negotiationIntervalSec: 20", "negotiationIntervalSec: 0"))).toMatch(
      /^pool\.yaml: field negotiationIntervalSec: /,
    );
    expect(errorOf(ok.replace("name: fat", "name: slot-host"))).toBe(
      'pool.yaml: field machines[1].name: duplicate name "slot-host"',
    );
  });

  it("reports YAML syntax errors with the line, and non-mapping documents", () => {
    expect(errorOf("machines:\n  - name: a\n   bad: [\n")).toMatch(/^pool\.yaml:3: /);
    expect(errorOf("- 1\n- 2\n")).toBe("pool.yaml: a pool description must be a mapping");
    expect(errorOf("")).toBe("pool.yaml: a pool description must be a mapping");
  });

  it("loads a file and reports a missing one", () => {
    const dir = mkdtempSync(join(tmpdir(), "pool-"));
    try {
      const file = join(dir, "p.yaml");
      writeFileSync(file, ok);
      expect(loadPoolFile(file).machines[0].name).toBe("slot-host");
      expect(() => loadPoolFile(join(dir, "nope.yaml"))).toThrow(
        /nope\.yaml: cannot read pool description \(ENOENT\)/,
      );
      expect(readFileSync(file, "utf8")).toBe(ok);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
