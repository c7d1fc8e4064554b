/**
 * The POST scripts of processing/merge nodes and of work-unit SUBDAG nodes (formats.md
 * §4.2) as script models, on the pure protocol of src/artifacts (classifyFailure,
 * buildPostRecord, postExitCode, wuPostDecision):
 *
 * - `post_script.sh $JOB $RETURN $RETRY $MAX_RETRIES [group_dir]` writes `<node>.post.json`
 *   and exits 0 / 1 / 42 / 43; a memory failure raises `request_memory` ×3/2 in
 *   `<node>.sub`; it sleeps 60·2^RETRY s (≤ 600) after a transient failure, 60 s after a
 *   memory one.
 * - `wu_post.sh $JOB $RETURN <group_dir>` decides over the group's `proc_*.post.json`; before
 *   a retry it deletes the inner rescue DAGs, elected-site files and POST records, and
 *   bans a dominant failing site from the landing job.
 */
import {
  classifyFailure,
  postExitCode,
  wuPostDecision,
} from "../../src/artifacts/post-classify.js";
import { buildPostRecord } from "../../src/artifacts/post-record.js";
import { type SubmitModel, submitDelete, submitGet, submitSet } from "../../src/dagman/model.js";
import { InputError, inputErrorMessage } from "../../src/model/errors.js";
import { POST_RECORD_FILE, SUBMIT_FILE } from "../file-codecs.js";
import {
  childPath,
  readFileValueIfFile,
  readTextIfFileIn,
  writeFileValue,
  writeFileValueIn,
} from "../fs.js";
import { type PostRecordView, readPostViewIn } from "./artifact-files.js";
import { resolveIn } from "./job-io.js";
import { readSiteFile, SCRIPT_BASE_SEC } from "./scripts.js";
import type { ScriptContext, ScriptResult } from "./types.js";

const PROC_POST = /^proc_.*\.post\.json$/;
const PROC_SUB = /^proc_.*\.sub$/;
const INTEGER = /^-?\d+$/;
/** No records to look at (a success is not judged by them). */
const NO_RECORDS: readonly PostRecordView[] = [];

function intArg(ctx: ScriptContext, i: number, what: string): number | undefined {
  const raw = ctx.args[i];
  if (raw === undefined) return undefined;
  if (!INTEGER.test(raw)) {
    const problem = `${ctx.kind} script argument ${what} must be an integer, got "${raw}"`;
    throw new InputError(inputErrorMessage({ file: ctx.dagFile, entry: ctx.node, problem }));
  }
  return Number(raw);
}

function groupDirOf(ctx: ScriptContext, i: number): string {
  return ctx.args[i] ? resolveIn(ctx.iwd, ctx.args[i]) : ctx.iwd;
}

function procPostRecords(ctx: ScriptContext, dir: string): PostRecordView[] {
  return ctx.fs
    .list(dir)
    .filter((n) => PROC_POST.test(n))
    .map((n) => readPostViewIn(ctx.fs, childPath(dir, n)));
}

function readSubmitIn(ctx: ScriptContext, file: string): SubmitModel | undefined {
  return readFileValueIfFile(ctx.fs, file, SUBMIT_FILE);
}

