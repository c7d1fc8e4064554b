import type { TimerId } from "../core/simulation.js";
import { runCpuSec } from "./accounting.js";
import {
  type AdLookup,
  type ClassAdValue,
  type CompiledExpr,
  compileExpr,
} from "./classad-expr.js";
import type { Slot } from "./machines.js";
import type { MemoryVerdict } from "./memory.js";
import {
  type HoldInfo,
  type JobAdClock,
  type JobDriver,
  type JobRun,
  type JobRunPlan,
  JobStatus,
  type JobSubmit,
  type PoolJob,
  type PoolListener,
} from "./types.js";

/** The run in progress of a running job. */
export interface ActiveRun {
  slot: Slot;
  run: JobRun;
  plan: JobRunPlan;
  verdict: MemoryVerdict;
  /** Pending end-of-run event (termination or memory hold). */
  endTimer?: TimerId;
  /** Pending image-size report. */
  imageTimer?: TimerId;
}

/** Attributes the pool owns; `edit` refuses them. */
const READ_ONLY = new Set(["clusterid", "procid", "jobstatus", "numjobstarts", "qdate"]);

/** Mutable state of one queued job; exposed to callers as the read-only `PoolJob`. */
export class JobRecord implements PoolJob {
  readonly proc = 0 as const;
  private state: JobStatus = JobStatus.Idle;
  enteredCurrentStatus: number;
  requestCpus: number;
  requestMemoryMb: number;
  requestDiskKb: number;
  priority: number;
  desiredSites: readonly string[];
  requirements: string;
  compiledRequirements: CompiledExpr;
  /** Submitted and edited attributes, as named; looked up case-insensitively. */
  readonly attrs: Record<string, ClassAdValue> = {};
  numJobStarts = 0;
  numHolds = 0;
  /** CPU seconds of the runs that ended (CumulativeRemoteUserCpu without the current one). */
  endedRunsCpuSec = 0;
  lastRun?: JobRun;
  exitCode?: number;
  exitSignal?: number;
  completionTime?: number;
  hold?: HoldInfo;
  lastHold?: HoldInfo;
  unmatchableReason?: string;
  /** The job's place in the pool's idle queue (see `IdleQueue`); 0 when it has none. */
  idleTicket = 0;
  active?: ActiveRun;
  /** What the submitter attached; dropped when the job leaves the queue (see `forget`). */
  driver?: JobDriver;
  listener?: PoolListener;
  private readonly requirementsSource: string;
  private adLookup?: AdLookup;
  private submitted?: (lowerCasedName: string, my: AdLookup) => ClassAdValue;

  constructor(
    readonly id: number,
    spec: JobSubmit,
    readonly submitTime: number,
    private readonly clock: JobAdClock,
  ) {
    this.enteredCurrentStatus = submitTime;
    checkCpus(spec.requestCpus);
    checkAmount("request_memory", spec.requestMemoryMb);
    checkAmount("request_disk", spec.requestDiskKb);
    this.requestCpus = spec.requestCpus;
    this.requestMemoryMb = spec.requestMemoryMb;
    this.requestDiskKb = spec.requestDiskKb;
    this.priority = spec.priority ?? 0;
    // A copy, so the submitter's list can change, unless it is frozen (then shared, as the
    // one empty list of the many jobs with none).
    const sites = spec.desiredSites;
    this.desiredSites = !sites?.length ? NO_SITES : Object.isFrozen(sites) ? sites : [...sites];
    this.requirementsSource = spec.requirementsSource ?? `job ${id} Requirements`;
    this.requirements = spec.requirements ?? "";
    this.compiledRequirements = compileExpr(this.requirements, this.requirementsSource);
    const attrs = spec.attrs;
    for (const k in attrs) if (Object.hasOwn(attrs, k)) this.setAttr(k, attrs[k]);
    this.driver = spec.driver;
    this.listener = spec.listener;
    this.submitted = spec.submitted;
  }

  /**
   * The job left the queue (completed or removed): it never starts or reports again, so
   * what its submitter attached (driver, listener and everything they hold) can go.
   */
  forget(): void {
    this.driver = undefined;
    this.listener = undefined;
    // No policy reads the ad of a job that left the queue: the submitted attributes go too.
    this.submitted = undefined;
  }

  /** The job's own ClassAd (MY.*) for expression evaluation, made when first asked for. */
  get ad(): AdLookup {
    this.adLookup ??= (lower) => this.attr(lower);
    return this.adLookup;
  }

  /**
   * RemoteUserCpu: the CPU seconds of the current run as the schedd last heard them. The
   * shadow reports every `shadowUpdateIntervalSec` of the run and at its end, so a run
   * shows 0 until its first report; a job not running shows what its last run used.
   */
  private reportedCpuSec(): number {
    const a = this.active;
    if (a === undefined) return this.lastRun?.cpuSec ?? 0;
    const start = a.run.start;
    const every = this.clock.shadowUpdateIntervalSec;
    return runCpuSec(a.plan, start, start + Math.floor((this.clock.now - start) / every) * every);
  }

