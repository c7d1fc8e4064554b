import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseFjr } from "../../src/artifacts/fjr.js";
import { formatFjr } from "../../src/artifacts/fjr-format.js";
import {
  classifyFailure,
  type ErrorCategory,
  exitSignalOf,
  type FailureInput,
  isFinalAttempt,
  type PostPolicyInput,
  postExitCode,
  wuPostDecision,
} from "../../src/artifacts/post-classify.js";
import {
  buildPostRecord,
  cmsswSummaryFromReports,
  logTail,
  type PostRecordInput,
  readPostRecord,
  writePostRecord,
} from "../../src/artifacts/post-record.js";
import { stepReport, tempDir, thrown } from "./helpers.js";

describe("classifyFailure", () => {
  const cases: [string, FailureInput, ErrorCategory, boolean, string][] = [
    ["success", { jobExitCode: 0, cmsswExitCode: 0 }, "success", false, "none"],
    [
      "zombie removal wins over codes",
      { jobExitCode: 0, periodicRemoveReason: "Job looks like a Zombie" },
      "infrastructure",
      false,
      "permanent_failure",
    ],
    [
      "hard wall time removal",
      { jobExitCode: -1002, periodicRemoveReason: "exceeded hard wall time" },
      "permanent",
      false,
      "permanent_failure",
    ],
    [
      "exit 80: no events from the generator filter",
      { jobExitCode: 80 },
      "permanent",
      false,
      "permanent_failure",
    ],
    [
      "CMSSW 8001",
      { jobExitCode: 1, cmsswExitCode: 8001 },
      "permanent",
      false,
      "permanent_failure",
    ],
    [
      "8001 with site-local-config",
      { jobExitCode: 1, cmsswExitCode: 8001, errorMessage: "cannot read Site-Local-Config" },
      "infrastructure",
      true,
      "retry_with_cooloff",
    ],
    [
      "config error 7002",
      { jobExitCode: 65, cmsswExitCode: 7002 },
      "permanent",
      false,
      "permanent_failure",
    ],
    [
      "data error 8021",
      { jobExitCode: 84, cmsswExitCode: 8021, inputFiles: ["/store/a.root"] },
      "data",
      false,
      "permanent_failure",
    ],
    [
      "memory 8030",
      { jobExitCode: 1, cmsswExitCode: 8030 },
      "infrastructure_memory",
      true,
      "retry",
    ],
    ["wrapper memory 50660", { jobExitCode: 50660 }, "infrastructure_memory", true, "retry"],
    [
      "infrastructure code 10042",
      { jobExitCode: 10042 },
      "infrastructure",
      true,
      "retry_with_cooloff",
    ],
    [
      "job code when CMSSW code is 0",
      { jobExitCode: 8028, cmsswExitCode: 0 },
      "data",
      false,
      "permanent_failure",
    ],
    [
      "CMSSW code beats job code",
      { jobExitCode: 8028, cmsswExitCode: 8004 },
      "infrastructure_memory",
      true,
      "retry",
    ],
    ["SIGKILL (-9) is transient", { jobExitCode: -9 }, "transient", true, "retry"],
    ["unknown code is transient", { jobExitCode: 3 }, "transient", true, "retry"],
    [
      "stage-out failure in the log tail",
      { jobExitCode: 3, logTail: "gfal-copy ... FAILED: 507" },
      "infrastructure",
      true,
      "retry_with_cooloff",
    ],
    [
      "no space left",
      { jobExitCode: 3, logTail: "write: No space left on device" },
      "infrastructure",
      true,
      "retry_with_cooloff",
    ],
    [
      "stageout failed",
      { jobExitCode: 3, logTail: "StageOut of proc_1_x.root failed" },
      "infrastructure",
      true,
      "retry_with_cooloff",
    ],
    [
      "HTTP 403",
      { jobExitCode: 3, logTail: "HTTP/1.1 403 Forbidden" },
      "infrastructure",
      true,
      "retry_with_cooloff",
    ],
    [
      "held for memory (34/102)",
      { jobExitCode: -1002, holdReasonCode: 34, holdReasonSubCode: 102 },
      "infrastructure_memory",
      true,
      "retry",
    ],
    [
      "held for disk (34/104)",
      { jobExitCode: -1002, holdReasonCode: 34, holdReasonSubCode: 104 },
      "infrastructure",
      true,
      "retry_with_cooloff",
    ],
    [
      "other hold codes do not classify",
      { jobExitCode: -1002, holdReasonCode: 13 },
      "transient",
      true,
      "retry",
    ],
  ];
  it.each(cases)("%s", (_name, input, category, retryable, action) => {
    const c = classifyFailure(input);
    expect([c.category, c.retryable, c.action]).toEqual([category, retryable, action]);
    expect(c.memoryExceeded).toBe(category === "infrastructure_memory");
  });

  it("copies the input files of a data error into badInputFiles", () => {
    expect(
      classifyFailure({ jobExitCode: 1, cmsswExitCode: 8021, inputFiles: ["/store/a.root"] })
        .badInputFiles,
    ).toEqual(["/store/a.root"]);
    expect(
      classifyFailure({ jobExitCode: 1, inputFiles: ["/store/a.root"] }).badInputFiles,
    ).toEqual([]);
  });
});

