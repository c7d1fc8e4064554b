import { Simulation } from "./simulation.js";

/** One self-rescheduling process of the micro-benchmark (no closure per event). */
interface BenchProc {
  sim: Simulation;
  remaining: { n: number };
  step: number;
}

function benchTick(p: BenchProc): void {
  if (p.remaining.n <= 0) return;
  p.remaining.n--;
  // Deterministic, varied delays so the heap is exercised, with frequent equal times.
  p.step = (p.step * 1103515245 + 12345) & 0x7fffffff;
  p.sim.after((p.step & 15) * 0.5, benchTick, p);
}

/**
 * Scheduling micro-loop for the benchmark runner: `processes` independent processes
 * each reschedule themselves after a pseudo-random delay until `nEvents` events have
 * fired. Returns the event rate of the discrete-event core.
 */
export function benchEventCore(
  nEvents: number,
  processes = 1000,
): { events: number; seconds: number; eventsPerSec: number } {
  const sim = new Simulation({ initialCapacity: processes * 2 });
  const remaining = { n: nEvents - processes };
  for (let i = 0; i < processes; i++) {
    sim.at(i * 0.001, benchTick, { sim, remaining, step: i + 1 });
  }
  const t0 = performance.now();
  const { events } = sim.run();
  const seconds = (performance.now() - t0) / 1000;
  return {
    events,
    seconds,
    eventsPerSec: seconds > 0 ? events / seconds : Number.POSITIVE_INFINITY,
  };
}
