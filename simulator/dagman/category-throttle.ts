/**
 * MAXJOBS: per CATEGORY, how many of its nodes' jobs may be queued at once (submitted and
 * not yet ended). A category without a limit, and a node without a category, never wait.
 */
export class CategoryThrottle {
  private readonly queuedIn = new Map<string, number>();
  /** The limits by category, in a map: looked up by many names, the record's keys would not stay one. */
  private readonly maxJobs: ReadonlyMap<string, number>;

  constructor(maxJobs: Readonly<Record<string, number>>) {
    this.maxJobs = new Map(Object.entries(maxJobs));
  }

  /** True when a node of this category must wait for a job of it to end. */
  full(category: string | undefined): boolean {
    if (category === undefined) return false;
    const limit = this.maxJobs.get(category);
    return limit !== undefined && (this.queuedIn.get(category) ?? 0) >= limit;
  }

  queued(category: string | undefined): void {
    if (category !== undefined) this.queuedIn.set(category, (this.queuedIn.get(category) ?? 0) + 1);
  }

  left(category: string | undefined): void {
    if (category !== undefined) this.queuedIn.set(category, (this.queuedIn.get(category) ?? 1) - 1);
  }
}
