import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  formatCtime,
  formatNodeStatus,
  type NodeStatusSnapshot,
  parseNodeStatus,
  summarizeNodeStatus,
} from "../../src/dagman/index.js";
import { InputError } from "../../src/model/errors.js";
import { sharedFixtures } from "../helpers/shared-fixtures.js";

const running: NodeStatusSnapshot = {
  dag: {
    dagFiles: ["group.dag"],
    timestamp: 1773483000,
    dagStatus: 3,
    nodesTotal: 12,
    nodesDone: 2,
    nodesPre: 1,
    nodesQueued: 5,
    nodesPost: 1,
    nodesReady: 1,
    nodesUnready: 2,
    nodesFutile: 0,
    nodesFailed: 0,
    jobProcsHeld: 1,
    jobProcsIdle: 2,
  },
  nodes: [
    {
      node: "proc_000001",
      nodeStatus: 3,
      statusDetails: "idle",
      retryCount: 0,
      jobProcsQueued: 1,
      jobProcsHeld: 0,
    },
    {
      node: "proc_000002",
      nodeStatus: 3,
      statusDetails: 'held: "memory" \\ limit',
      retryCount: 2,
      jobProcsQueued: 1,
      jobProcsHeld: 1,
    },
  ],
  end: { endTime: 1773483000, nextUpdate: 1773483060 },
};

const RUNNING_TEXT = `[
  Type = "DagStatus";
  DagFiles = {
    "group.dag"
  };
  Timestamp = 1773483000; /* "Sat Mar 14 10:10:00 2026" */
  DagStatus = 3; /* "STATUS_SUBMITTED ()" */
  NodesTotal = 12;
  NodesDone = 2;
  NodesPre = 1;
  NodesQueued = 5;
  NodesPost = 1;
  NodesReady = 1;
  NodesUnready = 2;
  NodesFutile = 0;
  NodesFailed = 0;
  JobProcsHeld = 1;
  JobProcsIdle = 2; /* includes held */
]
[
  Type = "NodeStatus";
  Node = "proc_000001";
  NodeStatus = 3; /* "STATUS_SUBMITTED" */
  StatusDetails = "idle";
  RetryCount = 0;
  JobProcsQueued = 1;
  JobProcsHeld = 0;
]
[
  Type = "NodeStatus";
  Node = "proc_000002";
  NodeStatus = 3; /* "STATUS_SUBMITTED" */
  StatusDetails = "held: \\"memory\\" \\\\ limit";
  RetryCount = 2;
  JobProcsQueued = 1;
  JobProcsHeld = 1;
]
[
  Type = "StatusEnd";
  EndTime = 1773483000; /* "Sat Mar 14 10:10:00 2026" */
  NextUpdate = 1773483060; /* "Sat Mar 14 10:11:00 2026" */
]
`;

describe("node status file", () => {
  it("is written one attribute per line with DAGMan's comments", () => {
    expect(formatNodeStatus(running)).toBe(RUNNING_TEXT);
  });

  it("reads our own text back identically", () => {
    expect(parseNodeStatus(RUNNING_TEXT, "group.dag.status")).toStrictEqual(running);
    const old = { ...running, dag: { ...running.dag, dagFiles: ["a.dag", "b.dag"] } };
    delete old.dag.nodesFutile;
    expect(parseNodeStatus(formatNodeStatus(old), "s")).toStrictEqual(old);
    expect(formatNodeStatus(old)).toContain('  DagFiles = {\n    "a.dag",\n    "b.dag"\n  };\n');
  });

  it("summarizes by the monitor's formula", () => {
    // running = max(0, 5 - 2 - 1) + 1; idle = 2 + 1 + 2 + 1
    expect(summarizeNodeStatus(running)).toEqual({
      total: 12,
      done: 2,
      failed: 0,
      futile: 0,
      held: 1,
      running: 3,
      idle: 6,
    });
  });

  it("renders dates as ctime() in UTC, with a blank-padded day", () => {
    expect(formatCtime(1399674138)).toBe("Fri May  9 22:22:18 2014");
    expect(formatCtime(1739469648)).toBe("Thu Feb 13 18:00:48 2025");
  });

  it.each([
    [
      '[ Type = "DagStatus"; NodesTotal = 1; ]',
      "s:1: entry DagStatus: attribute Timestamp is missing",
    ],
    [
      '[\n  Type = "StatusEnd";\n  EndTime = "x";\n  NextUpdate = 0;\n]',
      "s:3: entry StatusEnd: EndTime is not an integer",
    ],
    ['[ Type = "StatusEnd"; EndTime = 1 NextUpdate = 0; ]', 's:1: expected ";" after EndTime'],
    ['[ Type = "StatusEnd"; EndTime = 1; NextUpdate = 0; ]', "s: no DagStatus record"],
    ["[ Type = ", "s:1: value expected, found end of file"],
    ['[ Type = "a', "s:1: unterminated string"],
  ])("rejects %j", (text, message) => {
    expect(() => parseNodeStatus(text, "s")).toThrow(InputError);
    expect(() => parseNodeStatus(text, "s")).toThrow(message);
  });
});

