import type { Simulation } from "../core/simulation.js";
import { nextGrid } from "./dagman-types.js";

/**
 * When DAGMan's main loop runs: on the grid of its log scan interval from its start, and
 * only when something is waiting (an event, a finished script, a due status-file write),
 * so an idle DAG costs no events. The first pass runs at once.
 */
export class ScanTimer {
  private tickAt: number | undefined;
  private origin = 0;
  private started = false;

  constructor(
    private readonly sim: Simulation,
    private readonly intervalSec: number,
    private readonly onPass: () => void,
  ) {}

  start(): void {
    this.origin = this.sim.now;
    this.started = true;
    this.schedule(this.origin);
  }

  /** A pass at the next grid point after now. */
  wake(): void {
    if (!this.started) return;
    this.schedule(nextGrid(this.sim.now, this.intervalSec, this.origin));
  }

  /** A pass at the first grid point at or after `t`. */
  wakeAt(t: number): void {
    this.schedule(nextGrid(t - 1e-9, this.intervalSec, this.origin));
  }

  get startTime(): number {
    return this.origin;
  }

  private schedule(at: number): void {
    if (this.tickAt !== undefined && this.tickAt <= at) return;
    this.tickAt = at;
    this.sim.at(at, () => {
      if (this.tickAt !== at) return;
      this.tickAt = undefined;
      this.onPass();
    });
  }
}
