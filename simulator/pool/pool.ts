import type { Simulation, TimerId } from "../core/simulation.js";
import { Accounting, cpuUsageTimeline, runCpuSec } from "./accounting.js";
import type { ClassAdValue } from "./classad-expr.js";
import { DEFAULT_POOL, DEFAULT_SHADOW_UPDATE_INTERVAL_SEC } from "./config.js";
import { IdleQueue } from "./idle-queue.js";
import { JobRecord } from "./job-record.js";
import { Listeners } from "./listeners.js";
import { buildMachines, type Machine, type MachineState, machineState } from "./machines.js";
import { matchesNow } from "./matching.js";
import { cgroupVerdict, imageSizeOf, peakUntil } from "./memory.js";
import {
  HoldCode,
  HoldSubCode,
  type JobExit,
  type JobRun,
  JobStatus,
  type JobSubmit,
  type PoolConfig,
  type PoolJob,
  type PoolListener,
} from "./types.js";
import { UnmatchableVerdicts } from "./unmatchable.js";

/**
 * A simulated HTCondor pool: a schedd queue (cluster ids counting up, proc 0), execute
 * machines with one partitionable slot each, and a negotiator. See README.md for the
 * negotiation and memory-limit policies. All times are virtual seconds of `sim`.
 */
export class Pool {
  readonly config: PoolConfig;
  readonly totalCores: number;
  private readonly machineList: Machine[];
  private readonly verdicts: UnmatchableVerdicts;
  private readonly jobMap = new Map<number, JobRecord>();
  private readonly idleMatchable = new IdleQueue();
  private readonly idleUnmatchable = new Set<JobRecord>();
  /** Jobs removed while idle with no machine able to run them, and why none could. */
  private readonly removedWhileUnmatchable: { jobId: number; reason: string }[] = [];
  private readonly listeners = new Listeners();
  private readonly accounting: Accounting;
  private nextCluster: number;
  private cycleTimer: TimerId | undefined;
  // The events of a run, given the job as their argument: a run waits hours for them, and
  // a closure per run would be kept as long.
  private readonly onEnd = (job: JobRecord) => this.finishRun(job);
  private readonly onExceed = (job: JobRecord) => this.exceedMemory(job);
  private readonly onPeak = (job: JobRecord) => this.reportImageSize(job);
  private lastCycleAt = Number.NEGATIVE_INFINITY;
  private cycles = 0;

  constructor(
    readonly sim: Simulation,
    config: PoolConfig = DEFAULT_POOL,
  ) {
    if (!(config.negotiationIntervalSec > 0)) {
      throw new RangeError(`pool: negotiationIntervalSec must be > 0`);
    }
    this.shadowUpdateIntervalSec =
      config.shadowUpdateIntervalSec ?? DEFAULT_SHADOW_UPDATE_INTERVAL_SEC;
    if (!(this.shadowUpdateIntervalSec > 0)) {
      throw new RangeError(`pool: shadowUpdateIntervalSec must be > 0`);
    }
    this.config = config;
    this.machineList = buildMachines(config.machines);
    this.verdicts = new UnmatchableVerdicts(this.machineList);
    this.totalCores = this.machineList.reduce((n, m) => n + m.cores, 0);
    this.nextCluster = config.firstClusterId;
    this.accounting = new Accounting(sim.now);
  }

  /** Adds a pool-wide listener; returns a function that removes it. */
  listen(listener: PoolListener): () => void {
    return this.listeners.add(listener);
  }

  /** Queues a job (idle) and returns it; it starts at a later negotiation cycle. */
  submit(spec: JobSubmit): PoolJob {
    const job = new JobRecord(this.nextCluster, spec, this.sim.now, this);
    this.nextCluster++;
    this.jobMap.set(job.id, job);
    this.enterIdle(job);
    this.listeners.notify(job.listener, "onSubmit", job);
    return job;
  }

  job(id: number): PoolJob | undefined {
    return this.jobMap.get(id);
  }

