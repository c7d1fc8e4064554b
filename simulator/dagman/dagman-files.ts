import { basename, dirname, join } from "node:path";
import {
  type DagmanOutRecord,
  formatDagMetrics,
  formatDagmanOutLine,
  formatJobId,
  formatRescueDag,
  type NodeStatusAd,
  type NodeStatusSnapshot,
  nextRescueName,
} from "../../src/dagman/index.js";
import { NODE_STATUS_FILE } from "../file-codecs.js";
import { appendFileValue, writeFileValue } from "../fs.js";
import type { SimContext } from "./context.js";
import type { DagmanExit, DagmanProcess } from "./dagman.js";
import { type NodeRun, S } from "./node.js";

/** HTCondor version the simulated DAGMan reports in its files. */
export const SIM_CONDOR_VERSION = "23.0.3";

/**
 * The files a DAGMan process writes next to its DAG: `<dag>.dagman.out`, the node status
 * file (when NODE_STATUS_FILE is set), `<dag>.metrics` at exit and `<dag>.rescueNNN` on
 * failure.
 */
export class DagmanFiles {
  readonly outFile: string;
  private lastStatusWrite = Number.NEGATIVE_INFINITY;
  private readonly statusFile?: string;
  private readonly minUpdate: number;
  private pending: DagmanOutRecord[] = [];

  constructor(
    private readonly ctx: SimContext,
    private readonly d: DagmanProcess,
  ) {
    this.outFile = `${d.dagFile}.dagman.out`;
    const nsf = d.nodeStatusFileDef;
    if (nsf) this.statusFile = d.inputs.resolve(nsf.file);
    // Never more often than the log scan interval; 60 s when the DAG says nothing.
    this.minUpdate = Math.max(nsf?.minUpdateSeconds ?? 60, d.settings.scanIntervalSec);
  }

  out(r: DagmanOutRecord): void {
    this.pending.push(r);
    if (this.pending.length >= 64) this.flush();
  }

  // ---- what .dagman.out says of a node --------------------------------------------------

  submitting(n: NodeRun): void {
    this.out({ kind: "submitting", time: this.ctx.sim.now, node: n.def.name });
  }

  /** The node's job is in the queue: its id, and the submit event DAGMan read. */
  submitted(n: NodeRun): void {
    const now = this.ctx.sim.now;
    // One string for both lines: the records are kept until dagman.out is written.
    const jobId = formatJobId(n.cluster ?? 0);
    this.out({ kind: "assigned", time: now, jobId });
    this.out({
      kind: "event",
      time: now,
      event: "ULOG_SUBMIT",
      node: n.def.name,
      jobId,
      eventTime: now,
    });
  }

  jobFailed(n: NodeRun, status: number): void {
    const jobId = formatJobId(n.cluster ?? 0);
    this.out({ kind: "node-failed", time: this.ctx.sim.now, node: n.def.name, jobId, status });
  }

  postFailed(n: NodeRun, status: number): void {
    this.out({ kind: "post-failed", time: this.ctx.sim.now, node: n.def.name, status });
  }

  retrying(n: NodeRun, maxRetries: number): void {
    const time = this.ctx.sim.now;
    this.out({ kind: "retrying", time, node: n.def.name, retry: n.retry, maxRetries });
  }

  flush(): void {
    if (this.pending.length === 0) return;
    appendFileValue(this.ctx.fs, this.outFile, formatOutLines, this.pending);
    this.pending = [];
  }

  started(rescueNumber: number): void {
    const t = this.ctx.sim.now;
    const text = (s: string) => this.out({ kind: "text", time: t, text: s });
    text("******************************************************");
    text(`** condor_scheduniv_exec.${this.d.dagmanId}.0 (CONDOR_DAGMAN) STARTING UP`);
    text(`** $CondorVersion: ${SIM_CONDOR_VERSION} (WMS2 simulator) $`);
    text("******************************************************");
    for (let i = 0; i < this.d.argv.length; i++) text(`argv[${i}] == "${this.d.argv[i]}"`);
    text(`Parsing 1 dagfiles`);
    text(`Parsing ${this.d.dagFile} ...`);
    if (rescueNumber > 0)
      text(
        `Found rescue DAG number ${rescueNumber}; running ${basename(this.d.dagFile)}.rescue${String(rescueNumber).padStart(3, "0")} in combination with normal DAG file`,
      );
    text(`Dag contains ${this.d.nodes.length} total jobs`);
    this.maybeWriteStatus(true);
  }

  /**
   * Rewrite the status file when due and something changed (or always when forced).
   * Returns the time of the next write that a change is waiting for, if any.
   */
  maybeWriteStatus(force: boolean): number | undefined {
    if (!this.statusFile) return undefined;
    const now = this.ctx.sim.now;
    const book = this.d.book;
    if (!force && !book.changedSinceShown) return undefined;
    if (!force && now - this.lastStatusWrite < this.minUpdate)
      return this.lastStatusWrite + this.minUpdate;
    book.markShown();
    this.lastStatusWrite = now;
    writeFileValue(this.ctx.fs, this.statusFile, NODE_STATUS_FILE, this.snapshot(false));
    return undefined;
  }

  /** Each node's ad in the last snapshot: a node that did not change keeps its (frozen) ad. */
  private readonly ads: NodeStatusAd[] = [];

