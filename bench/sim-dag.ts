/**
 * One end-to-end DAG simulation, run in its own process so its time and peak RSS are its
 * own: `node dist/bench/sim-dag.js disk|mem|mem-text [units] [jobsPerUnit] [seed]`. Prints one JSON
 * line (SimDagFigures).
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { simulateDag } from "../simulator/dagman/simulate.js";
import { DiskFs, MemFs, type SimFs } from "../simulator/fs.js";
import { diskModels } from "../src/backends/sim.js";
import { seedBundle } from "../src/backends/sim-seed.js";
import { planWorkflow } from "../src/planner/plan.js";
import { writeBundle } from "../src/planner/write.js";
import { BENCH_POOL, dagRequest } from "./dag-workload.js";
import { peakRssMb, threadCpuMs } from "./util.js";

/**
 * `disk`: the planner's files written, every artifact on disk. `mem`: everything in a MemFs,
 * the planner's DAG and submit models handed over as values. `mem-text`: the same with the
 * planner's files as text, parsed by the simulated DAGMan.
 */
export type SimDagMode = "disk" | "mem" | "mem-text";
export const SIM_DAG_MODES: readonly SimDagMode[] = ["disk", "mem", "mem-text"];

export interface SimDagFigures {
  mode: SimDagMode;
  jobs: number;
  /** Planning (and, on disk, writing the submit directory), not part of `simMs`. */
  prepareMs: number;
  simMs: number;
  /** CPU time of the process during the simulation (all threads, including the collector's). */
  simCpuMs: number;
  /**
   * CPU time of the main thread alone during the simulation (where the platform tells it): the
   * rest of `simCpuMs` is the engine's compiler and collector threads.
   */
  mainThreadCpuMs?: number;
  status: string;
  events: number;
  jobsSubmitted: number;
  virtualHours: number;
  peakRssMb: number;
  /** Disk mode: files the run left on disk (submit directory and storage), else 0. */
  filesOnDisk: number;
}

/** Files below a directory. */
function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    n += e.isDirectory() ? countFiles(join(dir, e.name)) : 1;
  }
  return n;
}

export function runSimDag(
  mode: SimDagMode,
  units = 100,
  jobsPerUnit = 100,
  seed = 1,
  keepDir?: string,
): SimDagFigures {
  const dir = keepDir ?? mkdtempSync(join(tmpdir(), "wms2-bench-sim-"));
  try {
    const t0 = performance.now();
    const req = dagRequest(join(dir, "submit"), units, jobsPerUnit);
    const { bundle, summary } = planWorkflow(req);
    let fs: SimFs;
    if (mode === "disk") {
      writeBundle(bundle);
      fs = new DiskFs();
    } else {
      fs = new MemFs();
      seedBundle(fs, bundle, mode === "mem" ? "values" : "text");
    }
    const t1 = performance.now();
    const models = diskModels(fs);
    const c1 = process.cpuUsage();
    const m1 = threadCpuMs();
    const r = simulateDag(join(req.submitDir, "workflow.dag"), {
      seed,
      pool: BENCH_POOL,
      fs,
      models,
    });
    const t2 = performance.now();
    const cpu = process.cpuUsage(c1);
    const m2 = threadCpuMs();
    return {
      mode,
      jobs: summary.jobs.length,
      prepareMs: t1 - t0,
      simMs: t2 - t1,
      simCpuMs: (cpu.user + cpu.system) / 1000,
      mainThreadCpuMs: m1 !== undefined && m2 !== undefined ? m2 - m1 : undefined,
      status: r.status,
      events: r.events,
      jobsSubmitted: r.jobsSubmitted,
      virtualHours: r.durationSec / 3600,
      peakRssMb: peakRssMb(),
      filesOnDisk: mode === "disk" ? countFiles(dir) : 0,
    };
  } finally {
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [mode, units, jobs, seed, keep, warmups, runs] = process.argv.slice(2);
  if (!SIM_DAG_MODES.includes(mode as SimDagMode)) {
    const modes = SIM_DAG_MODES.join("|");
    const usage = `${modes} [units] [jobsPerUnit] [seed] [keepDir] [warmups] [runs]`;
    process.stderr.write(`usage: sim-dag.js ${usage}\n`);
    process.exit(2);
  }
  // Warm-up runs (not printed) let the JIT compile the hot code before the measured runs.
  const total = Number(warmups ?? 0) + Number(runs ?? 1);
  for (let i = 0; i < total; i++) {
    const figures = runSimDag(
      mode as SimDagMode,
      units ? Number(units) : undefined,
      jobs ? Number(jobs) : undefined,
      seed ? Number(seed) : undefined,
      keep ? join(keep, `run${i}`) : undefined,
    );
    if (i >= Number(warmups ?? 0)) process.stdout.write(`${JSON.stringify(figures)}\n`);
  }
}
