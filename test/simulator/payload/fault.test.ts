import { describe, expect, it } from "vitest";
import { MemFs } from "../../../simulator/fs.js";
import {
  applyFault,
  formatFaultScript,
  parseFaultScript,
} from "../../../simulator/payload/fault.js";
import { payloadFor } from "../../../simulator/payload/registry.js";
import { formatSubmit } from "../../../src/dagman/submit-format.js";
import { parseSubmit } from "../../../src/dagman/submit-parse.js";
import { GROUP, jobCtx, procSubmitText } from "./helpers.js";

describe("fault wrapper script", () => {
  it("writes the bash the matrix runner installs", () => {
    expect(formatFaultScript({ signal: 9, delaySec: 30 })).toBe(
      "#!/bin/bash\n# WMS2 fault injection: runs instead of the node's executable\nsleep 30\nkill -9 $$\n",
    );
    expect(formatFaultScript({ exitCode: 1 }).split("\n").slice(2)).toEqual(["exit 1", ""]);
    expect(formatFaultScript({}).split("\n").slice(2)).toEqual(["exit 0", ""]);
  });

  it("reads back what it writes", () => {
    for (const f of [
      { exitCode: 1, signal: 0, delaySec: 0 },
      { exitCode: 0, signal: 9, delaySec: 30 },
      { exitCode: 0, signal: 0, delaySec: 2.5 },
      { exitCode: 137, signal: 0, delaySec: 10 },
    ]) {
      expect(parseFaultScript(formatFaultScript(f), "x_fault.sh")).toEqual(f);
    }
  });

  it("accepts signal names, stops at the first action, defaults to exit 0", () => {
    expect(parseFaultScript("kill -KILL $$\nexit 3\n", "f").signal).toBe(9);
    expect(parseFaultScript("sleep 5s\nsleep 1\nkill -s SIGTERM $$\n", "f")).toEqual({
      exitCode: 0,
      signal: 15,
      delaySec: 6,
    });
    expect(parseFaultScript("#!/bin/bash\n\n", "f")).toEqual({
      exitCode: 0,
      signal: 0,
      delaySec: 0,
    });
  });

  it("rejects anything else with the file and line", () => {
    expect(() =>
      parseFaultScript("#!/bin/bash\nsleep 1\nrm -rf /\n", "mg_000000/proc_000000_fault.sh"),
    ).toThrow(
      'mg_000000/proc_000000_fault.sh:3: a fault wrapper may only sleep, kill -SIG $$ or exit, got "rm -rf /"',
    );
    expect(() => parseFaultScript("kill -FOO $$", "f")).toThrow('f:1: unknown signal "-FOO"');
  });
});

describe("fault patching and payload", () => {
  it("rewrites the submit model as matrix.md §6.1 says", () => {
    const sub = parseSubmit(procSubmitText(0), "proc_000000.sub");
    const text = formatSubmit(applyFault(sub, "proc_000000_fault.sh"));
    expect(text).toContain("\nexecutable = proc_000000_fault.sh\narguments =\n");
    expect(text).not.toContain("transfer_input_files");
    expect(text).toContain("request_memory = 8192");
  });

  it("runs the wrapper: duration delay + 1 s, the signal or exit code, no artifacts", () => {
    const fs = new MemFs();
    fs.writeText(`${GROUP}/proc_000000_fault.sh`, formatFaultScript({ signal: 9, delaySec: 30 }));
    const sub = applyFault(parseSubmit(procSubmitText(0), "s"), "proc_000000_fault.sh");
    fs.writeText(`${GROUP}/proc_000000.sub`, formatSubmit(sub));
    const model = payloadFor("proc_000000_fault.sh", fs, GROUP, "mg_000000/proc_000000.sub");
    const plan = model(jobCtx(fs, "proc_000000"));
    expect(plan.durationSec).toBe(31);
    expect(plan.signal).toBe(9);
    expect(plan.exitCode).toBeUndefined();
    plan.complete(31);
    expect(fs.list(GROUP)).toEqual([
      "proc_000000.err",
      "proc_000000.out",
      "proc_000000.sub",
      "proc_000000_fault.sh",
    ]);
  });

  it("fails at selection when the wrapper is missing", () => {
    expect(() => payloadFor("merge_fault.sh", new MemFs(), GROUP, "mg_000000/merge.sub")).toThrow(
      'mg_000000/merge.sub: executable "merge_fault.sh": fault wrapper not found',
    );
  });
});
