/**
 * Shape check of a WorkflowResult, applied when a result is saved (so NaN, Infinity or a
 * missing field never reaches the database) and when it is loaded (so a damaged row is
 * reported, not rendered). Unknown keys are kept, so older code reads newer rows.
 */
import { z } from "zod";
import { formatFieldPath } from "../artifacts/json-io.js";

const num = z.number();
const numOrNull = z.number().nullable();

const stepSample = z.looseObject({
  round: num,
  step: num,
  node: num,
  instance: num,
  nThreads: num,
  wallSec: num,
  cpuSec: num,
  cpuEff: numOrNull,
  rssMb: numOrNull,
  eventsProcessed: numOrNull,
  eventsWritten: numOrNull,
  throughputEvS: numOrNull,
});

const stepPerf = z.looseObject({
  round: num,
  step: num,
  stepName: z.string(),
  n: num,
  nJobs: num,
  nThreads: num,
  instances: num,
  wallSecMean: num,
  wallSecStddev: num,
  wallSecMin: num,
  wallSecMax: num,
  cpuEffMean: numOrNull,
  cpuEffStddev: numOrNull,
  rssMbMean: numOrNull,
  rssMbStddev: numOrNull,
  rssMbMax: numOrNull,
  eventsTotal: num,
  throughputEvS: numOrNull,
});

const roundPerf = z.looseObject({
  round: num,
  jobs: num,
  cpusPerJob: num,
  threadsLabel: z.string(),
  requestMemoryMb: num,
  events: num,
  coreHours: num,
  evPerCoreHour: num,
  cpuEffPerJob: numOrNull,
  peakMemoryMb: numOrNull,
  oomJobs: num,
  processingSec: num,
  mergeSec: num,
  cleanupSec: num,
  startSec: numOrNull,
  endSec: numOrNull,
});

const perfData = z.looseObject({
  numProcJobs: num,
  coresPerJob: num,
  totalEvents: num,
  coreHours: num,
  evPerCoreHour: num,
  peakRssMb: numOrNull,
  steps: z.array(stepPerf),
  rounds: z.array(roundPerf),
  samples: z.array(stepSample),
  time: z.looseObject({
    processingSec: num,
    mergeSec: num,
    cleanupSec: num,
    overheadSec: num,
    totalSec: num,
  }),
  cpu: z.looseObject({
    intervalSec: num,
    cores: z.array(num),
    avgCores: num,
    peakCores: num,
    expectedCores: num,
    roundMarks: z.array(num),
  }),
  output: z.looseObject({
    mergedFiles: num,
    mergedBytes: num,
    unmergedCleaned: z.boolean(),
    datasets: z.array(
      z.looseObject({
        datasetName: z.string(),
        mergedFiles: num,
        mergedBytes: num,
        mergedEvents: num,
        unmergedLeft: num,
      }),
    ),
  }),
});

const adaptiveData = z.looseObject({
  decisions: z.array(z.record(z.string(), z.unknown())),
  convergence: z.array(
    z.looseObject({
      round: num,
      quantity: z.enum(["memory_mb", "effective_cores"]),
      step: num,
      projected: num,
      measured: num,
      relError: num,
      flagged: z.boolean(),
    }),
  ),
});

export const workflowResultSchema = z.looseObject({
  wfId: num,
  title: z.string(),
  status: z.enum(["passed", "failed", "skipped", "error", "timeout"]),
  reason: z.string(),
  elapsedSec: num,
  wallSec: num,
  dagStatus: z.string(),
  dagExitCode: numOrNull,
  rescueDags: z.array(z.string()),
  submitDir: z.string(),
  seed: num,
  backend: z.string(),
  perf: perfData.nullable(),
  adaptive: adaptiveData.nullable(),
});

/** Null when the value is a valid WorkflowResult, else "field F: problem". */
export function workflowResultProblem(value: unknown): string | null {
  const r = workflowResultSchema.safeParse(value);
  if (r.success) return null;
  const issue = r.error.issues[0];
  const field = formatFieldPath(issue.path);
  const problem = issue.message.split("\n")[0];
  return field ? `field ${field}: ${problem}` : problem;
}
