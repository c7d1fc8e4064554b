import { describe, expect, it } from "vitest";
import { JobStatus } from "../../simulator/pool/types.js";
import { job, machine, makePool } from "./pool-setup.js";

describe("negotiation cycle", () => {
  it("starts jobs on the interval grid and numbers clusters from firstClusterId", () => {
    const { sim, pool, log } = makePool([machine()]);
    const a = pool.submit(job());
    sim.at(3, () => pool.submit(job()));
    sim.run();
    expect(a.id).toBe(1000);
    expect(log).toEqual([
      "0 submit 1000",
      "0 execute 1000 slot1_1@wn",
      "3 submit 1001",
      "10 execute 1001 slot1_2@wn",
      "100 terminate 1000 0",
      "110 terminate 1001 0",
    ]);
    expect(pool.negotiationCycles).toBe(2);
    expect(pool.job(1001)?.status).toBe(JobStatus.Completed);
  });

  it("matches by priority, then submission order; a big job does not block smaller ones", () => {
    const { sim, pool, log } = makePool([machine({ cores: 4 })]);
    pool.submit(job({ priority: 0 }));
    pool.submit(job({ priority: 5 }));
    pool.submit(job({ priority: 0 }));
    pool.submit(job({ requestCpus: 4, priority: 9 }, { durationSec: 1 }));
    pool.submit(job({ priority: 5 }));
    pool.submit(job({ priority: 3 }));
    sim.run(0);
    expect(log.filter((l) => l.includes("execute")).map((l) => l.split(" ")[2])).toEqual(["1003"]);
    sim.run(10);
    const started = log.filter((l) => l.includes("execute")).map((l) => Number(l.split(" ")[2]));
    expect(started).toEqual([1003, 1001, 1004, 1005, 1000]);
    expect(pool.counts()).toEqual({ idle: 1, running: 4, removed: 0, completed: 1, held: 0 });
  });

  it("carves dynamic slots from partitionable machines and reuses freed ones", () => {
    const { sim, pool } = makePool([machine({ cores: 8, memoryMb: 16000 })]);
    for (let i = 0; i < 3; i++)
      pool.submit(job({ requestCpus: 3, requestMemoryMb: 5000 }, { durationSec: 50 + i }));
    sim.run(0);
    const m = pool.machines()[0];
    expect(m.slots.map((s) => [s.name, s.jobId, s.cpus])).toEqual([
      ["slot1_1@wn", 1000, 3],
      ["slot1_2@wn", 1001, 3],
    ]);
    expect([m.freeCpus, m.freeMemoryMb]).toEqual([2, 6000]);
    sim.run();
    const r = pool.runs().map((x) => [x.jobId, x.slotName, x.start, x.end]);
    expect(r).toEqual([
      [1000, "slot1_1@wn", 0, 50],
      [1001, "slot1_2@wn", 0, 51],
      [1002, "slot1_1@wn", 50, 102],
    ]);
    expect(pool.coresBusyTimeline()).toEqual([
      { t: 0, cores: 6 },
      { t: 51, cores: 3 },
      { t: 102, cores: 0 },
    ]);
  });

  it("honours Requirements on GLIDEIN_CMSSite and DESIRED_Sites", () => {
    const { sim, pool } = makePool([
      machine({ name: "a", site: "T2_CH_CERN" }),
      machine({ name: "b", site: "T1_US_FNAL" }),
      machine({ name: "c", site: "T2_DE_DESY" }),
    ]);
    const ids = [
      pool.submit(job({ requirements: '(TARGET.GLIDEIN_CMSSite == "T1_US_FNAL")' })),
      pool.submit(job({ desiredSites: ["T2_DE_DESY"] })),
      pool.submit(
        job({
          requirements:
            'TARGET.GLIDEIN_CMSSite =!= "T2_CH_CERN" && TARGET.GLIDEIN_CMSSite =!= "T1_US_FNAL"',
        }),
      ),
      pool.submit(
        job({
          requirements:
            'TARGET.GLIDEIN_CMSSite == "T2_XX" || TARGET.GLIDEIN_CMSSite == "T1_US_FNAL"',
        }),
      ),
      pool.submit(job({ requirements: "" })),
    ].map((j) => j.id);
    sim.run();
    expect(ids.map((id) => pool.job(id)?.lastRun?.site)).toEqual([
      "T1_US_FNAL",
      "T2_DE_DESY",
      "T2_DE_DESY",
      "T1_US_FNAL",
      "T2_CH_CERN",
    ]);
  });
});