describe("postExitCode", () => {
  const base: PostPolicyInput = {
    jobExitCode: 3,
    retry: 0,
    category: "transient",
    procRecords: [],
    numProcJobs: 8,
  };
  const final = (code: number) => ({ final: true, job: { exit_code: code } });
  const open = (code: number) => ({ final: false, job: { exit_code: code } });
  const cases: [string, Partial<PostPolicyInput>, number, number, number | undefined][] = [
    ["job success", { jobExitCode: 0, category: "success" }, 0, 0, undefined],
    ["transient, first retry sleeps 60 s", {}, 1, 60, undefined],
    ["transient, retry 3 sleeps 480 s", { retry: 3 }, 1, 480, undefined],
    ["transient sleep capped at 600 s", { retry: 4 }, 1, 600, undefined],
    ["collector crash counts as transient", { category: null, retry: 1 }, 1, 120, undefined],
    [
      "memory bump ×3/2 (integer), sleep 60",
      { category: "infrastructure_memory", requestMemoryMb: 2001 },
      1,
      60,
      3001,
    ],
    ["permanent stops retries", { category: "permanent" }, 42, 0, undefined],
    ["data stops retries", { category: "data" }, 42, 0, undefined],
    [
      "infrastructure stops retries at the pinned site",
      { category: "infrastructure" },
      42,
      0,
      undefined,
    ],
    ["catastrophic aborts", { category: "catastrophic" }, 43, 0, undefined],
    ["success category with a failing job retries", { category: "success" }, 1, 0, undefined],
    [
      "3 final records with the same code abort",
      { procRecords: [final(3), final(3), final(3)] },
      43,
      0,
      undefined,
    ],
    [
      "2 of them are not enough with 8 jobs",
      { procRecords: [final(3), final(3), open(3), final(4)] },
      1,
      60,
      undefined,
    ],
    [
      "with 2 proc jobs, 2 suffice",
      { numProcJobs: 2, procRecords: [final(3), final(3)] },
      43,
      0,
      undefined,
    ],
    [
      "a single proc job aborts on its own final record",
      { numProcJobs: 1, procRecords: [final(3)] },
      43,
      0,
      undefined,
    ],
    [
      "bump still reported when aborting",
      {
        category: "infrastructure_memory",
        requestMemoryMb: 4000,
        procRecords: [final(3), final(3), final(3)],
      },
      43,
      0,
      6000,
    ],
  ];
  it.each(cases)("%s", (_name, over, exitCode, sleepSec, bump) => {
    const d = postExitCode({ ...base, ...over });
    expect([d.exitCode, d.sleepSec, d.bumpMemoryTo]).toEqual([exitCode, sleepSec, bump]);
  });
});

