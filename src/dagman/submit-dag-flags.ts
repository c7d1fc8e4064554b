import { InputError } from "../model/errors.js";

/**
 * The throttles condor_submit_dag takes on its command line (`-MaxIdle`, `-MaxJobs`,
 * `-MaxPre`, `-MaxPost`). Given, each overrides the DAG's CONFIG file and the pool's
 * configuration for the top-level DAGMan only: they are not passed down to sub-DAGs. Each
 * is a whole number, 0 meaning no limit.
 */
export interface DagThrottles {
  /** `-MaxIdle`: no node job is submitted while this many are idle (DAGMAN_MAX_JOBS_IDLE). */
  maxIdle?: number;
  /** `-MaxJobs`: no node job is submitted while this many are queued (DAGMAN_MAX_JOBS_SUBMITTED). */
  maxJobs?: number;
  /** `-MaxPre`: PRE scripts running at once (DAGMAN_MAX_PRE_SCRIPTS). */
  maxPre?: number;
  /** `-MaxPost`: POST scripts running at once (DAGMAN_MAX_POST_SCRIPTS). */
  maxPost?: number;
}

/** The flags as condor_submit_dag and condor_dagman spell them, in the order they are passed. */
export const THROTTLE_FLAGS: Readonly<Record<keyof DagThrottles, string>> = {
  maxIdle: "-MaxIdle",
  maxJobs: "-MaxJobs",
  maxPre: "-MaxPre",
  maxPost: "-MaxPost",
};

/** A throttle's value read from text (a command-line option): a whole number >= 0. */
export function throttleValue(flag: string, text: string): number {
  const v = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(v)) {
    throw new InputError(`${flag}: expected a whole number >= 0 (0: no limit), got "${text}"`);
  }
  return v;
}

/**
 * The throttles as command-line arguments (`-MaxIdle 50 ...`), in the order of
 * THROTTLE_FLAGS; `command` names who refuses a value that is not a whole number >= 0.
 */
export function throttleArgs(t: DagThrottles, command: string): string[] {
  const args: string[] = [];
  for (const key of Object.keys(THROTTLE_FLAGS) as (keyof DagThrottles)[]) {
    const v = t[key];
    if (v === undefined) continue;
    const flag = THROTTLE_FLAGS[key];
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new InputError(`${command}: ${flag} must be a whole number >= 0, got ${v}`);
    }
    args.push(flag, String(v));
  }
  return args;
}
