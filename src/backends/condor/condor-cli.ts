/**
 * The HTCondor commands the backend uses, each a thin wrapper: build the argument array,
 * run it through the context's runner with a time limit, parse the output. Failures are
 * `CommandError`s / `CondorOutputError`s with one line naming the command.
 */
import { rmSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { type DagThrottles, throttleArgs } from "../../dagman/submit-dag-flags.js";
import { InputError } from "../../model/errors.js";
import type { DagHandle } from "../types.js";
import { type CondorContext, runChecked } from "./command.js";
import {
  type ClassAd,
  CondorOutputError,
  parseJsonAds,
  parseStatusTotals,
  parseSubmittedCluster,
  type StatusTotals,
} from "./condor-parse.js";

/** Also the throttles `-MaxIdle`, `-MaxJobs`, `-MaxPre`, `-MaxPost`. */
export interface SubmitDagOptions extends CondorContext, DagThrottles {
  /** `-batch-name`: the name condor_q groups the DAG's jobs under. */
  batchName?: string;
  /** `-config`: a DAGMan configuration file. */
  config?: string;
}

/** Files a previous submission of `dagFile` leaves that would block or confuse a new one. */
export function staleDagFiles(dagFile: string): string[] {
  return [`${dagFile}.condor.sub`, `${dagFile}.lock`];
}

/** The `condor_submit_dag` arguments (run in the DAG's folder). `-force` is never used. */
export function submitDagArgs(dagFile: string, opts: SubmitDagOptions = {}): string[] {
  const args: string[] = [];
  if (opts.batchName) args.push("-batch-name", opts.batchName);
  if (opts.config) args.push("-config", opts.config);
  args.push(...throttleArgs(opts, "condor_submit_dag"));
  args.push(basename(dagFile));
  return args;
}

/**
 * Submit a DAG. Never with `-force`: a rescue DAG written by an earlier run is then picked
 * up, so finished nodes are not run again. The stale `<dag>.condor.sub` and `<dag>.lock`
 * of an earlier submission are deleted first (condor_submit_dag refuses to overwrite the
 * former). Always submit the original DAG file, never a `.rescueNNN` file.
 */
export async function condorSubmitDag(
  dagFile: string,
  opts: SubmitDagOptions = {},
): Promise<DagHandle> {
  const path = resolve(dagFile);
  if (/\.rescue\d+$/.test(path)) {
    throw new InputError(`${path}: submit the original DAG, not a rescue file`);
  }
  const args = submitDagArgs(path, opts);
  for (const f of staleDagFiles(path)) rmSync(f, { force: true });
  const r = await runChecked("condor_submit_dag", args, {
    ...opts,
    cwd: dirname(path),
  });
  const clusterId = parseSubmittedCluster(r.stdout);
  if (!clusterId) {
    throw new CondorOutputError("condor_submit_dag", "no 'job(s) submitted to cluster' line");
  }
  return { clusterId, dagFile: path };
}

function queryArgs(constraint: string, attrs: string[]): string[] {
  const args = ["-json"];
  if (attrs.length > 0) args.push("-attributes", attrs.join(","));
  args.push("-constraint", constraint);
  return args;
}

/** `condor_q -json` of the jobs matching a ClassAd constraint (only the given attributes). */
export async function condorQ(
  constraint: string,
  attrs: string[],
  ctx: CondorContext = {},
): Promise<ClassAd[]> {
  const r = await runChecked("condor_q", queryArgs(constraint, attrs), ctx);
  return parseJsonAds("condor_q", r.stdout);
}

/** `condor_history -json -limit N`: jobs that left the queue, most recent first. */
export async function condorHistory(
  constraint: string,
  attrs: string[],
  limit: number,
  ctx: CondorContext = {},
): Promise<ClassAd[]> {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InputError(`condor_history: -limit must be a positive whole number, got ${limit}`);
  }
  const args = ["-limit", String(limit), ...queryArgs(constraint, attrs)];
  const r = await runChecked("condor_history", args, ctx);
  return parseJsonAds("condor_history", r.stdout);
}

/** A cluster ("4500") or job ("4500.0") id; anything else is refused before it reaches a command. */
export function checkJobId(command: string, id: string): string {
  if (!/^\d+(\.\d+)?$/.test(id)) {
    throw new InputError(`${command}: invalid job id "${id}" (expected CLUSTER or CLUSTER.PROC)`);
  }
  return id;
}

/** `condor_rm` of a cluster or job (for a DAGMan job this writes a rescue DAG). */
export async function condorRm(id: string, ctx: CondorContext = {}): Promise<void> {
  await runChecked("condor_rm", [checkJobId("condor_rm", id)], ctx);
}

/** A value for condor_qedit: strings become ClassAd string literals; `{expr}` is passed as is. */
export type QeditValue = number | boolean | string | { expr: string };

/** The ClassAd text of a qedit value. */
export function classAdLiteral(value: QeditValue): string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new InputError(`condor_qedit: value ${value} is not finite`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  return value.expr;
}

/** `condor_qedit ID ATTR VALUE`. */
export async function condorQedit(
  id: string,
  attr: string,
  value: QeditValue,
  ctx: CondorContext = {},
): Promise<void> {
  checkJobId("condor_qedit", id);
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(attr)) {
    throw new InputError(`condor_qedit: invalid attribute name "${attr}"`);
  }
  await runChecked("condor_qedit", [id, attr, classAdLiteral(value)], ctx);
}

/** `condor_release` of a held cluster or job. */
export async function condorRelease(id: string, ctx: CondorContext = {}): Promise<void> {
  await runChecked("condor_release", [checkJobId("condor_release", id)], ctx);
}

/** `condor_status -total`: slot counts of the pool. */
export async function condorStatusTotals(ctx: CondorContext = {}): Promise<StatusTotals> {
  const r = await runChecked("condor_status", ["-total"], ctx);
  return parseStatusTotals(r.stdout);
}

/** Names of the schedds the collector knows (`condor_status -schedd -af Name`). */
export async function condorScheddNames(ctx: CondorContext = {}): Promise<string[]> {
  const r = await runChecked("condor_status", ["-schedd", "-af", "Name"], ctx);
  return r.stdout
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}
