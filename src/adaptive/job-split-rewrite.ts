/**
 * Rewriting a work unit that has not started yet for a job split (adaptive.md §15):
 * a tuned manifest with every step at the new thread count, `newNumJobs` proc submit
 * files covering the old event range, and a `group.dag` listing the new proc nodes.
 * `planJobSplitRewrite` is pure; `rewriteWuForJobSplit` reads and writes the files.
 */
import { existsSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError, inputErrorMessage } from "../model/errors.js";
import { plannerGroupDag, referenceGroupDag } from "./job-split-dag.js";
import { oldEventRange, splitEventRanges } from "./job-split-events.js";
import {
  type NewProcJob,
  parseProcTemplate,
  plannerProcSubmit,
  referenceProcSubmit,
} from "./job-split-submit.js";
import { manifestSteps, manifestText, procSubmitFiles, TUNED_MANIFEST } from "./manifest-patch.js";
import { readJsonRequired } from "./metric-files.js";
import type { JobSplitResult } from "./types.js";

/**
 * `planner` (default, used by WMS2) keeps everything the planner wrote in the DAG and
 * submit files; `reference` writes the reference's minimal files.
 */
export type RewriteLayout = "planner" | "reference";

export interface JobSplitRewriteOptions {
  splitTmpfs?: boolean;
  layout?: RewriteLayout;
}

export type JobSplitDecision = Pick<
  JobSplitResult,
  | "tunedNthreads"
  | "jobMultiplier"
  | "newNumJobs"
  | "newEventsPerJob"
  | "newRequestCpus"
  | "newRequestMemoryMb"
>;

/** The current files of the work unit. */
export interface WorkUnitFiles {
  groupDir: string;
  /** Old proc submit files, sorted by name; the first is the template. */
  procSubmits: readonly { name: string; text: string }[];
  manifest: unknown;
  groupDag: string;
}

/** Files to delete (names) and to write (name → content), relative to the group dir. */
export interface JobSplitRewritePlan {
  delete: string[];
  write: Record<string, string>;
}

export interface JobSplitRewriteResult {
  procFilesWritten: number;
  oldProcFilesDeleted: number;
}

function tunedSplitManifest(
  manifest: unknown,
  threads: number,
  splitTmpfs: boolean,
  where: string,
): unknown {
  const tuned = structuredClone(manifest) as Record<string, unknown>;
  for (const step of manifestSteps(tuned, where)) {
    step.multicore = threads;
    step.n_parallel = 1;
  }
  if (splitTmpfs) tuned.split_tmpfs = true;
  return tuned;
}

/** The new proc node names, `proc_<first>` … (6 digits), `first` defaulting to 0. */
export function splitNodeNames(count: number, first = 0): string[] {
  return Array.from({ length: count }, (_, i) => `proc_${String(first + i).padStart(6, "0")}`);
}

/** Smallest node index among proc submit file names (`proc_000004.sub` → 4); 0 when none. */
function firstNodeIndex(names: readonly string[]): number {
  const indices = names
    .map((n) => /^proc_0*(\d+)\.sub$/.exec(n)?.[1])
    .filter((d): d is string => d !== undefined)
    .map(Number);
  return indices.length > 0 ? Math.min(...indices) : 0;
}

/** Computes every file change of the rewrite without touching the disk. */
export function planJobSplitRewrite(
  files: WorkUnitFiles,
  split: JobSplitDecision,
  options: JobSplitRewriteOptions = {},
): JobSplitRewritePlan {
  const layout = options.layout ?? "planner";
  if (files.procSubmits.length === 0) {
    throw new InputError(
      inputErrorMessage({ file: files.groupDir, problem: "no proc_*.sub files" }),
    );
  }
  const argumentLines = files.procSubmits.map(
    (f) => /^arguments\s*=\s*(.+)$/m.exec(f.text)?.[1] ?? "",
  );
  const { first, last } = oldEventRange(argumentLines, split.newEventsPerJob, split.jobMultiplier);
  const ranges = splitEventRanges(first, last, split.newNumJobs, split.newEventsPerJob);
  // The planner numbers proc nodes across the whole DAG: the new nodes continue from the
  // unit's first node, so node indices of earlier units (e.g. a probe job) never recur.
  const firstNode = layout === "planner" ? firstNodeIndex(files.procSubmits.map((f) => f.name)) : 0;
  const names = splitNodeNames(split.newNumJobs, firstNode);
  const tunedPath = join(files.groupDir, TUNED_MANIFEST);
  const template = files.procSubmits[0];
  const templateName = template.name.replace(/\.sub$/, "");
  const parsed = parseProcTemplate(template.text);

  const write: Record<string, string> = {
    [TUNED_MANIFEST]: manifestText(
      tunedSplitManifest(
        files.manifest,
        split.tunedNthreads,
        options.splitTmpfs ?? false,
        join(files.groupDir, "manifest.json"),
      ),
    ),
  };
  names.forEach((name, i) => {
    const job: NewProcJob = {
      index: firstNode + i,
      name,
      range: ranges[i],
      requestCpus: split.newRequestCpus,
      requestMemoryMb: split.newRequestMemoryMb,
      tunedManifestPath: tunedPath,
    };
    write[`${name}.sub`] =
      layout === "reference"
        ? referenceProcSubmit(parsed, job)
        : plannerProcSubmit(template.text, templateName, job);
  });
  write["group.dag"] =
    layout === "reference"
      ? referenceGroupDag(files.groupDag, names, split.jobMultiplier)
      : plannerGroupDag(files.groupDag, names, split.jobMultiplier);
  return { delete: files.procSubmits.map((f) => f.name), write };
}

/**
 * Rewrites the work unit in `groupDir` for a job split. Everything is read and checked
 * before anything is written; a missing `manifest.json`, `group.dag` or proc submit file
 * is an `InputError`.
 */
export function rewriteWuForJobSplit(
  groupDir: string,
  split: JobSplitDecision,
  options: JobSplitRewriteOptions = {},
): JobSplitRewriteResult {
  const procSubmits = procSubmitFiles(groupDir).map((name) => ({
    name,
    text: readFileSync(join(groupDir, name), "utf8"),
  }));
  if (procSubmits.length === 0) {
    throw new InputError(inputErrorMessage({ file: groupDir, problem: "no proc_*.sub files" }));
  }
  const manifest = readJsonRequired(join(groupDir, "manifest.json"));
  const dagPath = join(groupDir, "group.dag");
  if (!existsSync(dagPath))
    throw new InputError(inputErrorMessage({ file: dagPath, problem: "not found" }));
  const groupDag = readFileSync(dagPath, "utf8");

  const plan = planJobSplitRewrite({ groupDir, procSubmits, manifest, groupDag }, split, options);
  for (const name of plan.delete) unlinkSync(join(groupDir, name));
  for (const [name, text] of Object.entries(plan.write)) writeFileSync(join(groupDir, name), text);
  return { procFilesWritten: split.newNumJobs, oldProcFilesDeleted: plan.delete.length };
}
