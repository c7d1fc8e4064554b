/**
 * Binary min-heap of pending events ordered by (time, insertion sequence), so events at
 * the same virtual time fire in the order they were scheduled (stable FIFO).
 *
 * Storage is a structure of arrays (times and sequence numbers in typed arrays, handler
 * and argument in plain arrays) so pushing and popping an event allocates nothing once
 * the arrays have grown to the working size.
 */

/** Called when an event fires; `arg` is whatever was given when it was scheduled. */
export type EventHandler<T> = (arg: T) => void;

/** A handler of any argument type, as stored in the queue (the argument is stored beside it). */
export type StoredHandler = (arg: never) => void;

export class EventQueue {
  private times: Float64Array;
  private seqs: Float64Array;
  private fns: (StoredHandler | undefined)[];
  private args: unknown[];
  private count = 0;
  private nextSeq = 0;

  /** Filled by `pop()`: the event that was removed last. */
  poppedTime = 0;
  poppedSeq = 0;
  poppedFn: StoredHandler | undefined = undefined;
  poppedArg: unknown = undefined;

  constructor(initialCapacity = 1024) {
    const cap = Math.max(16, initialCapacity);
    this.times = new Float64Array(cap);
    this.seqs = new Float64Array(cap);
    this.fns = new Array(cap);
    this.args = new Array(cap);
  }

  get size(): number {
    return this.count;
  }

  /** Time of the earliest event, or Infinity when the queue is empty. */
  peekTime(): number {
    return this.count > 0 ? this.times[0] : Number.POSITIVE_INFINITY;
  }

  /** Adds an event and returns its sequence number (unique, increasing). */
  push(time: number, fn: StoredHandler, arg: unknown): number {
    if (this.count === this.times.length) this.grow();
    const seq = this.nextSeq++;
    this.siftUp(this.count++, time, seq, fn, arg);
    return seq;
  }

  /** Removes the earliest event into the `popped*` fields; false when empty. */
  pop(): boolean {
    const n = this.count;
    if (n === 0) return false;
    this.poppedTime = this.times[0];
    this.poppedSeq = this.seqs[0];
    this.poppedFn = this.fns[0];
    this.poppedArg = this.args[0];
    this.removeAt(0);
    return true;
  }

  /**
   * Removes the pending event with sequence number `seq`. Linear search (cancellation is
   * rare compared with firing), then one sift. Returns false if it is not pending.
   */
  remove(seq: number): boolean {
    const seqs = this.seqs;
    for (let i = 0, n = this.count; i < n; i++) {
      if (seqs[i] === seq) {
        this.removeAt(i);
        return true;
      }
    }
    return false;
  }

  private removeAt(i: number): void {
    const last = --this.count;
    const t = this.times[last];
    const s = this.seqs[last];
    const f = this.fns[last];
    const a = this.args[last];
    this.fns[last] = undefined;
    this.args[last] = undefined;
    if (i === last) return;
    const parent = (i - 1) >> 1;
    if (i > 0 && less(t, s, this.times[parent], this.seqs[parent])) this.siftUp(i, t, s, f, a);
    else this.siftDown(i, t, s, f, a);
  }

  private siftUp(
    start: number,
    t: number,
    s: number,
    f: StoredHandler | undefined,
    a: unknown,
  ): void {
    const { times, seqs, fns, args } = this;
    let i = start;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(t, s, times[p], seqs[p])) break;
      times[i] = times[p];
      seqs[i] = seqs[p];
      fns[i] = fns[p];
      args[i] = args[p];
      i = p;
    }
    times[i] = t;
    seqs[i] = s;
    fns[i] = f;
    args[i] = a;
  }

  private siftDown(
    start: number,
    t: number,
    s: number,
    f: StoredHandler | undefined,
    a: unknown,
  ): void {
    const { times, seqs, fns, args } = this;
    const n = this.count;
    let i = start;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && less(times[r], seqs[r], times[c], seqs[c])) c = r;
      if (!less(times[c], seqs[c], t, s)) break;
      times[i] = times[c];
      seqs[i] = seqs[c];
      fns[i] = fns[c];
      args[i] = args[c];
      i = c;
    }
    times[i] = t;
    seqs[i] = s;
    fns[i] = f;
    args[i] = a;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const times = new Float64Array(cap);
    times.set(this.times);
    const seqs = new Float64Array(cap);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
    this.fns.length = cap;
    this.args.length = cap;
  }
}

function less(t1: number, s1: number, t2: number, s2: number): boolean {
  return t1 < t2 || (t1 === t2 && s1 < s2);
}
