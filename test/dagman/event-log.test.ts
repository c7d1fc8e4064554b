import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  formatEvent,
  formatEventLog,
  formatLogDate,
  type JobLogEvent,
  type ParsedLogEvent,
  parseEventLog,
} from "../../src/dagman/event-log.js";
import { InputError } from "../../src/model/errors.js";
import { sharedFixtures } from "../helpers/shared-fixtures.js";

const condorDir = sharedFixtures("real", "condor");
const lsstDir = sharedFixtures("real", "dagman", "lsst_tiny_problems");

function only<K extends JobLogEvent["kind"]>(
  events: ParsedLogEvent[],
  kind: K,
): Extract<ParsedLogEvent, { kind: K }>[] {
  return events.filter((e) => e.kind === kind) as Extract<ParsedLogEvent, { kind: K }>[];
}

describe.skipIf(!condorDir)("real HTCondor event logs", () => {
  it("reads the python-bindings test log (old MM/DD dates, space indentation)", () => {
    const text = readFileSync(join(condorDir!, "htcondor_test_event_reader.log"), "utf8");
    const events = parseEventLog(text, "test_event_reader.log", { defaultYear: 2020 });
    expect(events.map((e) => e.code)).toEqual([0, 1, 6, 8, 6, 5, 6]);
    expect(new Set(events.map((e) => e.cluster))).toEqual(new Set([23515]));
    expect(events[0].time).toBe(Date.UTC(2020, 3, 9, 17, 44, 53) / 1000);
    expect(events[1].time - events[0].time).toBe(6 * 60 + 44);
    const sizes = only(events, "imageSize");
    expect(sizes.map((s) => [s.imageSizeKb, s.memoryUsageMb, s.residentSetSizeKb])).toEqual([
      [260, 1, 252],
      [260, 0, 252],
      [260, 1, 252],
    ]);
    const other = events[3];
    expect(other.kind).toBe("other");
    expect(other.text).toBe("Job indicated transition to phase: output");
    const [term] = only(events, "terminated");
    expect(term.normal && term.returnValue).toBe(0);
    expect(term.runBytesSent).toBe(1254);
    expect(term.runBytesReceived).toBe(283);
    expect(term.resources).toEqual({
      Bandwidth: { allocated: 0 },
      Cpus: { request: 1, allocated: 1 },
      "Disk (KB)": { usage: 18, request: 1, allocated: 7330524 },
      "Memory (MB)": { usage: 0, request: 1, allocated: 7770 },
    });
  });

  it("reads an old multi-cluster log with eviction and condor_rm", () => {
    const text = readFileSync(join(condorDir!, "htcondor_job_core_macros_sched.log"), "utf8");
    const events = parseEventLog(text, "sched.log");
    expect(events.map((e) => `${e.code}:${e.cluster}`)).toEqual([
      "0:1257",
      "1:1257",
      "5:1257",
      "0:1302",
      "1:1302",
      "5:1302",
      "0:1537",
      "1:1537",
      "4:1537",
      "9:1537",
      "0:1568",
      "1:1568",
      "5:1568",
    ]);
    const [evicted] = only(events, "evicted");
    expect(evicted.checkpointed).toBe(false);
    expect(evicted.runRemoteUsage).toEqual({ userSec: 0, sysSec: 0 });
    expect(only(events, "aborted")[0].reason).toBe("via condor_rm (by user bt)");
    const t1302 = events.filter((e) => e.cluster === 1302);
    expect(t1302[2].time - t1302[1].time).toBe(151);
    expect(only(events, "submit")[0].host).toBe("<128.105.185.11:43335>");
  });
});

