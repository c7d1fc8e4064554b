/**
 * The reports of a simulated processing job (pure): one FrameworkJobReport per step run in
 * cmsRun's layout, parsed back and turned into `proc_<N>_metrics.json` and
 * `proc_<N>_outputs.json` by the same functions that read a real wrapper's output, and the
 * wrapper's stdout summary lines.
 */
import type { FjrReport } from "../../src/artifacts/fjr.js";
import { formatFjr, standardPerformance } from "../../src/artifacts/fjr-format.js";
import type { OutputDatasetInfo } from "../../src/artifacts/output-info.js";
import {
  outputTiersOfReports,
  type ProcOutputEntry,
  type ProcOutputList,
  procOutputEntry,
  stagedOutputName,
} from "../../src/artifacts/outputs.js";
import {
  type ProcStepMetrics,
  procMetricsFromReports,
  type StepReport,
} from "../../src/artifacts/proc-metrics.js";
import { roundTo } from "../../src/artifacts/py-round.js";
import { tierMatches } from "../../src/artifacts/tier.js";
import { readBack } from "./fjr-read-back.js";
import { linesText, type StandIn } from "./job-io.js";
import type { ProcStepSpec, StepRun } from "./proc-steps.js";

/** `report_step<K>.xml`, `report_step<K>_inst<i>.xml` or `report_step<K>_pipe<p>.xml`. */
export function reportFileName(run: StepRun): string {
  return run.kind === "plain"
    ? `report_step${run.step}.xml`
    : `report_step${run.step}_${run.kind}${run.inst}.xml`;
}

/** A job input (step 1 of a job reading real files): LFN and the events read from it. */
export interface JobInputFile {
  lfn: string;
  events: number;
}

/**
 * The FJR of one run: Timing, ApplicationMemory (Vsize = 1.2 × RSS), ProcessingSummary and
 * StorageStatistics (read = input size, write = output size, MB); one output `File` with
 * ModuleLabel `<tier>output`; `InputFile`s for the previous step's files (or the job's real
 * input files for step 1; none for generation).
 */
export function runReport(
  run: StepRun,
  spec: ProcStepSpec,
  firstInputs: readonly JobInputFile[] = [],
): FjrReport {
  const tier = spec.profile.dataTier;
  const inputs =
    run.step === 1
      ? firstInputs.map((f) => ({ lfn: f.lfn, pfn: f.lfn, eventsRead: f.events }))
      : run.inputs.map((f) => ({ lfn: "", pfn: `file:${f.name}`, eventsRead: f.events }));
  const inputKb = run.inputs.reduce((s, f) => s + f.kb, 0);
  return {
    inputFiles: inputs.map((f) => ({ ...f, inputType: "primaryFiles", moduleLabel: "source" })),
    outputFiles: [
      {
        lfn: "",
        pfn: `file:${run.fjrOutput}`,
        moduleLabel: `${tier}output`,
        outputModuleClass: "PoolOutputModule",
        totalEvents: run.outputEvents,
        dataType: "MC",
      },
    ],
    skippedFiles: [],
    performance: standardPerformance({
      totalJobTime: run.wallSec,
      totalJobCpu: run.cpuSec,
      numberOfThreads: run.threads,
      eventThroughput: run.wallSec > 0 ? run.inputEvents / run.wallSec : 0,
      avgEventTime: run.inputEvents > 0 ? run.wallSec / run.inputEvents : 0,
      peakValueRss: run.rssMb,
      peakValueVsize: 1.2 * run.rssMb,
      numberEvents: run.inputEvents,
      readMb: inputKb / 1024,
      writeMb: run.outputKb / 1024,
    }),
    modules: [],
    errors: [],
    step: { name: spec.profile.name, exitCode: 0 },
  };
}

/** A run's report as XML (made when asked for) and as read back from that XML. */
export interface RunReport {
  readonly run: StepRun;
  readonly fileName: string;
  readonly xml: string;
  readonly parsed: StepReport;
}

class FormattedReport implements RunReport {
  constructor(
    readonly run: StepRun,
    readonly fileName: string,
    private readonly report: FjrReport,
    readonly parsed: StepReport,
  ) {}

  get xml(): string {
    return formatFjr(this.report);
  }
}

/**
 * Every run's FJR and what the parser reads back from it (the path a real wrapper's
 * reports take; `readBack` gives the parser's result without the XML round trip).
 */
export function runReports(
  runs: readonly StepRun[],
  specs: readonly ProcStepSpec[],
  firstInputs: readonly JobInputFile[] = [],
): RunReport[] {
  return runs.map((run) => {
    const fileName = reportFileName(run);
    const written = runReport(run, specs[run.step - 1], firstInputs);
    const report = readBack(written, fileName);
    const parsed: StepReport =
      run.kind === "plain"
        ? { step: run.step, kind: run.kind, report }
        : { step: run.step, kind: run.kind, inst: run.inst, report };
    return new FormattedReport(run, fileName, written, parsed);
  });
}

