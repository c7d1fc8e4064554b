import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type FjrReport,
  fjrNumber,
  nextStepInput,
  parseFjr,
  readFjr,
} from "../../src/artifacts/fjr.js";
import { formatFjr, standardPerformance } from "../../src/artifacts/fjr-format.js";
import { InputError } from "../../src/model/errors.js";
import { sharedFixtures } from "../helpers/shared-fixtures.js";

const dir = sharedFixtures("real", "fjr");
const fixture = (name: string) => readFjr(join(dir!, name));

describe.skipIf(!dir)("parseFjr on real cmsRun reports", () => {
  it("reads the multi-threaded pileup job (XrdSiteStatistics)", () => {
    const r = fixture("WMCore_CMSSWJobReportXrdSiteStatistics.xml");
    expect(fjrNumber(r, "Timing", "TotalJobTime")).toBe(153.001);
    expect(fjrNumber(r, "Timing", "TotalJobCPU")).toBe(155.483);
    expect(fjrNumber(r, "Timing", "NumberOfThreads")).toBe(2);
    expect(fjrNumber(r, "Timing", "NumberOfStreams")).toBe(2);
    expect(fjrNumber(r, "Timing", "EventThroughput")).toBe(0.0379954);
    expect(fjrNumber(r, "Timing", "AvgEventTime")).toBe(34.1318);
    expect(fjrNumber(r, "ApplicationMemory", "PeakValueRss")).toBe(3331.98);
    expect(fjrNumber(r, "ApplicationMemory", "PeakValueVsize")).toBe(5453.68);
    expect(fjrNumber(r, "ProcessingSummary", "NumberEvents")).toBe(3);
    expect(fjrNumber(r, "StorageStatistics", "Timing-file-read-totalMegabytes")).toBe(5.43017);
    expect(fjrNumber(r, "StorageStatistics", "Timing-file-write-totalMegabytes")).toBe(29.0666);
    expect(r.performance.SystemCPU.CPUModels).toBe("Intel Core Processor (Broadwell, IBRS)");
    expect(r.performance.SystemMemory.VmallocChunk).toBe(-224904);
    expect(Object.keys(r.performance)).toEqual([
      "Timing",
      "ProcessingSummary",
      "ApplicationMemory",
      "SystemMemory",
      "StorageStatistics",
      "SystemCPU",
    ]);
    expect(r.inputFiles.map((f) => [f.inputType, f.eventsRead])).toEqual([
      ["primaryFiles", 3],
      ["mixingFiles", 210],
      ["mixingFiles", 109],
    ]);
    expect(r.inputFiles[0].lfn).toBe("");
    expect(r.inputFiles[0].pfn).toMatch(/^root:\/\/cms-xrd-global\.cern\.ch\/\/\/store\/relval/);
    expect(r.outputFiles).toHaveLength(1);
    expect(r.outputFiles[0]).toMatchObject({
      pfn: "file:step2.root",
      moduleLabel: "FEVTDEBUGHLToutput",
      outputModuleClass: "PoolOutputModule",
      totalEvents: 3,
      dataType: "MC",
    });
    expect(r.modules.map((m) => m.metric)).toEqual([
      "roma1.infn.it",
      "T2_IT_BARI",
      "recas.ba.infn.it",
      "cern.ch",
    ]);
    expect(r.modules[3].metrics["read-totalMegabytes"]).toBe(0);
    expect(r.modules[1].metrics["readv-totalMegabytes"]).toBe(6.18529);
    expect(r.errors).toEqual([]);
    expect(nextStepInput(r)).toBe("step2.root");
  });

  it("reads the merge report with -nan metrics and zero events", () => {
    const r = fixture("WMCore_CMSSWMergeReport2.xml");
    expect(r.outputFiles[0]).toMatchObject({
      moduleLabel: "Merged",
      pfn: "Merged.root",
      totalEvents: 0,
    });
    expect(r.outputFiles[0].lfn).toMatch(/\/Merged\.root$/);
    expect(r.inputFiles).toHaveLength(1);
    expect(r.inputFiles[0].eventsRead).toBe(0);
    expect(r.inputFiles[0].lfn).toMatch(/^\/store\/unmerged\/Run2022A\/SingleMuon\/ALCARECO/);
    expect(r.performance.ApplicationMemory.AverageGrowthRateRss).toBe("-nan");
    expect(fjrNumber(r, "ApplicationMemory", "AverageGrowthRateRss")).toBeUndefined();
    expect(fjrNumber(r, "Timing", "TotalJobTime")).toBe(104.939);
    expect(fjrNumber(r, "Timing", "TotalJobCPU")).toBe(52.5991);
    expect(fjrNumber(r, "Timing", "NumberOfThreads")).toBe(1);
    expect(fjrNumber(r, "Timing", "MinEventTime")).toBe(1e6);
    expect(r.performance.Timing["EventSetup Get"]).toBe(0);
    expect(fjrNumber(r, "ProcessingSummary", "NumberEvents")).toBe(0);
    expect(fjrNumber(r, "StorageStatistics", "Timing-file-write-totalMegabytes")).toBe(2.98607);
  });

  it("reads the failed multi-stream job: five 8001 errors, no Timing", () => {
    const r = fixture(
      "Reconstruction_merged_photon_final_failed-8001-multistream_FrameworkJobReport.xml",
    );
    expect(r.errors).toHaveLength(5);
    expect(r.errors.every((e) => e.exitStatus === 8001 && e.type === "Fatal Exception")).toBe(true);
    expect(r.errors[0].message).toMatch(/^An exception of category 'NoProxyException'/);
    expect(r.errors.map((e) => /stream: (\d)/.exec(e.message)?.[1])).toEqual([
      "2",
      "0",
      "4",
      "3",
      "1",
    ]);
    expect(Object.keys(r.performance)).toEqual(["StorageStatistics"]);
    expect(r.performance.Timing).toBeUndefined();
    expect(fjrNumber(r, "StorageStatistics", "Timing-file-read-totalMegabytes")).toBe(0.154332);
    expect(r.outputFiles[0]).toMatchObject({ moduleLabel: "FEVTDEBUGHLToutput", totalEvents: 0 });
  });

  it("reads the configuration error 7002 report", () => {
    const r = fixture("HCALDQM_config-error-7002_FrameworkJobReport.xml");
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].exitStatus).toBe(7002);
    expect(r.errors[0].message).toContain("ConfigFileReadError");
    expect(r.inputFiles).toEqual([]);
    expect(r.outputFiles).toEqual([]);
    expect(r.performance).toEqual({});
    expect(r.step).toBeUndefined();
  });

  it("reads the skipped-all report", () => {
    const r = fixture("WMCore_CMSSWSkippedAll.xml");
    expect(r.skippedFiles).toHaveLength(2);
    expect(r.skippedFiles[0].lfn).toBe(
      "/store/data/Run2012D/Cosmics/RAW/v1/000/206/379/1ED243E7-A611-E211-A851-0019B9F581C9.root",
    );
    expect(r.skippedFiles[0].pfn).toMatch(/^dcap:\/\/cmsdca1\.fnal\.gov:24141\//);
    expect(r.inputFiles).toEqual([]);
    expect(Object.keys(r.performance)).toEqual(["StorageStatistics"]);
    expect(r.performance.StorageStatistics["Parameter-untracked-bool-enabled"]).toBe("true");
    expect(fjrNumber(r, "StorageStatistics", "ROOT-tfile-read-totalMegabytes")).toBe(2.55324);
  });

  it("reads the one-line NanoAODTools report", () => {
    const r = fixture("nanoAOD-tools_skim_FrameworkJobReport.xml");
    expect(r.inputFiles.map((f) => f.eventsRead)).toEqual([38665, 703, 34447, 703, 1406, 33041]);
    expect(r.inputFiles[0].pfn).toBe("");
    expect(r.outputFiles).toEqual([
      {
        lfn: "",
        pfn: "skimmed_nano.root",
        moduleLabel: "NANO",
        outputModuleClass: "PoolOutputModule",
        totalEvents: 1,
        guid: "",
        dataType: "",
      },
    ]);
    expect(Object.keys(r.performance)).toEqual(["StorageStatistics"]);
  });
});