/** post_script.sh: the POST collector and the node's exit protocol. */
export function postScript(ctx: ScriptContext): ScriptResult {
  const node = ctx.args[0] ?? ctx.node;
  const jobReturn = intArg(ctx, 1, "$RETURN") ?? ctx.jobReturn ?? 0;
  const retry = intArg(ctx, 2, "$RETRY") ?? ctx.attempt;
  const maxRetries = intArg(ctx, 3, "$MAX_RETRIES") ?? ctx.maxRetries;
  const dir = groupDirOf(ctx, 4);
  const stderr = readTextIfFileIn(ctx.fs, dir, `${node}.err`) ?? "";
  const job = ctx.job ?? {};
  const classification = classifyFailure({
    jobExitCode: jobReturn,
    logTail: stderr,
    periodicRemoveReason: job.periodicRemoveReason ?? null,
    holdReasonCode: ctx.holdReasonCode ?? null,
    holdReasonSubCode: ctx.holdReasonSubCode ?? null,
  });
  const record = buildPostRecord({
    nodeName: node,
    timestamp: new Date(ctx.now * 1000),
    attempt: retry,
    maxRetries,
    job: {
      exit_code: jobReturn,
      hold_reason: job.holdReason ?? null,
      wall_time_sec: job.wallTimeSec ?? 0,
      cpu_time_sec: job.cpuTimeSec ?? 0,
      memory_mb: job.memoryMb ?? 0,
      site: ctx.matchedSite ?? readSiteFile(ctx, dir, "elected_site") ?? "unknown",
      periodic_remove_reason: job.periodicRemoveReason ?? null,
    },
    classification,
    stderr,
  });
  writeFileValueIn(ctx.fs, dir, `${node}.post.json`, POST_RECORD_FILE, record);

  // A job that exited 0 makes the POST exit 0 whatever the rest says, so the submit file
  // and the work unit's records (one per finished proc node: reading them all for every
  // node is quadratic) are read only after a failure.
  const success = jobReturn === 0;
  const subFile = success ? undefined : childPath(dir, `${node}.sub`);
  const submit = subFile === undefined ? undefined : readSubmitIn(ctx, subFile);
  const requestMemory = Number(submit ? submitGet(submit, "request_memory") : undefined);
  const decision = postExitCode({
    jobExitCode: jobReturn,
    retry,
    category: classification.category,
    requestMemoryMb: Number.isFinite(requestMemory) ? requestMemory : undefined,
    procRecords: success ? NO_RECORDS : procPostRecords(ctx, dir),
    numProcJobs: success ? 0 : ctx.fs.list(dir).filter((n) => PROC_SUB.test(n)).length,
  });
  if (subFile && submit && decision.bumpMemoryTo !== undefined) {
    const bumped = submitSet(submit, "request_memory", String(decision.bumpMemoryTo));
    writeFileValue(ctx.fs, subFile, SUBMIT_FILE, bumped);
  }
  return { exitCode: decision.exitCode, durationSec: SCRIPT_BASE_SEC + decision.sleepSec };
}

/**
 * The landing job after a site ban: `TARGET.GLIDEIN_CMSSite =!= "<site>"` and-ed to its
 * Requirements (or alone when they are empty), the site dropped from `+DESIRED_Sites`
 * (the command removed when no site is left).
 */
export function banSiteInLanding(model: SubmitModel, site: string): SubmitModel {
  const term = `TARGET.GLIDEIN_CMSSite =!= "${site}"`;
  const current = (submitGet(model, "Requirements") ?? "").trim();
  let out = model;
  if (!current.includes(term)) {
    out = submitSet(out, "Requirements", current === "" ? term : `(${current}) && ${term}`);
  }
  const desired = submitGet(out, "+DESIRED_Sites");
  if (desired !== undefined) {
    const sites = desired
      .replace(/^"|"$/g, "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "" && s !== site);
    out =
      sites.length > 0
        ? submitSet(out, "+DESIRED_Sites", `"${sites.join(",")}"`)
        : submitDelete(out, "+DESIRED_Sites");
  }
  return out;
}

function isRetryLeftover(name: string): boolean {
  return (
    name.startsWith("group.dag.rescue") ||
    name === "elected_site" ||
    name.endsWith("_elected_site") ||
    name.endsWith(".post.json")
  );
}

/** wu_post.sh: the work-unit POST decision and its clean-up before a retry. */
export function wuPost(ctx: ScriptContext): ScriptResult {
  const jobReturn = intArg(ctx, 1, "$RETURN") ?? ctx.jobReturn ?? 0;
  const dir = groupDirOf(ctx, 2);
  // A work unit that succeeded is not judged by its records: they are read after a failure.
  const decision = wuPostDecision(
    jobReturn,
    jobReturn === 0 ? NO_RECORDS : procPostRecords(ctx, dir),
  );
  if (decision.excludeSite) {
    const landing = childPath(dir, "landing.sub");
    const model = readSubmitIn(ctx, landing);
    if (model)
      writeFileValue(ctx.fs, landing, SUBMIT_FILE, banSiteInLanding(model, decision.excludeSite));
  }
  if (decision.cleanup) {
    for (const name of ctx.fs.list(dir)) {
      if (isRetryLeftover(name)) ctx.fs.remove(childPath(dir, name));
    }
  }
  return { exitCode: decision.exitCode, durationSec: SCRIPT_BASE_SEC };
}
