import { describe, expect, it } from "vitest";
import { Simulation } from "../../../simulator/core/simulation.js";
import type { NodeRun } from "../../../simulator/dagman/node.js";
import { RemovalWatches } from "../../../simulator/dagman/removal-watch.js";
import { heldPolicy, NO_POLICY } from "../../../simulator/dagman/schedd-policy.js";
import type { PoolJob } from "../../../simulator/pool/types.js";

const policy = heldPolicy(
  { ...NO_POLICY, periodicRemove: "(time() - EnteredCurrentStatus) > 100" },
  "x.sub",
);

/** A job record as far as the watches look at it. */
function job(id: number, status: number, since: number) {
  return { id, status, enteredCurrentStatus: since } as unknown as PoolJob & {
    status: number;
    enteredCurrentStatus: number;
  };
}

describe("the queue of periodic_remove evaluations of one class", () => {
  it("evaluates each job at its own time on the 60 s grid, with one timer at a time", () => {
    const sim = new Simulation({ startTime: 0 });
    const seen: [number, number][] = [];
    const w = new RemovalWatches(sim, 60, (_n, j) => seen.push([j.id, sim.now]));
    const cls = { age: 100 };
    const a = job(1, 1, 0);
    const b = job(2, 1, 50);
    w.add({} as NodeRun, a, policy, cls);
    sim.at(50, () => w.add({} as NodeRun, b, policy, cls));
    sim.run();
    expect(seen).toEqual([
      [1, 120],
      [2, 180],
    ]);
  });

  it("skips a job that changed state, even within the second it entered it", () => {
    const sim = new Simulation({ startTime: 0 });
    const seen: number[] = [];
    const w = new RemovalWatches(sim, 60, (_n, j) => seen.push(j.id));
    const cls = { age: 100 };
    const started = job(1, 1, 0);
    const removed = job(2, 1, 0);
    w.add({} as NodeRun, started, policy, cls);
    w.add({} as NodeRun, removed, policy, cls);
    started.status = 2; // matched at once: running since 0, its idle watch is stale
    removed.status = 3;
    const kept = job(3, 1, 0);
    w.add({} as NodeRun, kept, policy, cls);
    sim.run();
    expect(seen).toEqual([3]);
  });

  it("evaluates nothing once its DAGMan has exited", () => {
    const sim = new Simulation({ startTime: 0 });
    const seen: number[] = [];
    const w = new RemovalWatches(sim, 60, (_n, j) => seen.push(j.id));
    w.add({} as NodeRun, job(1, 1, 0), policy, { age: 100 });
    sim.at(10, () => w.stop());
    sim.run();
    expect(seen).toEqual([]);
  });
});
