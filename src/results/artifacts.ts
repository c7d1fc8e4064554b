/**
 * Artifact files of a run: `<results dir>/artifacts/run_<id>/<wf id>/<name>`, each written
 * to a temporary sibling and renamed into place, so a reader never sees half a file.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatWfId } from "./wf-id.js";

export function artifactDirOf(resultsDir: string, runId: number, wfId: number): string {
  return join(resultsDir, "artifacts", `run_${runId}`, formatWfId(wfId));
}

/** A plain file name: no directory parts, not hidden, not empty. */
export function checkArtifactName(name: string): void {
  if (name === "" || name.startsWith(".") || /[/\\\0]/.test(name)) {
    throw new Error(`invalid artifact name "${name}": use a plain file name`);
  }
}

/** Write `data` as `<dir>/<name>` atomically; returns the file path. */
export function writeArtifactFile(dir: string, name: string, data: string | Buffer): string {
  checkArtifactName(name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  const tmp = join(dir, `.${name}.tmp-${process.pid}`);
  writeFileSync(tmp, data);
  renameSync(tmp, file);
  return file;
}
