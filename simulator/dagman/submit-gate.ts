import type { CategoryThrottle } from "./category-throttle.js";
import type { DagmanSettings } from "./context.js";
import { S } from "./node.js";
import type { NodeBook } from "./node-book.js";

/** DAGMAN_MAX_HOLD_SCRIPTS' default: HOLD scripts are kept by the parser, never run here. */
const MAX_HOLD_SCRIPTS = 20;

/**
 * Whether DAGMan submits a ready node's job now, by its limits on the node jobs in the queue
 * (DAGMAN_MAX_JOBS_SUBMITTED, -maxjobs), on the idle ones (DAGMAN_MAX_JOBS_IDLE, -maxidle)
 * and on the jobs of the node's CATEGORY (MAXJOBS); PRE scripts are not held back by them.
 * Every node held back in a pass is a deferral, as DAGMan counts them for its exit notes.
 *
 * Idle jobs are counted from the moment DAGMan submits them (DAGMan itself counts them when it
 * reads their submit events, a pass later, so it can go over the limit by one pass of
 * submissions; the simulated DAGMan never does).
 */
export class SubmitGate {
  private maxJobsDeferrals = 0;
  private maxIdleDeferrals = 0;
  private categoryDeferrals = 0;

  constructor(
    private readonly settings: DagmanSettings,
    private readonly d: { readonly book: NodeBook },
    private readonly throttle: CategoryThrottle,
  ) {}

  /** True when a ready node of this category may be submitted now; else a deferral is counted. */
  admits(category: string | undefined): boolean {
    const { maxJobsSubmitted, maxJobsIdle } = this.settings;
    const book = this.d.book;
    if (maxJobsSubmitted > 0 && book.counts[S.SUBMITTED] >= maxJobsSubmitted) {
      this.maxJobsDeferrals++;
      return false;
    }
    if (maxJobsIdle > 0 && book.idleJobs >= maxJobsIdle) {
      this.maxIdleDeferrals++;
      return false;
    }
    if (this.throttle.full(category)) {
      this.categoryDeferrals++;
      return false;
    }
    return true;
  }

  /** DAGMan's `Note:` lines on job deferrals, written when it exits. */
  notes(): string[] {
    const s = this.settings;
    return [
      `Note: ${this.maxJobsDeferrals} total job deferrals because of -MaxJobs limit (${s.maxJobsSubmitted})`,
      `Note: ${this.maxIdleDeferrals} total job deferrals because of -MaxIdle limit (${s.maxJobsIdle})`,
      `Note: ${this.categoryDeferrals} total job deferrals because of node category throttles`,
    ];
  }
}

/** DAGMan's `Note:` lines on script deferrals (the limits or SCRIPT DEFER), written at exit. */
export function scriptDeferralNotes(
  scripts: { readonly preDeferrals: number; readonly postDeferrals: number },
  settings: DagmanSettings,
): string[] {
  return [
    `Note: ${scripts.preDeferrals} total PRE script deferrals because of -MaxPre limit (${settings.maxPreScripts}) or DEFER`,
    `Note: ${scripts.postDeferrals} total POST script deferrals because of -MaxPost limit (${settings.maxPostScripts}) or DEFER`,
    `Note: 0 total HOLD script deferrals because of -MaxHold limit (${MAX_HOLD_SCRIPTS}) or DEFER`,
  ];
}
