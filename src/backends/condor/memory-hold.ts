/**
 * Memory holds of payload jobs: a job held with HoldReasonCode 34 (resource limit
 * exceeded; subcode 102 = memory, 104 = disk) gets a larger RequestMemory and is released.
 *
 * OPT-IN ONLY. The generated POST script already raises request_memory ×1.5 when it sends
 * a node into its next retry, so running this handler as well would raise the same node
 * twice. The backend runs it only when its `memoryHolds` option is set; the decision is
 * pure (`memoryHoldAction`), the commands and the submit-file rewrite are in
 * `applyMemoryHold`, and the rewrite itself only with `rewriteSubmitFile`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DagSyntaxError } from "../../dagman/model.js";
import { writeFileAtomic } from "../../planner/write.js";
import type { CondorContext } from "./command.js";
import { condorQedit, condorRelease } from "./condor-cli.js";
import { adNumber, adString, type ClassAd } from "./condor-parse.js";
import { jobKey } from "./dag-jobs.js";
import { JOB_STATUS } from "./job-state.js";

export const MEMORY_HOLD_CODE = 34;
export const MEMORY_HOLD_SUBCODE = 102;
/** Default cap per core (MB), as the reference used. */
export const DEFAULT_MAX_MEMORY_PER_CORE_MB = 3000;
export const MEMORY_RAISE_FACTOR = 1.5;

/** Attributes the decision reads from a payload job. */
export const HOLD_ATTRS = [
  "JobStatus",
  "HoldReasonCode",
  "HoldReasonSubCode",
  "RequestMemory",
  "RequestCpus",
  "DAGNodeName",
  "Iwd",
];

export type MemoryHoldDecision =
  | { action: "none"; reason: string }
  | {
      action: "raise";
      jobId: string;
      fromMb: number;
      toMb: number;
      /** `<Iwd>/<node>.sub`, when the ad names both. */
      submitFile?: string;
    };

/**
 * Decision table:
 *   not held, or held for another code, or code 34 with a subcode other than memory → none;
 *   no literal RequestMemory → none; already at the cap → none (releasing would only hold
 *   it again); otherwise raise to min(ceil(1.5 × RequestMemory), maxPerCore × RequestCpus).
 */
export function memoryHoldAction(
  job: ClassAd,
  maxMemoryPerCoreMb = DEFAULT_MAX_MEMORY_PER_CORE_MB,
): MemoryHoldDecision {
  const id = jobKey(job) ?? "?";
  if (adNumber(job, "JobStatus") !== JOB_STATUS.held) {
    return { action: "none", reason: `${id}: not held` };
  }
  const code = adNumber(job, "HoldReasonCode");
  if (code !== MEMORY_HOLD_CODE) {
    return {
      action: "none",
      reason: `${id}: hold code ${code ?? "missing"} is not a resource limit`,
    };
  }
  const sub = adNumber(job, "HoldReasonSubCode");
  if (sub !== undefined && sub !== 0 && sub !== MEMORY_HOLD_SUBCODE) {
    return { action: "none", reason: `${id}: resource limit subcode ${sub} is not memory` };
  }
  const mem = adNumber(job, "RequestMemory");
  if (mem === undefined || mem <= 0) {
    return { action: "none", reason: `${id}: RequestMemory is not a number` };
  }
  const cap = maxMemoryPerCoreMb * Math.max(1, adNumber(job, "RequestCpus") ?? 1);
  const toMb = Math.min(Math.ceil(mem * MEMORY_RAISE_FACTOR), cap);
  if (toMb <= mem) {
    return {
      action: "none",
      reason: `${id}: RequestMemory ${mem} MB is already at the cap ${cap} MB`,
    };
  }
  const iwd = adString(job, "Iwd");
  const node = adString(job, "DAGNodeName");
  return {
    action: "raise",
    jobId: id,
    fromMb: mem,
    toMb,
    ...(iwd && node ? { submitFile: join(iwd, `${node}.sub`) } : {}),
  };
}

/** Submit-file text with `request_memory` set to `mb` (added before `queue` when absent). */
export function rewriteRequestMemory(file: string, text: string, mb: number): string {
  const lines = text.split("\n");
  const line = `request_memory = ${mb}`;
  const at = lines.findIndex((l) => /^\s*request_memory\s*=/i.test(l));
  if (at >= 0) {
    lines[at] = line;
    return lines.join("\n");
  }
  const queue = lines.findIndex((l) => /^\s*queue\b/i.test(l));
  if (queue < 0)
    throw new DagSyntaxError(file, 0, "no queue statement to put request_memory before");
  lines.splice(queue, 0, line);
  return lines.join("\n");
}

export interface ApplyMemoryHoldOptions extends CondorContext {
  /** Also rewrite `<Iwd>/<node>.sub`, so a later retry of the node asks for the new amount. */
  rewriteSubmitFile?: boolean;
}

/** Carry out a `raise`: condor_qedit RequestMemory, optionally rewrite the submit file, release. */
export async function applyMemoryHold(
  d: MemoryHoldDecision,
  opts: ApplyMemoryHoldOptions = {},
): Promise<void> {
  if (d.action !== "raise") return;
  await condorQedit(d.jobId, "RequestMemory", d.toMb, opts);
  if (opts.rewriteSubmitFile && d.submitFile) {
    const text = readFileSync(d.submitFile, "utf8");
    writeFileAtomic(d.submitFile, rewriteRequestMemory(d.submitFile, text, d.toMb));
  }
  await condorRelease(d.jobId, opts);
}
