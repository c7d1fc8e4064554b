import {
  type DagModel,
  type DagmanOutRecord,
  formatJobId,
  validateDag,
} from "../../src/dagman/index.js";
import { throttleArgs } from "../../src/dagman/submit-dag-flags.js";
import { DAG_FILE } from "../file-codecs.js";
import { CategoryThrottle } from "./category-throttle.js";
import { settingsFrom } from "./config.js";
import type { DagmanSettings, SimContext } from "./context.js";
import { buildGraph, initialStates, markFutile, releaseChildren } from "./dag-graph.js";
import { DagInputs } from "./dag-inputs.js";
import { DagmanFiles } from "./dagman-files.js";
import { type DagmanExit, dagmanExit, type Inbox, ULOG_EVENT } from "./dagman-types.js";
import { JobLauncher } from "./job-launcher.js";
import { type NodeRun, S } from "./node.js";
import { NodeBook } from "./node-book.js";
import { type DecidedBy, nodeVerdict } from "./node-verdict.js";
import { applyNewestRescue } from "./rescue-apply.js";
import { ScanTimer } from "./scan-timer.js";
import { ScriptRunner } from "./script-runner.js";
import { SubmitGate, scriptDeferralNotes } from "./submit-gate.js";
import { refuseUnsimulated } from "./unsimulated.js";

export type { DagmanExit } from "./dagman-types.js";

/**
 * One condor_dagman process running one DAG file, with DAGMan's semantics: PRE -> job ->
 * POST per node, the POST (else the job, else the PRE) deciding, RETRY ... UNLESS-EXIT,
 * ABORT-DAG-ON, CATEGORY/MAXJOBS at submission, SUBDAG EXTERNAL as a nested DAGMan, a
 * node status file, dagman.out lines, a metrics file and a rescue DAG on failure.
 * Submit files and nested DAG files are read when their node is submitted.
 */
export class DagmanProcess {
  readonly nodes: NodeRun[] = [];
  readonly byName = new Map<string, NodeRun>();
  /** Counts per state, the READY nodes and status-file changes (set up by `start`). */
  book!: NodeBook;
  readonly settings: DagmanSettings;
  /** condor_dagman's arguments as `.dagman.out` lists them (the throttles given to the top DAG). */
  readonly argv: readonly string[];
  readonly dagmanId: number;
  readonly files: DagmanFiles;
  /** How this process resolves, names and reads its input files. */
  readonly inputs: DagInputs;
  private readonly jobs: JobLauncher;
  private model!: DagModel;
  private inbox: Inbox[] = [];
  private readonly scripts: ScriptRunner;
  private aborting: { returnValue: number } | undefined;
  private removed = false;
  private finished = false;
  private readonly timer: ScanTimer;
  private rescueUsed = 0;
  private readonly throttle: CategoryThrottle;
  private readonly gate: SubmitGate;

  constructor(
    readonly ctx: SimContext,
    readonly dagFile: string,
    /** Working directory: where relative paths of the DAG resolve. */
    readonly cwd: string,
    private readonly onExit: (exit: DagmanExit) => void,
    readonly parent?: DagmanProcess,
  ) {
    this.dagmanId = ctx.nextLocalClusterId();
    ctx.stats.dagmans++;
    this.inputs = new DagInputs(ctx.fs, ctx.root, cwd, parent?.dagFile);
    this.model = this.inputs.readValue(dagFile, DAG_FILE);
    validateDag(this.model, dagFile);
    refuseUnsimulated(this.model, dagFile);
    this.throttle = new CategoryThrottle(this.model.maxJobs);
    const partial = !parent && this.model.config ? this.inputs.readConfig(this.model.config) : {};
    // condor_submit_dag's throttles are not passed down to sub-DAGs.
    const flags = parent ? {} : ctx.throttles;
    this.argv = ["condor_dagman", ...throttleArgs(flags, "condor_submit_dag")];
    this.settings = settingsFrom(partial, flags);
    this.gate = new SubmitGate(this.settings, this, this.throttle);
    this.files = new DagmanFiles(ctx, this);
    this.jobs = new JobLauncher(ctx, this);
    this.scripts = new ScriptRunner(ctx, this, this.jobs);
    this.timer = new ScanTimer(ctx.sim, this.settings.scanIntervalSec, () => this.tick());
  }

  /** Start: apply the newest rescue DAG, mark ready nodes, schedule the first pass. */
  start(): void {
    buildGraph(this.model, (def) => (def.dir ? this.inputs.resolve(def.dir) : this.cwd), this);
    const strict = this.settings.useStrict > 0;
    this.rescueUsed = applyNewestRescue(this.ctx.fs, this.dagFile, this.byName, strict);
    initialStates(this.nodes);
    // From here on every change of state, retries, held or idle goes through the book.
    this.book = new NodeBook(this.nodes);
    this.files.started(this.rescueUsed);
    this.timer.start();
  }

