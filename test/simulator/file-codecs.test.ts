import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { simulateDag } from "../../simulator/dagman/simulate.js";
import { DiskFs, type FileCodec, MemFs, resolveIn } from "../../simulator/fs.js";
import { diskModels } from "../../src/backends/sim.js";
import { seedBundle } from "../../src/backends/sim-seed.js";
import { memFsOf } from "../../src/cli/sim.js";
import { loadCatalog } from "../../src/matrix/catalog.js";
import { writeMatrixPlan } from "../../src/matrix/matrix-plan.js";
import { matrixPlanRequest } from "../../src/matrix/plan-request.js";
import { planWorkflow } from "../../src/planner/plan.js";
import { repoRoot } from "../helpers/shared-fixtures.js";

const catalog = loadCatalog(join(repoRoot, "catalog"));
const tmp = mkdtempSync(join(tmpdir(), "wms2-codecs-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Stored {
  path: string;
  codec: FileCodec<unknown>;
  value: unknown;
  /** The text the codec makes of the value when it is stored (before any later change). */
  text: string;
}

/** A MemFs that also records every value written through a codec. */
class RecordingFs extends MemFs {
  readonly stored: Stored[] = [];
  override writeValue<T>(path: string, codec: FileCodec<T>, value: T): void {
    const c = codec as FileCodec<unknown>;
    this.stored.push({ path, codec: c, value, text: c.format(value) });
    super.writeValue(path, codec, value);
  }
  override writeValueIn<T>(dir: string, name: string, codec: FileCodec<T>, value: T): void {
    const c = codec as FileCodec<unknown>;
    this.stored.push({ path: resolveIn(dir, name), codec: c, value, text: c.format(value) });
    super.writeValueIn(dir, name, codec, value);
  }
}

/** Every file below `dir` on disk, by path. */
function diskTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p, readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return out;
}

/** Every file below `dir` in a MemFs, by path (values and logs made into text). */
function memTree(fs: MemFs, dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of fs.list(d)) {
      const p = join(d, n);
      if (fs.isDir(p)) walk(p);
      else out.set(p, fs.readText(p));
    }
  };
  walk(dir);
  return out;
}

/**
 * Plan a catalog workflow as the matrix does (fault included), run it once with every file in
 * a recording MemFs and once on disk, with the same seed.
 */
function bothWays(id: number) {
  const wf = catalog.workflows.get(id)!;
  const dir = join(tmp, String(id));
  writeMatrixPlan(wf, catalog, {
    submitDir: join(dir, "submit"),
    storageDir: join(dir, "storage"),
    wms2Command: "matrix",
    withFault: true,
  });
  const mem = new RecordingFs();
  for (const [p, text] of memTree(memFsOf(dir), dir)) mem.writeText(p, text);
  const dag = join(dir, "submit", "workflow.dag");
  const inMemory = simulateDag(dag, { seed: 3, fs: mem, models: diskModels(mem) });
  const disk = new DiskFs();
  const onDisk = simulateDag(dag, { seed: 3, fs: disk, models: diskModels(disk) });
  return { dir, mem, inMemory, onDisk };
}

describe("values kept in memory", () => {
  // Synthetic, a 3-step StepChain, a high-memory profile (held jobs, raised request_memory),
  // the production path, and a proc fault that ends in a rescue DAG.
  it.each(["100.1", "151.0", "152.0", "160.0", "500.0"])(
    "%s: the same files, byte for byte, as the run on disk; every value reads back from its text",
    (name) => {
      const id = Number(name);
      const { dir, mem, inMemory, onDisk } = bothWays(id);
      expect(inMemory.status).toBe(onDisk.status);
      expect(inMemory.durationSec).toBe(onDisk.durationSec);
      const onDiskFiles = diskTree(dir);
      const inMemoryFiles = memTree(mem, dir);
      expect([...inMemoryFiles.keys()].sort()).toEqual([...onDiskFiles.keys()].sort());
      for (const [p, text] of onDiskFiles) expect(inMemoryFiles.get(p), p).toBe(text);

      expect(mem.stored.length).toBeGreaterThan(10);
      const kinds = new Set(mem.stored.map((s) => s.codec));
      expect(kinds.size).toBeGreaterThanOrEqual(id === 500.0 ? 2 : 6);
      for (const s of mem.stored) {
        expect(s.codec.parse(s.text, s.path), s.path).toEqual(s.value);
        expect(s.codec.format(s.value), `${s.path} changed after it was stored`).toBe(s.text);
      }
    },
  );
});

describe("the planner's models handed over as values", () => {
  it.each(["151.0", "160.0", "500.0"])(
    "%s: runs exactly as when DAGMan parses the planner's files",
    (name) => {
      const wf = catalog.workflows.get(Number(name))!;
      const dir = join(tmp, `seeded-${name}`);
      const { bundle } = planWorkflow(
        matrixPlanRequest(wf, catalog.profiles, {
          submitDir: join(dir, "submit"),
          storageDir: join(dir, "storage"),
          wms2Command: "matrix",
        }),
      );
      const run = (form: "values" | "text") => {
        const fs = new RecordingFs();
        seedBundle(fs, bundle, form);
        const r = simulateDag(join(bundle.submitDir, "workflow.dag"), {
          seed: 5,
          fs,
          models: diskModels(fs),
        });
        return { r, fs, files: memTree(fs, dir) };
      };
      const asValues = run("values");
      const asText = run("text");
      expect(asValues.r.status).toBe("success");
      expect(asValues.r.jobsSubmitted).toBe(asText.r.jobsSubmitted);
      expect([...asValues.files.keys()].sort()).toEqual([...asText.files.keys()].sort());
      for (const [p, text] of asText.files) expect(asValues.files.get(p), p).toBe(text);
    },
  );
});