describe("unmatchable jobs", () => {
  it("stay idle with a reason, do not keep the negotiator busy, and match after an edit", () => {
    const { sim, pool } = makePool([machine({ cores: 8, memoryMb: 16000, site: "T2_CH_CERN" })]);
    const big = pool.submit(job({ requestMemoryMb: 20000 }));
    const wide = pool.submit(job({ requestCpus: 16, requestMemoryMb: 32000 }));
    const away = pool.submit(job({ desiredSites: ["T1_US_FNAL"] }));
    const req = pool.submit(job({ requirements: 'TARGET.GLIDEIN_CMSSite == "T1_US_FNAL"' }));
    const split = makePool([
      machine({ name: "x", cores: 16, memoryMb: 4000 }),
      machine({ name: "y", cores: 2, memoryMb: 64000 }),
    ]);
    const combo = split.pool.submit(job({ requestCpus: 8, requestMemoryMb: 8000 }));
    const r = sim.run();
    expect(r.reason).toBe("idle");
    expect(pool.negotiationCycles).toBe(0);
    expect(pool.unmatchable()).toEqual([
      {
        jobId: big.id,
        reason: "too large for every matching machine: request_memory 20000 MiB > 16000 MB",
      },
      {
        jobId: wide.id,
        reason:
          "too large for every matching machine: request_cpus 16 > 8 cores, request_memory 32000 MiB > 16000 MB",
      },
      {
        jobId: away.id,
        reason: 'DESIRED_Sites "T1_US_FNAL" names no site of the pool (pool sites: T2_CH_CERN)',
      },
      {
        jobId: req.id,
        reason:
          'Requirements (TARGET.GLIDEIN_CMSSite == "T1_US_FNAL") match no machine of the pool',
      },
    ]);
    expect(split.pool.unmatchable()[0]).toEqual({
      jobId: combo.id,
      reason:
        "no single matching machine has request_cpus 8, request_memory 8000 MiB and request_disk 1000 KiB together",
    });
    sim.at(25, () => pool.edit(big.id, { RequestMemory: 12000 }));
    sim.run();
    expect(pool.job(big.id)?.lastRun?.start).toBe(30);
    expect(pool.job(big.id)?.status).toBe(JobStatus.Completed);
    expect(pool.unmatchable().map((u) => u.jobId)).toEqual([wide.id, away.id, req.id]);
  });
});

describe("unmatchable jobs in a row", () => {
  it("each get the reason they get alone, whatever the job before them", () => {
    const machines = [machine({ cores: 8, memoryMb: 16000, diskKb: 5000 })];
    const specs = [
      {},
      {},
      { requestMemoryMb: 20000 },
      { requestMemoryMb: 20000 },
      { requestCpus: 16, requestMemoryMb: 20000 },
      { requestCpus: 16 },
      {},
      { requestDiskKb: 6000 },
      {},
      { desiredSites: ["T1_US_FNAL"] },
      { desiredSites: ["T1_US_FNAL"], requestDiskKb: 6000 },
      { desiredSites: ["T2_CH_CERN"] },
      { desiredSites: ["T2_CH_CERN", "T1_US_FNAL"] },
      { desiredSites: ["T1_US_FNAL", "T2_CH_CERN"] },
      { requirements: 'TARGET.GLIDEIN_CMSSite == "T1_US_FNAL"' },
      { requirements: 'TARGET.GLIDEIN_CMSSite == "T2_CH_CERN"' },
      { requirements: 'TARGET.GLIDEIN_CMSSite == "T2_CH_CERN"', requestMemoryMb: 20000 },
      {},
    ];
    const { pool } = makePool(machines);
    const reasons = specs.map((spec) => pool.submit(job(spec)).unmatchableReason);
    const alone = specs.map((spec) => makePool(machines).pool.submit(job(spec)).unmatchableReason);
    expect(reasons).toEqual(alone);
    expect(alone.filter((r) => r === undefined)).toHaveLength(9);
  });
});