  /** Every job ever submitted, in submission order. */
  jobs(): PoolJob[] {
    return [...this.jobMap.values()];
  }

  /** Number of jobs in each state. */
  counts(): Record<"idle" | "running" | "removed" | "completed" | "held", number> {
    const c = { idle: 0, running: 0, removed: 0, completed: 0, held: 0 };
    const key = ["", "idle", "running", "removed", "completed", "held"] as const;
    for (const j of this.jobMap.values()) c[key[j.status] as keyof typeof c]++;
    return c;
  }

  /** Idle jobs that no machine could ever run, with the reason. */
  unmatchable(): { jobId: number; reason: string }[] {
    return [...this.idleUnmatchable]
      .sort((a, b) => a.id - b.id)
      .map((j) => ({ jobId: j.id, reason: j.unmatchableReason ?? "" }));
  }

  /** Seconds between a running job's reports to the schedd (see `PoolConfig`). */
  readonly shadowUpdateIntervalSec: number;

  /** The virtual time (what a job's ClassAd is read at). */
  get now(): number {
    return this.sim.now;
  }

  /** The cluster id the next submitted job gets (condor_submit knows it before expanding `$(Cluster)`). */
  get nextClusterId(): number {
    return this.nextCluster;
  }

  /** Jobs removed (by condor_rm or a periodic_remove) while no machine could run them. */
  removedUnmatchable(): { jobId: number; reason: string }[] {
    return [...this.removedWhileUnmatchable];
  }

  /** Jobs held now, with the hold's reason and codes, in submission order. */
  held(): { jobId: number; reason: string; code: number; subCode: number }[] {
    const out: { jobId: number; reason: string; code: number; subCode: number }[] = [];
    for (const j of this.jobMap.values()) {
      if (j.status === 5 && j.hold) out.push({ jobId: j.id, ...j.hold });
    }
    return out;
  }

  /** Machines with their free resources and claimed dynamic slots. */
  machines(): MachineState[] {
    return this.machineList.map(machineState);
  }

  /** Every run (one per job start) in start order; open runs have no `end`. */
  runs(): readonly Readonly<JobRun>[] {
    return this.accounting.runs;
  }

  /** Step function of busy cores: from each `t` on, `cores` cores are claimed. */
  coresBusyTimeline(): readonly { t: number; cores: number }[] {
    return this.accounting.coresBusy;
  }

  /** Step function of cores in use by finished runs (from their CPU plans). */
  cpuUsageTimeline(): { t: number; cores: number }[] {
    return cpuUsageTimeline(this.accounting.runs, this.accounting.coresBusy[0].t);
  }

  /** Negotiation cycles run so far. */
  get negotiationCycles(): number {
    return this.cycles;
  }

  /** condor_hold: an idle or running job goes on hold (a running one loses its slot). */
  hold(
    id: number,
    reason = "via condor_hold (by user wms2)",
    code: number = HoldCode.UserRequest,
    subCode = 0,
  ): boolean {
    const job = this.get(id);
    if (job.status !== JobStatus.Idle && job.status !== JobStatus.Running) return false;
    this.putOnHold(job, { reason, code, subCode });
    return true;
  }

  /** condor_release: a held job becomes idle again. */
  release(id: number): boolean {
    const job = this.get(id);
    if (job.status !== JobStatus.Held) return false;
    job.hold = undefined;
    job.setStatus(JobStatus.Idle, this.sim.now);
    this.enterIdle(job);
    this.listeners.notify(job.listener, "onRelease", job);
    return true;
  }

  /** condor_rm: any job still in the queue is removed (a running one loses its slot). */
  remove(id: number, reason = "via condor_rm (by user wms2)"): boolean {
    const job = this.get(id);
    if (job.status === JobStatus.Removed || job.status === JobStatus.Completed) return false;
    const wasRunning = job.status === JobStatus.Running;
    if (this.idleUnmatchable.has(job)) {
      this.removedWhileUnmatchable.push({ jobId: job.id, reason: job.unmatchableReason ?? "" });
    }
    this.leaveIdle(job);
    job.setStatus(JobStatus.Removed, this.sim.now);
    job.hold = undefined;
    if (wasRunning) this.endRun(job, "removed");
    this.listeners.notify(job.listener, "onRemove", job, { reason, wasRunning });
    job.forget();
    return true;
  }

