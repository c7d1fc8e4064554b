import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type DagMetrics, formatDagMetrics, parseDagMetrics } from "../../src/dagman/index.js";
import { sharedFixtures } from "../helpers/shared-fixtures.js";

const metrics: DagMetrics = {
  client: "condor_dagman",
  version: "23.0.0",
  type: "metrics",
  startTime: 1773480000.123,
  endTime: 1773483062.456,
  duration: 3062.333,
  exitcode: 1,
  dagmanId: "4500",
  parentDagmanId: "",
  rescueDagNumber: 0,
  jobs: 0,
  jobsFailed: 0,
  jobsSucceeded: 0,
  dagJobs: 3,
  dagJobsFailed: 1,
  dagJobsSucceeded: 2,
  totalJobs: 3,
  totalJobsRun: 3,
  dagStatus: 2,
};

describe(".metrics", () => {
  it("writes version 1 in DAGMan's layout and reads it back", () => {
    const text = formatDagMetrics(metrics);
    expect(
      text.startsWith(
        '{\n    "client":"condor_dagman",\n    "version":"23.0.0",\n    "planner":"",\n',
      ),
    ).toBe(true);
    expect(text).toContain('\n    "start_time":1773480000.123,\n');
    expect(text).toContain('\n    "dag_jobs_failed":1,\n');
    expect(text.endsWith('\n    "DagStatus":2\n}\n')).toBe(true);
    expect(parseDagMetrics(text, "w.metrics")).toStrictEqual(metrics);
  });

  it("writes and reads the version 2 node names", () => {
    const text = formatDagMetrics(metrics, 2);
    expect(text).toContain('"dag_nodes_failed":1,');
    expect(text).toContain('"total_nodes_run":3,');
    expect(text).not.toContain('"jobs');
    expect(parseDagMetrics(text, "w.metrics")).toStrictEqual(metrics);
  });

  it("accepts dag_status and a numeric dagman_id, and names the file and key on errors", () => {
    const json = JSON.parse(formatDagMetrics(metrics));
    json.dag_status = json.DagStatus;
    delete json.DagStatus;
    json.dagman_id = 4500;
    expect(parseDagMetrics(JSON.stringify(json), "m")).toStrictEqual(metrics);
    delete json.jobs_failed;
    expect(() => parseDagMetrics(JSON.stringify(json), "m")).toThrow(
      'm: field jobs_failed: missing (neither "jobs_failed" nor "nodes_failed")',
    );
    expect(() => parseDagMetrics('{"client": 1}', "m")).toThrow(
      "m: field client: must be a string",
    );
    expect(() => parseDagMetrics("{", "m")).toThrow(/^m: not valid JSON/);
    expect(() =>
      parseDagMetrics(formatDagMetrics(metrics).replace('"exitcode":1', '"exitcode":1.5'), "m"),
    ).toThrow("m: field exitcode: must be an integer");
  });
});

const real = sharedFixtures("real", "dagman");

describe.skipIf(!real)(".metrics written by DAGMan 23.0.3", () => {
  it.each([
    [
      "lsst_tiny_problems",
      "tiny_problems.dag.metrics",
      {
        exitcode: 1,
        dagStatus: 2,
        jobs: 6,
        jobsFailed: 3,
        jobsSucceeded: 3,
        totalJobsRun: 6,
        dagmanId: "9228",
        duration: 62.834,
      },
    ],
    [
      "lsst_tiny_success",
      "tiny_success.dag.metrics",
      {
        exitcode: 0,
        dagStatus: 0,
        jobs: 4,
        jobsFailed: 0,
        jobsSucceeded: 5,
        totalJobsRun: 5,
        dagmanId: "9208",
        startTime: 1739465078.42,
      },
    ],
  ])("reads %s/%s and writes it back byte for byte", (dir, name, expected) => {
    const text = readFileSync(join(real!, dir, name), "utf8");
    const m = parseDagMetrics(text, name);
    expect(m).toMatchObject({
      client: "condor_dagman",
      version: "23.0.3",
      type: "metrics",
      parentDagmanId: "",
      rescueDagNumber: 0,
      dagJobs: 0,
      ...expected,
    });
    expect(m.planner).toBeUndefined();
    expect(formatDagMetrics(m)).toBe(text);
  });
});
