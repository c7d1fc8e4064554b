import { describe, expect, it } from "vitest";
import { MemFs } from "../../../simulator/fs.js";
import {
  fixedPayload,
  PayloadRegistry,
  payloadFor,
  scriptFor,
} from "../../../simulator/payload/registry.js";
import { fixedScript } from "../../../simulator/payload/scripts.js";
import { InputError } from "../../../src/model/errors.js";
import { GROUP, jobCtx, scriptCtx, seedGroup } from "./helpers.js";

describe("payload registry", () => {
  it("chooses payloads by the executable's base name", () => {
    const fs = seedGroup({ events: 100 });
    const ctx = jobCtx(fs, "proc_000000");
    for (const exe of ["../wms2_proc.sh", "/abs/wms2_proc.sh"]) {
      expect(payloadFor(exe, fs, GROUP)(ctx).durationSec).toBeCloseTo(10 + 5 / 5.9 + 6 / 7.3, 9);
    }
    const landing = payloadFor("/bin/true", fs, GROUP)(ctx);
    expect([landing.durationSec, landing.exitCode]).toEqual([1, 0]);
    expect(payloadFor("true", fs, GROUP)).toBe(payloadFor("/bin/true", fs, GROUP));
    const failing = payloadFor("/bin/false", fs, GROUP)(ctx);
    expect([failing.durationSec, failing.exitCode]).toEqual([1, 1]);
    expect(payloadFor("../wms2_merge.py", fs, GROUP)).toBe(
      payloadFor("../wms2_merge.sh", fs, GROUP),
    );
    expect(payloadFor("../wms2_cleanup.sh", fs, GROUP)).not.toBe(
      payloadFor("../wms2_merge.sh", fs, GROUP),
    );
  });

  it("names the submit file and the executable it does not know", () => {
    const call = () => payloadFor("foo.sh", new MemFs(), GROUP, "mg_000000/proc_000003.sub");
    expect(call).toThrow(InputError);
    expect(call).toThrow(
      'mg_000000/proc_000003.sub: executable "foo.sh" is not a payload the simulator knows',
    );
  });

  it("chooses scripts by base name and rejects unknown ones", () => {
    const fs = new MemFs();
    expect(scriptFor("/bin/true")(scriptCtx(fs))).toEqual({ exitCode: 0, durationSec: 0.5 });
    expect(scriptFor("/bin/false")(scriptCtx(fs)).exitCode).toBe(1);
    expect(scriptFor("/wf/wu_post.sh")).toBe(scriptFor("wu_post.sh"));
    expect(() => scriptFor("exit3.sh", "/wf/mg_000000/group.dag")).toThrow(
      '/wf/mg_000000/group.dag: script "exit3.sh" is not a script the simulator knows',
    );
  });

  it("takes extra models on its own registry, without touching the default one", () => {
    const reg = new PayloadRegistry()
      .registerScript("exit3.sh", fixedScript(3, 2))
      .registerPayload("/usr/bin/sleep", fixedPayload({ durationSec: 42, exitCode: 0 }));
    expect(reg.scriptFor("../exit3.sh")(scriptCtx(new MemFs()))).toEqual({
      exitCode: 3,
      durationSec: 2,
    });
    const fs = seedGroup();
    expect(reg.payloadFor("/usr/bin/sleep", fs, GROUP)(jobCtx(fs, "proc_000000")).durationSec).toBe(
      42,
    );
    expect(() => scriptFor("exit3.sh")).toThrow(InputError);
  });
});
