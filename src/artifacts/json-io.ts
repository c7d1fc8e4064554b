/**
 * JSON file I/O shared by every artifact reader and writer: one-line `InputError`s that name
 * the file and the offending field, and atomic writes (temporary file, then rename).
 */
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { z } from "zod";
import { formatFieldPath, InputError, inputErrorMessage } from "../model/errors.js";

export { formatFieldPath };

/** Read a file as text; a missing or unreadable file is an `InputError`. */
export function readTextFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    const problem = code === "ENOENT" ? "file not found" : `cannot read file (${code || err})`;
    throw new InputError(inputErrorMessage({ file, problem }));
  }
}

/**
 * Parse JSON text (the content of `file`), and validate it when a schema is given; a syntax
 * error or the first validation issue becomes a one-line `InputError` naming the file.
 */
export function parseJsonText(text: string, file: string): unknown;
export function parseJsonText<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
): z.output<S>;
export function parseJsonText(text: string, file: string, schema?: z.ZodType): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message.split("\n")[0];
    throw new InputError(inputErrorMessage({ file, problem: `invalid JSON: ${msg}` }));
  }
  return schema === undefined ? value : validateJson(value, schema, file);
}

interface IssueLike {
  code?: string;
  path: PropertyKey[];
  message: string;
  issues?: IssueLike[];
  errors?: IssueLike[][];
}

/**
 * The most specific description of an issue: a bad record key reports the key's own problem,
 * a union reports the branch that got furthest (longest path).
 */
function innermost(issue: IssueLike): { path: PropertyKey[]; message: string } {
  if (issue.code === "invalid_key" && issue.issues?.length) {
    return { path: issue.path, message: `invalid key: ${issue.issues[0].message}` };
  }
  if (issue.code === "invalid_union" && issue.errors?.length) {
    const candidates = issue.errors
      .filter((branch) => branch.length > 0)
      .map((branch) => innermost(branch[0]));
    const best = candidates.sort((a, b) => b.path.length - a.path.length)[0];
    if (best && best.path.length > 0)
      return { path: [...issue.path, ...best.path], message: best.message };
  }
  return { path: issue.path, message: issue.message };
}

/** Validate a parsed value; the first issue is reported as `file: field F: problem`. */
export function validateJson<S extends z.ZodType>(
  value: unknown,
  schema: S,
  file: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const { path, message } = innermost(result.error.issues[0]);
  const field = formatFieldPath(path);
  const problem = message.split("\n")[0];
  throw new InputError(inputErrorMessage({ file, field: field || undefined, problem }));
}

/** Read, parse and validate one JSON file. */
export function readJsonFile<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  return parseJsonText(readTextFile(file), file, schema);
}

/** Write text atomically: a temporary sibling file renamed over the target. */
export function writeTextFileAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** Write a value as indented JSON (trailing newline), atomically. */
export function writeJsonFile(file: string, value: unknown): void {
  writeTextFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