  /**
   * condor_qedit. Changes apply to matching from now on; a running job keeps the slot
   * (and cgroup limit) it was matched with until its run ends.
   */
  edit(id: number, attrs: Record<string, ClassAdValue>): void {
    const job = this.get(id);
    if (job.status === JobStatus.Removed || job.status === JobStatus.Completed) {
      throw new Error(`job ${id} has left the queue; it cannot be edited`);
    }
    job.edit(attrs);
    if (job.status === JobStatus.Idle) {
      this.leaveIdle(job);
      this.enterIdle(job);
    }
  }

  private get(id: number): JobRecord {
    const job = this.jobMap.get(id);
    if (!job) throw new Error(`pool: no job ${id}`);
    return job;
  }

  private enterIdle(job: JobRecord): void {
    job.unmatchableReason = this.verdicts.reason(job);
    if (job.unmatchableReason === undefined) {
      this.idleMatchable.add(job);
      this.requestCycle();
    } else {
      this.idleUnmatchable.add(job);
    }
  }

  private leaveIdle(job: JobRecord): void {
    this.idleMatchable.delete(job);
    this.idleUnmatchable.delete(job);
    job.unmatchableReason = undefined;
  }

  /**
   * Schedules the next negotiation cycle on the grid k × interval, after the last cycle.
   * Cycles are only scheduled after something changed (a submission, release, edit or
   * freed slot) while matchable idle jobs exist: a cycle with no change since the last
   * one could not match anything, so skipping it changes nothing but the event count.
   */
  private requestCycle(): void {
    if (this.cycleTimer !== undefined || this.idleMatchable.size === 0) return;
    const interval = this.config.negotiationIntervalSec;
    const now = this.sim.now;
    let next = Math.ceil(now / interval) * interval;
    if (next < now) next += interval;
    if (next <= this.lastCycleAt) next = this.lastCycleAt + interval;
    this.cycleTimer = this.sim.at(next, () => this.negotiate());
  }

  /** One negotiation cycle: idle jobs by priority (high first) then cluster id, first fit. */
  private negotiate(): void {
    this.cycleTimer = undefined;
    this.lastCycleAt = this.sim.now;
    this.cycles++;
    this.idleMatchable.walk((job) => {
      if (this.accounting.busyCores >= this.totalCores) return false;
      if (job.status !== JobStatus.Idle) return true; // changed by a listener during this cycle
      const machine = this.firstFit(job);
      if (machine) this.start(job, machine);
      return true;
    });
  }

  /** The first machine the job matches now (a cycle may look at every idle job: no closure each). */
  private firstFit(job: JobRecord): Machine | undefined {
    const machines = this.machineList;
    for (let i = 0; i < machines.length; i++) if (matchesNow(job, machines[i])) return machines[i];
    return undefined;
  }

