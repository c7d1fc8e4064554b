import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type DagmanOutEvent,
  type DagmanOutRecord,
  formatDagmanOut,
  formatDagmanTime,
  formatJobId,
  parseDagmanOut,
  parseDagmanTime,
  timeBreakdown,
} from "../../src/dagman/index.js";
import { sharedFixtures } from "../helpers/shared-fixtures.js";

/** 03/14/26 10:02:11 UTC */
const T0 = Date.UTC(2026, 2, 14, 10, 2, 11) / 1000;
const id = formatJobId(4521);

const records: DagmanOutRecord[] = [
  { kind: "submitting", time: T0, node: "proc_000003" },
  { kind: "assigned", time: T0, jobId: id },
  {
    kind: "event",
    time: T0 + 30,
    event: "ULOG_EXECUTE",
    node: "proc_000003",
    jobId: id,
    eventTime: T0 + 26,
  },
  {
    kind: "event",
    time: T0 + 414,
    event: "ULOG_JOB_TERMINATED",
    node: "proc_000003",
    jobId: id,
    eventTime: T0 + 411,
  },
  { kind: "node-failed", time: T0 + 414, node: "proc_000003", jobId: id, status: 1 },
  { kind: "post-failed", time: T0 + 421, node: "proc_000003", status: 1 },
  { kind: "retrying", time: T0 + 421, node: "proc_000003", retry: 1, maxRetries: 5 },
  { kind: "rescue", time: T0 + 1600, file: "/s/mg_000000/group.dag.rescue001" },
  { kind: "text", time: T0 + 1600, text: "Aborting DAG..." },
  { kind: "exiting", time: T0 + 1669, dagmanCluster: 4500, pid: 812, status: 1 },
];

const TEXT = `03/14/26 10:02:11 Submitting HTCondor Node proc_000003 job(s)...
03/14/26 10:02:11 \tassigned HTCondor ID (4521.0.0)
03/14/26 10:02:41 Event: ULOG_EXECUTE for HTCondor Node proc_000003 (4521.0.0) {03/14/26 10:02:37}
03/14/26 10:09:05 Event: ULOG_JOB_TERMINATED for HTCondor Node proc_000003 (4521.0.0) {03/14/26 10:09:02}
03/14/26 10:09:05 Node proc_000003 job proc (4521.0.0) failed with status 1.
03/14/26 10:09:12 POST Script of node proc_000003 failed with status 1
03/14/26 10:09:12 Retrying node proc_000003 (retry #1 of 5)...
03/14/26 10:28:51 Writing Rescue DAG to /s/mg_000000/group.dag.rescue001...
03/14/26 10:28:51 Aborting DAG...
03/14/26 10:30:00 **** condor_scheduniv_exec.4500.0 (condor_DAGMAN) pid 812 EXITING WITH STATUS 1
`;

const expectedParse = {
  events: [
    {
      time: T0 + 30,
      eventTime: T0 + 26,
      kind: "ULOG_EXECUTE",
      node: "proc_000003",
      jobId: "4521.0.0",
    },
    {
      time: T0 + 414,
      eventTime: T0 + 411,
      kind: "ULOG_JOB_TERMINATED",
      node: "proc_000003",
      jobId: "4521.0.0",
    },
  ],
  submits: [{ time: T0, node: "proc_000003", jobId: "4521.0.0" }],
  nodeFailures: [{ time: T0 + 414, node: "proc_000003", jobId: "4521.0.0", status: 1 }],
  postFailures: [{ time: T0 + 421, node: "proc_000003", status: 1 }],
  retries: [{ time: T0 + 421, node: "proc_000003", retry: 1, maxRetries: 5 }],
  rescueFiles: ["/s/mg_000000/group.dag.rescue001"],
  exit: { time: T0 + 1669, dagmanCluster: 4500, pid: 812, status: 1 },
};

