import type { SimContext } from "./context.js";
import type { DagmanProcess } from "./dagman.js";
import type { Inbox } from "./dagman-types.js";
import type { JobLauncher } from "./job-launcher.js";
import { type NodeRun, S } from "./node.js";
import { scriptContext } from "./script-context.js";

/** The inbox item of a PRE or POST script's end. */
type ScriptEnd = Extract<Inbox, { kind: "script" }>;

/**
 * The PRE and POST scripts of one DAGMan process: how many run (DAGMAN_MAX_PRE_SCRIPTS and
 * DAGMAN_MAX_POST_SCRIPTS), the POSTs waiting for a free place in file order, running a
 * script's model, and telling DAGMan of its end at the script's virtual end time.
 *
 * `SCRIPT DEFER status time`: a script that exits with `status` has not ended for DAGMan;
 * it gives up its place, its node stays PRERUN or POSTRUN, and it runs again `time`
 * seconds later (at DAGMan's next pass), the limits applying as to any start. Its retries
 * are untouched and no POST_SCRIPT_TERMINATED event is logged for it.
 */
export class ScriptRunner {
  private runningPre = 0;
  private runningPost = 0;
  private readonly deferredPost: NodeRun[] = [];
  /** Nodes whose PRE waits for a place (counted once as deferred while it waits). */
  private readonly waitingPre = new Set<NodeRun>();
  /** Nodes whose script was deferred by SCRIPT DEFER and is not yet due. */
  private readonly deferred = new Set<NodeRun>();
  /** Scripts held back by the limits or by SCRIPT DEFER, as DAGMan counts them at exit. */
  preDeferrals = 0;
  postDeferrals = 0;

  constructor(
    private readonly ctx: SimContext,
    private readonly d: DagmanProcess,
    private readonly jobs: JobLauncher,
  ) {}

  /** Scripts running now. */
  get running(): number {
    return this.runningPre + this.runningPost;
  }

  /** Start the node's PRE script; false when the PRE limit is reached (the node waits). */
  startPre(n: NodeRun): boolean {
    const max = this.d.settings.maxPreScripts;
    if (max > 0 && this.runningPre >= max) {
      if (!this.waitingPre.has(n)) {
        this.waitingPre.add(n);
        this.preDeferrals++;
      }
      return false;
    }
    if (this.waitingPre.size > 0) this.waitingPre.delete(n);
    this.run(n, "PRE");
    return true;
  }

  /** Start the node's POST script, or queue it until a POST ends. */
  startPost(n: NodeRun): void {
    const max = this.d.settings.maxPostScripts;
    if (max === 0 || this.runningPost < max) this.run(n, "POST");
    else {
      this.deferredPost.push(n);
      this.postDeferrals++;
    }
  }

  /**
   * A script deferred by SCRIPT DEFER is due (DAGMan's pass): it runs again, a PRE that finds
   * no place going back to READY to wait for one.
   */
  due(n: NodeRun, which: "PRE" | "POST"): void {
    if (!this.deferred.delete(n)) return;
    if (which === "POST") this.startPost(n);
    else if (!this.startPre(n)) this.d.book.setState(n, S.READY);
  }

  /** The nodes whose deferred script is not yet due, forgotten (the DAG is exiting). */
  dropDeferred(): NodeRun[] {
    const nodes = [...this.deferred];
    this.deferred.clear();
    return nodes;
  }

  preEnded(): void {
    this.runningPre--;
  }

  /** A POST ended: the first waiting POST, if any, takes its place. */
  postEnded(): void {
    this.runningPost--;
    const next = this.deferredPost.shift();
    if (next) this.run(next, "POST");
  }

  private run(n: NodeRun, which: "PRE" | "POST"): void {
    const script = which === "PRE" ? n.def.pre! : n.def.post!;
    const d = this.d;
    if (which === "PRE") {
      this.runningPre++;
      d.book.setState(n, S.PRERUN);
    } else this.runningPost++;
    const model = this.ctx.models.scriptFor(script.executable, d.dagFile);
    this.ctx.stats.scriptsRun++;
    const res = model(
      scriptContext(
        this.ctx,
        n,
        which,
        { file: d.dagFile, relFile: d.relDagFile, failedCount: d.book.counts[S.ERROR] },
        {
          info: which === "POST" ? this.jobs.jobInfo(n) : undefined,
          matchedSite: this.jobs.siteOf(n),
        },
      ),
    );
    const done = this.ctx.sim.now + Math.max(0, res.durationSec);
    const end: ScriptEnd = { kind: "script", node: n, time: done, which, code: res.exitCode };
    this.ctx.sim.at(done, this.ended, end);
  }

  /**
   * A script ends (the POST's event goes to the node log) and DAGMan hears of it. Given
   * the inbox item as the event's argument: no closure per script while it runs.
   */
  private readonly ended = (end: ScriptEnd): void => {
    const n = end.node;
    const defer = (end.which === "PRE" ? n.def.pre : n.def.post)?.defer;
    if (defer !== undefined && end.code === defer.status) {
      this.defer(n, end.which, defer.time);
      return;
    }
    if (end.which === "POST") this.jobs.logPostScript(n, end.code, end.time);
    this.d.post(end);
  };

  private defer(n: NodeRun, which: "PRE" | "POST", sec: number): void {
    this.deferred.add(n);
    if (which === "PRE") {
      this.preDeferrals++;
      this.preEnded();
    } else {
      this.postDeferrals++;
      this.postEnded();
    }
    this.ctx.sim.after(Math.max(0, sec), () =>
      this.d.post({ kind: "script-due", node: n, time: this.ctx.sim.now, which }),
    );
  }
}