  private nodeAd(n: NodeRun, i: number): NodeStatusAd {
    const queued = n.state === S.SUBMITTED ? 1 : 0;
    const held = n.state === S.SUBMITTED && n.held ? 1 : 0;
    const last = this.ads[i];
    if (
      last !== undefined &&
      last.nodeStatus === n.state &&
      last.statusDetails === n.details &&
      last.retryCount === n.retry &&
      last.jobProcsQueued === queued &&
      last.jobProcsHeld === held
    ) {
      return last;
    }
    const ad = Object.freeze({
      node: n.def.name,
      nodeStatus: n.state,
      statusDetails: n.details,
      retryCount: n.retry,
      jobProcsQueued: queued,
      jobProcsHeld: held,
    });
    this.ads[i] = ad;
    return ad;
  }

  snapshot(ended: boolean): NodeStatusSnapshot {
    const now = this.ctx.sim.now;
    const d = this.d;
    let held = 0;
    let idle = 0;
    for (const n of d.nodes) {
      if (n.state !== S.SUBMITTED) continue;
      if (n.held) held++;
      if (n.idle || n.held) idle++;
    }
    const failed = d.count(S.ERROR);
    const done = d.count(S.DONE);
    const dagStatus = !ended ? S.SUBMITTED : failed > 0 || done < d.nodes.length ? S.ERROR : S.DONE;
    return {
      dag: {
        dagFiles: [basename(d.dagFile)],
        timestamp: Math.floor(now),
        dagStatus,
        nodesTotal: d.nodes.length,
        nodesDone: done,
        nodesPre: d.count(S.PRERUN),
        nodesQueued: d.count(S.SUBMITTED),
        nodesPost: d.count(S.POSTRUN),
        nodesReady: d.count(S.READY),
        nodesUnready: d.count(S.NOT_READY),
        nodesFutile: d.count(S.FUTILE),
        nodesFailed: failed,
        jobProcsHeld: held,
        jobProcsIdle: idle,
      },
      nodes: d.nodes.map((n, i) => this.nodeAd(n, i)),
      end: {
        endTime: Math.floor(now),
        nextUpdate: ended ? 0 : Math.floor(now + this.minUpdate),
      },
    };
  }

  writeRescue(): string | undefined {
    const d = this.d;
    if (d.settings.maxRescueNum <= 0) return undefined;
    const dir = dirname(d.dagFile);
    const base = basename(d.dagFile);
    const name = nextRescueName(this.ctx.fs.list(dir), base, d.settings.maxRescueNum);
    if (!name) return undefined;
    const file = join(dir, name);
    const done = d.nodes.filter((n) => n.state === S.DONE).map((n) => n.def.name);
    const failed = d.nodes.filter((n) => n.state === S.ERROR).map((n) => n.def.name);
    this.ctx.fs.writeText(
      file,
      formatRescueDag({
        dagFile: d.dagFile,
        created: new Date(this.ctx.sim.now * 1000),
        totalNodes: d.nodes.length,
        doneNodes: done,
        failedNodes: failed,
      }),
    );
    this.out({ kind: "rescue", time: this.ctx.sim.now, file });
    return file;
  }

  /** The DAG ended: last status file, metrics file, and the exit lines (`notes` among them). */
  finished(exit: DagmanExit, startTime: number, rescueUsed: number, notes: string[]): void {
    const d = this.d;
    const now = this.ctx.sim.now;
    if (this.statusFile)
      writeFileValue(this.ctx.fs, this.statusFile, NODE_STATUS_FILE, this.snapshot(true));
    const isSub = (k: string) => k === "SUBDAG";
    const jobs = d.nodes.filter((n) => !isSub(n.def.kind));
    const subs = d.nodes.filter((n) => isSub(n.def.kind));
    const ok = (ns: typeof jobs) => ns.filter((n) => n.state === S.DONE).length;
    const bad = (ns: typeof jobs) => ns.filter((n) => n.state === S.ERROR).length;
    this.ctx.fs.writeText(
      `${d.dagFile}.metrics`,
      formatDagMetrics(
        {
          client: "condor_dagman",
          version: SIM_CONDOR_VERSION,
          type: "metrics",
          startTime,
          endTime: now,
          duration: now - startTime,
          exitcode: exit.exitCode,
          dagmanId: String(d.dagmanId),
          parentDagmanId: d.parent ? String(d.parent.dagmanId) : "",
          rescueDagNumber: rescueUsed,
          jobs: jobs.length,
          jobsFailed: bad(jobs),
          jobsSucceeded: ok(jobs),
          dagJobs: subs.length,
          dagJobsFailed: bad(subs),
          dagJobsSucceeded: ok(subs),
          totalJobs: d.nodes.length,
          totalJobsRun: d.nodes.filter((n) => n.submittedAt !== undefined).length,
          dagStatus: exit.dagStatus,
        },
        1,
      ),
    );
    this.out({
      kind: "text",
      time: now,
      text: `DAG status: ${exit.dagStatus} (${DAG_STATUS_NAMES[exit.dagStatus] ?? "DAG_STATUS_ERROR"})`,
    });
    for (const text of notes) this.out({ kind: "text", time: now, text });
    this.out({
      kind: "exiting",
      time: now,
      dagmanCluster: d.dagmanId,
      pid: 1000 + (d.dagmanId % 30000),
      status: exit.exitCode,
    });
    this.flush();
  }
}

/** Lines of `dagman.out`, each with its newline. */
function formatOutLines(records: readonly DagmanOutRecord[]): string {
  let text = "";
  for (const r of records) text += `${formatDagmanOutLine(r)}\n`;
  return text;
}

const DAG_STATUS_NAMES: Record<number, string> = {
  0: "DAG_STATUS_OK",
  1: "DAG_STATUS_ERROR",
  2: "DAG_STATUS_NODE_FAILED",
  3: "DAG_STATUS_ABORT",
  4: "DAG_STATUS_RM",
  5: "DAG_STATUS_CYCLE",
  6: "DAG_STATUS_HALTED",
};