  /** condor_rm of this DAGMan job: remove every node job, write a rescue DAG, exit. */
  remove(): void {
    if (this.finished) return;
    this.removed = true;
    this.killJobs();
    this.finish();
  }

  /** A nested DAGMan for a SUBDAG EXTERNAL node (not started yet). */
  spawnChild(dagFile: string, cwd: string, onExit: (exit: DagmanExit) => void): DagmanProcess {
    return new DagmanProcess(this.ctx, dagFile, cwd, onExit, this);
  }

  get nodeStatusFileDef(): DagModel["nodeStatusFile"] {
    return this.model.nodeStatusFile;
  }

  private relDag?: string;
  /** The DAG file relative to the simulation root, worked out once. */
  get relDagFile(): string {
    this.relDag ??= this.inputs.rel(this.dagFile);
    return this.relDag;
  }

  out(r: DagmanOutRecord): void {
    this.files.out(r);
  }

  // ---- events from jobs, scripts and nested DAGMans -------------------------------------

  post(item: Inbox): void {
    this.inbox.push(item);
    this.wake();
  }

  private wake(): void {
    if (!this.finished) this.timer.wake();
  }

  private tick(): void {
    if (this.finished) return;
    try {
      this.pass();
    } catch (e) {
      this.ctx.fatal ??= e as Error;
      this.ctx.sim.stop();
    }
  }

  /** One pass of DAGMan's main loop: events, scripts, submissions, status file, exit. */
  private pass(): void {
    const items = this.inbox;
    this.inbox = [];
    for (const it of items) this.handle(it);
    if (this.aborting) {
      this.killJobs();
      if (!this.busy()) this.finish();
      return;
    }
    this.startWork();
    const due = this.files.maybeWriteStatus(false);
    if (due !== undefined) this.timer.wakeAt(due);
    if (!this.busy() && !this.book.anyReady) {
      const final = this.nodes.find((n) => n.def.kind === "FINAL" && n.state === S.NOT_READY);
      if (final) {
        this.book.setState(final, S.READY);
        this.startWork();
        return;
      }
      this.finish();
    }
  }

  private handle(it: Inbox): void {
    const n = it.node;
    if (it.kind === "script") {
      if (it.which === "PRE") this.preEnded(n, it.code);
      else this.postEnded(n, it.code);
      return;
    }
    if (it.kind === "script-due") {
      if (!this.aborting && !this.removed) this.scripts.due(n, it.which);
      return;
    }
    this.out({
      kind: "event",
      time: this.ctx.sim.now,
      event: ULOG_EVENT[it.kind],
      node: n.def.name,
      jobId: formatJobId(n.cluster ?? 0),
      eventTime: it.time,
    });
    switch (it.kind) {
      case "execute":
        this.book.setFlags(n, n.held, false);
        n.details = "";
        return;
      case "held":
        this.book.setFlags(n, true, n.idle);
        n.details = "held";
        return;
      case "released":
        this.book.setFlags(n, false, true);
        n.details = "idle";
        return;
      case "terminated":
        this.jobEnded(n, it.ret);
        return;
      case "aborted":
        // A job removed from the queue: $RETURN is -1002 (external removal).
        this.jobEnded(n, -1002);
        return;
    }
  }

  // ---- node lifecycle ---------------------------------------------------------------

  private startWork(): void {
    if (!this.book.anyReady) return;
    let submits = 0;
    let leftForNextPass = false;
    for (const n of this.book.readyInOrder()) {
      if (n.state !== S.READY || this.aborting) continue;
      if (n.def.pre && !n.preDone) {
        this.scripts.startPre(n);
        continue;
      }
      if (submits >= this.settings.maxSubmitsPerInterval) {
        leftForNextPass = true;
        continue;
      }
      if (!this.gate.admits(n.def.category)) continue;
      submits++;
      this.submit(n);
    }
    // Nodes held back by the limit per pass go at the next pass, whatever else happens.
    if (leftForNextPass) this.timer.wake();
  }

  private submit(n: NodeRun): void {
    this.book.setState(n, S.SUBMITTED);
    n.submittedAt = this.ctx.sim.now;
    this.throttle.queued(n.def.category);
    if (n.def.noop) {
      n.cluster = 0;
      this.ctx.sim.after(0, () =>
        this.post({ kind: "terminated", node: n, time: this.ctx.sim.now, ret: 0 }),
      );
      return;
    }
    this.files.submitting(n);
    if (n.def.kind === "SUBDAG") this.jobs.startSubdag(n);
    else this.jobs.submitJob(n);
    this.book.setFlags(n, n.held, true);
    n.details = "idle";
    this.files.submitted(n);
  }