describe("record helpers", () => {
  it("decides finality and signals", () => {
    expect(isFinalAttempt(0, true, 0, 5)).toBe(true);
    expect(isFinalAttempt(1, false, 0, 5)).toBe(true);
    expect(isFinalAttempt(1, true, 5, 5)).toBe(true);
    expect(isFinalAttempt(1, true, 4, 5)).toBe(false);
    expect(exitSignalOf(-9)).toBe(9);
    expect(exitSignalOf(-1002)).toBeNull();
    expect(exitSignalOf(1)).toBeNull();
    expect(logTail("x".repeat(10005) + "END")).toHaveLength(10000);
    expect(logTail("abc")).toBe("abc");
  });
});

describe("wuPostDecision", () => {
  const rec = (site: string, category: ErrorCategory) => ({
    job: { site },
    classification: { category },
  });
  it.each([
    ["sub-DAG success", 0, [rec("A", "permanent")], { exitCode: 0, cleanup: false }],
    [
      "permanent record stops",
      1,
      [rec("A", "infrastructure"), rec("A", "permanent")],
      { exitCode: 42, cleanup: false },
    ],
    ["no records: retry the work unit", 1, [], { exitCode: 1, cleanup: true }],
    [
      "dominant infrastructure site is excluded",
      1,
      [
        rec("T2_A", "infrastructure"),
        rec("T2_A", "infrastructure_memory"),
        rec("T2_A", "success"),
        rec("T2_B", "transient"),
      ],
      { exitCode: 1, cleanup: true, excludeSite: "T2_A" },
    ],
    [
      "one infrastructure failure is not enough",
      1,
      [rec("T2_A", "infrastructure"), rec("T2_A", "success")],
      { exitCode: 42, cleanup: false },
    ],
    [
      "below 80 % of the site's failures",
      1,
      [rec("T2_A", "infrastructure"), rec("T2_A", "infrastructure"), rec("T2_A", "transient")],
      { exitCode: 42, cleanup: false },
    ],
    [
      "most infrastructure failures wins",
      1,
      [
        rec("T2_B", "infrastructure"),
        rec("T2_B", "infrastructure"),
        rec("T2_A", "infrastructure"),
        rec("T2_A", "infrastructure"),
        rec("T2_A", "infrastructure"),
      ],
      { exitCode: 1, cleanup: true, excludeSite: "T2_A" },
    ],
  ] as const)("%s", (_name, rc, records, want) => {
    expect(wuPostDecision(rc, records)).toEqual(want);
  });
});

