import type { JobLogEvent } from "../../src/dagman/event-log.js";
import { formatEvent } from "../../src/dagman/event-log-writer.js";
import { checkSubmit, parseArguments } from "../../src/dagman/index.js";
import type { SubmitModel } from "../../src/dagman/model.js";
import { SUBMIT_FILE } from "../file-codecs.js";
import { fileAppender, resolveIn } from "../fs.js";
import type { JobPlan, PayloadModel, ScriptJobInfo } from "../payload/types.js";
import { HoldCode, type PoolJob, type PoolListener } from "../pool/types.js";
import { userLogListener } from "../pool/user-log.js";
import type { SimContext } from "./context.js";
import type { DagmanProcess } from "./dagman.js";
import type { NodeRun } from "./node.js";
import { type NodeJobHost, NodeJobListener } from "./node-job-listener.js";
import { RemovalWatches } from "./removal-watch.js";
import { type HeldPolicy, heldPolicy, nextEvaluation } from "./schedd-policy.js";
import {
  checkSimulated,
  customAttrValue,
  type SubmitRequest,
  submitRequest,
} from "./submit-job.js";

/** The RemoveReason of a job that periodic_remove removed. */
const PERIODIC_REMOVE_REASON = "The job attribute PeriodicRemove expression evaluated to TRUE";

/** Seconds a local-universe job (e.g. a replan node) waits before it starts. */
const LOCAL_START_DELAY_SEC = 1;

/**
 * Turns SUBMITTED nodes into work: vanilla jobs go to the simulated pool, local and
 * scheduler universe jobs run on the access point, SUBDAG EXTERNAL nodes start a nested
 * DAGMan. Job events go back to the DAGMan process and into the job logs.
 */
export class JobLauncher implements NodeJobHost {
  private readonly sites = new Map<NodeRun, string>();
  private readonly poolIds = new Map<NodeRun, number>();

  private readonly removals: RemovalWatches;

  constructor(
    private readonly ctx: SimContext,
    readonly d: DagmanProcess,
  ) {
    this.removals = new RemovalWatches(
      ctx.sim,
      d.settings.periodicExprIntervalSec,
      (n, job, policy) => this.removalDue(n, job, policy),
    );
  }

  siteOf(n: NodeRun): string | undefined {
    return this.sites.get(n);
  }

  /** What the queue and job log tell about the node's last attempt (for the POST collector). */
  jobInfo(n: NodeRun): ScriptJobInfo | undefined {
    const id = this.poolIds.get(n);
    const job = id !== undefined ? this.ctx.pool.job(id) : undefined;
    if (!job) return undefined;
    const run = job.lastRun;
    // A job removed while idle never ran: only the removal has something to tell.
    if (!run) {
      const reason = this.removeReasons.get(n);
      return reason === undefined ? undefined : { periodicRemoveReason: reason };
    }
    return {
      wallTimeSec: (run.end ?? this.ctx.sim.now) - run.start,
      cpuTimeSec: run.cpuSec,
      memoryMb: run.memoryPeakMb,
      holdReason: job.lastHold?.reason,
      periodicRemoveReason: this.removeReasons.get(n),
    };
  }

  private readonly removeReasons = new Map<NodeRun, string>();

  submitJob(n: NodeRun): void {
    const subFile = resolveIn(n.dir, n.def.file);
    const model = this.d.inputs.readValueIn(n.dir, n.def.file, SUBMIT_FILE);
    const req = submitRequest(model, subFile, n.def.name, n.def.vars, this.clusterFor);
    checkSubmit(model, subFile, req.arguments, req.universe);
    checkSimulated(model, subFile);
    const payload = this.ctx.models.payloadFor(req.executable, subFile, n.dir);
    const starter = new JobStarter(this.ctx, this.d, n, model, subFile, req, payload);
    this.ctx.stats.jobsSubmitted++;
    if (req.universe === "local" || req.universe === "scheduler") {
      this.runLocal(n, req, starter);
      return;
    }
    const job = this.ctx.pool.submit({
      requestCpus: req.requestCpus,
      requestMemoryMb: req.requestMemoryMb,
      requestDiskKb: req.requestDiskKb,
      desiredSites: req.desiredSites,
      requirements: req.requirements,
      requirementsSource: subFile,
      priority: req.priority,
      attrs: req.log
        ? {
            DAGNodeName: n.def.name,
            DAGManJobId: this.d.dagmanId,
            UserLog: resolveIn(n.dir, req.log),
          }
        : { DAGNodeName: n.def.name, DAGManJobId: this.d.dagmanId },
      submitted: (name, my) => customAttrValue(req.customAttr(name), my),
      driver: (start) => {
        this.sites.set(n, start.site);
        return starter.plan(start, start.jobId, start.attempt);
      },
      listener: this.listener(n, req, subFile),
    });
    n.cluster = job.cluster;
    this.poolIds.set(n, job.id);
  }

