import { describe, expect, it } from "vitest";
import { Simulation } from "../../simulator/core/simulation.js";
import { Pool } from "../../simulator/pool/pool.js";
import { userLogListener } from "../../simulator/pool/user-log.js";
import { formatEvent, type JobLogEvent, parseEventLog } from "../../src/dagman/event-log.js";
import { machine } from "./pool-setup.js";

describe("pool events as an HTCondor job event log", () => {
  it("writes a log that parses back with the right codes, node names, RSS and hold codes", () => {
    const epoch = Date.UTC(2026, 2, 14, 10, 0, 0) / 1000;
    const sim = new Simulation({ startTime: epoch });
    const pool = new Pool(sim, {
      negotiationIntervalSec: 10,
      firstClusterId: 4521,
      machines: [machine({ name: "wn" })],
    });
    const files = new Map<string, string>();
    pool.listen(
      userLogListener(sim, {
        write: (ev: JobLogEvent, job) => {
          const file = `${String(job.attrs.DAGNodeName)}.log`;
          files.set(file, (files.get(file) ?? "") + formatEvent(ev));
        },
      }),
    );
    pool.submit({
      requestCpus: 4,
      requestMemoryMb: 8000,
      requestDiskKb: 2048,
      attrs: { DAGNodeName: "proc_000001" },
      driver: () => ({
        durationSec: 400,
        memory: { peakMb: 3500, atSec: 120 },
        rssMb: 2500,
        cpuSec: 1240,
        exitCode: 0,
      }),
    });
    const oom = pool.submit({
      requestCpus: 2,
      requestMemoryMb: 2000,
      requestDiskKb: 2048,
      attrs: { DAGNodeName: "proc_000002" },
      driver: () => ({ durationSec: 100, memory: { peakMb: 2600, atSec: 30 } }),
    });
    sim.at(epoch + 35, () => {
      pool.edit(oom.id, { RequestMemory: 3000 });
      pool.release(oom.id);
    });
    sim.at(epoch + 60, () => pool.remove(oom.id));
    sim.run();

    const ok = parseEventLog(files.get("proc_000001.log")!, "proc_000001.log");
    expect(ok.map((e) => e.code)).toEqual([0, 1, 6, 5]);
    expect(ok.map((e) => e.time - epoch)).toEqual([0, 0, 120, 400]);
    expect(ok[0]).toMatchObject({ cluster: 4521, dagNode: "proc_000001" });
    expect(ok[1]).toMatchObject({
      slotName: "slot1_1@wn",
      attrs: { Cpus: 4, Memory: 8000, Disk: 2048 },
    });
    expect(ok[2]).toMatchObject({ memoryUsageMb: 3500, residentSetSizeKb: 2500 * 1024 });
    expect(ok[3]).toMatchObject({
      normal: true,
      returnValue: 0,
      runRemoteUsage: { userSec: 1240, sysSec: 0 },
      resources: {
        Cpus: { usage: 3.1, request: 4, allocated: 4 },
        "Memory (MB)": { usage: 3500, request: 8000, allocated: 8000 },
        "TimeExecute (s)": { usage: 400 },
      },
    });

    const bad = parseEventLog(files.get("proc_000002.log")!, "proc_000002.log");
    expect(bad.map((e) => `${e.code}@${e.time - epoch}`)).toEqual([
      "0@0",
      "1@0",
      "6@30",
      "12@30",
      "13@35",
      "1@40",
      "9@60",
    ]);
    expect(bad[3]).toMatchObject({ cluster: 4522, reasonCode: 34, reasonSubcode: 102 });
    expect(bad[3].details[0]).toBe(
      "Error from slot1_2@wn: memory usage exceeded request_memory (cgroup peak 2600 MB > limit 2000 MB)",
    );
    expect(bad[6]).toMatchObject({ kind: "aborted", reason: "via condor_rm (by user wms2)" });
  });

  it("shares the parts that repeat between jobs, frozen, and gives a job with other figures its own", () => {
    const sim = new Simulation({ startTime: 0 });
    const pool = new Pool(sim, {
      negotiationIntervalSec: 10,
      firstClusterId: 100,
      machines: [machine({ name: "wn" })],
    });
    const events: JobLogEvent[] = [];
    pool.listen(userLogListener(sim, { write: (ev) => events.push(ev) }));
    const job = (cpus: number, cpuSec: number) => ({
      requestCpus: cpus,
      requestMemoryMb: 2000,
      requestDiskKb: 2048,
      attrs: { DAGNodeName: "p" },
      driver: () => ({ durationSec: 100, memory: { peakMb: 1000, atSec: 1 }, cpuSec, exitCode: 0 }),
    });
    pool.submit(job(2, 150));
    pool.submit(job(2, 150));
    pool.submit(job(1, 90));
    sim.run();
    const ended = events.filter((e) => e.kind === "terminated");
    const started = events.filter((e) => e.kind === "execute");
    expect(ended).toHaveLength(3);
    expect(ended[1].resources).toBe(ended[0].resources);
    expect(ended[1].runRemoteUsage).toBe(ended[0].runRemoteUsage);
    expect(started[1].attrs).toBe(started[0].attrs);
    expect(started[1].host).toBe(started[0].host);
    expect(Object.isFrozen(ended[0].resources) && Object.isFrozen(ended[0].resources?.Cpus)).toBe(
      true,
    );
    expect(ended[2].resources).not.toBe(ended[0].resources);
    expect(ended[2].resources).toEqual({
      Cpus: { usage: 0.9, request: 1, allocated: 1 },
      "Disk (KB)": { request: 2048, allocated: 2048 },
      "Memory (MB)": { usage: 1000, request: 2000, allocated: 2000 },
      "TimeExecute (s)": { usage: 100 },
    });
    expect(ended[2].runRemoteUsage).toEqual({ userSec: 90, sysSec: 0 });
    expect(started[2].attrs).toEqual({ Cpus: 1, Disk: 2048, Memory: 2000 });
  });
});
