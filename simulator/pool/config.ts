import { readFileSync } from "node:fs";
import { parseDocument } from "yaml";
import { z } from "zod";
import { InputError, inputErrorMessage } from "../../src/model/errors.js";
import type { PoolConfig } from "./types.js";

/**
 * Default negotiation interval. The reference's HTCondor configuration for its test pool
 * (`condor/config`, seed-log.md "Dev Infrastructure Files") set "fast negotiation
 * intervals (10s) for testing"; HTCondor's own default NEGOTIATOR_INTERVAL is 60 s.
 */
export const DEFAULT_NEGOTIATION_INTERVAL_SEC = 10;

/** HTCondor's default SHADOW_QUEUE_UPDATE_INTERVAL: a running job reports every 15 minutes. */
export const DEFAULT_SHADOW_UPDATE_INTERVAL_SEC = 900;

/** Default first cluster id of a simulated schedd. */
export const DEFAULT_FIRST_CLUSTER_ID = 1000;

/**
 * The pool used when no `--pool FILE` is given: one site, 32 machines of 16 cores,
 * 64000 MB and 500 GB disk each, so every catalog workflow fits, including 16-core and
 * 32 GB jobs. `default-pool.yaml` beside this file holds the same description.
 */
export const DEFAULT_POOL: PoolConfig = {
  negotiationIntervalSec: DEFAULT_NEGOTIATION_INTERVAL_SEC,
  shadowUpdateIntervalSec: DEFAULT_SHADOW_UPDATE_INTERVAL_SEC,
  firstClusterId: DEFAULT_FIRST_CLUSTER_ID,
  machines: [
    { name: "wn", count: 32, cores: 16, memoryMb: 64000, diskKb: 500_000_000, site: "T2_CH_CERN" },
  ],
};

const MachineSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "must be letters, digits, '_', '.' or '-'"),
  count: z.number().int().min(1).default(1),
  cores: z.number().int().min(1),
  memoryMb: z.number().int().min(1),
  diskKb: z.number().int().min(1),
  site: z.string().min(1),
});

const PoolSchema = z.strictObject({
  negotiationIntervalSec: z.number().positive().default(DEFAULT_NEGOTIATION_INTERVAL_SEC),
  shadowUpdateIntervalSec: z.number().positive().default(DEFAULT_SHADOW_UPDATE_INTERVAL_SEC),
  firstClusterId: z.number().int().min(1).default(DEFAULT_FIRST_CLUSTER_ID),
  machines: z.array(MachineSchema).min(1),
});

/** Parses and validates a pool description; errors are one-line InputErrors naming `file`. */
export function parsePoolYaml(text: string, file: string): PoolConfig {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const problem = e.message.split("\n")[0];
    throw new InputError(inputErrorMessage({ file, line: e.linePos?.[0].line, problem }));
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new InputError(
      inputErrorMessage({ file, problem: "a pool description must be a mapping" }),
    );
  }
  const parsed = PoolSchema.safeParse(data);
  if (!parsed.success) {
    // A misspelt key also makes the real one missing: report the unknown key first.
    const issues = parsed.error.issues;
    const issue = issues.find((i) => i.code === "unrecognized_keys") ?? issues[0];
    const { field, problem } = describeIssue(issue, data);
    throw new InputError(inputErrorMessage({ file, field, problem }));
  }
  const config: PoolConfig = parsed.data;
  const seen = new Set<string>();
  config.machines.forEach((m, i) => {
    if (seen.has(m.name)) {
      throw new InputError(
        inputErrorMessage({
          file,
          field: `machines[${i}].name`,
          problem: `duplicate name "${m.name}"`,
        }),
      );
    }
    seen.add(m.name);
  });
  return config;
}

/** Reads and validates a pool description file (`--pool FILE`). */
export function loadPoolFile(path: string): PoolConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "unreadable";
    throw new InputError(
      inputErrorMessage({ file: path, problem: `cannot read pool description (${code})` }),
    );
  }
  return parsePoolYaml(text, path);
}

function describeIssue(
  issue: z.core.$ZodIssue,
  data: unknown,
): { field?: string; problem: string } {
  const path = [...issue.path];
  if (issue.code === "unrecognized_keys") {
    return { field: fieldPath([...path, issue.keys[0]]), problem: "unknown field" };
  }
  const field = path.length > 0 ? fieldPath(path) : undefined;
  const value = valueAt(data, path);
  if (issue.code === "invalid_type") {
    if (value === undefined) return { field, problem: "missing (required)" };
    const expected = issue.expected === "int" ? "an integer" : `a ${issue.expected}`;
    return { field, problem: `expected ${expected}, got ${JSON.stringify(value)}` };
  }
  if (issue.code === "too_small") {
    const what = issue.origin === "array" ? "entries" : "";
    return { field, problem: `must be at least ${String(issue.minimum)}${what ? ` ${what}` : ""}` };
  }
  return { field, problem: issue.message };
}

function fieldPath(path: PropertyKey[]): string {
  let s = "";
  for (const p of path) s += typeof p === "number" ? `[${p}]` : s ? `.${String(p)}` : String(p);
  return s;
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  let v: unknown = data;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}
