import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  cgroupFromMonitorLog,
  formatMemoryMonitorLog,
  MEMORY_MONITOR_HEADER,
  type MemorySample,
  parseMemoryMonitorLog,
  peakCgroupMb,
  readCgroupRecord,
  readMemoryMonitorLog,
  writeCgroupRecord,
  writeMemoryMonitorLog,
} from "../../src/artifacts/cgroup.js";
import { InputError } from "../../src/model/errors.js";
import { tempDir, thrown } from "./helpers.js";

const LOG = `${MEMORY_MONITOR_HEADER}
1700000000 2100 1800 250 0 0
1700000002 5400 3755 150 1494 1
1700000004 6000 3700 800 1426 1
1700000006 4100 2990 1100 0 0

`;

describe("cgroupFromMonitorLog", () => {
  it("computes every peak, split by the tmpfs flag", () => {
    expect(cgroupFromMonitorLog(LOG, 1234.9)).toEqual({
      peak_anon_mb: 3755,
      peak_shmem_mb: 1494,
      peak_nonreclaim_mb: 5249,
      tmpfs_peak_nonreclaim_mb: 5249,
      no_tmpfs_peak_anon_mb: 2990,
      num_samples: 4,
      gridpack_disk_mb: 1234,
    });
  });

  it("gives zeros for a log with only the header", () => {
    const r = cgroupFromMonitorLog(`${MEMORY_MONITOR_HEADER}\n`, 0);
    expect(r).toEqual({
      peak_anon_mb: 0,
      peak_shmem_mb: 0,
      peak_nonreclaim_mb: 0,
      tmpfs_peak_nonreclaim_mb: 0,
      no_tmpfs_peak_anon_mb: 0,
      num_samples: 0,
      gridpack_disk_mb: 0,
    });
  });

  it("truncates fractional MiB to integers", () => {
    const r = cgroupFromMonitorLog("0 10 100.9 0 20.5 0\n", 0);
    expect(r.peak_anon_mb).toBe(100);
    expect(r.peak_nonreclaim_mb).toBe(121);
  });

  it("reports a malformed line with file and line number", () => {
    const err = thrown(() =>
      parseMemoryMonitorLog(`${MEMORY_MONITOR_HEADER}\n0 1 2 3\n`, "job/memory_monitor.log"),
    );
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/^job\/memory_monitor\.log:2: expected 6 numbers/);
  });
});

describe("memory monitor log writer", () => {
  const samples: MemorySample[] = [
    { tsSec: 10.4, cgroupMb: 2000.6, anonMb: 1500.2, fileMb: 400, shmemMb: 0, tmpfsPresent: true },
    { tsSec: 12, cgroupMb: 2600, anonMb: 1700, fileMb: 500, shmemMb: 300, tmpfsPresent: false },
  ];

  it("writes the header and whole-number columns", () => {
    expect(formatMemoryMonitorLog(samples)).toBe(
      `${MEMORY_MONITOR_HEADER}\n10 2000 1500 400 0 1\n12 2600 1700 500 300 0\n`,
    );
  });

  it("reads back what it wrote", () => {
    const back = parseMemoryMonitorLog(formatMemoryMonitorLog(samples));
    expect(back.map((s) => [s.cgroupMb, s.tmpfsPresent])).toEqual([
      [2000, true],
      [2600, false],
    ]);
    expect(peakCgroupMb(back)).toBe(2600);
    expect(peakCgroupMb([])).toBe(0);
  });

  it("writes and reads the log file", () => {
    const file = join(tempDir(), "memory_monitor.log");
    writeMemoryMonitorLog(file, samples);
    expect(readMemoryMonitorLog(file).map((s) => s.anonMb)).toEqual([1500, 1700]);
  });
});

describe("proc_<N>_cgroup.json", () => {
  it("round-trips and accepts older files without num_samples/gridpack_disk_mb", () => {
    const d = tempDir();
    const file = join(d, "proc_4_cgroup.json");
    const rec = cgroupFromMonitorLog(LOG, 0);
    writeCgroupRecord(file, rec);
    expect(readCgroupRecord(file)).toEqual(rec);
    writeFileSync(
      file,
      JSON.stringify({
        peak_anon_mb: 3754,
        peak_shmem_mb: 0,
        peak_nonreclaim_mb: 3754,
        tmpfs_peak_nonreclaim_mb: 0,
        no_tmpfs_peak_anon_mb: 3754,
      }),
    );
    expect(readCgroupRecord(file)).toMatchObject({
      num_samples: 0,
      gridpack_disk_mb: 0,
      peak_anon_mb: 3754,
    });
  });

  it("names the bad field", () => {
    const d = tempDir();
    const file = join(d, "proc_4_cgroup.json");
    writeFileSync(file, JSON.stringify({ peak_anon_mb: 1.5 }));
    expect(thrown(() => readCgroupRecord(file)).message).toMatch(
      /proc_4_cgroup\.json: field peak_anon_mb: /,
    );
  });
});
