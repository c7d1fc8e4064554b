import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { threadCpuMs } from "../../bench/util.js";

describe("threadCpuMs", () => {
  const linux = existsSync("/proc/thread-self/stat");

  it.runIf(linux)("counts the calling thread's CPU time, no more than the process's", () => {
    const t0 = threadCpuMs() as number;
    const p0 = process.cpuUsage();
    const deadline = Date.now() + 5000;
    let t = t0;
    let x = 0;
    while (t - t0 < 100 && Date.now() < deadline) {
      for (let i = 0; i < 1e6; i++) x += i % 7;
      t = threadCpuMs() as number;
    }
    const p = process.cpuUsage(p0);
    expect(x).toBeGreaterThan(0);
    expect(t - t0).toBeGreaterThanOrEqual(100);
    // Ticks of 10 ms: the thread's count may run one tick ahead of the process's.
    expect(t - t0).toBeLessThanOrEqual((p.user + p.system) / 1000 + 20);
  });

  it.skipIf(linux)("is undefined where the platform does not tell it", () => {
    expect(threadCpuMs()).toBeUndefined();
  });
});