  private listener(n: NodeRun, req: SubmitRequest, subFile: string): PoolListener {
    const policy = heldPolicy(req, subFile);
    return new NodeJobListener(this, n, policy, this.ctx.writeJobLogs ? this.jobLogs : undefined);
  }

  get now(): number {
    return this.ctx.sim.now;
  }

  /** The cluster id a job of `universe` gets: the access point's, or the pool's next. */
  private readonly clusterFor = (universe: string): number =>
    universe === "local" || universe === "scheduler"
      ? this.ctx.nextLocalClusterId()
      : this.ctx.pool.nextClusterId;

  /** The schedd's periodic_hold and periodic_remove of a job that became idle or running. */
  watchRemoval(n: NodeRun, job: PoolJob, policy: HeldPolicy): void {
    if (!policy.watchesJobs) return;
    const cls = policy.removalClass(job.ad);
    if (cls !== undefined) this.removals.add(n, job, policy, cls);
    else this.watchAlone(n, job, policy);
  }

  /** The job's next periodic_remove evaluation, found for it alone. */
  private watchAlone(n: NodeRun, job: PoolJob, policy: HeldPolicy): void {
    const age = policy.firingAge(job.ad, this.ctx.sim.now);
    if (age === undefined) return;
    const at = nextEvaluation(
      job.enteredCurrentStatus + age,
      this.d.settings.periodicExprIntervalSec,
    );
    this.removals.addAt(at, n, job, policy);
  }

  /** A periodic evaluation is due for a job still in the state it was watched in. */
  private removalDue(n: NodeRun, job: PoolJob, policy: HeldPolicy): void {
    const act = policy.act(job.ad, this.ctx.sim.now);
    if (act.action === "none") {
      this.watchAlone(n, job, policy);
    } else if (act.action === "hold") {
      this.ctx.pool.hold(job.id, act.reason, HoldCode.JobPolicy, act.subCode);
    } else {
      if (act.reason !== undefined) this.removeReasons.set(n, act.reason);
      this.ctx.pool.remove(job.id, PERIODIC_REMOVE_REASON);
    }
  }

  /** The DAGMan exits: its jobs' periodic_remove evaluations are over. */
  stopWatching(): void {
    this.removals.stop();
  }

  /** The schedd's periodic_release / periodic_remove for a held job. */
  schedulePolicy(n: NodeRun, job: PoolJob, policy: HeldPolicy, heldAt: number): void {
    if (!policy.acts) return;
    const pool = this.ctx.pool;
    const interval = this.d.settings.periodicExprIntervalSec;
    const check = () => {
      const now = this.ctx.sim.now;
      const j = pool.job(job.id);
      if (j?.status !== 5) return;
      const { action, reason } = policy.decide(j.ad, now);
      if (action === "release") {
        pool.release(job.id);
        return;
      }
      if (action === "remove") {
        if (reason !== undefined) this.removeReasons.set(n, reason);
        pool.remove(job.id, PERIODIC_REMOVE_REASON);
        return;
      }
      this.ctx.sim.at(nextEvaluation(now, interval), check);
    };
    this.ctx.sim.at(nextEvaluation(heldAt, interval), check);
  }

  /**
   * The job logs: every event in the DAG's `<dag>.nodes.log`, and in the job's own log (its
   * `UserLog` attribute, the submit file's `log`) when that is another file.
   */
  private get jobLogs(): PoolListener {
    if (!this.logs) {
      const nodesLog = `${this.d.dagFile}.nodes.log`;
      const fs = this.ctx.fs;
      const toNodesLog = this.toNodesLog;
      // A job's own log (its UserLog, read at each event as the schedd does) is looked up
      // in the file system when it first names that file, not at each event.
      const ownLogs = new WeakMap<PoolJob, { file: string; append: (ev: JobLogEvent) => void }>();
      this.logs = userLogListener(this.ctx.sim, {
        write: (ev: JobLogEvent, job: PoolJob) => {
          toNodesLog(ev);
          const own = job.attr("userlog");
          if (typeof own !== "string" || own === nodesLog) return;
          let log = ownLogs.get(job);
          if (log?.file !== own) {
            log = { file: own, append: fileAppender(fs, own, formatEvent) };
            ownLogs.set(job, log);
          }
          log.append(ev);
        },
      });
    }
    return this.logs;
  }

  private logs?: PoolListener;

  private nodesLogAppender?: (ev: JobLogEvent) => void;
  /** Appends an event to the DAG's `<dag>.nodes.log` (the file found once). */
  private get toNodesLog(): (ev: JobLogEvent) => void {
    this.nodesLogAppender ??= fileAppender(this.ctx.fs, `${this.d.dagFile}.nodes.log`, formatEvent);
    return this.nodesLogAppender;
  }

