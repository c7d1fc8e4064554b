import type { Simulation } from "../core/simulation.js";
import type { PoolJob } from "../pool/types.js";
import type { NodeRun } from "./node.js";
import { type HeldPolicy, nextEvaluation, type RemovalClass } from "./schedd-policy.js";

/** What to do when a job's periodic_remove evaluation is due (the job still in its state). */
export type RemovalCheck = (n: NodeRun, job: PoolJob, policy: HeldPolicy) => void;

/**
 * Jobs of one class (one policy, one status) waiting for their periodic_remove evaluation,
 * in the order they entered their state, hence of their evaluation times; one timer for
 * the first.
 */
class ClassQueue {
  readonly jobs: (PoolJob | undefined)[] = [];
  readonly nodes: (NodeRun | undefined)[] = [];
  readonly since: number[] = [];
  head = 0;

  constructor(
    readonly policy: HeldPolicy,
    readonly status: number,
    readonly age: number,
  ) {}
}

/**
 * The schedd's periodic_remove evaluations of one DAGMan's idle and running jobs. A job
 * entering a state joins the queue of its class, whose evaluations all fall the class's
 * firing age after their entry: one timer serves the whole queue, so the many jobs whose
 * policy cannot fire for hours cost no event each. A job whose evaluation comes after it
 * left the state is skipped.
 */
export class RemovalWatches {
  private readonly queues = new Map<RemovalClass, ClassQueue>();
  private stopped = false;

  constructor(
    private readonly sim: Simulation,
    private readonly intervalSec: number,
    private readonly check: RemovalCheck,
  ) {}

  /** The job entered a state now (its class's queue) or is to be evaluated at `at` alone. */
  add(n: NodeRun, job: PoolJob, policy: HeldPolicy, cls: RemovalClass): void {
    if (cls.age === undefined || this.stopped) return;
    let q = this.queues.get(cls);
    if (q === undefined) {
      q = new ClassQueue(policy, job.status, cls.age);
      this.queues.set(cls, q);
    }
    q.jobs.push(job);
    q.nodes.push(n);
    q.since.push(job.enteredCurrentStatus);
    if (q.jobs.length - q.head === 1) this.arm(q);
  }

  /** One job's evaluation at `at` (a job whose class could not be shared). */
  addAt(at: number, n: NodeRun, job: PoolJob, policy: HeldPolicy): void {
    if (this.stopped) return;
    const since = job.enteredCurrentStatus;
    const status = job.status;
    this.sim.at(at, () => {
      if (!this.stopped && job.status === status && job.enteredCurrentStatus === since) {
        this.check(n, job, policy);
      }
    });
  }

  /** The DAGMan exits: no evaluation is due any more. */
  stop(): void {
    this.stopped = true;
  }

  private arm(q: ClassQueue): void {
    this.sim.at(nextEvaluation(q.since[q.head] + q.age, this.intervalSec), this.due, q);
  }

  private readonly due = (q: ClassQueue): void => {
    if (this.stopped) return;
    const now = this.sim.now;
    while (q.head < q.jobs.length) {
      const at = nextEvaluation(q.since[q.head] + q.age, this.intervalSec);
      if (at > now) break;
      const job = q.jobs[q.head] as PoolJob;
      const n = q.nodes[q.head] as NodeRun;
      const since = q.since[q.head];
      q.jobs[q.head] = undefined;
      q.nodes[q.head] = undefined;
      q.head++;
      // A job that changed state since, even within the same second, is watched anew.
      if (job.status === q.status && job.enteredCurrentStatus === since) {
        this.check(n, job, q.policy);
      }
    }
    if (q.head > 1024 && q.head * 2 > q.jobs.length) {
      q.jobs.splice(0, q.head);
      q.nodes.splice(0, q.head);
      q.since.splice(0, q.head);
      q.head = 0;
    }
    if (q.head < q.jobs.length) this.arm(q);
  };
}
