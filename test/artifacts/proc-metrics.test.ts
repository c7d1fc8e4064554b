import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatMemoryMonitorLog } from "../../src/artifacts/cgroup.js";
import { type FjrReport, readFjr } from "../../src/artifacts/fjr.js";
import { formatFjr } from "../../src/artifacts/fjr-format.js";
import {
  parseReportFileName,
  procMetricsFromDir,
  procMetricsFromReports,
  readProcMetrics,
  type StepReport,
  selectStepReports,
  stepMetricsFromReport,
  writeProcMetrics,
} from "../../src/artifacts/proc-metrics.js";
import { InputError } from "../../src/model/errors.js";
import { sharedFixtures } from "../helpers/shared-fixtures.js";
import { stepReport, tempDir, thrown } from "./helpers.js";

const dir = sharedFixtures("real", "fjr");

describe.skipIf(!dir)("stepMetricsFromReport on real reports", () => {
  it("derives every field of the pileup job (NumberEvents beats the EventsRead sum)", () => {
    const r = readFjr(join(dir!, "WMCore_CMSSWJobReportXrdSiteStatistics.xml"));
    expect(stepMetricsFromReport(2, r, 2, 4100)).toEqual({
      step: 2,
      step_index: 1,
      wall_time_sec: 153.0,
      cpu_time_sec: 155.48,
      num_threads: 2,
      throughput_ev_s: 0.038,
      avg_event_time_sec: 34.1318,
      cpu_efficiency: 0.5081,
      peak_rss_mb: 3331.98,
      peak_vsize_mb: 5453.68,
      events_processed: 3,
      events_written: 3,
      time_per_event_sec: 51.0003,
      read_mb: 5.43,
      write_mb: 29.07,
      ncpus: 2,
      cgroup_memory_mb: 4100,
    });
  });

  it("gives nulls for a failed job with only StorageStatistics", () => {
    const r = readFjr(
      join(
        dir!,
        "Reconstruction_merged_photon_final_failed-8001-multistream_FrameworkJobReport.xml",
      ),
    );
    const m = stepMetricsFromReport(1, r, 1, 0)!;
    expect(m.wall_time_sec).toBeNull();
    expect(m.cpu_efficiency).toBeNull();
    expect(m.events_processed).toBe(0);
    expect(m.events_written).toBe(0);
    expect(m.time_per_event_sec).toBeNull();
    expect(m.read_mb).toBe(0.15);
    expect(m.write_mb).toBe(0.29);
    expect(m).not.toHaveProperty("cgroup_memory_mb");
  });

  it("skips a report without any PerformanceSummary", () => {
    const r = readFjr(join(dir!, "HCALDQM_config-error-7002_FrameworkJobReport.xml"));
    expect(stepMetricsFromReport(1, r, 1)).toBeUndefined();
  });

  it("sums EventsRead when NumberEvents is missing (NanoAODTools report)", () => {
    const r = readFjr(join(dir!, "nanoAOD-tools_skim_FrameworkJobReport.xml"));
    const m = stepMetricsFromReport(1, r, 1)!;
    expect(m.events_processed).toBe(38665 + 703 + 34447 + 703 + 1406 + 33041);
    expect(m.events_written).toBe(1);
    expect(m.num_threads).toBeNull();
  });
});

describe("metric derivation rules", () => {
  it("falls back to events_processed when nothing was written, and nulls cpu_efficiency on zero wall", () => {
    const r = stepReport({ wall: 0, cpu: 10, threads: 4, events: 20, written: 0 });
    const m = stepMetricsFromReport(1, r, 4)!;
    expect(m.events_written).toBe(20);
    expect(m.cpu_efficiency).toBeNull();
    expect(m.time_per_event_sec).toBeNull();
  });

  it("rounds like Python: on the exact binary value, exact ties to even", () => {
    // 250.5 / 2000 = 0.12525 is stored slightly above the tie: Python gives 0.1253
    const m = stepMetricsFromReport(
      1,
      stepReport({ wall: 1000, cpu: 250.5, threads: 2, events: 8 }),
      2,
    )!;
    expect(m.cpu_efficiency).toBe(0.1253);
    // 0.125 is an exact tie: Python round(0.125, 2) = 0.12
    const n = stepMetricsFromReport(
      1,
      stepReport({ wall: 0.125, cpu: 1, threads: 1, events: 1 }),
      1,
    )!;
    expect(n.wall_time_sec).toBe(0.12);
  });
});

