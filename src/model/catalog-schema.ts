/**
 * Validation schemas of the declarative catalog: workflow entries (`catalog/*.yaml`),
 * simulator step profiles (`catalog/profiles/*.yaml`) and named sets (`sets/*.yaml`).
 *
 * Every leaf carries an "expected ..." message so that the loader can print one line
 * such as `field eventsPerJob: expected a positive integer, got "ten"`. Defaults are
 * the ones of the reference data model, so catalog entries only spell out what differs.
 */
import { z } from "zod";
import type {
  OutputDatasetDef,
  RequestSpec,
  RequestStep,
  SetPredicate,
  StepProfile,
  VerifySpec,
  WorkflowDef,
} from "./workflow.js";

const posInt = () =>
  z
    .int({ error: "expected a positive integer" })
    .positive({ error: "expected a positive integer" });
const nonNegInt = () =>
  z.int({ error: "expected an integer >= 0" }).nonnegative({ error: "expected an integer >= 0" });
const posNum = () =>
  z
    .number({ error: "expected a positive number" })
    .positive({ error: "expected a positive number" });
const nonNegNum = () =>
  z.number({ error: "expected a number >= 0" }).nonnegative({ error: "expected a number >= 0" });
const fraction = (what: string) =>
  z
    .number({ error: `expected ${what} between 0 and 1` })
    .min(0, { error: `expected ${what} between 0 and 1` })
    .max(1, { error: `expected ${what} between 0 and 1` });
const text = () =>
  z
    .string({ error: "expected a non-empty string" })
    .min(1, { error: "expected a non-empty string" });
