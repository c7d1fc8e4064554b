import { DagSyntaxError, type SubmitModel, submitValues } from "./model.js";
import { ArgumentsError, checkArguments, parseArguments } from "./submit-args.js";

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
 * double quotes). Throws a one-line DagSyntaxError naming the file. The values of
 * `arguments` and `universe` checked are `expandedArguments` and `expandedUniverse` when
 * given (the values after DAGMan's VARS macros, which is what condor_submit reads), else
 * the values as written. Builds no argv
 * when it need not (see `checkArguments`): a job's argv is wanted only when it starts.
 */
export function checkSubmit(
  model: SubmitModel,
  file: string,
  expandedArguments?: string,
  expandedUniverse?: string,
): void {
  const values = submitValues(model);
  const exe = values.get("executable");
  if (exe === undefined || exe === "") throw new DagSyntaxError(file, 0, "no executable command");
  const universe = expandedUniverse ?? values.get("universe");
  if (universe !== undefined && !UNIVERSES.has(universe.toLowerCase())) {
    throw new DagSyntaxError(file, 0, `unknown universe "${universe}"`);
  }
  const args = values.get("args");
  if (args !== undefined) withFile(file, "args", checkArguments, args);
  const value = expandedArguments ?? values.get("arguments");
  if (value !== undefined) withFile(file, "arguments", checkArguments, value);
}

/** `checkSubmit`, then the argv of the `arguments` checked. */
export function validateSubmit(
  model: SubmitModel,
  file: string,
  expandedArguments?: string,
): string[] {
  checkSubmit(model, file, expandedArguments);
  const value = expandedArguments ?? submitValues(model).get("arguments");
  return value === undefined ? [] : withFile(file, "arguments", parseArguments, value);
}

/** `read(value)`, an ArgumentsError turned into a DagSyntaxError naming file and key. */
function withFile<T>(file: string, key: string, read: (value: string) => T, value: string): T {
  try {
    return read(value);
  } catch (e) {
    if (e instanceof ArgumentsError) throw new DagSyntaxError(file, 0, `${key}: ${e.message}`);
    throw e;
  }
}
