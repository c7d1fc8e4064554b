/**
 * The live-pool backend: runs DAGs on an HTCondor pool through its command-line tools.
 * Time is real (`clock.sleep` waits). Query failures are thrown as one-line errors; the
 * caller logs them and polls again.
 */
import type { DagThrottles } from "../../dagman/submit-dag-flags.js";
import type { Backend, Clock, CpuSample, DagHandle, DagJobState } from "../types.js";
import type { CondorContext } from "./command.js";
import { checkJobId, condorHistory, condorQ, condorRm, condorSubmitDag } from "./condor-cli.js";
import { busyCores, CPU_ATTRS, type CpuTotals, cpuTotals } from "./cpu.js";
import { dagPayloadJobs } from "./dag-jobs.js";
import { DAG_JOB_ATTRS, historyState, queueState } from "./job-state.js";
import {
  applyMemoryHold,
  DEFAULT_MAX_MEMORY_PER_CORE_MB,
  HOLD_ATTRS,
  type MemoryHoldDecision,
  memoryHoldAction,
} from "./memory-hold.js";

/** Real time in epoch seconds; `sleep` waits with setTimeout. */
export const realClock: Clock = {
  now: () => Date.now() / 1000,
  sleep: (sec) => new Promise((res) => setTimeout(res, Math.max(0, sec) * 1000)),
};

export interface MemoryHoldOptions {
  /** Cap per requested core (MB); default 3000. */
  maxMemoryPerCoreMb?: number;
  /** Also rewrite `<Iwd>/<node>.sub`'s request_memory (default true). */
  rewriteSubmitFiles?: boolean;
}

/** The throttles (`-MaxIdle`, `-MaxJobs`, `-MaxPre`, `-MaxPost`) are those of submitted DAGs. */
export interface CondorBackendOptions extends CondorContext, DagThrottles {
  /** `-batch-name` of submitted DAGs. */
  batchName?: string;
  /** `-config` of submitted DAGs. */
  config?: string;
  /**
   * Raise the memory of payload jobs held for exceeding it (hold code 34) on every
   * `dagJobState` poll. Off by default: the POST script already raises memory ×1.5 on
   * the node's retry, and both together would raise it twice.
   */
  memoryHolds?: MemoryHoldOptions;
  /** Clock (tests); default real time. */
  clock?: Clock;
}

export class CondorBackend implements Backend {
  readonly name = "condor" as const;
  /** A live DAGMan writes `.dagman.out` times in the access point's local zone. */
  readonly dagmanZone = "local" as const;
  readonly clock: Clock;
  private readonly ctx: CondorContext;
  private readonly lastCpu = new Map<string, CpuTotals>();

  constructor(private readonly opts: CondorBackendOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.ctx = { runner: opts.runner, timeoutMs: opts.timeoutMs };
  }

  async submitDag(dagFile: string): Promise<DagHandle> {
    return condorSubmitDag(dagFile, {
      ...this.ctx,
      batchName: this.opts.batchName,
      config: this.opts.config,
      maxIdle: this.opts.maxIdle,
      maxJobs: this.opts.maxJobs,
      maxPre: this.opts.maxPre,
      maxPost: this.opts.maxPost,
    });
  }

  /**
   * The DAGMan job in the queue; once it left the queue, its history ad: JobStatus 4 with
   * ExitCode → completed (exit code 0 is success, anything else is not), 3 → removed.
   */
  async dagJobState(h: DagHandle): Promise<DagJobState> {
    const id = checkJobId("condor_q", h.clusterId);
    const constraint = `ClusterId == ${id}`;
    const inQueue = await condorQ(constraint, DAG_JOB_ATTRS, this.ctx);
    if (inQueue.length > 0) {
      if (this.opts.memoryHolds) await this.handleMemoryHolds(h);
      return queueState(inQueue[0]);
    }
    let past: Awaited<ReturnType<typeof condorHistory>>;
    try {
      past = await condorHistory(constraint, DAG_JOB_ATTRS, 1, this.ctx);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return { state: "unknown", detail: `cluster ${id} left the queue; ${why}` };
    }
    if (past.length === 0) {
      return {
        state: "unknown",
        detail: `cluster ${id} is neither in the queue nor in the history`,
      };
    }
    return historyState(past[0]);
  }

  async remove(h: DagHandle): Promise<void> {
    await condorRm(h.clusterId, this.ctx);
  }

  /**
   * Cores busy on behalf of the DAG's payload jobs since the previous call (see cpu.ts:
   * the pool's accounting view). The first call for a DAG only records a baseline and
   * returns undefined.
   */
  async cpuSample(h: DagHandle): Promise<CpuSample | undefined> {
    checkJobId("condor_q", h.clusterId);
    const ads = await dagPayloadJobs(h.clusterId, CPU_ATTRS, this.ctx);
    const cur = cpuTotals(ads, this.clock.now());
    const prev = this.lastCpu.get(h.clusterId);
    this.lastCpu.set(h.clusterId, cur);
    if (!prev) return undefined;
    const cores = busyCores(prev, cur);
    return cores === undefined ? undefined : { time: cur.time, cores };
  }

  /**
   * Raise and release the DAG's payload jobs held for memory (hold code 34). Returns the
   * decisions taken. Runs from `dagJobState` only with the `memoryHolds` option.
   */
  async handleMemoryHolds(h: DagHandle): Promise<MemoryHoldDecision[]> {
    const mh = this.opts.memoryHolds ?? {};
    const ads = await dagPayloadJobs(h.clusterId, HOLD_ATTRS, this.ctx);
    const raised: MemoryHoldDecision[] = [];
    for (const ad of ads) {
      const d = memoryHoldAction(ad, mh.maxMemoryPerCoreMb ?? DEFAULT_MAX_MEMORY_PER_CORE_MB);
      if (d.action !== "raise") continue;
      await applyMemoryHold(d, { ...this.ctx, rewriteSubmitFile: mh.rewriteSubmitFiles ?? true });
      raised.push(d);
    }
    return raised;
  }

  async close(): Promise<void> {
    this.lastCpu.clear();
  }
}