const bool = () => z.boolean({ error: "expected true or false" });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected one of ${values.join(", ")}` });

/** A catalog number: positive, at most one decimal (100.0, 155.2). */
export const workflowIdSchema = z
  .number({ error: "expected a catalog number such as 150.1" })
  .positive({ error: "expected a catalog number such as 150.1" })
  .refine((v) => Math.abs(Math.round(v * 10) - v * 10) < 1e-9, {
    error: "expected a catalog number with at most one decimal such as 150.1",
  });

export const capabilitySchema = oneOf([
  "condor",
  "cvmfs",
  "siteconf",
  "apptainer",
  "x509",
  "postgres",
  "reqmgr2",
  "dbs",
]);
export const sandboxModeSchema = oneOf(["synthetic", "simulator", "cached", "cmssw"]);

export const outputDatasetSchema = z.strictObject({
  datasetName: z
    .string({ error: "expected a dataset name /Primary/Era-Proc-vN/TIER" })
    .regex(/^\/[^/]+\/[^/]+-v\d+\/[^/]+$/, {
      error: "expected a dataset name /Primary/Era-Proc-vN/TIER",
    }),
  mergedLfnBase: z
    .string({ error: "expected an LFN starting with /store/" })
    .startsWith("/store/", {
      error: "expected an LFN starting with /store/",
    }),
  unmergedLfnBase: z
    .string({ error: "expected an LFN starting with /store/" })
    .startsWith("/store/", {
      error: "expected an LFN starting with /store/",
    }),
  dataTier: text(),
}) satisfies z.ZodType<OutputDatasetDef>;

export const requestStepSchema = z.strictObject({
  name: text(),
  profile: text().optional(),
  cmsswVersion: z
    .string({ error: "expected a release name CMSSW_X_Y_Z" })
    .regex(/^CMSSW_\d+_\d+_\d+/, {
      error: "expected a release name CMSSW_X_Y_Z",
    })
    .optional(),
  scramArch: text().optional(),
  globalTag: text().optional(),
  dataTier: text().optional(),
  keepOutput: bool().optional(),
}) satisfies z.ZodType<RequestStep>;

export const requestSchema = z.strictObject({
  requestName: text(),
  requestType: z.literal("StepChain", { error: "expected StepChain" }).default("StepChain"),
  steps: z.array(requestStepSchema, { error: "expected a list of steps" }).min(1, {
    error: "expected at least one step",
  }),
  timePerEvent: posNum(),
  sizePerEvent: posNum(),
  filterEfficiency: fraction("a fraction")
    .refine((v) => v > 0, { error: "expected a fraction above 0" })
    .default(1),
  campaign: text().optional(),
  priority: nonNegInt().optional(),
  requestNumEvents: posInt().optional(),
  globalTag: text().optional(),
  requestor: text().optional(),
}) satisfies z.ZodType<RequestSpec>;

export const faultSchema = z.strictObject({
  target: oneOf(["proc", "merge", "cleanup"]),
  nodeIndices: z.array(nonNegInt(), { error: "expected a list of integers >= 0" }).optional(),
  workUnits: z.array(nonNegInt(), { error: "expected a list of integers >= 0" }).optional(),
  exitCode: z
    .int({ error: "expected an exit code 0-255" })
    .min(0, { error: "expected an exit code 0-255" })
    .max(255, {
      error: "expected an exit code 0-255",
    })
    .default(0),
  signal: z
    .int({ error: "expected a signal number 0-64" })
    .min(0, { error: "expected a signal number 0-64" })
    .max(64, {
      error: "expected a signal number 0-64",
    })
    .default(0),
  delaySec: nonNegNum().default(0),
  skipOutput: bool().default(false),
});

export const verifySchema = z.strictObject({
  expectSuccess: bool().default(true),
  expectRescueDag: bool().default(false),
  expectMergedOutputs: bool().default(true),
  expectCleanupRan: bool().default(true),
  expectDagStatus: nonNegInt().optional(),
  expectMemoryHolds: z.array(nonNegInt()).optional(),
}) satisfies z.ZodType<VerifySpec>;

const perWuMemorySchema = z
  .record(
    z.string().regex(/^\d+$/, { error: "expected work-unit indices (integers >= 0) as keys" }),
    posInt(),
    {
      error: "expected a mapping of work-unit index to MB",
    },
  )
  .transform((rec) => {
    const out: Record<number, number> = {};
    for (const [k, v] of Object.entries(rec)) out[Number(k)] = v;
    return out;
  });

/** One workflow entry after `derive` and named references have been resolved. */
export const workflowEntrySchema = z.strictObject({
  id: workflowIdSchema,
  title: text(),
  mode: sandboxModeSchema,
  request: requestSchema,
  eventsPerJob: posInt().default(1),
  numJobs: posInt().default(1),
  outputDatasets: z
    .array(outputDatasetSchema, { error: "expected a list of output datasets" })
    .default([]),
  memoryMb: posInt().default(512),
  multicore: posInt().default(1),
  size: oneOf(["small", "medium", "large"]).default("small"),
  timeoutSec: posInt().default(120),
  requires: z
    .array(capabilitySchema, { error: "expected a list of capabilities" })
    .default(["condor"]),
  serial: bool().default(false),
  fault: faultSchema.optional(),
  verify: verifySchema.prefault({}),
  cachedSandboxPath: text().optional(),
  adaptive: bool().default(false),
  numWorkUnits: posInt().default(1),
  adaptiveSplit: bool().default(true),
  splitAllSteps: bool().default(false),
  splitUniformThreads: bool().default(false),
  overcommitMax: z
    .number({ error: "expected a ratio >= 1" })
    .min(1, { error: "expected a ratio >= 1" })
    .default(1),
  splitTmpfs: bool().default(false),
  splitTmpfsFromWu: nonNegInt().default(0),
  memoryMbPerWu: perWuMemorySchema.default({}),
  probeSplit: bool().default(false),
  jobSplit: bool().default(false),
  memoryPerCoreMb: posInt().default(2000),
  maxMemoryPerCoreMb: posInt().default(2000),
  safetyMargin: fraction("a margin").default(0.2),
  minThreads: posInt().default(2),
  productionPath: bool().default(false),
});

export type WorkflowEntry = z.output<typeof workflowEntrySchema>;
/** Compile-time guarantee that a validated entry is exactly a WorkflowDef minus its provenance. */
type Provenance = "sourceFile" | "derivedFrom";
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const entryMatchesWorkflowDef: Same<WorkflowEntry, Omit<WorkflowDef, Provenance>> = true;
void entryMatchesWorkflowDef;

/** A simulator step profile as written under `profiles:` (the name is the mapping key). */
export const stepProfileSchema = z
  .strictObject({
    serialFraction: fraction("a serial fraction").refine((v) => v < 1, {
      error: "expected a serial fraction below 1",
    }),
    scaling: oneOf(["amdahl", "linear"]),
    baseMemoryMb: nonNegNum(),
    marginalPerThreadMb: nonNegNum(),
    wallSecPerEvent: nonNegNum(),
    fixedOverheadSec: nonNegNum().default(0),
    outputSizePerEventKb: nonNegNum(),
    filterEfficiency: fraction("a fraction")
      .refine((v) => v > 0, { error: "expected a fraction above 0" })
      .default(1),
    tmpfsMb: nonNegNum().default(0),
    subprocessMemoryMb: nonNegNum().default(0),
    dataTier: text(),
    outputModule: text().optional(),
    noise: nonNegNum().default(0),
    source: text(),
  })
  .transform((p) => ({ ...p, outputModule: p.outputModule ?? `${p.dataTier}output` }));

export type StepProfileEntry = z.output<typeof stepProfileSchema>;
const profileMatchesStepProfile: Same<
  StepProfileEntry,
  Omit<StepProfile, "name" | "sourceFile">
> = true;
void profileMatchesStepProfile;

export const setPredicateSchema = z
  .strictObject({
    mode: z.array(sandboxModeSchema, { error: "expected a list of modes" }).min(1).optional(),
    adaptive: bool().optional(),
    fault: bool().optional(),
    all: bool().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, {
    error: "expected at least one condition",
  }) satisfies z.ZodType<SetPredicate>;

export const setFileSchema = z
  .strictObject({
    name: z
      .string({ error: "expected a set name (letters, digits, - or _)" })
      .regex(/^[A-Za-z][\w-]*$/, {
        error: "expected a set name (letters, digits, - or _)",
      }),
    description: text(),
    ids: z
      .array(workflowIdSchema, { error: "expected a list of catalog numbers" })
      .min(1)
      .optional(),
    where: setPredicateSchema.optional(),
  })
  .refine((s) => (s.ids === undefined) !== (s.where === undefined), {
    error: "expected exactly one of ids or where",
  });
