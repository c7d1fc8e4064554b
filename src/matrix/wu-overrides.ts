import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatSubmit, parseSubmit, submitGet, submitSet } from "../dagman/index.js";
import type { WorkflowDef } from "../model/workflow.js";
import { jsonText } from "../planner/write.js";

function procSubs(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => /^proc_\d+\.sub$/.test(n))
    .sort();
}

function editSub(
  file: string,
  edit: (text: ReturnType<typeof parseSubmit>) => ReturnType<typeof parseSubmit>,
): void {
  const model = parseSubmit(readFileSync(file, "utf8"), file);
  writeFileSync(file, formatSubmit(edit(model)));
}

/** Add a file to a submit model's transfer_input_files (once). */
export function addInputFile(
  model: ReturnType<typeof parseSubmit>,
  name: string,
): ReturnType<typeof parseSubmit> {
  const cur = submitGet(model, "transfer_input_files") ?? "";
  const list = cur
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (list.includes(name)) return model;
  return submitSet(model, "transfer_input_files", [...list, name].join(","));
}

/**
 * The catalog's per-work-unit switches of a non-adaptive multi-unit workflow:
 * `splitTmpfs` from work unit `splitTmpfsFromWu` on (a manifest_tuned.json with
 * split_tmpfs true, transferred with every proc job of the unit) and `memoryMbPerWu`
 * (request_memory of the unit's proc jobs). Adaptive workflows get both from the replan.
 */
export function applyWorkUnitOverrides(wf: WorkflowDef, groupDirs: string[]): void {
  if (wf.adaptive) return;
  groupDirs.forEach((dir, wu) => {
    if (wf.splitTmpfs && wu >= wf.splitTmpfsFromWu) {
      const manifestFile = join(dir, "manifest.json");
      if (existsSync(manifestFile)) {
        const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Record<string, unknown>;
        writeFileSync(
          join(dir, "manifest_tuned.json"),
          jsonText({ ...manifest, split_tmpfs: true }),
        );
        for (const s of procSubs(dir))
          editSub(join(dir, s), (m) => addInputFile(m, "manifest_tuned.json"));
      }
    }
    const mem = wf.memoryMbPerWu[wu];
    if (mem !== undefined) {
      for (const s of procSubs(dir))
        editSub(join(dir, s), (m) => submitSet(m, "request_memory", String(mem)));
    }
  });
}
