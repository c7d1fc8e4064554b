import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchEventCore } from "../simulator/core/bench-probe.js";
import type { SimDagFigures, SimDagMode } from "./sim-dag.js";
import { Leftovers, line, median } from "./util.js";

/** Event rate of the discrete-event core: median of `runs` runs of 2,000,000 events. */
export function benchCore(runs = 5): string[] {
  const rates: number[] = [];
  for (let i = 0; i < runs; i++) rates.push(benchEventCore(2_000_000).eventsPerSec);
  const rate = median(rates);
  return [
    line(
      "event core (2,000,000 events, 1,000 processes)",
      `${(rate / 1e6).toFixed(2)} M ev/s`,
      ">= 2.00 M ev/s",
      rate >= 2e6,
    ) + `   x${(rate / 2e6).toFixed(2)}`,
  ];
}

/**
 * DAG simulations in a fresh process (its own heap, its own peak RSS): `runs` measured runs
 * after `warmups` unmeasured ones.
 */
function simDagChild(mode: SimDagMode, dir: string, warmups = 0, runs = 1): SimDagFigures[] {
  const script = fileURLToPath(new URL("./sim-dag.js", import.meta.url));
  const args = [script, mode, "100", "100", "1", dir, String(warmups), String(runs)];
  const out = execFileSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 20 });
  return out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as SimDagFigures);
}

/**
 * 100 work units x 100 five-step jobs on 125 x 8 cores, end to end, with the artifacts on
 * disk and in memory: median simulation time of `runs` runs and the peak RSS. In memory the
 * target is for the planner's models handed over as values; the same run with the planner's
 * files as text (parsed by the simulated DAGMan) is shown beside it, without a target.
 */
export function benchDag(runs = 3, leftovers = new Leftovers()): string[] {
  const out: string[] = [];
  const parent = leftovers.dir("wms2-bench-sim-");
  for (const [mode, targetMs] of [
    ["mem", 1000],
    ["mem-text", undefined],
    ["disk", 10000],
  ] as const) {
    const figs: SimDagFigures[] = [];
    for (let i = 0; i < runs; i++) figs.push(...simDagChild(mode, join(parent, `${mode}${i}`)));
    out.push(...dagLines(mode, targetMs, figs));
    if (mode === "mem") out.push(warmLine(simDagChild(mode, join(parent, "warm"), 2, runs)));
  }
  return out;
}

/**
 * The in-memory DAG once the code is compiled: the same run repeated in one process after two
 * warm-up runs. The difference to the fresh-process figure is the JIT's warm-up.
 */
function warmLine(figs: SimDagFigures[]): string {
  const ms = median(figs.map((f) => f.simMs));
  const runs = figs.map((x) => x.simMs.toFixed(0)).join("/");
  return `    same, after 2 warm-up runs in one process: ${ms.toFixed(0)} ms (runs ${runs} ms)`;
}

const WHERE: Record<SimDagMode, string> = {
  mem: "in memory (MemFs, planner's models as values)",
  "mem-text": "in memory (MemFs, planner's files as text)",
  disk: "on disk (DiskFs)",
};

/** ` (main thread N ms)` when the runs could tell it. */
function mainThread(figs: SimDagFigures[]): string {
  const ms = figs.map((x) => x.mainThreadCpuMs).filter((x) => x !== undefined);
  return ms.length === figs.length ? ` (main thread ${median(ms).toFixed(0)} ms)` : "";
}

/** The figure lines of one mode: the median simulation time against its target, and details. */
function dagLines(mode: SimDagMode, targetMs: number | undefined, figs: SimDagFigures[]): string[] {
  const ms = median(figs.map((f) => f.simMs));
  const f = figs[0];
  const ok =
    (targetMs === undefined || ms <= targetMs) && figs.every((x) => x.status === "success");
  const head = `DAG ${f.jobs} jobs, artifacts ${WHERE[mode]}`;
  return [
    targetMs === undefined
      ? line(head, `${ms.toFixed(0)} ms`, "none", ok)
      : line(head, `${ms.toFixed(0)} ms`, `<= ${targetMs} ms`, ok) +
        `   x${(targetMs / ms).toFixed(2)}`,
    `    ${f.status}, ${f.jobsSubmitted} jobs run, ${f.events} events, ` +
      `${f.virtualHours.toFixed(2)} h virtual, ${(f.jobsSubmitted / (ms / 1000)).toFixed(0)} jobs/s, ` +
      `peak RSS ${median(figs.map((x) => x.peakRssMb)).toFixed(0)} MB, ` +
      `CPU ${median(figs.map((x) => x.simCpuMs)).toFixed(0)} ms${mainThread(figs)}, ` +
      `plan${mode === "disk" ? " + write" : " + seed"} ${median(figs.map((x) => x.prepareMs)).toFixed(0)} ms, ` +
      (mode === "disk" ? `${f.filesOnDisk} files left on disk, ` : "") +
      `runs ${figs.map((x) => x.simMs.toFixed(0)).join("/")} ms`,
  ];
}