  private runLocal(n: NodeRun, req: SubmitRequest, starter: JobStarter): void {
    const cluster = req.cluster as number;
    n.cluster = cluster;
    const sim = this.ctx.sim;
    sim.after(LOCAL_START_DELAY_SEC, () => {
      this.d.post({ kind: "execute", node: n, time: sim.now });
      // A program on the access point reads and writes the files directly: hand them over.
      this.ctx.fs.flush?.();
      let plan: JobPlan;
      try {
        plan = starter.plan(
          {
            now: sim.now,
            cpus: req.requestCpus,
            memoryMb: req.requestMemoryMb,
            site: "local",
            machine: "access-point",
          },
          cluster,
          1,
        );
      } catch (e) {
        this.ctx.fatal ??= e as Error;
        sim.stop();
        return;
      }
      this.ctx.fs.flush?.();
      sim.after(plan.durationSec, () => {
        plan.complete(sim.now);
        const ret = plan.signal !== undefined ? -plan.signal : (plan.exitCode ?? 0);
        this.d.post({ kind: "terminated", node: n, time: sim.now, ret });
      });
    });
  }

  /** Forget the previous attempt's hold and removal (a retry starts clean). */
  resetAttempt(n: NodeRun): void {
    n.holdCode = undefined;
    n.holdSubCode = undefined;
    this.removeReasons.delete(n);
    // The last attempt's job is no longer the node's: a POST run after a failed PRE
    // (DAGMAN_ALWAYS_RUN_POST) has no job to report.
    this.poolIds.delete(n);
  }

  startSubdag(n: NodeRun): void {
    const file = resolveIn(n.dir, n.def.file);
    const inner = this.d.spawnChild(file, n.dir, (exit) => {
      this.d.post({ kind: "terminated", node: n, time: this.ctx.sim.now, ret: exit.exitCode });
    });
    n.inner = inner;
    n.cluster = inner.dagmanId;
    this.ctx.sim.after(0, () => {
      this.d.post({ kind: "execute", node: n, time: this.ctx.sim.now });
      inner.start();
    });
  }

  kill(n: NodeRun): void {
    if (n.inner) {
      n.inner.remove();
      return;
    }
    const id = this.poolIds.get(n);
    if (id !== undefined)
      this.ctx.pool.remove(id, "DAG Abort: DAG is exiting and writing rescue file.");
  }

  /** Event 016 (POST script terminated) in the DAG's node log. */
  logPostScript(n: NodeRun, code: number, time: number): void {
    if (!this.ctx.writeJobLogs || n.cluster === undefined) return;
    const ev: JobLogEvent = {
      kind: "postScriptTerminated",
      cluster: n.cluster,
      time,
      dagNode: n.def.name,
      normal: true,
      returnValue: code,
    };
    this.toNodesLog(ev);
  }
}

/** Where a job starts: the slot it was matched to (or the access point). */
interface StartPlace {
  now: number;
  cpus: number;
  memoryMb: number;
  site: string;
  machine: string;
}

/**
 * What a node's submitted job needs to start its payload, kept while the job waits in the
 * queue: the submit description as read at submission, not its argv (split, as checked
 * at submission, when the job starts).
 */
class JobStarter {
  private readonly executable: string;
  private readonly arguments: string;
  private readonly output: string | undefined;
  private readonly error: string | undefined;
  /** The node's retry at submission (its job's attempts share it). */
  private readonly retry: number;

  constructor(
    private readonly ctx: SimContext,
    private readonly d: DagmanProcess,
    private readonly n: NodeRun,
    private readonly model: SubmitModel,
    private readonly subFile: string,
    req: SubmitRequest,
    private readonly payload: PayloadModel,
  ) {
    this.executable = req.executable;
    this.arguments = req.arguments;
    this.output = req.output;
    this.error = req.error;
    this.retry = n.retry;
  }

  /** The run of the job's `attempt`-th start as cluster `cluster`; also the node's plan. */
  plan(start: StartPlace, cluster: number, attempt: number): JobPlan {
    const n = this.n;
    const streamBase = `job:${this.d.inputs.rel(this.subFile)}:${this.retry}`;
    const plan = this.payload({
      fs: this.ctx.fs,
      iwd: n.dir,
      submit: this.model,
      argv: parseArguments(this.arguments),
      executable: this.executable,
      nodeName: n.def.name,
      output: this.output,
      error: this.error,
      attempt: this.retry,
      clusterId: cluster,
      startTime: start.now,
      slot: {
        cpus: start.cpus,
        memoryMb: start.memoryMb,
        site: start.site,
        machine: start.machine,
      },
      rand: this.ctx.rng.once(attempt > 1 ? `${streamBase}:start${attempt}` : streamBase),
    });
    n.plan = plan;
    return plan;
  }
}
