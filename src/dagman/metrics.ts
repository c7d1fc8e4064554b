import { InputError, inputErrorMessage } from "../model/errors.js";

/**
 * DAGMan's `.metrics` file (formats.md §6.9): JSON written once when DAGMan exits.
 * Version 1 counts nodes under `jobs*` names (`jobs*` = plain nodes, `dag_jobs*` =
 * SUBDAG nodes); version 2 (default since HTCondor 24.2.1) uses `nodes*` names.
 */
export interface DagMetrics {
  client: string;
  version: string;
  planner?: string;
  plannerVersion?: string;
  type: string;
  wfUuid?: string;
  rootWfUuid?: string;
  /** Epoch seconds (written with 3 decimals). */
  startTime: number;
  endTime: number;
  duration: number;
  /** DAGMan's exit code: 0 success. */
  exitcode: number;
  dagmanId: string;
  /** Set for inner DAGMans (the outer DAGMan's cluster id), else "". */
  parentDagmanId: string;
  rescueDagNumber: number;
  jobs: number;
  jobsFailed: number;
  jobsSucceeded: number;
  dagJobs: number;
  dagJobsFailed: number;
  dagJobsSucceeded: number;
  totalJobs: number;
  totalJobsRun: number;
  /** DAG_Status: 0 ok, 1 error, 2 node failed, 3 aborted, 4 removed, 5 cycle, 6 halted. */
  dagStatus: number;
}

type Kind = "string" | "optstring" | "int" | "time";

/** Field, its kind, then its v1 and v2 key names. */
const FIELDS: Array<[keyof DagMetrics, Kind, string, string]> = [
  ["client", "string", "client", "client"],
  ["version", "string", "version", "version"],
  ["planner", "optstring", "planner", "planner"],
  ["plannerVersion", "optstring", "planner_version", "planner_version"],
  ["type", "string", "type", "type"],
  ["wfUuid", "optstring", "wf_uuid", "wf_uuid"],
  ["rootWfUuid", "optstring", "root_wf_uuid", "root_wf_uuid"],
  ["startTime", "time", "start_time", "start_time"],
  ["endTime", "time", "end_time", "end_time"],
  ["duration", "time", "duration", "duration"],
  ["exitcode", "int", "exitcode", "exitcode"],
  ["dagmanId", "string", "dagman_id", "dagman_id"],
  ["parentDagmanId", "string", "parent_dagman_id", "parent_dagman_id"],
  ["rescueDagNumber", "int", "rescue_dag_number", "rescue_dag_number"],
  ["jobs", "int", "jobs", "nodes"],
  ["jobsFailed", "int", "jobs_failed", "nodes_failed"],
  ["jobsSucceeded", "int", "jobs_succeeded", "nodes_succeeded"],
  ["dagJobs", "int", "dag_jobs", "dag_nodes"],
  ["dagJobsFailed", "int", "dag_jobs_failed", "dag_nodes_failed"],
  ["dagJobsSucceeded", "int", "dag_jobs_succeeded", "dag_nodes_succeeded"],
  ["totalJobs", "int", "total_jobs", "total_nodes"],
  ["totalJobsRun", "int", "total_jobs_run", "total_nodes_run"],
  ["dagStatus", "int", "DagStatus", "DagStatus"],
];

/** Extra spellings accepted when reading (the manual calls DagStatus `dag_status`). */
const ALIASES: Record<string, string[]> = { dagStatus: ["dag_status"] };

/** Write a `.metrics` file laid out as DAGMan writes it (4-space indent, `"key":value`). */
export function formatDagMetrics(m: DagMetrics, fileVersion: 1 | 2 = 1): string {
  const lines = FIELDS.map(([field, kind, v1, v2]) => {
    const value = m[field];
    let text: string;
    if (kind === "string" || kind === "optstring") text = JSON.stringify(value ?? "");
    else if (kind === "time") text = (value as number).toFixed(3);
    else {
      if (!Number.isSafeInteger(value))
        throw new Error(`formatDagMetrics: ${field} must be an integer`);
      text = String(value);
    }
    return `    "${fileVersion === 1 ? v1 : v2}":${text}`;
  });
  return `{\n${lines.join(",\n")}\n}\n`;
}

/**
 * Read a `.metrics` file of either version. Numbers must be numbers and ids strings
 * (a numeric `dagman_id` is accepted); a missing key throws a one-line InputError.
 * Empty optional strings (planner, wf_uuid, ...) are left out of the result.
 */
export function parseDagMetrics(text: string, file: string): DagMetrics {
  const fail = (problem: string, field?: string): never => {
    throw new InputError(inputErrorMessage({ file, field, problem }));
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(`not valid JSON (${(e as Error).message.split("\n")[0]})`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return fail("not a JSON object");
  const obj = json as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [field, kind, v1, v2] of FIELDS) {
    const key = [v1, v2, ...(ALIASES[field] ?? [])].find((k) => k in obj);
    if (key === undefined) {
      if (kind === "optstring") continue;
      return fail(v1 === v2 ? "missing" : `missing (neither "${v1}" nor "${v2}")`, v1);
    }
    const value = obj[key];
    if (kind === "string" || kind === "optstring") {
      if (typeof value === "number" && key.endsWith("dagman_id")) out[field] = String(value);
      else if (typeof value === "string") out[field] = value;
      else fail("must be a string", key);
      if (kind === "optstring" && out[field] === "") delete out[field];
    } else {
      if (typeof value !== "number" || !Number.isFinite(value)) fail("must be a number", key);
      if (kind === "int" && !Number.isInteger(value)) fail("must be an integer", key);
      out[field] = value;
    }
  }
  return out as unknown as DagMetrics;
}
