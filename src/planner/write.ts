import { chmodSync, existsSync, mkdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatDag, formatSubmit } from "../dagman/index.js";
import { formatDagmanConfig } from "./outer-dag.js";
import { tarGz } from "./sandbox.js";
import { GROUP_LINKED_SCRIPTS } from "./scripts.js";
import type { DagBundle } from "./types.js";

export const SANDBOX_NAME = "sandbox.tar.gz";

/** JSON as the reference wrote it (2-space indent) plus a final newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Write a file through a temporary name and a rename, so a reader never sees half a file. */
export function writeFileAtomic(path: string, text: string | Buffer): void {
  const tmp = `${path}.tmp${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * Write a planned bundle into its submit directory: outer DAG, dagman.config, scripts,
 * sandbox, and per work unit its group.dag, submit files, manifest.json and
 * output_info.json, with the scripts linked into the group directory.
 */
export function writeBundle(bundle: DagBundle): void {
  const dir = bundle.submitDir;
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(bundle.scripts)) {
    const p = join(dir, name);
    writeFileSync(p, text);
    chmodSync(p, 0o755);
  }
  writeFileSync(join(dir, "dagman.config"), formatDagmanConfig(bundle.dagmanConfig));
  const manifest = bundle.groups[0]?.manifest ?? {};
  writeFileSync(join(dir, SANDBOX_NAME), tarGz({ "manifest.json": jsonText(manifest) }));
  for (const g of bundle.groups) {
    const gdir = join(dir, g.name);
    mkdirSync(gdir, { recursive: true });
    for (const [name, sub] of Object.entries(g.submits)) {
      writeFileSync(join(gdir, name), formatSubmit(sub));
    }
    writeFileSync(join(gdir, "manifest.json"), jsonText(g.manifest));
    writeFileSync(join(gdir, "output_info.json"), jsonText(g.outputInfo));
    for (const s of GROUP_LINKED_SCRIPTS) {
      const link = join(gdir, s);
      if (!existsSync(link)) symlinkSync(join("..", s), link);
    }
    writeFileSync(join(gdir, "group.dag"), formatDag(g.dag));
  }
  // The outer DAG last: its presence marks a complete submit directory.
  writeFileAtomic(join(dir, "workflow.dag"), formatDag(bundle.outer));
}