const real = sharedFixtures("real", "dagman");
/** Real files carry the access point's local time in the date comments; we write UTC. */
const undated = (t: string) =>
  t.replace(/\/\* "\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}" \*\//g, "/* DATE */");

describe.skipIf(!real)("node status files written by DAGMan 23.0.3", () => {
  const load = (dir: string, name: string) => {
    const file = join(real!, dir, name);
    const text = readFileSync(file, "utf8");
    return { text, parsed: parseNodeStatus(text, file) };
  };

  it("reads tiny_problems.node_status", () => {
    const { text, parsed } = load("lsst_tiny_problems", "tiny_problems.node_status");
    expect(parsed.dag).toStrictEqual({
      dagFiles: [
        "/work/testuser/submit/u/testuser/tiny/20250213T175935Z/u_testuser_tiny_20250213T175935Z.dag",
      ],
      timestamp: 1739469648,
      dagStatus: 6,
      nodesTotal: 6,
      nodesDone: 3,
      nodesPre: 0,
      nodesQueued: 0,
      nodesPost: 0,
      nodesReady: 0,
      nodesUnready: 0,
      nodesFutile: 1,
      nodesFailed: 2,
      jobProcsHeld: 0,
      jobProcsIdle: 0,
    });
    expect(parsed.nodes.map((n) => n.nodeStatus)).toEqual([5, 6, 5, 7, 5, 6]);
    expect(parsed.nodes[1]).toStrictEqual({
      node: "057c8caf-66f6-4612-abf7-cdea5b666b1b_label1_val1_val2b",
      nodeStatus: 6,
      statusDetails: "Job proc (9231.0.0) failed with status 1",
      retryCount: 0,
      jobProcsQueued: 0,
      jobProcsHeld: 0,
    });
    expect(parsed.nodes[3].statusDetails).toBe("Had an ancestor node fail");
    expect(parsed.nodes[5]).toMatchObject({
      node: "finalJob",
      statusDetails: "Job failed due to DAGMAN error 0 and POST Script failed with status 2",
    });
    expect(parsed.end).toEqual({ endTime: 1739469648, nextUpdate: 0 });
    expect(summarizeNodeStatus(parsed)).toEqual({
      total: 6,
      done: 3,
      failed: 2,
      futile: 1,
      held: 0,
      running: 0,
      idle: 0,
    });
    expect(undated(formatNodeStatus(parsed))).toBe(undated(text));
  });

  it("reads group_failed_1.node_status (26 nodes with SUBDAGs)", () => {
    const { text, parsed } = load("lsst_group_failed_1", "group_failed_1.node_status");
    expect(parsed.dag).toMatchObject({
      nodesTotal: 26,
      nodesDone: 22,
      nodesFailed: 2,
      nodesFutile: 2,
      dagStatus: 6,
    });
    expect(parsed.dag.dagFiles).toEqual(["u_testuser_DM-46294_group_fail_20250310T160455Z.dag"]);
    expect(parsed.nodes).toHaveLength(26);
    const count = (s: number) => parsed.nodes.filter((n) => n.nodeStatus === s).length;
    expect([count(5), count(6), count(7)]).toEqual([22, 2, 2]);
    expect(
      parsed.nodes.find((n) => n.node === "wms_check_status_wms_group_order1_val1b")?.statusDetails,
    ).toBe("Job proc (10121.0.0) failed with status 1");
    expect(parsed.nodes.find((n) => n.node === "wms_group_order1_val1c")?.nodeStatus).toBe(5);
    expect(summarizeNodeStatus(parsed)).toMatchObject({ done: 22, failed: 2, running: 0, idle: 0 });
    expect(undated(formatNodeStatus(parsed))).toBe(undated(text));
  });
});