  private jobEnded(n: NodeRun, ret: number): void {
    this.throttle.left(n.def.category);
    if (this.aborting || this.removed) {
      this.book.setState(n, S.ERROR);
      n.details = "Job removed: DAG is exiting";
      return;
    }
    n.jobReturn = ret;
    this.book.setFlags(n, false, false);
    if (ret !== 0 && !n.def.noop) this.files.jobFailed(n, ret);
    if (n.def.post) {
      this.book.setState(n, S.POSTRUN);
      n.details = "";
      this.scripts.startPost(n);
      return;
    }
    this.decide(n, ret, "job");
  }

  private preEnded(n: NodeRun, code: number): void {
    this.scripts.preEnded();
    n.preReturn = code;
    if (code === 0) {
      n.preDone = true;
      this.book.setState(n, S.READY);
      return;
    }
    if (code === n.def.preSkip) {
      // PRE_SKIP: the job and the POST are skipped, and the node has succeeded.
      const text = `PRE_SKIP return value ${code} indicates we are done (successfully) with node ${n.def.name}`;
      this.out({ kind: "text", time: this.ctx.sim.now, text });
      this.decide(n, 0, "pre");
      return;
    }
    n.jobReturn = -1004;
    if (this.settings.alwaysRunPost && n.def.post) {
      this.book.setState(n, S.POSTRUN);
      this.scripts.startPost(n);
      return;
    }
    this.decide(n, code, "pre");
  }

  private postEnded(n: NodeRun, code: number): void {
    if (code !== 0) this.files.postFailed(n, code);
    this.scripts.postEnded();
    this.decide(n, code, "post");
  }

  /** The last component that ran decides; then ABORT-DAG-ON, RETRY or ERROR. */
  private decide(n: NodeRun, value: number, by: DecidedBy): void {
    const v = nodeVerdict(n.def, n.retry, value, by, n.cluster ?? 0);
    const now = this.ctx.sim.now;
    switch (v.kind) {
      case "done":
        this.book.setState(n, S.DONE);
        n.details = "";
        releaseChildren(this.book, n);
        return;
      case "abort":
        this.book.setState(n, S.ERROR);
        n.details = `DAG abort: node returned ${value}`;
        this.aborting = { returnValue: v.returnValue };
        this.out({ kind: "text", time: now, text: v.text });
        return;
      case "retry":
        this.book.addRetry(n);
        this.jobs.resetAttempt(n);
        n.preDone = false;
        this.book.setState(n, S.READY);
        n.details = "";
        this.files.retrying(n, v.maxRetries);
        return;
      case "error":
        this.book.setState(n, S.ERROR);
        n.details = v.details;
        markFutile(this.book, n);
    }
  }

  // ---- end of the DAG ------------------------------------------------------------------

  private busy(): boolean {
    return (
      this.scripts.running > 0 ||
      this.inbox.length > 0 ||
      this.book.counts[S.SUBMITTED] + this.book.counts[S.PRERUN] + this.book.counts[S.POSTRUN] > 0
    );
  }

  private killJobs(): void {
    for (const n of this.nodes) {
      if (n.state === S.SUBMITTED) this.jobs.kill(n);
    }
    for (const n of this.scripts.dropDeferred()) {
      this.book.setState(n, S.ERROR);
      n.details = "Deferred script not run: DAG is exiting";
    }
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.jobs.stopWatching();
    const failed = this.nodes.filter((n) => n.state !== S.DONE).length;
    const exit = dagmanExit(failed, this.removed, this.aborting);
    if (exit.exitCode !== 0 || exit.dagStatus !== 0) {
      if (failed > 0 || this.removed) exit.rescueFile = this.files.writeRescue();
    }
    this.files.finished(exit, this.timer.startTime, this.rescueUsed, [
      ...this.gate.notes(),
      ...scriptDeferralNotes(this.scripts, this.settings),
    ]);
    this.onExit(exit);
  }

  /** Nodes in a state, for the status file and reports. */
  count(state: number): number {
    return this.nodes.length === 0 ? 0 : this.book.counts[state];
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Write out the `.dagman.out` lines held back, this DAGMan's and its sub-DAGs'. */
  flushFiles(): void {
    this.files.flush();
    for (const n of this.nodes) n.inner?.flushFiles();
  }
}