describe("parseFjr errors", () => {
  it("names the file and line of malformed XML in one line", () => {
    const bad = "<FrameworkJobReport>\n<InputFile>\n</File>\n</FrameworkJobReport>";
    const err = (() => {
      try {
        parseFjr(bad, "work/report_step1.xml");
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(InputError);
    expect(err?.message).toMatch(/^work\/report_step1\.xml:3: malformed FrameworkJobReport XML: /);
    expect(err?.message).not.toContain("\n");
  });

  it("rejects a document with another root element", () => {
    expect(() => parseFjr("<Other/>", "x.xml")).toThrow(/^x\.xml: not a FrameworkJobReport/);
  });

  it("reports a missing file as an InputError", () => {
    expect(() => readFjr("does/not/exist.xml")).toThrow(/^does\/not\/exist\.xml: file not found$/);
  });
});

describe("formatFjr", () => {
  const report: FjrReport = {
    inputFiles: [{ lfn: "", pfn: "file:in&out.root", eventsRead: 500, inputType: "primaryFiles" }],
    outputFiles: [
      {
        lfn: "",
        pfn: "file:step2_LHE.root",
        moduleLabel: "LHEoutput",
        outputModuleClass: "PoolOutputModule",
        totalEvents: 500,
      },
      {
        lfn: "",
        pfn: "file:step2_AODSIM_output.root",
        moduleLabel: "AODSIMoutput",
        outputModuleClass: "PoolOutputModule",
        totalEvents: 500,
      },
    ],
    skippedFiles: [],
    performance: standardPerformance({
      totalJobTime: 812.4,
      totalJobCpu: 5210.7,
      numberOfThreads: 8,
      eventThroughput: 0.6155,
      avgEventTime: 12.98,
      peakValueRss: 6120.5,
      peakValueVsize: 9200.1,
      numberEvents: 500,
      readMb: 310.2,
      writeMb: 95.7,
    }),
    modules: [],
    errors: [{ exitStatus: 8021, type: "FileReadError", message: 'bad "file" <x> ]]> end' }],
    step: { name: "cmsRun2", exitCode: 8021 },
  };

  it("round-trips through parseFjr", () => {
    const xml = formatFjr(report);
    expect(parseFjr(xml, "mem.xml")).toEqual(report);
  });

  it("writes cmsRun's element layout", () => {
    const xml = formatFjr(report);
    expect(xml).toContain('<PerformanceSummary Metric="Timing">');
    expect(xml).toContain('<Metric Name="TotalJobCPU" Value="5210.7"/>');
    expect(xml).toContain('<Metric Name="NumberOfStreams" Value="8"/>');
    expect(xml).toContain('<Metric Name="Timing-file-write-totalMegabytes" Value="95.7"/>');
    expect(xml).toContain('<FrameworkError ExitStatus="8021" Type="FileReadError" >');
    expect(xml).toContain("<PFN>file:in&amp;out.root</PFN>");
    expect(xml).toContain("<ModuleLabel>AODSIMoutput</ModuleLabel>");
    expect(xml.startsWith("<FrameworkJobReport>\n")).toBe(true);
    // next step input skips the LHE module's file and strips file:
    expect(nextStepInput(report)).toBe("step2_AODSIM_output.root");
  });

  it.skipIf(!dir)("re-parses every real report to the same model after formatting", () => {
    for (const name of [
      "WMCore_CMSSWMergeReport2.xml",
      "WMCore_CMSSWSkippedAll.xml",
      "Reconstruction_merged_photon_final_failed-8001-multistream_FrameworkJobReport.xml",
      "HCALDQM_config-error-7002_FrameworkJobReport.xml",
      "nanoAOD-tools_skim_FrameworkJobReport.xml",
    ]) {
      const r = parseFjr(readFileSync(join(dir!, name), "utf8"), name);
      expect(parseFjr(formatFjr(r), name)).toEqual(r);
    }
  });
});
