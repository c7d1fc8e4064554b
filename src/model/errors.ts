/**
 * An error caused by bad input (a catalog entry, a profile, a DAG or submit file, a
 * results database, a command-line argument). The CLI prints its message as one line
 * and exits non-zero; it never shows a stack trace for these.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** Format "file: entry E: field F: problem" leaving out the parts that are unknown. */
export function inputErrorMessage(parts: {
  file?: string;
  entry?: string;
  field?: string;
  line?: number;
  problem: string;
}): string {
  const where: string[] = [];
  if (parts.file) where.push(parts.line !== undefined ? `${parts.file}:${parts.line}` : parts.file);
  if (parts.entry) where.push(`entry ${parts.entry}`);
  if (parts.field) where.push(`field ${parts.field}`);
  return where.length > 0 ? `${where.join(": ")}: ${parts.problem}` : parts.problem;
}

/** A validation path as an error names the field: `request.steps[2].profile`. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}
