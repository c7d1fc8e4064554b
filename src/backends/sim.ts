import type { ModelRegistry } from "../../simulator/dagman/context.js";
import { SIM_EPOCH, SimSession } from "../../simulator/dagman/simulate.js";
import { DiskFs, type SimFs } from "../../simulator/fs.js";
import { defaultRegistry } from "../../simulator/payload/registry.js";
import type { PoolConfig } from "../../simulator/pool/types.js";
import type { DagThrottles } from "../dagman/submit-dag-flags.js";
import type { Backend, Clock, CpuSample, DagHandle, DagJobState } from "./types.js";

/** The payload and script models of the simulator, working on real files (or on a MemFs). */
export function diskModels(fs: SimFs): ModelRegistry {
  return {
    payloadFor: (exe, subFile, iwd) => defaultRegistry.payloadFor(exe, fs, iwd, subFile),
    scriptFor: (exe, dagFile) => defaultRegistry.scriptFor(exe, dagFile),
  };
}

export interface SimBackendOptions {
  seed: number;
  pool?: PoolConfig;
  /** condor_submit_dag's throttles for the top DAG (as the live pool's submission gets them). */
  throttles?: DagThrottles;
}

/**
 * The embedded backend: one simulated pool and DAGMan per workflow, in virtual time.
 * `clock.sleep` advances the simulation, so the runner's polling loop is the same code
 * that watches a live pool.
 */
export class SimBackend implements Backend {
  readonly name = "sim" as const;
  /** The simulated DAGMan writes its times in UTC (the same files on any machine). */
  readonly dagmanZone = "utc" as const;
  readonly clock: Clock;
  private session?: SimSession;
  private readonly fs = new DiskFs();

  constructor(private readonly opts: SimBackendOptions) {
    this.clock = {
      now: () => this.session?.sim.now ?? SIM_EPOCH,
      sleep: async (sec: number) => {
        this.session?.runFor(sec);
      },
    };
  }

  async submitDag(dagFile: string): Promise<DagHandle> {
    this.session = new SimSession(dagFile, {
      seed: this.opts.seed,
      pool: this.opts.pool,
      fs: this.fs,
      models: diskModels(this.fs),
      throttles: this.opts.throttles,
    });
    return { clusterId: String(this.session.top.dagmanId), dagFile };
  }

  async dagJobState(_h: DagHandle): Promise<DagJobState> {
    const s = this.session;
    if (!s) return { state: "unknown", detail: "nothing submitted" };
    if (!s.exit) return { state: "running" };
    if (s.exit.dagStatus === 4) return { state: "removed" };
    return { state: "completed", exitCode: s.exit.exitCode };
  }

  async remove(_h: DagHandle): Promise<void> {
    this.session?.remove();
  }

  async cpuSample(_h: DagHandle): Promise<CpuSample | undefined> {
    const s = this.session;
    if (!s) return undefined;
    const running = s.pool.jobs().filter((j) => j.status === 2);
    return { time: s.sim.now, cores: running.reduce((a, j) => a + j.requestCpus, 0) };
  }

  /** The pool's exact CPU accounting: from `t` on, `cores` are busy. */
  cpuTimeline(): { t: number; cores: number }[] {
    return this.session?.pool.cpuUsageTimeline() ?? [];
  }

  /**
   * Why a DAG that still runs cannot succeed, if so: nothing left to happen, or jobs no
   * machine can take while nothing else runs or waits for a slot (only a periodic_remove
   * would end their wait, and a retry would wait the same).
   */
  stalledReason(): string | undefined {
    const s = this.session;
    if (!s || s.exit) return undefined;
    const u = s.pool.unmatchable();
    if (s.sim.pending > 0) {
      // Counting every job's state only when some job waits for no machine.
      if (u.length === 0) return undefined;
      const c = s.pool.counts();
      if (c.running > 0 || c.idle > u.length) return undefined;
    }
    return u.length > 0
      ? `${u.length} job(s) match no machine of the pool: ${u[0].reason}`
      : "the simulated DAG can make no progress";
  }

  /** Scheduled events processed so far (for benchmarks). */
  get events(): number {
    return this.session?.sim.eventsFired ?? 0;
  }

  async close(): Promise<void> {
    this.session = undefined;
  }
}
