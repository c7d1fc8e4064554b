import { describe, expect, it } from "vitest";
import { runCpuSegments } from "../../simulator/pool/accounting.js";
import { compileExpr } from "../../simulator/pool/classad-expr.js";
import { cgroupVerdict } from "../../simulator/pool/memory.js";
import { HoldCode, HoldSubCode, JobStatus } from "../../simulator/pool/types.js";
import { job, machine, makePool } from "./pool-setup.js";

describe("cgroup memory policy", () => {
  it("holds a job with code 34/102 when its peak exceeds request_memory, at the time of the peak", () => {
    const { sim, pool, log } = makePool([machine({ memoryMb: 16000 })]);
    const j = pool.submit(
      job(
        { requestMemoryMb: 4000 },
        { durationSec: 300, memory: { peakMb: 5000, atSec: 100 }, cpuSec: 600 },
      ),
    );
    sim.run(50);
    expect(pool.machines()[0].freeMemoryMb).toBe(12000);
    sim.run();
    expect(log.slice(1)).toEqual([
      "0 execute 1000 slot1_1@wn",
      "100 image 1000 5000",
      "100 hold 1000 34/102",
    ]);
    expect(j.status).toBe(JobStatus.Held);
    expect(j.hold).toEqual({
      code: HoldCode.ResourceLimit,
      subCode: HoldSubCode.Memory,
      reason:
        "Error from slot1_1@wn: memory usage exceeded request_memory (cgroup peak 5000 MB > limit 4000 MB)",
    });
    expect(j.lastRun).toMatchObject({
      start: 0,
      end: 100,
      outcome: "held",
      memoryPeakMb: 5000,
      cpuSec: 200,
    });
    expect(pool.machines()[0].freeMemoryMb).toBe(16000);
    expect(sim.now).toBe(100);
  });

  it("allows usage equal to the limit and reports the peak when it is reached", () => {
    const { sim, pool, log } = makePool([machine()]);
    const j = pool.submit(
      job({ requestMemoryMb: 4000 }, { durationSec: 300, memory: { peakMb: 4000, atSec: 300 } }),
    );
    sim.run();
    expect(log.slice(2)).toEqual(["300 image 1000 4000", "300 terminate 1000 0"]);
    expect(j.lastRun).toMatchObject({ outcome: "completed", memoryPeakMb: 4000 });
  });

  it("applies a step timeline: the first step over the limit decides", () => {
    const timeline = [
      { atSec: 0, mb: 1000 },
      { atSec: 50, mb: 3000 },
      { atSec: 120, mb: 4500 },
      { atSec: 200, mb: 2000 },
    ];
    expect(cgroupVerdict({ durationSec: 300, memory: { timeline } }, 4000)).toEqual({
      exceedAtSec: 120,
      peakMb: 4500,
      peakAtSec: 120,
    });
    expect(cgroupVerdict({ durationSec: 300, memory: { timeline } }, 4500)).toEqual({
      peakMb: 4500,
      peakAtSec: 120,
    });
    expect(cgroupVerdict({ durationSec: 10 }, 1)).toEqual({ peakMb: 0, peakAtSec: 0 });
    expect(() => cgroupVerdict({ durationSec: 10, memory: { peakMb: 1, atSec: 11 } }, 5)).toThrow(
      RangeError,
    );
    expect(() =>
      cgroupVerdict(
        {
          durationSec: 10,
          memory: {
            timeline: [
              { atSec: 5, mb: 1 },
              { atSec: 2, mb: 1 },
            ],
          },
        },
        5,
      ),
    ).toThrow(/time-ordered/);
    expect(() => cgroupVerdict({ durationSec: -1 }, 5)).toThrow(RangeError);
  });

  it("runs again with the edited RequestMemory after condor_qedit + condor_release", () => {
    const { sim, pool, log } = makePool([machine()]);
    const limits: number[] = [];
    const j = pool.submit({
      requestCpus: 2,
      requestMemoryMb: 4000,
      requestDiskKb: 100,
      driver: (s) => {
        limits.push(s.memoryMb);
        return {
          durationSec: 200,
          memory: { peakMb: 5000, atSec: 60 },
          exitCode: s.attempt === 2 ? 0 : 1,
        };
      },
    });
    pool.listen({
      onHold: (held, h) => {
        if (h.code !== 34) return;
        // The WMS2 monitor's rule: RequestMemory = min(1.5 x, 3000 MB x cpus).
        const next = Math.min(Math.floor(held.requestMemoryMb * 1.5), 3000 * held.requestCpus);
        pool.edit(held.id, { requestmemory: next });
        pool.release(held.id);
      },
    });
    sim.run();
    expect(limits).toEqual([4000, 6000]);
    expect(log.slice(1)).toEqual([
      "0 execute 1000 slot1_1@wn",
      "60 image 1000 5000",
      "60 hold 1000 34/102",
      "60 release 1000",
      "60 execute 1000 slot1_1@wn", // 60 is on the 10 s grid and no cycle ran there yet
      "120 image 1000 5000",
      "260 terminate 1000 0",
    ]);
    expect(j).toMatchObject({
      numJobStarts: 2,
      numHolds: 1,
      hold: undefined,
      requestMemoryMb: 6000,
    });
    expect(j.lastHold?.code).toBe(34);
  });

  it("keeps the matched limit for a running job whose RequestMemory is edited", () => {
    const { sim, pool } = makePool([machine()]);
    const j = pool.submit(
      job({ requestMemoryMb: 4000 }, { durationSec: 100, memory: { peakMb: 4500, atSec: 80 } }),
    );
    sim.at(10, () => pool.edit(j.id, { RequestMemory: 8000 }));
    sim.run();
    expect(j.status).toBe(JobStatus.Held);
    expect(j.lastRun?.memoryMb).toBe(4000);
    expect(j.requestMemoryMb).toBe(8000);
  });

  it("exposes the job ad to policy expressions such as the planner's periodic_release", () => {
    const { sim, pool } = makePool([machine()]);
    const oom = pool.submit(
      job({ requestMemoryMb: 1000 }, { memory: { peakMb: 1500, atSec: 10 } }),
    );
    const transfer = pool.submit(job());
    sim.at(5, () => pool.hold(transfer.id, "input transfer failed", 13, 0));
    sim.run();
    const release = compileExpr(
      "(NumJobStarts < 5) && (HoldReasonCode == 28 || HoldReasonCode == 30 || HoldReasonCode == 13 || HoldReasonCode == 6)",
      "proc_000000.sub",
    );
    const none = () => undefined;
    expect(release(oom.ad, none)).toBe(false);
    expect(release(transfer.ad, none)).toBe(true);
    const heldLong = compileExpr(
      "JobStatus == 5 && EnteredCurrentStatus <= 10 && HoldReason =!= undefined",
    );
    expect([heldLong(oom.ad, none), heldLong(transfer.ad, none)]).toEqual([true, true]);
    expect(oom.ad("requestmemory")).toBe(1000);
    expect(oom.ad("jobcurrentstartdate")).toBe(0);
  });
});