describe("step enumeration and selection", () => {
  const names = [
    "report_step1_inst1.xml",
    "report_step1_inst0.xml",
    "report_step1_pipe0.xml",
    "report_step2.xml",
    "report_step2_inst0.xml",
    "report_step3_pipe1.xml",
    "report_step3_pipe0.xml",
    "report_step5.xml",
    "step1.log",
  ];
  const refs = names.map(parseReportFileName).filter((r) => r !== undefined);

  it("parses report names", () => {
    expect(parseReportFileName("report_step12_pipe3.xml")).toEqual({
      step: 12,
      kind: "pipe",
      inst: 3,
    });
    expect(parseReportFileName("report_step1.xml")).toEqual({ step: 1, kind: "plain" });
    expect(parseReportFileName("report_step1.xml.bak")).toBeUndefined();
    expect(refs).toHaveLength(8);
  });

  it("prefers plain over instances over pipelines and stops at the first missing step", () => {
    const sel = selectStepReports(refs).map((r) => `${r.step}${r.kind}${r.inst ?? ""}`);
    expect(sel).toEqual(["1inst0", "1inst1", "2plain", "3pipe0", "3pipe1"]);
  });

  it("can return every report of each step", () => {
    const sel = selectStepReports(refs, "all").map((r) => `${r.step}${r.kind}${r.inst ?? ""}`);
    expect(sel).toEqual(["1inst0", "1inst1", "1pipe0", "2plain", "2inst0", "3pipe0", "3pipe1"]);
  });

  it("builds one entry per selected report with ncpus from the manifest", () => {
    const reports: StepReport[] = [
      {
        step: 1,
        kind: "inst",
        inst: 0,
        report: stepReport({ wall: 100, cpu: 150, threads: 2, events: 10 }),
      },
      {
        step: 1,
        kind: "inst",
        inst: 1,
        report: stepReport({ wall: 120, cpu: 160, threads: 2, events: 10 }),
      },
      {
        step: 2,
        kind: "plain",
        report: stepReport({ wall: 50, cpu: 300, threads: 8, events: 20 }),
      },
    ];
    const out = procMetricsFromReports(reports, { stepMulticore: [2], cgroupMemoryMb: 0 });
    expect(out.map((e) => [e.step, e.step_index, e.ncpus, e.cpu_efficiency])).toEqual([
      [1, 0, 2, 0.75],
      [1, 0, 2, 0.6667],
      [2, 1, 1, 0.75],
    ]);
    expect(out.some((e) => "cgroup_memory_mb" in e)).toBe(false);
  });
});

describe("procMetricsFromDir and the metrics file", () => {
  it("reads reports, manifest and monitor log from a job directory", () => {
    const d = tempDir();
    const r1: FjrReport = stepReport({ wall: 200, cpu: 320, threads: 4, events: 50 });
    writeFileSync(join(d, "report_step1.xml"), formatFjr(r1));
    writeFileSync(
      join(d, "report_step2.xml"),
      formatFjr(stepReport({ wall: 80, cpu: 600, threads: 8, events: 50 })),
    );
    writeFileSync(join(d, "report_step4.xml"), formatFjr(r1));
    const manifest = {
      mode: "cmssw",
      request_name: "r",
      steps: [
        { name: "GEN", multicore: 4 },
        { name: "DIGI", multicore: 8 },
      ],
    };
    writeFileSync(join(d, "manifest.json"), JSON.stringify(manifest));
    const samples = [
      { tsSec: 0, cgroupMb: 1500.7, anonMb: 1000, fileMb: 400, shmemMb: 0, tmpfsPresent: false },
      { tsSec: 2, cgroupMb: 5230, anonMb: 3000, fileMb: 900, shmemMb: 0, tmpfsPresent: false },
    ];
    writeFileSync(join(d, "memory_monitor.log"), formatMemoryMonitorLog(samples));
    const out = procMetricsFromDir(d);
    expect(out.map((e) => [e.step, e.ncpus, e.cpu_efficiency, e.cgroup_memory_mb])).toEqual([
      [1, 4, 0.4, 5230],
      [2, 8, 0.9375, 5230],
    ]);
    const file = join(d, "proc_3_metrics.json");
    writeProcMetrics(file, out);
    expect(readProcMetrics(file)).toEqual(out);
  });

  it("fills missing keys with null and derives step from step_index", () => {
    const d = tempDir();
    const file = join(d, "proc_0_metrics.json");
    writeFileSync(
      file,
      JSON.stringify([{ step_index: 0, wall_time_sec: 12.5, cpu_efficiency: 0.5 }]),
    );
    const [e] = readProcMetrics(file);
    expect(e.step).toBe(1);
    expect(e.wall_time_sec).toBe(12.5);
    expect(e.peak_rss_mb).toBeNull();
  });

  it("names the file and field of a bad entry", () => {
    const d = tempDir();
    const file = join(d, "proc_1_metrics.json");
    writeFileSync(file, JSON.stringify([{ step: 1 }, { step: 2, wall_time_sec: "slow" }]));
    const err = thrown(() => readProcMetrics(file));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/proc_1_metrics\.json: field \[1\]\.wall_time_sec: /);
    writeFileSync(file, JSON.stringify([{ wall_time_sec: 3 }]));
    expect(thrown(() => readProcMetrics(file)).message).toMatch(
      /field \[0\]\.step_index: entry has neither step_index nor step$/,
    );
    writeFileSync(file, "{not json");
    expect(thrown(() => readProcMetrics(file)).message).toMatch(
      /proc_1_metrics\.json: invalid JSON: /,
    );
  });
});
