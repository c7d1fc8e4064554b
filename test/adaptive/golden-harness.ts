/**
 * Harness for the recorded adaptive cases (fixtures/adaptive-golden/README.md): key
 * conversion, numeric comparison with the README's tolerance, and the temporary file
 * tree of the file-system cases.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

export interface GoldenCase {
  id: string;
  function: string;
  inputs: Record<string, unknown>;
  expected_output: unknown;
  expected_error?: { type: string; message: string };
}

export type FileSpec = Record<string, { json?: unknown; text?: string }>;

/** snake_case → camelCase for identifier keys; numeric keys are unchanged. */
export function camelKey(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** Converts every key of a JSON value to camelCase (for shapes whose keys are identifiers). */
export function camelize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelize);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [camelKey(k), camelize(v)]));
  }
  return value;
}

/** Mismatches between `actual` and `expected` (numbers within |a−b| ≤ 1e-9·max(1,|a|,|b|)). */
export function differences(actual: unknown, expected: unknown, path = "$"): string[] {
  if (typeof expected === "number" && typeof actual === "number") {
    const tol = 1e-9 * Math.max(1, Math.abs(actual), Math.abs(expected));
    return Math.abs(actual - expected) <= tol ? [] : [`${path}: ${actual} != ${expected}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected a list, got ${JSON.stringify(actual)}`];
    if (actual.length !== expected.length) {
      return [`${path}: length ${actual.length} != ${expected.length} (${JSON.stringify(actual)})`];
    }
    return expected.flatMap((e, i) => differences(actual[i], e, `${path}[${i}]`));
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
    }
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const out: string[] = [];
    for (const k of Object.keys(a)) if (!(k in e)) out.push(`${path}.${k}: unexpected key`);
    for (const k of Object.keys(e)) {
      if (!(k in a)) out.push(`${path}.${k}: missing`);
      else out.push(...differences(a[k], e[k], `${path}.${k}`));
    }
    return out;
  }
  return actual === expected
    ? []
    : [`${path}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`];
}

/** Replaces `from` by `to` in every string of a JSON value. */
export function replaceInStrings(value: unknown, from: string, to: string): unknown {
  if (typeof value === "string") return value.split(from).join(to);
  if (Array.isArray(value)) return value.map((v) => replaceInStrings(v, from, to));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, replaceInStrings(v, from, to)]),
    );
  }
  return value;
}

/** A fresh temporary root (symlinks resolved) holding `files`, with `{ROOT}` substituted. */
export function makeTree(files: FileSpec): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "adaptive-golden-")));
  for (const [rel, spec] of Object.entries(files)) {
    const path = join(root, rel);
    mkdirSync(dirname(path), { recursive: true });
    const content =
      spec.text !== undefined
        ? spec.text.split("{ROOT}").join(root)
        : JSON.stringify(replaceInStrings(spec.json, "{ROOT}", root), null, 2);
    writeFileSync(path, content);
  }
  return root;
}

export function removeTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** Every file below `root`: relative path → text with the root replaced by `{ROOT}`. */
export function readTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(root, path)] = readFileSync(path, "utf8").split(root).join("{ROOT}");
    }
  };
  walk(root);
  return out;
}

/** Mismatches of a file tree: same paths; `.json` parsed and compared, others byte-exact. */
export function treeDifferences(
  actual: Record<string, string>,
  expected: Record<string, string>,
): string[] {
  const out: string[] = [];
  for (const p of Object.keys(actual)) if (!(p in expected)) out.push(`${p}: unexpected file`);
  for (const [p, text] of Object.entries(expected)) {
    if (!(p in actual)) out.push(`${p}: missing`);
    else if (p.endsWith(".json"))
      out.push(...differences(JSON.parse(actual[p]), JSON.parse(text), p));
    else if (actual[p] !== text) out.push(`${p}: text differs`);
  }
  return out;
}
