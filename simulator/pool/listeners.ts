import type { PoolListener } from "./types.js";

/** Pool-wide listeners plus the dispatch of one notification to them and a job's own listener. */
export class Listeners {
  private readonly list: PoolListener[] = [];

  /** Adds a listener; returns a function that removes it. */
  add(listener: PoolListener): () => void {
    this.list.push(listener);
    return () => {
      const i = this.list.indexOf(listener);
      if (i >= 0) this.list.splice(i, 1);
    };
  }

  /** Calls `key` on every pool-wide listener (in order of addition), then on `own`. */
  notify<K extends keyof PoolListener>(
    own: PoolListener | undefined,
    key: K,
    ...args: Parameters<NonNullable<PoolListener[K]>>
  ): void {
    // A listener added or removed by a call takes effect from the next notification.
    const list = this.list.length > 0 ? this.list.slice() : this.list;
    for (let i = 0; i < list.length; i++) call(list[i], key, args);
    if (own) call(own, key, args);
  }
}

function call(l: PoolListener, key: keyof PoolListener, args: unknown[]): void {
  const fn = l[key] as ((...a: unknown[]) => void) | undefined;
  fn?.apply(l, args);
}