describe("unmatchable jobs whose Requirements read their own ad", () => {
  it("are judged each on its own attributes, the same text notwithstanding", () => {
    const { sim, pool } = makePool([machine({ cores: 8 })]);
    const text = "MY.WantCores <= TARGET.TotalCpus";
    const small = pool.submit(job({ requirements: text, attrs: { WantCores: 4 } }));
    const huge = pool.submit(job({ requirements: text, attrs: { WantCores: 64 } }));
    const again = pool.submit(job({ requirements: text, attrs: { WantCores: 8 } }));
    const target = 'TARGET.GLIDEIN_CMSSite == "T2_CH_CERN"';
    const pinned = [1, 2].map(() => pool.submit(job({ requirements: target })));
    sim.run();
    expect(pool.unmatchable().map((u) => u.jobId)).toEqual([huge.id]);
    for (const j of [small, again, ...pinned]) {
      expect(pool.job(j.id)?.status).toBe(JobStatus.Completed);
    }
  });
});

describe("hooks, hold, release, remove", () => {
  it("reports every transition and frees slots of removed and held jobs", () => {
    const { sim, pool, log } = makePool([machine({ cores: 2 })]);
    const own: string[] = [];
    const a = pool.submit(
      job({ listener: { onTerminate: (_j, e) => own.push(`own ${e.exitCode}`) } }, { exitCode: 3 }),
    );
    const b = pool.submit(job({}, { signal: 9, durationSec: 40 }));
    const c = pool.submit(job());
    sim.at(5, () => expect(pool.hold(c.id)).toBe(true));
    sim.at(12, () => expect(pool.release(c.id)).toBe(true));
    sim.at(50, () => pool.remove(c.id));
    sim.at(60, () => pool.remove(a.id, "via condor_rm (by user x)"));
    sim.run();
    expect(log).toEqual([
      "0 submit 1000",
      "0 submit 1001",
      "0 submit 1002",
      "0 execute 1000 slot1_1@wn",
      "0 execute 1001 slot1_2@wn",
      "5 hold 1002 1/0",
      "12 release 1002",
      "40 terminate 1001 sig9",
      "40 execute 1002 slot1_2@wn",
      "50 remove 1002 running",
      "60 remove 1000 running",
    ]);
    expect(own).toEqual([]);
    expect(pool.job(b.id)).toMatchObject({
      exitSignal: 9,
      exitCode: undefined,
      completionTime: 40,
    });
    expect(pool.job(c.id)).toMatchObject({
      status: JobStatus.Removed,
      numHolds: 1,
      numJobStarts: 1,
    });
    expect(pool.machines()[0].freeCpus).toBe(2);
    expect(pool.runs().map((r) => r.outcome)).toEqual(["removed", "completed", "removed"]);
    expect(pool.release(c.id)).toBe(false);
    expect(pool.remove(c.id)).toBe(false);
    expect(() => pool.edit(c.id, { RequestMemory: 1 })).toThrow(/left the queue/);
    expect(() => pool.release(4242)).toThrow(/no job 4242/);
  });

  it("calls a job's own listener after the pool-wide ones", () => {
    const { sim, pool, log } = makePool([machine()]);
    pool.submit(
      job(
        { listener: { onTerminate: (j, e) => log.push(`own ${j.id} ${e.exitCode}`) } },
        { exitCode: 3 },
      ),
    );
    sim.run();
    expect(log.slice(-2)).toEqual(["100 terminate 1000 3", "own 1000 3"]);
  });
});
