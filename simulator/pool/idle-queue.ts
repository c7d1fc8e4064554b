import type { JobRecord } from "./job-record.js";

/** Negotiation order: priority high first, then cluster id. */
function before(a: JobRecord, b: JobRecord): number {
  return b.priority - a.priority || a.id - b.id;
}

/**
 * The matchable idle jobs in negotiation order. Jobs come in mostly in that order (cluster
 * ids grow, priorities rarely differ), so the order is kept as jobs are added and the list
 * is sorted again only when one comes in out of order (a release, an edit, a higher
 * priority). A job that leaves keeps a dead place, swept out once they pile up: a cycle
 * costs the jobs it looks at, not a sort of the whole queue.
 *
 * A place is a job and the ticket it was given when it came in; the place is live while
 * the job still holds that ticket (`JobRecord.idleTicket`, 0 once it left). So a waiting
 * job costs two array slots, no object or map entry of its own, and a job that leaves and
 * comes back before a sweep has one live place, the new one.
 */
export class IdleQueue {
  private jobs: JobRecord[] = [];
  private tickets: number[] = [];
  private lastTicket = 0;
  private live = 0;
  private sorted = true;
  private dead = 0;

  get size(): number {
    return this.live;
  }

  has(job: JobRecord): boolean {
    return job.idleTicket > 0;
  }

  add(job: JobRecord): void {
    if (this.has(job)) return;
    const last = this.jobs[this.jobs.length - 1];
    if (last !== undefined && before(last, job) > 0) this.sorted = false;
    job.idleTicket = ++this.lastTicket;
    this.jobs.push(job);
    this.tickets.push(job.idleTicket);
    this.live++;
  }

  delete(job: JobRecord): boolean {
    if (!this.has(job)) return false;
    job.idleTicket = 0;
    this.live--;
    this.dead++;
    return true;
  }

  /**
   * Visit the jobs in negotiation order until `visit` returns false. Jobs that leave during
   * the walk are not visited; jobs added during it are visited at the next walk.
   */
  walk(visit: (job: JobRecord) => boolean): void {
    if (!this.sorted || this.dead > this.live) this.sweep();
    const { jobs, tickets } = this;
    // Jobs leave mostly from the front (they start in order): drop those places at once.
    let front = 0;
    while (front < jobs.length && jobs[front].idleTicket !== tickets[front]) front++;
    if (front > 0) {
      jobs.splice(0, front);
      tickets.splice(0, front);
      this.dead -= front;
    }
    const end = jobs.length;
    for (let i = 0; i < end; i++) {
      const job = jobs[i];
      if (job.idleTicket === tickets[i] && !visit(job)) return;
    }
  }

  /** Drop the dead places and sort the live ones. */
  private sweep(): void {
    const jobs = this.jobs.filter((job, i) => job.idleTicket === this.tickets[i]);
    jobs.sort(before);
    this.jobs = jobs;
    this.tickets = jobs.map((job) => job.idleTicket);
    this.sorted = true;
    this.dead = 0;
  }
}