  get cluster(): number {
    return this.id;
  }

  get status(): JobStatus {
    return this.state;
  }

  setStatus(status: JobStatus, now: number): void {
    this.state = status;
    this.enteredCurrentStatus = now;
  }

  /**
   * Applies a condor_qedit-style change. Known attributes (RequestCpus, RequestMemory,
   * RequestDisk, JobPrio, Requirements, DESIRED_Sites) are validated; others are stored
   * as plain attributes. Names are case-insensitive.
   */
  edit(attrs: Record<string, ClassAdValue>): void {
    for (const [name, value] of Object.entries(attrs)) {
      const lower = name.toLowerCase();
      if (READ_ONLY.has(lower))
        throw new Error(`job ${this.id}: attribute ${name} cannot be edited`);
      switch (lower) {
        case "requestcpus":
          this.requestCpus = checkCpus(value);
          break;
        case "requestmemory":
          this.requestMemoryMb = checkAmount("RequestMemory", value);
          break;
        case "requestdisk":
          this.requestDiskKb = checkAmount("RequestDisk", value);
          break;
        case "jobprio":
          if (typeof value !== "number" || !Number.isInteger(value)) {
            throw new Error(`job ${this.id}: JobPrio must be an integer`);
          }
          this.priority = value;
          break;
        case "requirements": {
          const text = value === undefined ? "" : String(value);
          this.compiledRequirements = compileExpr(text, this.requirementsSource);
          this.requirements = text;
          break;
        }
        case "desired_sites":
          this.desiredSites =
            value === undefined
              ? []
              : String(value)
                  .split(",")
                  .map((s) => s.trim())
                  .filter((s) => s !== "");
          break;
        default:
          this.setAttr(name, value);
      }
    }
  }

  private setAttr(name: string, value: ClassAdValue): void {
    const lower = name.toLowerCase();
    for (const k in this.attrs) if (lowersTo(k, lower)) delete this.attrs[k];
    if (value !== undefined) this.attrs[name] = value;
  }

  attr(lower: string): ClassAdValue {
    switch (lower) {
      case "clusterid":
        return this.id;
      case "procid":
        return 0;
      case "jobstatus":
        return this.status;
      case "requestcpus":
        return this.requestCpus;
      case "requestmemory":
        return this.requestMemoryMb;
      case "requestdisk":
        return this.requestDiskKb;
      case "jobprio":
        return this.priority;
      case "numjobstarts":
        return this.numJobStarts;
      case "qdate":
        return this.submitTime;
      case "desired_sites":
        return this.desiredSites.length > 0 ? this.desiredSites.join(",") : undefined;
      case "holdreasoncode":
        return this.hold?.code;
      case "holdreasonsubcode":
        return this.hold?.subCode;
      case "holdreason":
        return this.hold?.reason;
      case "numholds":
        return this.numHolds;
      case "enteredcurrentstatus":
        return this.enteredCurrentStatus;
      case "jobcurrentstartdate":
        return this.lastRun?.start;
      case "completiondate":
        return this.completionTime;
      case "exitcode":
        return this.exitCode;
      case "exitsignal":
        return this.exitSignal;
      case "remoteusercpu":
        return this.reportedCpuSec();
      case "cumulativeremoteusercpu":
        return this.endedRunsCpuSec + (this.active === undefined ? 0 : this.reportedCpuSec());
      // The payload models give a run's CPU time as a whole: it is counted as user time.
      case "remotesyscpu":
      case "cumulativeremotesyscpu":
        return 0;
      default:
        for (const k in this.attrs) if (lowersTo(k, lower)) return this.attrs[k];
        return this.submitted?.(lower, this.ad);
    }
  }
}

/** No DESIRED_Sites. */
const NO_SITES: readonly string[] = Object.freeze([]);

/**
 * `name.toLowerCase() === lower`, without making the lower-cased string for an ASCII name
 * (attribute names are looked up at every job event).
 */
export function lowersTo(name: string, lower: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    // Past ASCII, lower-casing may change the length: the general rule.
    if (c >= 128) return name.toLowerCase() === lower;
    const l = c >= 65 && c <= 90 ? c + 32 : c;
    if (i >= lower.length || l !== lower.charCodeAt(i)) return false;
  }
  return name.length === lower.length;
}

function checkCpus(v: ClassAdValue): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
    throw new RangeError(`request_cpus must be an integer >= 1, got ${String(v)}`);
  }
  return v;
}

function checkAmount(what: string, v: ClassAdValue): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    throw new RangeError(`${what} must be a number >= 0, got ${String(v)}`);
  }
  return v;
}
