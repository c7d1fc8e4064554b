import { describe, expect, it } from "vitest";
import { CommandError, findPool } from "../../../src/backends/condor/index.js";
import { type Call, fakeRunner, fixture, ok } from "./fake-runner.js";

function pool(over: (c: Call) => ReturnType<typeof ok> | undefined) {
  return fakeRunner((c) => {
    const r = over(c);
    if (r) return r;
    if (c.args[0] === "-version") return ok("$CondorVersion: 24.0.1 2024-10-31 BuildID: 123 $\n");
    if (c.args[0] === "-schedd") return ok(fixture("condor-status-schedd-af.txt"));
    if (c.args[0] === "-total") return ok(fixture("condor-status-total.txt"));
    throw new Error(`unexpected ${c.cmd}`);
  });
}

describe("findPool", () => {
  it("finds a pool with a schedd and slots", async () => {
    const { runner, calls } = pool(() => undefined);
    expect(await findPool(runner)).toEqual({ ok: true, schedd: "submit.example.org", slots: 16 });
    expect(calls.map((c) => `${c.cmd} ${c.args.join(" ")}`)).toEqual([
      "condor_q -version",
      "condor_status -version",
      "condor_submit_dag -version",
      "condor_status -schedd -af Name",
      "condor_status -total",
    ]);
    expect(calls.every((c) => c.opts.timeoutMs === 10_000)).toBe(true);
  });

  it("tools missing from PATH", async () => {
    const { runner } = fakeRunner((c) => {
      throw new CommandError(c.cmd, "not-found", "not found on PATH");
    });
    expect(await findPool(runner)).toEqual({ ok: false, reason: "condor_q not found on PATH" });
    const r2 = pool((c) => {
      if (c.cmd === "condor_submit_dag") throw new CommandError(c.cmd, "not-found", "x");
      return undefined;
    });
    expect(await findPool(r2.runner)).toEqual({
      ok: false,
      reason: "condor_submit_dag not found on PATH",
    });
  });

  it("no schedd answers", async () => {
    const { runner } = pool((c) =>
      c.args[0] === "-schedd"
        ? {
            exitCode: 1,
            stdout: "",
            stderr: "Error: communication error\nCEDAR:6001:Failed to connect\n",
          }
        : undefined,
    );
    expect(await findPool(runner)).toEqual({
      ok: false,
      reason: "condor_status -schedd failed: Error: communication error",
    });
    const empty = pool((c) => (c.args[0] === "-schedd" ? ok("\n") : undefined));
    expect(await findPool(empty.runner)).toEqual({
      ok: false,
      reason: "condor_status -schedd lists no schedd",
    });
  });

  it("a pool without slots, or a timeout", async () => {
    const { runner } = pool((c) => (c.args[0] === "-total" ? ok("") : undefined));
    expect(await findPool(runner)).toEqual({ ok: false, reason: "the pool has 0 slots" });
    const slow = pool((c) => {
      if (c.args[0] === "-total") throw new CommandError(c.cmd, "timeout", "timed out after 10 s");
      return undefined;
    });
    expect(await findPool(slow.runner)).toEqual({
      ok: false,
      reason: "condor_status -total failed: timed out after 10 s",
    });
  });
});