describe("<node>.post.json", () => {
  const failed = parseFjr(
    formatFjr({
      ...stepReport({ wall: 10, cpu: 5, threads: 1, events: 4, eventsRead: [4], rss: 1800 }),
      errors: [{ exitStatus: 8021, type: "FileReadError", message: "cannot open /store/in.root" }],
      step: { name: "cmsRun1", exitCode: 8021 },
    }),
    "r.xml",
  );

  it("summarises the job reports", () => {
    const ok = stepReport({ wall: 10, cpu: 5, threads: 1, events: 7, rss: 2500 });
    const s = cmsswSummaryFromReports([ok, failed]);
    expect(s.exit_code).toBe(8021);
    expect(s.error_message).toBe("cannot open /store/in.root");
    expect(s.steps).toEqual({
      step1: { status: "success", exit_code: 0 },
      cmsRun1: { status: "failed", exit_code: 8021 },
    });
    expect(s.performance).toEqual({
      peak_rss_mb: 2500,
      avg_event_time_sec: 2.5,
      events_read: null,
      events_written: 4,
    });
    expect(s.input_files).toEqual(["file:in0.root"]);
  });

  it("builds, writes and reads a record", () => {
    const classification = classifyFailure({
      jobExitCode: 84,
      cmsswExitCode: 8021,
      inputFiles: ["/store/in.root"],
    });
    const input: PostRecordInput = {
      nodeName: "proc_000001",
      timestamp: new Date(Date.UTC(2026, 2, 14, 10, 31, 2)),
      attempt: 0,
      maxRetries: 5,
      job: {
        exit_code: 84,
        hold_reason: null,
        wall_time_sec: 300,
        memory_mb: 2100,
        site: "T2_CH_CERN",
        periodic_remove_reason: null,
      },
      cmssw: cmsswSummaryFromReports([failed]),
      classification,
      stderr: "line\n".repeat(3000),
    };
    const record = buildPostRecord(input);
    expect(record.final).toBe(true);
    expect(record.timestamp).toBe("2026-03-14T10:31:02.000Z");
    // Records made one after the other get their own times (the last one is remembered).
    const at = (ms: number) => buildPostRecord({ ...input, timestamp: new Date(ms) }).timestamp;
    expect([at(5000), at(5000), at(6500), at(5000)]).toEqual([
      "1970-01-01T00:00:05.000Z",
      "1970-01-01T00:00:05.000Z",
      "1970-01-01T00:00:06.500Z",
      "1970-01-01T00:00:05.000Z",
    ]);
    expect(() => at(Number.NaN)).toThrow(RangeError);
    expect(record.job.exit_signal).toBeNull();
    expect(record.classification).toEqual({
      category: "data",
      retryable: false,
      bad_input_files: ["/store/in.root"],
      action: "permanent_failure",
      memory_exceeded: false,
    });
    expect(record.log_tail).toHaveLength(10000);
    const d = tempDir();
    const file = join(d, "proc_000001.post.json");
    writePostRecord(file, record);
    expect(readPostRecord(file)).toEqual(record);
  });

  it("shares frozen blocks between records of the same plain classification, and only those", () => {
    const record = (input: FailureInput) =>
      buildPostRecord({
        nodeName: "proc_000001",
        timestamp: new Date(0),
        attempt: 0,
        maxRetries: 5,
        job: {
          exit_code: input.jobExitCode,
          hold_reason: null,
          wall_time_sec: 1,
          memory_mb: 1,
          site: "T2_CH_CERN",
          periodic_remove_reason: input.periodicRemoveReason ?? null,
        },
        classification: classifyFailure(input),
      });
    const a = record({ jobExitCode: 0 });
    const b = record({ jobExitCode: 0 });
    expect(b.timestamp).toBe("1970-01-01T00:00:00.000Z");
    expect(b.classification).toBe(a.classification);
    expect(b.cmssw).toBe(a.cmssw);
    expect(Object.isFrozen(a.cmssw.performance)).toBe(true);
    expect(() => a.classification.bad_input_files.push("x")).toThrow(TypeError);
    expect(a.cmssw.input_files).toEqual([]);
    // Same category, other retryability and action: blocks of their own.
    const infra = record({ jobExitCode: 50 }).classification;
    const zombie = record({ jobExitCode: 1, periodicRemoveReason: "zombie job" }).classification;
    expect(infra).toMatchObject({ category: "infrastructure", retryable: true });
    expect(infra.action).toBe("retry_with_cooloff");
    expect(zombie).toMatchObject({ category: "infrastructure", retryable: false });
    expect(zombie.action).toBe("permanent_failure");
    expect(record({ jobExitCode: 50 }).classification).toBe(infra);
    const data = record({ jobExitCode: 8021, inputFiles: ["/store/a.root"] }).classification;
    expect(data.bad_input_files).toEqual(["/store/a.root"]);
    expect(record({ jobExitCode: 8021 }).classification.bad_input_files).toEqual([]);
  });

  it("reads a minimal record and names a bad category", () => {
    const d = tempDir();
    const file = join(d, "merge.post.json");
    const minimal = {
      node_name: "merge",
      timestamp: "2026-01-01T00:00:00Z",
      attempt: 1,
      max_retries: 2,
      final: false,
      job: { exit_code: -9 },
      cmssw: null,
      classification: { category: "transient", retryable: true, action: "retry" },
    };
    writeFileSync(file, JSON.stringify(minimal));
    const r = readPostRecord(file);
    expect(r.job.site).toBe("unknown");
    expect(r.cmssw.steps).toEqual({});
    expect(r.classification.bad_input_files).toEqual([]);
    writeFileSync(
      file,
      JSON.stringify({
        ...minimal,
        classification: { ...minimal.classification, category: "odd" },
      }),
    );
    expect(thrown(() => readPostRecord(file)).message).toMatch(
      /merge\.post\.json: field classification\.category: /,
    );
  });
});
