import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { applyFault, FAULT_SUFFIX, formatFaultScript } from "../../simulator/payload/fault.js";
import { formatSubmit, parseSubmit } from "../dagman/index.js";
import type { FaultSpec } from "../model/workflow.js";

export interface FaultPatch {
  /** Submit file patched (absolute). */
  submitFile: string;
  /** Wrapper script written next to it. */
  script: string;
}

/**
 * Inject a fault at plan time, before submission (no race with DAGMan): for every targeted
 * node write `<stem>_fault.sh` beside its submit file and point the submit file at it
 * (executable -> wrapper, arguments emptied, transfer_input_files dropped). The same patch
 * works on a live pool and in the simulator. `proc` targets are chosen per work unit by
 * their position in the sorted proc list (`nodeIndices`), `workUnits` limits the units.
 */
export function injectFault(groupDirs: string[], fault: FaultSpec): FaultPatch[] {
  const patches: FaultPatch[] = [];
  const text = formatFaultScript({
    exitCode: fault.skipOutput ? 0 : fault.exitCode,
    signal: fault.skipOutput ? 0 : fault.signal,
    delaySec: fault.delaySec,
  });
  groupDirs.forEach((dir, wu) => {
    if (fault.workUnits && !fault.workUnits.includes(wu)) return;
    let targets: string[];
    if (fault.target === "proc") {
      const procs = readdirSubs(dir);
      targets = fault.nodeIndices ? procs.filter((_, i) => fault.nodeIndices!.includes(i)) : procs;
    } else {
      targets = [`${fault.target}.sub`];
    }
    for (const sub of targets) {
      const file = join(dir, sub);
      if (!existsSync(file)) continue;
      const stem = sub.replace(/\.sub$/, "");
      const script = join(dir, `${stem}${FAULT_SUFFIX}`);
      writeFileSync(script, text);
      chmodSync(script, 0o755);
      const model = parseSubmit(readFileSync(file, "utf8"), file);
      writeFileSync(file, formatSubmit(applyFault(model, `${stem}${FAULT_SUFFIX}`)));
      patches.push({ submitFile: file, script });
    }
  });
  return patches;
}

/** Sorted proc submit files of a work unit, e.g. proc_000000.sub, proc_000001.sub. */
function readdirSubs(dir: string): string[] {
  return (existsSync(dir) ? readdirSync(dir) : []).filter((n) => /^proc_\d+\.sub$/.test(n)).sort();
}