describe.skipIf(!lsstDir)("real DAGMan node and dagman logs (HTCondor 23)", () => {
  const nodes = () =>
    parseEventLog(readFileSync(join(lsstDir!, "tiny_problems.dag.nodes.log"), "utf8"), "nodes.log");

  it("decodes submit, execute, terminate, evict, abort and POST events", () => {
    const events = nodes();
    expect(events).toHaveLength(20);
    const submits = only(events, "submit");
    expect(submits.map((s) => [s.cluster, s.dagNode])).toEqual([
      [9229, "provisioningJob"],
      [9230, "pipetaskInit"],
      [9231, "057c8caf-66f6-4612-abf7-cdea5b666b1b_label1_val1_val2b"],
      [9232, "4a7f478b-2e9b-435c-a730-afac3f621658_label1_val1_val2a"],
      [9233, "696ee50d-e711-40d6-9caf-ee29ae4a656d_label2_val1_val2a"],
      [9234, "finalJob"],
    ]);
    expect(submits[0].time).toBe(Date.UTC(2025, 1, 13, 11, 59, 47) / 1000);
    const exec9230 = only(events, "execute").find((e) => e.cluster === 9230)!;
    expect(exec9230.slotName).toBe("slot1_1@test02");
    expect(exec9230.attrs).toEqual({
      CondorScratchDir: "/var/lib/condor/execute/dir_61182",
      Cpus: 1,
      Disk: 2048,
      GPUs: 0,
      Memory: 2048,
    });
    const rv = only(events, "terminated").map((t) => [
      t.cluster,
      t.normal ? t.returnValue : -t.signal,
    ]);
    expect(rv).toEqual([
      [9230, 0],
      [9231, 1],
      [9232, 0],
      [9233, 0],
      [9234, 0],
    ]);
    const t9230 = only(events, "terminated")[0];
    expect(t9230.runRemoteUsage).toEqual({ userSec: 5, sysSec: 0 });
    expect(t9230.resources).toEqual({
      Cpus: { usage: 0, request: 1, allocated: 1 },
      "Disk (KB)": { usage: 83, request: 1, allocated: 2048 },
      GPUs: { allocated: 0 },
      "Memory (MB)": { usage: 0, request: 2048, allocated: 2048 },
      "TimeExecute (s)": { usage: 12 },
      "TimeSlotBusy (s)": { usage: 12 },
    });
    expect(only(events, "evicted")[0]).toMatchObject({ cluster: 9229, code: 4 });
    expect(only(events, "aborted")[0].reason).toBe(
      "DAG Abort: DAG is exiting and writing rescue file. (by user testuser)",
    );
    const [post] = only(events, "postScriptTerminated");
    expect(post).toMatchObject({
      cluster: 9234,
      normal: true,
      returnValue: 2,
      dagNode: "finalJob",
    });
  });

  it("reads the DAGMan job's own log", () => {
    const text = readFileSync(join(lsstDir!, "tiny_problems.dag.dagman.log"), "utf8");
    const events = parseEventLog(text, "dagman.log");
    expect(events.map((e) => e.code)).toEqual([0, 1, 5]);
    const [term] = only(events, "terminated");
    expect(term).toMatchObject({ cluster: 9228, normal: true, returnValue: 1 });
    expect(term.time - events[1].time).toBe(63);
  });

  it("re-reads its own rendering of the real log with the same decoded events", () => {
    const events = nodes();
    const strip = (evs: ParsedLogEvent[]) =>
      evs.map(({ code, text, details, line, ...rest }) => rest as JobLogEvent);
    const again = parseEventLog(formatEventLog(strip(events)), "rewritten.log");
    const keep = (e: JobLogEvent) => {
      const { host: _h, ...rest } = e as JobLogEvent & { host?: string };
      return rest;
    };
    expect(strip(again).map(keep)).toEqual(strip(events).map(keep));
  });
});

