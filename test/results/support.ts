import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunMeta } from "../../src/results/schema.js";

/** The plain child-process writer used by the concurrency tests. */
export const WRITER_CHILD = join(dirname(fileURLToPath(import.meta.url)), "writer-child.mjs");

/** A fresh temporary folder per call; remove them all with `cleanup`. */
export function tempDirs(prefix: string): { make(): string; cleanup(): void } {
  const made: string[] = [];
  return {
    make() {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      made.push(dir);
      return dir;
    },
    cleanup() {
      for (const d of made) rmSync(d, { recursive: true, force: true });
    },
  };
}

export function meta(selection = "smoke", startedAt = "2026-02-24T21:05:00.000Z"): RunMeta {
  return {
    startedAt,
    selection,
    backend: "sim",
    seed: 42,
    gitCommit: "1a2b3c4",
    versions: { node: "20.20.2", wms2: "0.1.0" },
    argv: ["matrix", "-l", selection],
  };
}
