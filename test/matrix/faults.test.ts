import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseFaultScript } from "../../simulator/payload/fault.js";
import { parseSubmit, submitGet } from "../../src/dagman/index.js";
import { injectFault } from "../../src/matrix/faults.js";
import type { FaultSpec } from "../../src/model/workflow.js";

const root = mkdtempSync(join(tmpdir(), "wms2-faults-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function submitText(exe: string, args: string): string {
  return [
    "# node job",
    "universe = vanilla",
    `executable = ${exe}`,
    `arguments = ${args}`,
    "transfer_input_files = sandbox.tar.gz, manifest.json",
    "request_cpus = 1",
    "queue",
    "",
  ].join("\n");
}

/** Two work units: procs 0-3 in the first, 4-7 in the second, with merge and cleanup. */
function layout(name: string): { dirs: string[]; texts: Map<string, string> } {
  const texts = new Map<string, string>();
  const dirs = [0, 1].map((wu) => {
    const dir = join(root, name, `mg_00000${wu}`);
    mkdirSync(dir, { recursive: true });
    const files: Record<string, string> = {
      "merge.sub": submitText("wms2_merge.sh", "--wu 0"),
      "cleanup.sub": submitText("wms2_cleanup.sh", "--wu 0"),
    };
    for (let i = 0; i < 4; i++) {
      const n = wu * 4 + i;
      files[`proc_${String(n).padStart(6, "0")}.sub`] = submitText("wms2_proc.sh", `--node ${n}`);
    }
    for (const [f, t] of Object.entries(files)) {
      writeFileSync(join(dir, f), t);
      texts.set(join(dir, f), t);
    }
    return dir;
  });
  return { dirs, texts };
}

function fault(over: Partial<FaultSpec>): FaultSpec {
  return { target: "proc", exitCode: 1, signal: 0, delaySec: 0, skipOutput: false, ...over };
}

/** Submit files whose text changed since `layout` wrote them. */
function changed(texts: Map<string, string>): string[] {
  return [...texts.entries()]
    .filter(([f, t]) => readFileSync(f, "utf8") !== t)
    .map(([f]) => f.slice(root.length + 1))
    .sort();
}

describe("injectFault", () => {
  it("patches only the targeted positions of the targeted work units", () => {
    const { dirs, texts } = layout("positions");
    const patches = injectFault(dirs, fault({ nodeIndices: [1, 3], workUnits: [1] }));
    expect(patches.map((p) => p.submitFile.slice(root.length + 1))).toEqual([
      "positions/mg_000001/proc_000005.sub",
      "positions/mg_000001/proc_000007.sub",
    ]);
    expect(changed(texts)).toEqual([
      "positions/mg_000001/proc_000005.sub",
      "positions/mg_000001/proc_000007.sub",
    ]);
    expect(patches[0].script).toBe(join(dirs[1], "proc_000005_fault.sh"));
  });

  it("rewrites the submit file to run the wrapper, keeping everything else", () => {
    const { dirs } = layout("rewrite");
    injectFault(dirs, fault({ nodeIndices: [0], workUnits: [0] }));
    const file = join(dirs[0], "proc_000000.sub");
    const sub = parseSubmit(readFileSync(file, "utf8"), file);
    expect(submitGet(sub, "executable")).toBe("proc_000000_fault.sh");
    expect(submitGet(sub, "arguments")).toBe("");
    expect(submitGet(sub, "transfer_input_files")).toBeUndefined();
    expect(submitGet(sub, "request_cpus")).toBe("1");
    expect(submitGet(sub, "universe")).toBe("vanilla");
    expect(sub.header).toEqual([" node job"]);
  });

  it("writes an executable wrapper that the simulator reads back", () => {
    const { dirs } = layout("wrapper");
    const [p] = injectFault(dirs, fault({ nodeIndices: [2], workUnits: [0], delaySec: 30 }));
    expect(statSync(p.script).mode & 0o777).toBe(0o755);
    const text = readFileSync(p.script, "utf8");
    expect(text).toBe(
      "#!/bin/bash\n# WMS2 fault injection: runs instead of the node's executable\nsleep 30\nexit 1\n",
    );
    expect(parseFaultScript(text, p.script)).toEqual({ exitCode: 1, signal: 0, delaySec: 30 });
  });

  it("a signal fault kills, a skip-output fault exits 0", () => {
    const { dirs } = layout("kinds");
    const [k] = injectFault([dirs[0]], fault({ exitCode: 0, signal: 9, nodeIndices: [0] }));
    expect(parseFaultScript(readFileSync(k.script, "utf8"), k.script)).toEqual({
      exitCode: 0,
      signal: 9,
      delaySec: 0,
    });
    const [s] = injectFault(
      [dirs[1]],
      fault({ exitCode: 3, signal: 9, skipOutput: true, nodeIndices: [0] }),
    );
    expect(parseFaultScript(readFileSync(s.script, "utf8"), s.script)).toEqual({
      exitCode: 0,
      signal: 0,
      delaySec: 0,
    });
  });

  it("without nodeIndices or workUnits every proc of every work unit is patched", () => {
    const { dirs, texts } = layout("all");
    const patches = injectFault(dirs, fault({}));
    expect(patches).toHaveLength(8);
    expect(changed(texts).filter((f) => /proc_/.test(f))).toHaveLength(8);
    expect(changed(texts).some((f) => /merge|cleanup/.test(f))).toBe(false);
  });

  it("merge and cleanup targets patch that node in the chosen work units", () => {
    const { dirs, texts } = layout("merge");
    const m = injectFault(dirs, fault({ target: "merge", workUnits: [0] }));
    expect(m.map((p) => p.script.slice(root.length + 1))).toEqual([
      "merge/mg_000000/merge_fault.sh",
    ]);
    const c = injectFault(dirs, fault({ target: "cleanup" }));
    expect(c).toHaveLength(2);
    expect(changed(texts)).toEqual([
      "merge/mg_000000/cleanup.sub",
      "merge/mg_000000/merge.sub",
      "merge/mg_000001/cleanup.sub",
    ]);
  });

  it("skips targets that do not exist", () => {
    const dir = join(root, "empty", "mg_000000");
    mkdirSync(dir, { recursive: true });
    expect(injectFault([dir, join(root, "empty", "mg_000009")], fault({}))).toEqual([]);
    expect(injectFault([dir], fault({ target: "merge" }))).toEqual([]);
  });
});