describe("event log writer", () => {
  const t0 = Date.UTC(2026, 2, 14, 10, 2, 11) / 1000;

  it("writes the HTCondor 23 layout", () => {
    expect(formatLogDate(t0)).toBe("2026-03-14 10:02:11");
    expect(formatLogDate(t0, "old")).toBe("03/14 10:02:11");
    expect(
      formatEvent({ kind: "submit", cluster: 4521, time: t0, host: "<h:9618>", dagNode: "proc_3" }),
    ).toBe(
      "000 (4521.000.000) 2026-03-14 10:02:11 Job submitted from host: <h:9618>\n    DAG Node: proc_3\n...\n",
    );
    expect(
      formatEvent({
        kind: "held",
        cluster: 7,
        time: t0,
        reason: "memory usage exceeded request_memory",
        reasonCode: 34,
        reasonSubcode: 102,
      }),
    ).toBe(
      "012 (007.000.000) 2026-03-14 10:02:11 Job was held.\n\tmemory usage exceeded request_memory\n\tCode 34 Subcode 102\n...\n",
    );
    const killed = formatEvent({
      kind: "terminated",
      cluster: 8,
      time: t0,
      normal: false,
      signal: 9,
    });
    expect(killed.split("\n").slice(0, 3)).toEqual([
      "005 (008.000.000) 2026-03-14 10:02:11 Job terminated.",
      "\t(0) Abnormal termination (signal 9)",
      "\t(0) No core file",
    ]);
  });

  it("round-trips every decoded kind", () => {
    const events: JobLogEvent[] = [
      {
        kind: "submit",
        cluster: 1000,
        proc: 0,
        subproc: 0,
        time: t0,
        host: "<a:1>",
        dagNode: "landing",
      },
      {
        kind: "execute",
        cluster: 1000,
        proc: 0,
        subproc: 0,
        time: t0 + 20,
        host: "<wn-01:9618>",
        slotName: "slot1_1@wn-01",
        attrs: { Cpus: 8, Disk: 2048, Memory: 16000, Note: 'a "q"' },
      },
      {
        kind: "imageSize",
        cluster: 1000,
        proc: 0,
        subproc: 0,
        time: t0 + 30,
        imageSizeKb: 4608000,
        memoryUsageMb: 4500,
        residentSetSizeKb: 3072000,
      },
      {
        kind: "evicted",
        cluster: 1000,
        proc: 0,
        subproc: 0,
        time: t0 + 31,
        checkpointed: false,
        runRemoteUsage: { userSec: 90061, sysSec: 5 },
      },
      {
        kind: "held",
        cluster: 1000,
        proc: 0,
        subproc: 0,
        time: t0 + 40,
        reason: "Error from slot1_1@wn-01: x",
        reasonCode: 34,
        reasonSubcode: 102,
      },
      {
        kind: "released",
        cluster: 1000,
        proc: 0,
        subproc: 0,
        time: t0 + 50,
        reason: "via condor_release (by user wms2)",
      },
      {
        kind: "terminated",
        cluster: 1000,
        proc: 0,
        subproc: 0,
        time: t0 + 400,
        normal: true,
        returnValue: 80,
        runRemoteUsage: { userSec: 2400, sysSec: 0 },
        totalRemoteUsage: { userSec: 2400, sysSec: 0 },
        runBytesSent: 10,
        runBytesReceived: 20,
        resources: {
          Cpus: { usage: 6.25, request: 8, allocated: 8 },
          "Memory (MB)": { usage: 4500, request: 16000, allocated: 16000 },
          "TimeExecute (s)": { usage: 380 },
        },
      },
      {
        kind: "terminated",
        cluster: 1001,
        proc: 0,
        subproc: 0,
        time: t0 + 401,
        normal: false,
        signal: 9,
        runRemoteUsage: { userSec: 0, sysSec: 0 },
        totalRemoteUsage: { userSec: 0, sysSec: 0 },
        runBytesSent: 0,
        runBytesReceived: 0,
      },
      {
        kind: "aborted",
        cluster: 1002,
        proc: 0,
        subproc: 0,
        time: t0 + 402,
        reason: "via condor_rm (by user wms2)",
      },
      {
        kind: "postScriptTerminated",
        cluster: 1000,
        proc: 0,
        subproc: 0,
        time: t0 + 410,
        normal: true,
        returnValue: 1,
        dagNode: "proc_000001",
      },
      {
        kind: "jobAdInformation",
        cluster: 1000,
        proc: 0,
        subproc: 0,
        time: t0 + 411,
        attrs: { JOB_GLIDEIN_CMSSite: "T2_CH_CERN", TriggerEventTypeNumber: 5, Ok: true },
      },
      {
        kind: "other",
        code: 33,
        cluster: 1000,
        proc: 0,
        subproc: 0,
        time: t0 + 412,
        text: "Changing job attribute",
        details: ["JobPrio = 5"],
      },
    ];
    const parsed = parseEventLog(formatEventLog(events), "roundtrip.log");
    expect(parsed.map((e) => e.code)).toEqual([0, 1, 6, 4, 12, 13, 5, 5, 9, 16, 28, 33]);
    const stripped = parsed.map(({ code, text, details, line, ...rest }) =>
      rest.kind === "other" ? { ...rest, code, text, details } : rest,
    );
    expect(stripped).toEqual(events);
    const old = parseEventLog(formatEventLog(events.slice(0, 2), "old"), "old.log", {
      defaultYear: 2026,
    });
    expect(old.map((e) => e.time)).toEqual([t0, t0 + 20]);
  });
});

describe("event log parser errors and partial files", () => {
  it("names the file and line of a line that is not an event header", () => {
    const text =
      "000 (1.000.000) 2025-01-01 00:00:00 Job submitted from host: <x>\n...\ngarbage here\n";
    expect(() => parseEventLog(text, "job.log")).toThrow(InputError);
    expect(() => parseEventLog(text, "job.log")).toThrow(/^job\.log:3: expected an event header/);
  });

  it("ignores an unterminated last event (a log still being written)", () => {
    const text =
      "000 (5.000.000) 2025-01-01 00:00:00 Job submitted from host: <x>\n...\n" +
      "001 (5.000.000) 2025-01-01 00:00:09 Job executing on host: <y>\n\tSlotName: slot1_1@y\n";
    const events = parseEventLog(text, "job.log");
    expect(events.map((e) => [e.code, e.line])).toEqual([[0, 1]]);
  });
});
