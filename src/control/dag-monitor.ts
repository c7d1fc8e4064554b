import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  type DagmanZone,
  type NodeStatusSummary,
  parseDagMetrics,
  parseDagmanOut,
  parseNodeStatus,
  summarizeNodeStatus,
} from "../dagman/index.js";

/**
 * The DAG monitor's view of a submit directory, read from the files DAGMan writes
 * (node status files, .metrics, .dagman.out, rescue DAGs). The same code watches a
 * simulated DAG and one on a live pool.
 */
export interface WorkUnitState {
  name: string;
  /** Outer node status code (5 done, 6 error, 3 submitted, ...), undefined before the first write. */
  status?: number;
  inner?: NodeStatusSummary;
}

export interface DagProgress {
  outer?: NodeStatusSummary;
  /** Sum over the work units' inner status files. */
  inner: NodeStatusSummary;
  workUnits: WorkUnitState[];
}

const EMPTY: NodeStatusSummary = {
  total: 0,
  done: 0,
  failed: 0,
  futile: 0,
  held: 0,
  running: 0,
  idle: 0,
};

function readStatus(file: string) {
  if (!existsSync(file)) return undefined;
  try {
    return parseNodeStatus(readFileSync(file, "utf8"), file);
  } catch {
    // A status file being rewritten by a live DAGMan can be read half-way; try next poll.
    return undefined;
  }
}

export function readDagProgress(submitDir: string, outerDag = "workflow.dag"): DagProgress {
  const outer = readStatus(join(submitDir, `${outerDag}.status`));
  const byNode = new Map(outer?.nodes.map((n) => [n.node, n.nodeStatus]) ?? []);
  const inner = { ...EMPTY };
  const workUnits: WorkUnitState[] = [];
  for (const name of listWorkUnitDirs(submitDir)) {
    const st = readStatus(join(submitDir, name, "group.dag.status"));
    const sum = st ? summarizeNodeStatus(st) : undefined;
    if (sum) for (const k of Object.keys(inner) as (keyof NodeStatusSummary)[]) inner[k] += sum[k];
    workUnits.push({ name, status: byNode.get(name), inner: sum });
  }
  return { outer: outer ? summarizeNodeStatus(outer) : undefined, inner, workUnits };
}

export function listWorkUnitDirs(submitDir: string): string[] {
  if (!existsSync(submitDir)) return [];
  return readdirSync(submitDir)
    .filter((n) => /^mg_\d{6}$/.test(n) && statSync(join(submitDir, n)).isDirectory())
    .sort();
}

/** Every rescue DAG below a directory (workflow.dag.rescueNNN, group.dag.rescueNNN). */
export function findRescueDags(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/^(workflow|group)\.dag\.rescue\d{3}$/.test(name)) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

export interface DagOutcome {
  exitCode: number;
  /** DAG_Status from the metrics file (0 ok, 2 node failed, 3 aborted, 4 removed), when known. */
  dagStatus?: number;
  endTime?: number;
  startTime?: number;
}

/**
 * How DAGMan ended: the `.metrics` file (written at exit) first, else the final
 * `EXITING WITH STATUS` line of `.dagman.out` (its time read in `zone`); undefined while it
 * still runs.
 */
export function readDagOutcome(dagFile: string, zone: DagmanZone = "utc"): DagOutcome | undefined {
  const metrics = `${dagFile}.metrics`;
  if (existsSync(metrics)) {
    try {
      const m = parseDagMetrics(readFileSync(metrics, "utf8"), metrics);
      return {
        exitCode: m.exitcode,
        dagStatus: m.dagStatus,
        endTime: m.endTime,
        startTime: m.startTime,
      };
    } catch {
      // fall through to dagman.out
    }
  }
  const out = `${dagFile}.dagman.out`;
  if (!existsSync(out)) return undefined;
  const exit = parseDagmanOut(readFileSync(out, "utf8"), zone).exit;
  return exit ? { exitCode: exit.status, endTime: exit.time } : undefined;
}
