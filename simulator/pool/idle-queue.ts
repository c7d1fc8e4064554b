import type { JobRecord } from "./job-record.js";

/** One place of a job in the queue; dropped places stay until the queue is compacted. */
interface Place {
  readonly job: JobRecord;
  live: boolean;
}

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
 */
export class IdleQueue {
  private places: Place[] = [];
  private readonly placeOf = new Map<JobRecord, Place>();
  private sorted = true;
  private dead = 0;

  get size(): number {
    return this.placeOf.size;
  }

  has(job: JobRecord): boolean {
    return this.placeOf.has(job);
  }

  add(job: JobRecord): void {
    if (this.placeOf.has(job)) return;
    const place: Place = { job, live: true };
    const last = this.places[this.places.length - 1];
    if (last !== undefined && before(last.job, job) > 0) this.sorted = false;
    this.places.push(place);
    this.placeOf.set(job, place);
  }

  delete(job: JobRecord): boolean {
    const place = this.placeOf.get(job);
    if (!place) return false;
    place.live = false;
    this.placeOf.delete(job);
    this.dead++;
    return true;
  }

  /**
   * Visit the jobs in negotiation order until `visit` returns false. Jobs that leave during
   * the walk are not visited; jobs added during it are visited at the next walk.
   */
  walk(visit: (job: JobRecord) => boolean): void {
    if (!this.sorted || this.dead > this.placeOf.size) {
      this.places = this.places.filter((p) => p.live);
      this.places.sort((a, b) => before(a.job, b.job));
      this.sorted = true;
      this.dead = 0;
    }
    const places = this.places;
    // Jobs leave mostly from the front (they start in order): drop those places at once.
    let front = 0;
    while (front < places.length && !places[front].live) front++;
    if (front > 0) {
      places.splice(0, front);
      this.dead -= front;
    }
    const end = places.length;
    let i = 0;
    for (; i < end; i++) {
      const p = places[i];
      if (p.live && !visit(p.job)) return;
    }
  }
}
