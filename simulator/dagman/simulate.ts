import { dirname, resolve } from "node:path";
import type { DagThrottles } from "../../src/dagman/submit-dag-flags.js";
import { RngStreams } from "../core/rng.js";
import { Simulation } from "../core/simulation.js";
import { DiskFs, type SimFs } from "../fs.js";
import { DEFAULT_POOL } from "../pool/config.js";
import { Pool } from "../pool/pool.js";
import type { PoolConfig } from "../pool/types.js";
import type { ModelRegistry, SimContext } from "./context.js";
import { type DagmanExit, DagmanProcess } from "./dagman.js";
import { S } from "./node.js";

/** Virtual epoch the simulated clock starts at: 2026-03-14 09:20:00 UTC. */
export const SIM_EPOCH = 1773480000;

/**
 * How long `simulateDag` lets a DAG run in virtual time (30 days) unless told otherwise:
 * a DAG that never ends (a script deferring for ever, a job held and released for ever)
 * stops there, still running, instead of holding its caller.
 */
export const DEFAULT_MAX_VIRTUAL_SEC = 30 * 86400;

export interface SimulateOptions {
  seed?: number;
  pool?: PoolConfig;
  fs?: SimFs;
  models: ModelRegistry;
  startTime?: number;
  /** Write per-job logs and `<dag>.nodes.log` (default true). */
  writeJobLogs?: boolean;
  /**
   * The throttles given to condor_submit_dag (`-MaxIdle`, `-MaxJobs`, `-MaxPre`,
   * `-MaxPost`): they override the CONFIG file of the top-level DAG and do not reach sub-DAGs.
   */
  throttles?: DagThrottles;
}

export type SimStatus = "success" | "failed" | "aborted" | "removed" | "stalled" | "running";

/** A DAG being simulated: advance it in steps (for monitors) or run it to the end. */
export class SimSession {
  readonly sim: Simulation;
  readonly pool: Pool;
  readonly ctx: SimContext;
  readonly top: DagmanProcess;
  exit?: DagmanExit;
  /** Virtual time the top DAGMan exited (the simulation stops there). */
  exitTime?: number;
  private localIds = 900000;

  constructor(dagPath: string, opts: SimulateOptions) {
    const dagFile = resolve(dagPath);
    this.sim = new Simulation({ startTime: opts.startTime ?? SIM_EPOCH });
    this.pool = new Pool(this.sim, opts.pool ?? DEFAULT_POOL);
    this.ctx = {
      sim: this.sim,
      pool: this.pool,
      fs: opts.fs ?? new DiskFs(),
      rng: new RngStreams(opts.seed ?? 1),
      models: opts.models,
      root: dirname(dagFile),
      nextLocalClusterId: () => ++this.localIds,
      writeJobLogs: opts.writeJobLogs ?? true,
      throttles: opts.throttles ?? {},
      stats: { jobsSubmitted: 0, scriptsRun: 0, dagmans: 0 },
    };
    this.top = new DagmanProcess(this.ctx, dagFile, dirname(dagFile), (exit) => {
      this.exit = exit;
      this.exitTime = this.sim.now;
      this.sim.stop();
    });
    this.top.start();
    this.handOver();
  }

  /** Advance virtual time by `sec` seconds (or until the DAG ends). Throws the first fatal input error. */
  runFor(sec: number): void {
    const until = this.sim.now + sec;
    try {
      while (!this.exit && this.sim.now < until) {
        const r = this.sim.run(until);
        this.raise();
        if (r.reason !== "until" && r.reason !== "stopped") break;
        if (r.reason === "until") break;
      }
      if (!this.exit && this.sim.now < until && this.sim.pending === 0) {
        // Nothing left to happen: the clock still moves on for the caller's sleep.
        this.sim.run(until);
      }
    } finally {
      this.handOver();
    }
  }

  /** Run until the DAG ends or nothing can happen any more. */
  runToEnd(maxSec = Number.POSITIVE_INFINITY): void {
    const until = this.sim.now + maxSec;
    try {
      while (!this.exit) {
        const r = this.sim.run(until);
        this.raise();
        if (r.reason !== "stopped") break;
      }
    } finally {
      this.handOver();
    }
  }

