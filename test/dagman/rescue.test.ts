import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  formatRescueDag,
  newestRescue,
  nextRescueName,
  parseRescueDag,
  rescueNumber,
} from "../../src/dagman/index.js";
import { sharedFixtures } from "../helpers/shared-fixtures.js";

/** The rescue example of formats.md §6.7. */
const EXAMPLE = `# Rescue DAG file, created after running
#   the workflow.dag DAG file
# Created 3/14/2026 10:31:02 UTC
# Rescue DAG version: 2.0.1 (partial)
#
# Total number of Nodes: 3
# Nodes premarked DONE: 2
# Nodes that failed: 1
#   mg_000002,<ENDLIST>

DONE mg_000000
DONE mg_000001
`;

describe("rescue DAG", () => {
  const info = {
    dagFile: "workflow.dag",
    created: new Date(Date.UTC(2026, 2, 14, 10, 31, 2)),
    totalNodes: 3,
    doneNodes: ["mg_000000", "mg_000001"],
    failedNodes: ["mg_000002"],
  };

  it("is written in DAGMan's partial format", () => {
    expect(formatRescueDag(info)).toBe(EXAMPLE);
  });

  it("reads back what it wrote", () => {
    expect(parseRescueDag(EXAMPLE, "workflow.dag.rescue001")).toStrictEqual({
      ...info,
      premarkedDone: 2,
      failedCount: 1,
      retries: {},
    });
    const none = formatRescueDag({ ...info, doneNodes: [], failedNodes: [] });
    expect(none).toContain("# Nodes that failed: 0\n#   <ENDLIST>\n\n");
    expect(parseRescueDag(none, "r").failedNodes).toEqual([]);
  });

  it("accepts RETRY lines and rejects other statements or a full rescue DAG", () => {
    expect(parseRescueDag(`${EXAMPLE}RETRY mg_000002 1\n`, "r").retries).toEqual({ mg_000002: 1 });
    expect(() => parseRescueDag(`${EXAMPLE}JOB x x.sub\n`, "r")).toThrow(
      "r:13: unexpected statement in a partial rescue DAG: JOB x x.sub",
    );
    expect(() => parseRescueDag(EXAMPLE.replace("(partial)", "(full)"), "r")).toThrow(
      "r: rescue DAG is full, only partial is read",
    );
    expect(() => parseRescueDag("DONE a\n", "r")).toThrow("r: not a rescue DAG");
  });

  it("names the next rescue file one above the highest for that DAG", () => {
    expect(nextRescueName([], "/s/workflow.dag")).toBe("/s/workflow.dag.rescue001");
    const names = [
      "workflow.dag.rescue001",
      "workflow.dag.rescue003",
      "group.dag.rescue007",
      "workflow.dag",
    ];
    expect(nextRescueName(names, "/s/workflow.dag")).toBe("/s/workflow.dag.rescue004");
    expect(nextRescueName(["x/workflow.dag.rescue010"], "workflow.dag", 10)).toBe(
      "workflow.dag.rescue010",
    );
    expect(nextRescueName(["workflow.dag.rescue999"], "workflow.dag", 5000)).toBe(
      "workflow.dag.rescue999",
    );
    expect(nextRescueName([], "workflow.dag", 0)).toBeUndefined();
  });

  it("finds the newest rescue file (what AutoRescue uses)", () => {
    expect(newestRescue(["g.dag.rescue002", "g.dag.rescue010", "g.dag.rescue009", "g.dag"])).toBe(
      "g.dag.rescue010",
    );
    expect(newestRescue(["g.dag", "g.dag.rescue1"])).toBeUndefined();
    expect(rescueNumber("a/b.dag.rescue042")).toBe(42);
  });
});

const real = sharedFixtures("real", "dagman");

describe.skipIf(!real)("rescue DAGs written by DAGMan 23.0.3", () => {
  it("reads tiny_problems.dag.rescue001 and writes it back byte for byte", () => {
    const text = readFileSync(
      join(real!, "lsst_tiny_problems", "tiny_problems.dag.rescue001"),
      "utf8",
    );
    const r = parseRescueDag(text, "tiny_problems.dag.rescue001");
    expect(r.dagFile).toBe(
      "/work/testuser/submit/u/testuser/tiny/20250213T175935Z/u_testuser_tiny_20250213T175935Z.dag",
    );
    expect(r.created.toISOString()).toBe("2025-02-13T18:00:48.000Z");
    expect([r.totalNodes, r.premarkedDone, r.failedCount]).toEqual([6, 3, 2]);
    expect(r.failedNodes).toEqual([
      "057c8caf-66f6-4612-abf7-cdea5b666b1b_label1_val1a_val2b",
      "finalJob",
    ]);
    expect(r.doneNodes).toEqual([
      "pipetaskInit",
      "4a7f478b-2e9b-435c-a730-afac3f621658_label1_val1a_val2a",
      "696ee50d-e711-40d6-9caf-ee29ae4a656d_label2_val1a_val2a",
    ]);
    expect(formatRescueDag(r)).toBe(text);
  });

  it("reads group_failed_1.dag.rescue001 (22 DONE nodes including SUBDAGs)", () => {
    const text = readFileSync(
      join(real!, "lsst_group_failed_1", "group_failed_1.dag.rescue001"),
      "utf8",
    );
    const r = parseRescueDag(text, "group_failed_1.dag.rescue001");
    expect(r.doneNodes).toHaveLength(22);
    expect(r.doneNodes).toContain("wms_group_order1_val1b");
    expect(r.failedNodes).toEqual(["wms_check_status_wms_group_order1_val1b", "finalJob"]);
    expect(r.totalNodes).toBe(26);
    expect(r.created.toISOString()).toBe("2025-03-10T16:08:56.000Z");
    expect(formatRescueDag(r)).toBe(text);
  });
});
