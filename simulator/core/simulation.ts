import { type EventHandler, EventQueue, type StoredHandler } from "./event-queue.js";

/** Identifies a scheduled event so it can be cancelled. */
export type TimerId = number;

/** Result of `Simulation.run`. */
export interface RunResult {
  /** Events fired by this call. */
  events: number;
  /** Virtual time when the call returned. */
  now: number;
  /** Why the loop ended: no events left, the `until` time was reached, or `stop()`. */
  reason: "idle" | "until" | "stopped";
}

/** A repeating timer created by `Simulation.every`. */
export interface Periodic {
  /** Stops the timer; the pending tick is removed from the queue. */
  cancel(): void;
  readonly active: boolean;
}

/**
 * The discrete-event core: a virtual clock (seconds, float) and a queue of pending events.
 *
 * Events at the same time fire in scheduling order. Handlers receive the argument given
 * when scheduling, so hot paths can use one module-level function plus a data object
 * instead of allocating a closure per event. Time never goes backwards: scheduling in
 * the past is an error.
 */
export class Simulation {
  private readonly queue: EventQueue;
  private clock: number;
  private fired = 0;
  private stopRequested = false;

  constructor(options: { startTime?: number; initialCapacity?: number } = {}) {
    this.clock = options.startTime ?? 0;
    this.queue = new EventQueue(options.initialCapacity);
  }

  /** Current virtual time in seconds. */
  get now(): number {
    return this.clock;
  }

  /** Number of events waiting to fire. */
  get pending(): number {
    return this.queue.size;
  }

  /** Total events fired since construction. */
  get eventsFired(): number {
    return this.fired;
  }

  /** Time of the next event, or undefined when nothing is scheduled. */
  nextEventTime(): number | undefined {
    return this.queue.size > 0 ? this.queue.peekTime() : undefined;
  }

  /** Schedules `fn(arg)` at absolute virtual time `time` (≥ now). */
  at<T>(time: number, fn: EventHandler<T>, arg: T): TimerId;
  at(time: number, fn: () => void): TimerId;
  at(time: number, fn: StoredHandler, arg?: unknown): TimerId {
    if (!(time >= this.clock) || time === Number.POSITIVE_INFINITY) {
      throw new RangeError(`cannot schedule an event at t=${time} (now is ${this.clock})`);
    }
    return this.queue.push(time, fn, arg);
  }

  /** Schedules `fn(arg)` `delay` seconds from now (delay ≥ 0). */
  after<T>(delay: number, fn: EventHandler<T>, arg: T): TimerId;
  after(delay: number, fn: () => void): TimerId;
  after(delay: number, fn: StoredHandler, arg?: unknown): TimerId {
    if (!(delay >= 0) || delay === Number.POSITIVE_INFINITY) {
      throw new RangeError(`cannot schedule an event after ${delay} s`);
    }
    return this.queue.push(this.clock + delay, fn, arg);
  }

  /** Removes a pending event; returns false if it already fired or was cancelled. */
  cancel(id: TimerId): boolean {
    return this.queue.remove(id);
  }

  /**
   * Calls `fn()` every `intervalSec`, first at `firstAt` (default: now + interval). The
   * timer keeps the queue non-empty, so `run()` without `until` only ends once it is
   * cancelled.
   */
  every(intervalSec: number, fn: () => void, firstAt?: number): Periodic {
    if (!(intervalSec > 0))
      throw new RangeError(`periodic interval must be > 0, got ${intervalSec}`);
    const timer = new PeriodicTimer(this, intervalSec, fn);
    timer.id = this.at(firstAt ?? this.clock + intervalSec, tickPeriodic, timer);
    return timer;
  }

  /** Asks a running `run()` to return after the current event. */
  stop(): void {
    this.stopRequested = true;
  }

  /** Fires the next event, if any. Returns false when the queue is empty. */
  step(): boolean {
    const q = this.queue;
    if (!q.pop()) return false;
    this.clock = q.poppedTime;
    this.fired++;
    const fn = q.poppedFn as (arg: unknown) => void;
    const arg = q.poppedArg;
    q.poppedFn = undefined;
    q.poppedArg = undefined;
    fn(arg);
    return true;
  }

  /**
   * Fires events in time order until none is left, the next one is later than `until`,
   * or a handler calls `stop()`. With `until`, the clock is then advanced to `until`
   * (unless stopped earlier), so `run(t)` means "simulate up to time t".
   */
  run(until = Number.POSITIVE_INFINITY): RunResult {
    if (until < this.clock)
      throw new RangeError(`run(until=${until}) is before now (${this.clock})`);
    const q = this.queue;
    this.stopRequested = false;
    let events = 0;
    let reason: RunResult["reason"] = "idle";
    while (q.size > 0) {
      if (q.peekTime() > until) {
        reason = "until";
        break;
      }
      q.pop();
      this.clock = q.poppedTime;
      const fn = q.poppedFn as (arg: unknown) => void;
      const arg = q.poppedArg;
      q.poppedFn = undefined;
      q.poppedArg = undefined;
      events++;
      fn(arg);
      if (this.stopRequested) {
        reason = "stopped";
        break;
      }
    }
    this.fired += events;
    this.stopRequested = false;
    if (reason !== "stopped" && until !== Number.POSITIVE_INFINITY) {
      if (reason === "idle") reason = "until";
      this.clock = until;
    }
    return { events, now: this.clock, reason };
  }
}

class PeriodicTimer implements Periodic {
  id: TimerId = -1;
  active = true;

  constructor(
    readonly sim: Simulation,
    readonly interval: number,
    readonly fn: () => void,
  ) {}

  cancel(): void {
    if (!this.active) return;
    this.active = false;
    this.sim.cancel(this.id);
  }
}

function tickPeriodic(timer: PeriodicTimer): void {
  timer.id = timer.sim.after(timer.interval, tickPeriodic, timer);
  timer.fn();
}
