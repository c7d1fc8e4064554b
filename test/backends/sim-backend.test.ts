import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SimBackend } from "../../src/backends/sim.js";

const dir = mkdtempSync(join(tmpdir(), "wms2-sim-backend-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dagWith(subLines: string): string {
  const d = mkdtempSync(join(dir, "dag-"));
  writeFileSync(join(d, "t.dag"), "JOB A a.sub\n");
  writeFileSync(join(d, "a.sub"), `executable = /bin/true\n${subLines}queue\n`);
  return join(d, "t.dag");
}

describe("the sim backend's stall report", () => {
  it("names jobs no machine can run even while a periodic_remove would end their wait", async () => {
    const b = new SimBackend({ seed: 1 });
    const h = await b.submitDag(
      dagWith(
        "request_memory = 900000\nperiodic_remove = (JobStatus == 1) && (time() - EnteredCurrentStatus) > 43200\n",
      ),
    );
    await b.clock.sleep(60);
    expect(await b.dagJobState(h)).toEqual({ state: "running" });
    expect(b.stalledReason()).toMatch(
      /^1 job\(s\) match no machine of the pool: too large for every matching machine: request_memory 900000 MiB/,
    );
  });

  it("reports nothing while a job runs", async () => {
    const b = new SimBackend({ seed: 1 });
    await b.submitDag(dagWith(""));
    await b.clock.sleep(0.5);
    expect(b.stalledReason()).toBeUndefined();
  });
});
