import { DagSyntaxError, type SubmitModel, submitValues } from "./model.js";
import { ArgumentsError, parseArguments } from "./submit-args.js";

/** Universes condor_submit knows (any other value is rejected at submit time). */
export const UNIVERSES = new Set([
  "vanilla",
  "scheduler",
  "local",
  "grid",
  "java",
  "vm",
  "parallel",
  "docker",
  "container",
  "standard",
]);

/**
 * Check what condor_submit would refuse before a job is queued: no `executable`, an
 * unknown `universe`, or an `arguments` value it cannot split (such as JSON with bare
 * double quotes). Throws a one-line DagSyntaxError naming the file. Returns the argv of
 * `arguments`: of `expandedArguments` when given (the value after DAGMan's VARS macros,
 * which is what condor_submit splits), else of the value as written.
 */
export function validateSubmit(
  model: SubmitModel,
  file: string,
  expandedArguments?: string,
): string[] {
  const fail = (detail: string): never => {
    throw new DagSyntaxError(file, 0, detail);
  };
  const values = submitValues(model);
  const exe = values.get("executable");
  if (exe === undefined || exe === "") fail("no executable command");
  const universe = values.get("universe");
  if (universe !== undefined && !UNIVERSES.has(universe.toLowerCase())) {
    fail(`unknown universe "${universe}"`);
  }
  const split = (key: string, value: string): string[] => {
    try {
      return parseArguments(value);
    } catch (e) {
      if (e instanceof ArgumentsError) fail(`${key}: ${e.message}`);
      throw e;
    }
  };
  const args = values.get("args");
  if (args !== undefined) split("args", args);
  const written = values.get("arguments");
  const value = expandedArguments ?? written;
  return value === undefined ? [] : split("arguments", value);
}
