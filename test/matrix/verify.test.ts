import { describe, expect, it } from "vitest";
import { type Observed, verifyOutcome } from "../../src/matrix/verify.js";
import type { DatasetOutput } from "../../src/model/results.js";
import type { VerifySpec } from "../../src/model/workflow.js";

const SUCCESS: VerifySpec = {
  expectSuccess: true,
  expectRescueDag: false,
  expectMergedOutputs: true,
  expectCleanupRan: true,
};
const FAILURE: VerifySpec = {
  expectSuccess: false,
  expectRescueDag: true,
  expectMergedOutputs: false,
  expectCleanupRan: false,
};

function ds(name: string, merged: number, left: number, kept?: boolean): DatasetOutput {
  return {
    datasetName: name,
    mergedFiles: merged,
    mergedBytes: merged * 1000,
    mergedEvents: merged * 10,
    unmergedLeft: left,
    ...(kept === undefined ? {} : { kept }),
  };
}

const OK: Observed = {
  dagState: "completed",
  exitCode: 0,
  dagStatus: 0,
  rescueDags: [],
  datasets: [ds("/A/B-C-v1/GEN-SIM", 1, 0)],
};
const FAILED: Observed = {
  dagState: "completed",
  exitCode: 1,
  dagStatus: 2,
  rescueDags: ["/w/submit/workflow.dag.rescue001", "/w/submit/mg_000000/group.dag.rescue001"],
  datasets: [ds("/A/B-C-v1/GEN-SIM", 0, 3)],
};

describe("verifyOutcome", () => {
  const table: [string, VerifySpec, Observed, string[]][] = [
    ["a clean success as expected", SUCCESS, OK, []],
    ["an expected failure with rescue DAGs", FAILURE, FAILED, []],
    ["expected success, timed out", SUCCESS, { ...OK, dagState: "timeout" }, ["DAG timed out"]],
    ["expected success, removed", SUCCESS, { ...OK, dagState: "removed" }, ["DAG was removed"]],
    [
      "exit 0 with a rescue DAG is not success",
      SUCCESS,
      { ...OK, rescueDags: ["/w/submit/mg_000001/group.dag.rescue001"] },
      ["DAG completed but 1 rescue DAG(s) generated"],
    ],
    [
      "expected success, DAGMan exited 1",
      { ...SUCCESS, expectMergedOutputs: false, expectCleanupRan: false },
      { ...OK, exitCode: 1, datasets: [] },
      ["expected success but DAGMan exited with status 1"],
    ],
    [
      "expected failure, all nodes succeeded",
      { ...FAILURE, expectRescueDag: false, expectMergedOutputs: true },
      OK,
      ["expected failure but DAG completed with all nodes successful"],
    ],
    [
      "expected failure, timed out instead",
      { ...FAILURE, expectRescueDag: false },
      { ...FAILED, dagState: "timeout", rescueDags: [] },
      ["expected failure but DAG timed out instead"],
    ],
    [
      "expected rescue, none found",
      FAILURE,
      { ...FAILED, rescueDags: [] },
      ["expected rescue DAG but none found"],
    ],
    [
      "unexpected rescue DAGs when failure was expected without one",
      { ...FAILURE, expectRescueDag: false },
      FAILED,
      ["unexpected rescue DAG(s): [submit/workflow.dag.rescue001, mg_000000/group.dag.rescue001]"],
    ],
    [
      "wrong DAG_Status",
      { ...FAILURE, expectDagStatus: 3 },
      FAILED,
      ["expected DAG_Status 3 but got 2"],
    ],
    [
      "DAG_Status unknown",
      { ...FAILURE, expectDagStatus: 2 },
      { ...FAILED, dagStatus: null },
      ["expected DAG_Status 2 but got none"],
    ],
    [
      "memory holds in the wrong work units",
      { ...SUCCESS, expectMemoryHolds: [2, 0] },
      { ...OK, memoryHolds: { 0: 1, 1: 3, 2: 0 } },
      ["expected memory holds in work unit(s) [0, 2] but they happened in [0, 1]"],
    ],
    [
      "memory holds where expected",
      { ...SUCCESS, expectMemoryHolds: [1] },
      { ...OK, memoryHolds: { 0: 0, 1: 2 } },
      [],
    ],
    [
      "a kept dataset without merged output",
      SUCCESS,
      { ...OK, datasets: [ds("/A/B-C-v1/GEN-SIM", 2, 0), ds("/A/B-C-v1/AODSIM", 0, 0)] },
      ["no merged output for /A/B-C-v1/AODSIM"],
    ],
    [
      "a dataset nobody keeps may stay empty",
      SUCCESS,
      { ...OK, datasets: [ds("/A/B-C-v1/GEN-SIM", 2, 0), ds("/A/B-C-v1/RAW", 0, 0, false)] },
      [],
    ],
    [
      "merged files where none were expected",
      { ...FAILURE, expectSuccess: true, expectRescueDag: false },
      { ...OK, datasets: [ds("/A/B-C-v1/GEN-SIM", 2, 0), ds("/A/B-C-v1/AODSIM", 1, 0)] },
      ["expected no merged outputs but found 3 file(s)"],
    ],
    [
      "unmerged files left after cleanup",
      SUCCESS,
      { ...OK, datasets: [ds("/A/B-C-v1/GEN-SIM", 1, 4), ds("/A/B-C-v1/AODSIM", 1, 2)] },
      [
        "expected cleanup but unmerged files still exist (/A/B-C-v1/GEN-SIM: 4, /A/B-C-v1/AODSIM: 2)",
      ],
    ],
  ];
  for (const [what, spec, obs, reasons] of table) {
    it(what, () => {
      expect(verifyOutcome(spec, obs)).toEqual(reasons);
    });
  }

  it("reports every broken expectation at once, in a fixed order", () => {
    const spec: VerifySpec = { ...SUCCESS, expectDagStatus: 0 };
    expect(verifyOutcome(spec, FAILED)).toEqual([
      "DAG completed but 2 rescue DAG(s) generated",
      "expected DAG_Status 0 but got 2",
      "no merged output for /A/B-C-v1/GEN-SIM",
      "expected cleanup but unmerged files still exist (/A/B-C-v1/GEN-SIM: 3)",
    ]);
  });
});