/** `proc_<N>_metrics.json` from the parsed reports (ncpus = manifest multicore per step). */
export function metricsFromReports(
  reports: readonly RunReport[],
  stepMulticore: readonly number[],
  cgroupMemoryMb: number,
): ProcStepMetrics[] {
  return procMetricsFromReports(
    reports.map((r) => r.parsed),
    { stepMulticore, cgroupMemoryMb },
  );
}

/** A job output file to stage out, with the dataset whose tier it matches. */
export interface StagedOutput {
  run: StepRun;
  /** Name in the job's working directory (before the `proc_<N>_` rename). */
  name: string;
  sizeBytes: number;
  dataset: OutputDatasetInfo;
}

/**
 * Files staged out: every run of a kept step whose tier matches an output dataset (the
 * first matching one); `unmatched` lists kept outputs that match none (skipped).
 */
export function stagedOutputs(
  runs: readonly StepRun[],
  specs: readonly ProcStepSpec[],
  datasets: readonly OutputDatasetInfo[],
): { staged: StagedOutput[]; unmatched: StepRun[] } {
  const staged: StagedOutput[] = [];
  const unmatched: StepRun[] = [];
  for (const run of runs) {
    const spec = specs[run.step - 1];
    if (!spec.keepOutput) continue;
    const dataset = datasets.find((d) => tierMatches(spec.profile.dataTier, d.data_tier));
    if (!dataset) {
      unmatched.push(run);
      continue;
    }
    const sizeBytes = Math.round(run.outputKb * 1024);
    staged.push({ run, name: run.jobOutput, sizeBytes, dataset });
  }
  return { staged, unmatched };
}

/** A staged output as every job of one outcome writes it: only the `proc_<N>_` prefix differs. */
export interface StagedFile {
  /** Name in the job's working directory (before the `proc_<N>_` rename). */
  name: string;
  dataset: OutputDatasetInfo;
  /** The stand-in file's content (frozen: the jobs' files hold this one value). */
  standIn: StandIn;
  /** The file's entry in `proc_<N>_outputs.json` (frozen, shared likewise). */
  entry: ProcOutputEntry;
}

/** What a job stages out (see `stagedOutputs`), ready to be written for any node index. */
export interface StageOut {
  staged: readonly StagedFile[];
  /** The wrapper's stderr: a line per kept output that matches no dataset. */
  stderr: string;
}

/** The staged files of a job's runs, with their stand-ins and output entries (tiers from the reports). */
export function stageOut(
  runs: readonly StepRun[],
  specs: readonly ProcStepSpec[],
  datasets: readonly OutputDatasetInfo[],
  reports: readonly RunReport[],
): StageOut {
  const { staged, unmatched } = stagedOutputs(runs, specs, datasets);
  const tiers = outputTiersOfReports(
    reports.map((r) => ({ stepIndex: r.run.step - 1, report: r.parsed.report })),
  );
  const files = staged.map(({ run, name, sizeBytes, dataset }) => ({
    name,
    dataset,
    standIn: Object.freeze({
      sizeBytes,
      events: run.outputEvents,
      tier: specs[run.step - 1].profile.dataTier,
    }),
    entry: Object.freeze(procOutputEntry({ name, sizeBytes }, tiers)),
  }));
  const stderr = linesText(
    unmatched.map(
      (run) => `wms2_proc: ${run.jobOutput} matches no output dataset tier: not staged`,
    ),
  );
  return { staged: files, stderr };
}

/** `proc_<N>_outputs.json` of a job's staged files. */
export function stagedOutputList(nodeIndex: number, staged: readonly StagedFile[]): ProcOutputList {
  return staged.map((s) => [stagedOutputName(nodeIndex, s.name), s.entry]);
}

/**
 * The wrapper's stdout summary, one line per step (formats.md §7.9):
 * `Step K: wall=<s>s cpu_eff=<f> rss=<MB>MB events=<n>`; over instances or pipelines the
 * wall is the longest, cpu_eff = Σcpu / Σ(wall·threads), rss the largest, events the sum.
 */
export function stepSummaryLines(runs: readonly StepRun[]): string[] {
  const steps = [...new Set(runs.map((r) => r.step))].sort((a, b) => a - b);
  return steps.map((k) => {
    const of = runs.filter((r) => r.step === k);
    const wall = Math.max(...of.map((r) => r.wallSec));
    const capacity = of.reduce((s, r) => s + r.wallSec * r.threads, 0);
    const cpu = of.reduce((s, r) => s + r.cpuSec, 0);
    const eff = capacity > 0 ? String(roundTo(cpu / capacity, 4)) : "None";
    const rss = roundTo(Math.max(...of.map((r) => r.rssMb)), 1);
    const events = of.reduce((s, r) => s + r.inputEvents, 0);
    return `Step ${k}: wall=${roundTo(wall, 2)}s cpu_eff=${eff} rss=${rss}MB events=${events}`;
  });
}