  /**
   * The caller may now read the files directly: the `.dagman.out` lines held back are
   * written, and what the file system holds back is put on disk.
   */
  private handOver(): void {
    this.top.flushFiles();
    this.ctx.fs.flush?.();
  }

  private raise(): void {
    if (this.ctx.fatal) throw this.ctx.fatal;
  }

  get status(): SimStatus {
    if (!this.exit) return this.sim.pending === 0 ? "stalled" : "running";
    if (this.exit.dagStatus === 0) return "success";
    if (this.exit.dagStatus === 3) return "aborted";
    if (this.exit.dagStatus === 4) return "removed";
    return "failed";
  }

  /** condor_rm of the top-level DAGMan job. */
  remove(): void {
    this.top.remove();
    this.handOver();
  }
}

export interface SimulateResult {
  status: SimStatus;
  exitCode: number | null;
  dagStatus: number | null;
  startTime: number;
  endTime: number;
  durationSec: number;
  nodes: NodeCounts;
  /** Nodes of every nested DAG (SUBDAG EXTERNAL, at any depth) that started, summed. */
  inner: NodeCounts;
  jobsSubmitted: number;
  events: number;
  rescueFile?: string;
  dagmanOut: string;
  metricsFile: string;
  /** The top DAG's NODE_STATUS_FILE, when it names one. */
  statusFile?: string;
  /**
   * Jobs no machine of the pool could run, in job order: those still idle, and those
   * removed while they waited (a periodic_remove's idle timeout, say).
   */
  unmatchable: { jobId: number; reason: string }[];
  /** Jobs held when the simulation stopped (a DAG that did not exit may be waiting for them). */
  held: { jobId: number; reason: string; code: number; subCode: number }[];
}

export interface NodeCounts {
  total: number;
  done: number;
  failed: number;
  futile: number;
}

function countNodes(d: DagmanProcess): NodeCounts {
  return {
    total: d.nodes.length,
    done: d.count(S.DONE),
    failed: d.count(S.ERROR),
    futile: d.count(S.FUTILE),
  };
}

/** Node counts summed over the nested DAGMan processes below `d`. */
function innerCounts(d: DagmanProcess): NodeCounts {
  const sum: NodeCounts = { total: 0, done: 0, failed: 0, futile: 0 };
  for (const n of d.nodes) {
    if (!n.inner) continue;
    for (const c of [countNodes(n.inner), innerCounts(n.inner)]) {
      sum.total += c.total;
      sum.done += c.done;
      sum.failed += c.failed;
      sum.futile += c.futile;
    }
  }
  return sum;
}

/**
 * Simulate a DAG file to its end (or for `maxVirtualSec` of virtual time, status "running"
 * when it was still going) and summarise what happened.
 */
export function simulateDag(
  dagPath: string,
  opts: SimulateOptions & { maxVirtualSec?: number },
): SimulateResult {
  const s = new SimSession(dagPath, opts);
  const start = s.sim.now;
  s.runToEnd(opts.maxVirtualSec ?? DEFAULT_MAX_VIRTUAL_SEC);
  const top = s.top;
  const end = s.exitTime ?? s.sim.now;
  return {
    status: s.status,
    exitCode: s.exit?.exitCode ?? null,
    dagStatus: s.exit?.dagStatus ?? null,
    startTime: start,
    endTime: end,
    durationSec: end - start,
    nodes: countNodes(top),
    inner: innerCounts(top),
    jobsSubmitted: s.ctx.stats.jobsSubmitted,
    events: s.sim.eventsFired,
    rescueFile: s.exit?.rescueFile,
    dagmanOut: top.files.outFile,
    metricsFile: `${top.dagFile}.metrics`,
    statusFile: top.nodeStatusFileDef ? top.inputs.resolve(top.nodeStatusFileDef.file) : undefined,
    unmatchable: [...s.pool.removedUnmatchable(), ...s.pool.unmatchable()].sort(
      (a, b) => a.jobId - b.jobId,
    ),
    held: s.pool.held(),
  };
}
