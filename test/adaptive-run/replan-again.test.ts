import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PLANNED_DIR } from "../../src/adaptive/planned-unit.js";
import { runReplan } from "../../src/adaptive/replan.js";
import { replanOptions } from "../../src/matrix/adaptive-dag.js";
import { prepareWorkflow } from "../../src/matrix/run-workflow.js";
import { InputError } from "../../src/model/errors.js";
import { catalog, entry, jobMetrics, procSubs, tempDir } from "./support.js";

const tmp = tempDir("replan-again");
afterAll(() => tmp.remove());

/** Every regular file of a directory with its text. */
function files(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [e.name, readFileSync(join(dir, e.name), "utf8")]),
  );
}

let count = 0;
/** 391.3 (job split, 4 jobs of 40 events per unit) planned, unit 0 with metrics of every job. */
function plannedWithMetrics() {
  const wf = entry(391.3, { eventsPerJob: 40 });
  const workDir = join(tmp.dir, `case${count++}`);
  const { submitDir } = prepareWorkflow(wf, { catalog, workDir, wms2Command: "matrix" });
  const groups = ["mg_000000", "mg_000001", "mg_000002"].map((g) => join(submitDir, g));
  for (const n of [0, 1, 2, 3]) {
    writeFileSync(join(groups[0], `proc_${n}_metrics.json`), JSON.stringify(jobMetrics(40)));
  }
  return { groups, options: replanOptions(wf, 0, groups, submitDir) };
}

describe("a replan run again gives the same next unit", () => {
  it("splits the planned jobs once, however often it runs, and keeps the plan beside", () => {
    const { groups, options } = plannedWithMetrics();
    const asPlanned = files(groups[1]);
    expect(procSubs(groups[1])).toHaveLength(4);

    const first = runReplan(options);
    expect(first.decisions).toMatchObject({ job_multiplier: 2, new_num_jobs: 8 });
    const afterFirst = files(groups[1]);
    expect(procSubs(groups[1])).toHaveLength(8);
    expect(files(join(groups[1], PLANNED_DIR))).toEqual(asPlanned);

    const second = runReplan(options);
    expect(second.decisions).toEqual(first.decisions);
    expect(procSubs(groups[1])).toHaveLength(8); // not 16
    expect(files(groups[1])).toEqual(afterFirst);
  });

  it("refuses a unit that has started, and leaves it as it is", () => {
    const { groups, options } = plannedWithMetrics();
    writeFileSync(join(groups[1], "group.dag.dagman.out"), "started\n");
    const before = files(groups[1]);
    expect(() => runReplan(options)).toThrow(InputError);
    expect(() => runReplan(options)).toThrow(/mg_000001: the work unit has started/);
    expect(files(groups[1])).toEqual(before);
  });
});