describe("CPU accounting of runs", () => {
  it("counts the CPU segments up to the end of a run, and the pool's CPU timeline from them", () => {
    const { sim, pool } = makePool([machine({ memoryMb: 16000 })]);
    const cpu = [
      { start: 0, end: 50, cores: 1 },
      { start: 50, end: 200, cores: 4 },
      { start: 200, end: 300, cores: 2 },
    ];
    // Held at 100 s for memory: the run ends there.
    const held = pool.submit(
      job(
        { requestMemoryMb: 4000 },
        { durationSec: 300, memory: { peakMb: 5000, atSec: 100 }, cpu },
      ),
    );
    const done = pool.submit(job({ requestMemoryMb: 1000 }, { durationSec: 300, cpu }));
    sim.run();
    const cut = held.lastRun!;
    expect(cut.end).toBe(100);
    expect(cut.cpuSec).toBe(50 * 1 + 50 * 4);
    expect(runCpuSegments(cut)).toEqual([
      { start: 0, end: 50, cores: 1 },
      { start: 50, end: 100, cores: 4 },
    ]);
    expect(done.lastRun!.cpuSec).toBe(50 + 150 * 4 + 100 * 2);
    expect(runCpuSegments(done.lastRun!)).toEqual(cpu);
    expect(pool.cpuUsageTimeline()).toEqual([
      { t: 0, cores: 2 },
      { t: 50, cores: 8 },
      { t: 100, cores: 4 },
      { t: 200, cores: 2 },
      { t: 300, cores: 0 },
    ]);
  });
});