describe(".dagman.out", () => {
  it("formats DAGMan's lines with UTC timestamps", () => {
    expect(formatDagmanOut(records)).toBe(TEXT);
    expect(formatDagmanTime(T0)).toBe("03/14/26 10:02:11");
    expect(parseDagmanTime("03/14/26 10:02:11")).toBe(T0);
    expect(parseDagmanTime("13/14/26 10:02:11")).toBeUndefined();
  });

  it("reads a live DAGMan's local times in the access point's zone", () => {
    const zone = process.env.TZ;
    try {
      process.env.TZ = "Europe/Zurich"; // UTC+1 in March before the change to summer time
      expect(parseDagmanTime("03/14/26 10:02:11", "local")).toBe(T0 - 3600);
      expect(parseDagmanTime("07/14/26 10:02:11", "local")).toBe(
        Date.UTC(2026, 6, 14, 8, 2, 11) / 1000, // UTC+2 in summer
      );
      const out = parseDagmanOut(formatDagmanOut(records), "local");
      expect(out.exit?.time).toBe(T0 + 1669 - 3600);
      expect(out.events[0]).toMatchObject({ time: T0 + 30 - 3600, eventTime: T0 + 26 - 3600 });
      expect(parseDagmanOut(formatDagmanOut(records)).exit?.time).toBe(T0 + 1669); // UTC
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("parses the lines it writes", () => {
    expect(parseDagmanOut(TEXT)).toStrictEqual(expectedParse);
  });

  it("parses the (D_ALWAYS) variant and skips cut or foreign lines", () => {
    const tagged = TEXT.split("\n")
      .map((l, i) =>
        l === "" ? l : `${l.slice(0, 17)} ${i % 2 ? "(D_ALWAYS)" : "(D_ALWAYS:2)"} ${l.slice(18)}`,
      )
      .join("\n");
    expect(tagged).toContain("03/14/26 10:02:41 (D_ALWAYS:2) Event: ULOG_EXECUTE");
    expect(parseDagmanOut(`garbage\n${tagged}03/14/26 10:31:0`)).toStrictEqual(expectedParse);
  });

  it("splits a work unit's time into processing, merge, cleanup and overhead", () => {
    const ev = (kind: string, node: string, t: number): DagmanOutEvent => ({
      time: t + 1,
      eventTime: t,
      kind,
      node,
      jobId: "1.0.0",
    });
    const X = "ULOG_EXECUTE";
    const E = "ULOG_JOB_TERMINATED";
    const procs = [
      ev(X, "proc_000000", 10),
      ev(X, "proc_000001", 20),
      ev(E, "proc_000000", 100),
      ev(E, "proc_000001", 130),
    ];
    const merge = [
      ev(X, "merge", 150),
      ev(E, "merge", 160),
      ev(X, "merge", 165),
      ev(E, "merge", 170),
    ];
    const cleanup = [
      ev(X, "cleanup", 180),
      ev("ULOG_IMAGE_SIZE", "cleanup", 182),
      ev(E, "cleanup", 185),
    ];
    expect(timeBreakdown([ev(X, "landing", 0), ...procs, ...merge, ...cleanup])).toEqual({
      processing: 120,
      merge: 5,
      cleanup: 5,
      overhead: 175 - 130,
      start: 10,
      end: 185,
    });
    expect(timeBreakdown([...procs, ...merge])).toMatchObject({
      cleanup: 0,
      end: 170,
      overhead: 160 - 125,
    });
    expect(timeBreakdown(procs)).toMatchObject({
      processing: 120,
      merge: 0,
      overhead: 0,
      end: 130,
    });
    expect(timeBreakdown([ev(X, "merge", 1), ev(E, "merge", 2)])).toBeUndefined();
  });

  it("computes the breakdown from formatted text", () => {
    const lines: DagmanOutRecord[] = [
      ["ULOG_EXECUTE", "proc_000000", 0],
      ["ULOG_JOB_TERMINATED", "proc_000000", 600],
      ["ULOG_EXECUTE", "merge", 630],
      ["ULOG_JOB_TERMINATED", "merge", 700],
    ].map(([event, node, dt]) => ({
      kind: "event",
      time: T0 + (dt as number) + 3,
      event: event as "ULOG_EXECUTE",
      node: node as string,
      jobId: "7.0.0",
      eventTime: T0 + (dt as number),
    }));
    const b = timeBreakdown(parseDagmanOut(formatDagmanOut(lines)).events);
    expect(b).toEqual({
      processing: 600,
      merge: 70,
      cleanup: 0,
      overhead: 30,
      start: T0,
      end: T0 + 700,
    });
  });
});

const real = sharedFixtures("real", "dagman", "lsst_tiny_problems");
const at = (hh: number, mm: number, ss: number) => Date.UTC(2025, 1, 13, hh, mm, ss) / 1000;

describe.skipIf(!real)(".dagman.out written by DAGMan 23.0.3", () => {
  it("reads the submissions and events of the head excerpt", () => {
    const p = parseDagmanOut(
      readFileSync(join(real!, "tiny_problems.dag.dagman.out.head-excerpt"), "utf8"),
    );
    expect(p.submits).toEqual([
      { time: at(11, 59, 47), node: "provisioningJob", jobId: "9229.0.0" },
      { time: at(11, 59, 47), node: "pipetaskInit", jobId: "9230.0.0" },
    ]);
    expect(p.events).toEqual([
      {
        time: at(11, 59, 48),
        eventTime: at(11, 59, 47),
        kind: "ULOG_SUBMIT",
        node: "provisioningJob",
        jobId: "9229.0.0",
      },
      {
        time: at(11, 59, 48),
        eventTime: at(11, 59, 47),
        kind: "ULOG_SUBMIT",
        node: "pipetaskInit",
        jobId: "9230.0.0",
      },
      {
        time: at(11, 59, 52),
        eventTime: at(11, 59, 51),
        kind: "ULOG_EXECUTE",
        node: "provisioningJob",
        jobId: "9229.0.0",
      },
    ]);
    expect(p.exit).toBeUndefined();
    expect(p.rescueFiles).toEqual([]);
  });

  it("reads the POST failure, rescue file and exit status of the tail excerpt", () => {
    const p = parseDagmanOut(
      readFileSync(join(real!, "tiny_problems.dag.dagman.out.tail-excerpt"), "utf8"),
    );
    expect(p.events).toEqual([
      {
        time: at(12, 0, 48),
        eventTime: at(12, 0, 47),
        kind: "ULOG_POST_SCRIPT_TERMINATED",
        node: "finalJob",
        jobId: "9234.0.0",
      },
    ]);
    expect(p.postFailures).toEqual([{ time: at(12, 0, 48), node: "finalJob", status: 2 }]);
    expect(p.nodeFailures).toEqual([]);
    expect(p.rescueFiles).toEqual([
      "/work/testuser/submit/u/testuser/tiny/20250213T175935Z/u_testuser_tiny_20250213T175935Z.dag.rescue001",
    ]);
    expect(p.exit).toEqual({ time: at(12, 0, 49), dagmanCluster: 9228, pid: 61169, status: 1 });
  });
});
