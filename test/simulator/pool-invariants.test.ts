import { describe, expect, it } from "vitest";
import { RngStreams } from "../../simulator/core/rng.js";
import type { Pool } from "../../simulator/pool/pool.js";
import { JobStatus } from "../../simulator/pool/types.js";
import { machine, makePool } from "./pool-setup.js";

/** Checks every machine from its claimed slots alone (not from the pool's own counters). */
function checkNoOvercommit(pool: Pool, now: number): void {
  for (const m of pool.machines()) {
    const cpus = m.slots.reduce((n, s) => n + s.cpus, 0);
    const mem = m.slots.reduce((n, s) => n + s.memoryMb, 0);
    const disk = m.slots.reduce((n, s) => n + s.diskKb, 0);
    if (cpus > m.cores || mem > m.memoryMb || disk > m.diskKb) {
      throw new Error(`t=${now}: ${m.name} over-committed (${cpus} cpus, ${mem} MB, ${disk} KB)`);
    }
    if (
      m.freeCpus !== m.cores - cpus ||
      m.freeMemoryMb !== m.memoryMb - mem ||
      m.freeDiskKb !== m.diskKb - disk
    ) {
      throw new Error(`t=${now}: ${m.name} free resources disagree with its slots`);
    }
    for (const s of m.slots) {
      if (pool.job(s.jobId)?.status !== JobStatus.Running)
        throw new Error(`t=${now}: ${s.name} holds a job that is not running`);
    }
  }
}

function randomWorkload(seed: number) {
  const rng = new RngStreams(seed);
  const pick = rng.stream("test/requests");
  const plans = rng.stream("test/plans");
  const actions = rng.stream("test/actions");
  const { sim, pool } = makePool(
    [
      machine({ name: "small", count: 4, cores: 4, memoryMb: 8000, diskKb: 40_000, site: "T2_A" }),
      machine({ name: "big", count: 2, cores: 16, memoryMb: 64000, diskKb: 200_000, site: "T2_B" }),
    ],
    { negotiationIntervalSec: 20 },
  );
  for (let i = 0; i < 300; i++) {
    const cpus = pick.integer(1, 8);
    const mem = pick.integer(500, 5000) * cpus;
    const site = pick.uniform() < 0.2 ? (pick.bernoulli(0.5) ? "T2_A" : "T2_B") : undefined;
    sim.at(pick.uniform(0, 3000), () => {
      pool.submit({
        requestCpus: cpus,
        requestMemoryMb: mem,
        requestDiskKb: pick.integer(1000, 30_000),
        priority: pick.integer(0, 3),
        requirements: site ? `TARGET.GLIDEIN_CMSSite == "${site}"` : "",
        driver: () => {
          const d = plans.uniform(10, 900);
          return {
            durationSec: d,
            memory: { peakMb: mem * plans.uniform(0.5, 1.2), atSec: plans.uniform(0, d) },
            cpuSec: d * cpus * 0.8,
          };
        },
      });
    });
  }
  // Operators poke the queue: releases with more memory, removals, holds.
  for (let k = 0; k < 150; k++) {
    sim.at(actions.uniform(0, 6000), () => {
      const jobs = pool.jobs();
      if (jobs.length === 0) return;
      const j = jobs[actions.integer(0, jobs.length - 1)];
      const what = actions.integer(0, 2);
      if (what === 0 && j.status === JobStatus.Held) {
        pool.edit(j.id, { RequestMemory: Math.ceil(j.requestMemoryMb * 1.5) });
        pool.release(j.id);
      } else if (what === 1) pool.remove(j.id);
      else pool.hold(j.id);
    });
  }
  return { sim, pool };
}

describe("pool invariants under random load", () => {
  for (const seed of [1, 2, 3]) {
    it(`never over-commits a machine (seed ${seed})`, () => {
      const { sim, pool } = randomWorkload(seed);
      let steps = 0;
      while (sim.step()) {
        steps++;
        checkNoOvercommit(pool, sim.now);
      }
      const counts = pool.counts();
      expect(counts.running).toBe(0);
      expect(counts.idle).toBe(pool.unmatchable().length);
      expect(pool.runs().length).toBeGreaterThan(150);
      expect(pool.runs().some((r) => r.outcome === "held")).toBe(true);
      // The busy-cores timeline equals a recomputation from the run records.
      const tl = pool.coresBusyTimeline();
      expect(tl[tl.length - 1].cores).toBe(0);
      const recomputed = tl.map(({ t }) =>
        pool.runs().reduce((n, r) => n + (r.start <= t && (r.end ?? Infinity) > t ? r.cpus : 0), 0),
      );
      expect(tl.map((x) => x.cores)).toEqual(recomputed);
      expect(Math.max(...recomputed)).toBeLessThanOrEqual(pool.totalCores);
      // CPU used never exceeds cores claimed.
      const claimedAt = (t: number) => tl.filter((x) => x.t <= t).at(-1)?.cores ?? 0;
      const over = pool.cpuUsageTimeline().filter((u) => u.cores > claimedAt(u.t) + 1e-6);
      expect(over).toEqual([]);
      expect(steps).toBeGreaterThan(500);
    });
  }

  it("is reproducible: same seed, same runs", () => {
    const a = randomWorkload(9);
    a.sim.run();
    const b = randomWorkload(9);
    b.sim.run();
    expect(b.pool.runs()).toEqual(a.pool.runs());
  });
});
