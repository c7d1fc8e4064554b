import type { HoldInfo, ImageSizeInfo, JobExit, PoolJob, PoolListener } from "../pool/types.js";
import type { DagmanProcess } from "./dagman.js";
import type { NodeRun } from "./node.js";
import type { HeldPolicy } from "./schedd-policy.js";

/** What the listener of a node's job asks of its launcher. */
export interface NodeJobHost {
  readonly d: DagmanProcess;
  readonly now: number;
  /** The schedd's periodic policy for the job, from the moment it was held. */
  schedulePolicy(n: NodeRun, job: PoolJob, policy: HeldPolicy, heldAt: number): void;
  /** The schedd's periodic_remove for the job, from the moment it became idle or running. */
  watchRemoval(n: NodeRun, job: PoolJob, policy: HeldPolicy): void;
}

/**
 * What happens to a node's job in the pool, passed on to the job logs (when written) and, as
 * inbox items, to the node's DAGMan. One object per job, its methods shared.
 */
export class NodeJobListener implements PoolListener {
  constructor(
    private readonly host: NodeJobHost,
    private readonly n: NodeRun,
    private readonly policy: HeldPolicy,
    private readonly logs: PoolListener | undefined,
  ) {}

  onSubmit(job: PoolJob): void {
    this.logs?.onSubmit?.(job);
    this.host.watchRemoval(this.n, job, this.policy);
  }

  onExecute(job: PoolJob): void {
    this.logs?.onExecute?.(job);
    this.host.d.post({ kind: "execute", node: this.n, time: this.host.now });
    this.host.watchRemoval(this.n, job, this.policy);
  }

  onImageSize(job: PoolJob, usage: ImageSizeInfo): void {
    this.logs?.onImageSize?.(job, usage);
  }

  onTerminate(job: PoolJob, exit: JobExit): void {
    this.logs?.onTerminate?.(job, exit);
    const n = this.n;
    const now = this.host.now;
    const ret = exit.signal !== undefined ? -exit.signal : exit.exitCode;
    n.plan?.complete(now);
    n.plan = undefined;
    this.host.d.post({ kind: "terminated", node: n, time: now, ret });
  }

  onHold(job: PoolJob, hold: HoldInfo): void {
    this.logs?.onHold?.(job, hold);
    const n = this.n;
    n.holdCode = hold.code;
    n.holdSubCode = hold.subCode;
    this.host.d.post({ kind: "held", node: n, time: this.host.now });
    this.host.schedulePolicy(n, job, this.policy, this.host.now);
  }

  onRelease(job: PoolJob): void {
    this.logs?.onRelease?.(job);
    this.host.d.post({ kind: "released", node: this.n, time: this.host.now });
    this.host.watchRemoval(this.n, job, this.policy);
  }

  onRemove(job: PoolJob, info: { reason: string; wasRunning: boolean }): void {
    this.logs?.onRemove?.(job, info);
    this.host.d.post({ kind: "aborted", node: this.n, time: this.host.now });
  }
}