  private start(job: JobRecord, machine: Machine): void {
    const slot = machine.claim(job.id, job.requestCpus, job.requestMemoryMb, job.requestDiskKb);
    this.leaveIdle(job);
    job.setStatus(JobStatus.Running, this.sim.now);
    job.numJobStarts++;
    this.accounting.changeBusy(this.sim.now, slot.cpus);
    const now = this.sim.now;
    const driver = job.driver;
    if (!driver) throw new Error(`pool: job ${job.id} has left the queue`);
    const plan = driver({
      jobId: job.id,
      now,
      machine: machine.name,
      site: machine.site,
      slotName: slot.name,
      cpus: slot.cpus,
      memoryMb: slot.memoryMb,
      diskKb: slot.diskKb,
      attempt: job.numJobStarts,
    });
    const verdict = cgroupVerdict(plan, slot.memoryMb);
    const run: JobRun = {
      jobId: job.id,
      machine: machine.name,
      site: machine.site,
      slotName: slot.name,
      cpus: slot.cpus,
      memoryMb: slot.memoryMb,
      diskKb: slot.diskKb,
      start: now,
      end: undefined,
      outcome: undefined,
      memoryPeakMb: 0,
      cpuSec: 0,
      cpuPlan: undefined,
    };
    this.accounting.runs.push(run);
    job.lastRun = run;
    job.active = { slot, run, plan, verdict, endTimer: undefined, imageTimer: undefined };
    if (verdict.exceedAtSec !== undefined) {
      job.active.endTimer = this.sim.at(now + verdict.exceedAtSec, this.onExceed, job);
    } else {
      if (verdict.peakMb > 0) {
        const at = now + verdict.peakAtSec;
        job.active.imageTimer = this.sim.at(at, this.onPeak, job);
      }
      job.active.endTimer = this.sim.at(now + plan.durationSec, this.onEnd, job);
    }
    this.listeners.notify(job.listener, "onExecute", job);
  }

  /** Frees the slot of the job's active run and closes its accounting record. */
  private endRun(job: JobRecord, outcome: NonNullable<JobRun["outcome"]>): void {
    const a = job.active;
    if (!a) return;
    job.active = undefined;
    if (a.endTimer !== undefined) this.sim.cancel(a.endTimer);
    if (a.imageTimer !== undefined) this.sim.cancel(a.imageTimer);
    const elapsed = this.sim.now - a.run.start;
    a.run.end = this.sim.now;
    a.run.outcome = outcome;
    a.run.memoryPeakMb = outcome === "completed" ? a.verdict.peakMb : peakUntil(a.plan, elapsed);
    a.run.cpuSec = runCpuSec(a.plan, a.run.start, this.sim.now);
    job.endedRunsCpuSec += a.run.cpuSec;
    if (a.plan.cpu) a.run.cpuPlan = a.plan.cpu;
    a.slot.machine.release(a.slot);
    this.accounting.changeBusy(this.sim.now, -a.slot.cpus);
    this.requestCycle();
  }

  /** Termination event of a run. */
  private finishRun(job: JobRecord): void {
    const a = job.active!;
    a.endTimer = undefined;
    const exit: JobExit =
      a.plan.signal !== undefined ? { signal: a.plan.signal } : { exitCode: a.plan.exitCode ?? 0 };
    job.setStatus(JobStatus.Completed, this.sim.now);
    job.exitCode = exit.exitCode;
    job.exitSignal = exit.signal;
    job.completionTime = this.sim.now;
    this.endRun(job, "completed");
    this.listeners.notify(job.listener, "onTerminate", job, exit);
    job.forget();
  }

  /** The run's cgroup usage went over its limit: hold with code 34/102. */
  private exceedMemory(job: JobRecord): void {
    const a = job.active!;
    a.endTimer = undefined;
    const mb = a.verdict.peakMb;
    this.listeners.notify(job.listener, "onImageSize", job, imageSizeOf(a.plan, mb));
    this.putOnHold(job, {
      reason: `Error from ${a.slot.name}: memory usage exceeded request_memory (cgroup peak ${mb} MB > limit ${a.slot.memoryMb} MB)`,
      code: HoldCode.ResourceLimit,
      subCode: HoldSubCode.Memory,
    });
  }

  /** The run reached its memory peak. */
  private reportImageSize(job: JobRecord): void {
    const a = job.active!;
    a.imageTimer = undefined;
    this.listeners.notify(job.listener, "onImageSize", job, imageSizeOf(a.plan, a.verdict.peakMb));
  }

  private putOnHold(job: JobRecord, hold: { reason: string; code: number; subCode: number }): void {
    const wasRunning = job.status === JobStatus.Running;
    this.leaveIdle(job);
    job.setStatus(JobStatus.Held, this.sim.now);
    job.hold = hold;
    job.lastHold = hold;
    job.numHolds++;
    if (wasRunning) this.endRun(job, "held");
    this.listeners.notify(job.listener, "onHold", job, hold);
  }
}
