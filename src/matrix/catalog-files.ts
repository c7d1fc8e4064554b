/**
 * File-level functions shared by the catalog, profile and set loaders: listing and
 * parsing YAML files, deep-merging derived entries, and turning a schema issue into
 * the one-line message of an InputError.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { formatFieldPath, InputError } from "../model/errors.js";

/** `file[:line]: label: field F: problem`, leaving out the parts that are unknown. */
export function located(
  file: string,
  label: string | undefined,
  field: string | undefined,
  problem: string,
  line?: number,
): string {
  const parts = [line !== undefined ? `${file}:${line}` : file];
  if (label) parts.push(label);
  if (field) parts.push(`field ${field}`);
  parts.push(problem);
  return parts.join(": ");
}

/** An InputError whose message is `located(...)`. */
export function inputError(
  file: string,
  label: string | undefined,
  field: string | undefined,
  problem: string,
  line?: number,
): InputError {
  return new InputError(located(file, label, field, problem, line));
}

/** Sorted names of the `.yaml`/`.yml` files directly inside `dir` (sub-folders are ignored). */
export function listYamlFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new InputError(
      `${dir}: cannot read folder (${(err as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  return names
    .filter((n) => /\.ya?ml$/.test(n) && statSync(join(dir, n)).isFile())
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Parse one YAML file; syntax errors become `file:line: invalid YAML: reason`. */
export function readYaml(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new InputError(
      `${path}: cannot read file (${(err as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  const doc = parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: true });
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0]?.line;
    const reason = err.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw inputError(path, undefined, undefined, `invalid YAML: ${reason}`, line);
  }
  return doc.toJS({ maxAliasCount: 1000 });
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Overlay `over` on `base`: mappings merge key by key (recursively), lists and scalars
 * replace, and an explicit `null` removes the inherited key.
 */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isMapping(base) || !isMapping(over)) return structuredClone(over);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = k in out ? deepMerge(out[k], v) : structuredClone(v);
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

/** Short rendering of an offending value for an error message. */
export function showValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v);
  if (Array.isArray(v)) return "a list";
  if (isMapping(v)) return "a mapping";
  return String(v);
}

/** The first (most useful) issue of a failed parse as `{field, problem}`. */
export function describeIssue(
  error: z.ZodError,
  raw: unknown,
): { field?: string; problem: string } {
  const issues = [...error.issues].sort(
    (a, b) => Number(b.code === "unrecognized_keys") - Number(a.code === "unrecognized_keys"),
  );
  const issue = issues[0];
  if (issue.code === "unrecognized_keys") {
    const field = formatFieldPath([...issue.path, issue.keys[0]]);
    return { field, problem: "unknown field" };
  }
  if (issue.path.length === 0) return { problem: issue.message };
  const field = formatFieldPath(issue.path);
  const value = valueAt(raw, issue.path);
  if (value === undefined && issue.code === "invalid_type") {
    return { field, problem: `missing required field (${issue.message})` };
  }
  return { field, problem: `${issue.message}, got ${showValue(value)}` };
}

/** Validate `raw` against `schema` or throw the one-line InputError for `file`/`label`. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  file: string,
  label: string | undefined,
): z.output<S> {
  const res = schema.safeParse(raw);
  if (res.success) return res.data;
  const { field, problem } = describeIssue(res.error, raw);
  throw inputError(file, label, field, problem);
}
