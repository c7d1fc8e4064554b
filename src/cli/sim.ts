import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Command } from "commander";
import {
  DEFAULT_MAX_VIRTUAL_SEC,
  type SimulateResult,
  simulateDag,
} from "../../simulator/dagman/simulate.js";
import { DiskFs, MemFs, type SimFs } from "../../simulator/fs.js";
import { loadPoolFile } from "../../simulator/pool/config.js";
import { diskModels } from "../backends/sim.js";
import { InputError } from "../model/errors.js";
import { EXIT } from "./errors.js";
import type { CliIo } from "./main.js";
import {
  addThrottleOptions,
  type ThrottleTexts,
  throttlesOf,
  throttleTexts,
} from "./throttle-options.js";

export interface SimCommandOptions extends ThrottleTexts {
  seed?: string;
  pool?: string;
  /** Keep every file the simulation writes in memory (the submit directory stays untouched). */
  memory?: boolean;
  /** Virtual days after which a DAG still running is stopped (default 30). */
  maxDays?: string;
}

function seedOf(v: string | undefined): number {
  if (v === undefined) return 1;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n))
    throw new InputError(`--seed: expected a non-negative integer, got "${v}"`);
  return n;
}

function maxDaysOf(v: string | undefined): number {
  if (v === undefined) return DEFAULT_MAX_VIRTUAL_SEC / 86400;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n <= 0)
    throw new InputError(`--max-days: expected a number of days > 0, got "${v}"`);
  return n;
}

/** A MemFs holding a copy of every file below `dir` (the DAG's directory). */
export function memFsOf(dir: string): MemFs {
  const fs = new MemFs();
  const walk = (d: string) => {
    fs.mkdirp(d);
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else fs.writeText(p, readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return fs;
}

function hms(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

function counts(c: SimulateResult["nodes"]): string {
  return `${c.total} total, ${c.done} done, ${c.failed} failed, ${c.futile} futile`;
}

/** Job ids by reason, the reasons in order of their first job. */
function byReason(jobs: readonly { jobId: number; reason: string }[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const j of jobs) {
    const ids = out.get(j.reason);
    if (ids) ids.push(j.jobId);
    else out.set(j.reason, [j.jobId]);
  }
  return out;
}

/** Sorted ids as runs: `1000-1008, 1010`. */
export function idRanges(ids: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j] + 1) j++;
    parts.push(j === i ? String(ids[i]) : `${ids[i]}-${ids[j]}`);
    i = j + 1;
  }
  return parts.join(", ");
}

/** The summary `matrix sim` prints. */
export function renderSimSummary(
  dagFile: string,
  seed: number,
  r: SimulateResult,
  inMemory = false,
  maxDays = DEFAULT_MAX_VIRTUAL_SEC / 86400,
): string {
  const where = inMemory ? " (in memory)" : "";
  const lines = [
    `Simulated ${dagFile} (seed ${seed}${inMemory ? ", files kept in memory" : ""})`,
    `  status:          ${r.status.toUpperCase()}${r.status === "running" ? ` (stopped after ${maxDays} days of virtual time; --max-days to change)` : ""}`,
    `  DAGMan exit:     ${r.exitCode ?? "none (did not exit)"}`,
    `  DAG_Status:      ${r.dagStatus ?? "none"}`,
    `  top DAG nodes:   ${counts(r.nodes)}`,
    `  inner nodes:     ${counts(r.inner)}`,
    `  jobs submitted:  ${r.jobsSubmitted}`,
    `  virtual time:    ${hms(r.durationSec)}`,
    `  events:          ${r.events}`,
    `  rescue DAG:      ${r.rescueFile ? `${r.rescueFile}${where}` : "none"}`,
    `  dagman.out:      ${r.dagmanOut}${where}`,
    `  metrics:         ${r.exitCode === null ? "not written (DAGMan did not exit)" : `${r.metricsFile}${where}`}`,
    `  node status:     ${r.statusFile ? `${r.statusFile}${where}` : "none (the DAG names no NODE_STATUS_FILE)"}`,
  ];
  if (r.unmatchable.length > 0) {
    lines.push(`  unmatchable jobs (${r.unmatchable.length}): no machine of the pool can run them`);
    for (const [reason, ids] of byReason(r.unmatchable)) {
      lines.push(
        ids.length === 1
          ? `    job ${ids[0]}: ${reason}`
          : `    jobs ${idRanges(ids)} (${ids.length}): ${reason}`,
      );
    }
  }
  if (r.held.length > 0) {
    lines.push(`  held jobs (${r.held.length}) when the simulation stopped:`);
    for (const h of r.held) {
      lines.push(
        `    job ${h.jobId}: ${h.reason} (HoldReasonCode ${h.code}, subcode ${h.subCode})`,
      );
    }
  }
  return `${lines.join("\n")}\n`;
}

/** `matrix sim DAG`: simulate a DAG to its end; 0 on success, 1 when the DAG did not succeed. */
export function simCommand(dagPath: string, opts: SimCommandOptions, io: CliIo): number {
  const seed = seedOf(opts.seed);
  const throttles = throttlesOf(opts);
  const maxDays = maxDaysOf(opts.maxDays);
  const pool = opts.pool ? loadPoolFile(opts.pool) : undefined;
  const dagFile = resolve(dagPath);
  if (!existsSync(dagFile)) throw new InputError(`${dagFile}: no such DAG file`);
  if (statSync(dagFile).isDirectory()) {
    throw new InputError(`${dagFile}: is a directory; give the DAG file (e.g. DIR/workflow.dag)`);
  }
  const fs: SimFs = opts.memory ? memFsOf(dirname(dagFile)) : new DiskFs();
  const r = simulateDag(dagFile, {
    seed,
    pool,
    fs,
    models: diskModels(fs),
    throttles,
    maxVirtualSec: maxDays * 86400,
  });
  io.out(renderSimSummary(dagFile, seed, r, Boolean(opts.memory), maxDays));
  return r.status === "success" ? EXIT.ok : EXIT.failed;
}

/** Register `matrix sim`. The root program also defines --seed and --pool; either place works. */
export function registerSimCommand(
  program: Command,
  io: CliIo,
  setCode: (c: number) => void,
): void {
  const cmd = program
    .command("sim")
    .description("simulate a DAG (e.g. one written by `matrix plan`) and summarise the outcome")
    .argument("<DAG>", "DAG file, e.g. DIR/workflow.dag")
    .option("--seed <N>", "seed of every random stream (default 1)")
    .option("--pool <FILE>", "simulated pool description (YAML)")
    .option("--memory", "keep the files the simulation writes in memory")
    .option("--max-days <N>", "stop a DAG still running after N days of virtual time (default 30)");
  addThrottleOptions(cmd).action((dag: string, opts: SimCommandOptions) => {
    const root = program.opts<SimCommandOptions>();
    const merged = { ...opts, ...throttleTexts(opts, root) };
    setCode(
      simCommand(
        dag,
        { ...merged, seed: opts.seed ?? root.seed, pool: opts.pool ?? root.pool },
        io,
      ),
    );
  });
}
