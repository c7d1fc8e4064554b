import type { Command } from "commander";
import { type DagThrottles, THROTTLE_FLAGS, throttleValue } from "../dagman/submit-dag-flags.js";

/** condor_submit_dag's throttles as typed on the command line (`--maxidle N` ...). */
export interface ThrottleTexts {
  maxidle?: string;
  maxjobs?: string;
  maxpre?: string;
  maxpost?: string;
}

const OPTIONS: [keyof ThrottleTexts, keyof DagThrottles, string][] = [
  ["maxidle", "maxIdle", "idle node jobs"],
  ["maxjobs", "maxJobs", "queued node jobs"],
  ["maxpre", "maxPre", "PRE scripts at once"],
  ["maxpost", "maxPost", "POST scripts at once"],
];

/** Register `--maxidle`, `--maxjobs`, `--maxpre` and `--maxpost` on a command. */
export function addThrottleOptions(cmd: Command): Command {
  for (const [option, key, what] of OPTIONS) {
    cmd.option(
      `--${option} <N>`,
      `condor_submit_dag ${THROTTLE_FLAGS[key]}: the top DAG's ${what} (0: no limit)`,
    );
  }
  return cmd;
}

/** The throttles given, each a whole number >= 0 (else one error naming the option). */
export function throttlesOf(given: ThrottleTexts): DagThrottles {
  const t: DagThrottles = {};
  for (const [option, key] of OPTIONS) {
    const text = given[option];
    if (text !== undefined) t[key] = throttleValue(`--${option}`, text);
  }
  return t;
}

/** The texts of `given`, those not given taken from `fallback` (the root command's). */
export function throttleTexts(given: ThrottleTexts, fallback: ThrottleTexts): ThrottleTexts {
  const t: ThrottleTexts = {};
  for (const [option] of OPTIONS) t[option] = given[option] ?? fallback[option];
  return t;
}
