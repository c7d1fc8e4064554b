/**
 * What a workflow needs to run, and what this machine offers.
 *
 * `runnableOn` decides per backend: on `sim` a workflow runs when its payload can be
 * simulated (synthetic; simulator and cached when every step names a known profile); on
 * `condor` when every capability in `requires` was detected. `detectCapabilities` probes
 * the machine without network access; every external command has a 5 s limit and any
 * failure counts as "missing".
 */
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { execa } from "execa";
import { CondorOutputError, parseStatusTotals } from "../backends/condor/condor-parse.js";
import type { Capability, WorkflowDef } from "../model/workflow.js";
import type { Catalog } from "./catalog.js";

export type BackendName = "sim" | "condor";

export interface CapabilityCheck {
  ok: boolean;
  detail: string;
}

export type CapabilityReport = Record<Capability, CapabilityCheck>;

export interface Runnable {
  ok: boolean;
  /** Why not (empty when ok). */
  reason: string;
}

export function runnableOn(
  wf: WorkflowDef,
  catalog: Pick<Catalog, "profiles">,
  backend: BackendName,
  caps: Partial<Record<Capability, CapabilityCheck>>,
): Runnable {
  if (backend === "condor") {
    const missing = wf.requires.filter((c) => !caps[c]?.ok);
    return missing.length > 0
      ? { ok: false, reason: `missing capabilities: ${missing.join(", ")}` }
      : { ok: true, reason: "" };
  }
  if (wf.mode === "cmssw")
    return { ok: false, reason: "mode cmssw runs real cmsRun and needs the condor backend" };
  if (wf.mode === "synthetic") return { ok: true, reason: "" };
  for (const step of wf.request.steps) {
    if (step.profile === undefined)
      return { ok: false, reason: `step ${step.name} has no simulator profile` };
    if (!catalog.profiles.has(step.profile))
      return { ok: false, reason: `step ${step.name}: unknown profile "${step.profile}"` };
  }
  return { ok: true, reason: "" };
}

export interface CommandResult {
  ok: boolean;
  stdout: string;
  /** Short reason when the command failed or could not start. */
  error?: string;
}

export type CommandRunner = (
  cmd: string,
  args: string[],
  timeoutMs: number,
) => Promise<CommandResult>;

export interface DetectOptions {
  /** Environment to read (PATH, overrides); defaults to the process environment. */
  env?: NodeJS.ProcessEnv;
  /** Runs the probe commands; defaults to real processes started with `env`. */
  run?: CommandRunner;
}

/** Default locations; each can be overridden through the environment variable beside it. */
export const CAPABILITY_DEFAULTS = {
  /** WMS2_CVMFS_SETUP */
  cvmfsSetup: "/cvmfs/cms.cern.ch/cmsset_default.sh",
  /** WMS2_SITECONF, else SITECONFIG_PATH */
  siteconf: "/cvmfs/cms.cern.ch/SITECONF/local",
} as const;

const CONDOR_TOOLS = ["condor_status", "condor_submit", "condor_q", "condor_submit_dag"];
const TIMEOUT_MS = 5000;

/** Runs real processes with `env` (including its PATH). */
export const processRunner =
  (env: NodeJS.ProcessEnv): CommandRunner =>
  async (cmd, args, timeoutMs) => {
    const r = await execa(cmd, args, {
      timeout: timeoutMs,
      reject: false,
      stdin: "ignore",
      env,
      extendEnv: false,
    });
    const stdout = typeof r.stdout === "string" ? r.stdout : "";
    return r.failed
      ? { ok: false, stdout, error: (r.shortMessage ?? "failed").split("\n")[0] }
      : { ok: true, stdout };
  };

/** Path of `cmd` on PATH, if executable. */
export function onPath(cmd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      if (statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/**
 * Slot count of `condor_status -total` output (read by the condor backend's parser; no
 * output is a pool of 0 slots); undefined when the table cannot be read.
 */
export function totalSlots(stdout: string): number | undefined {
  try {
    return parseStatusTotals(stdout).slots;
  } catch (e) {
    if (e instanceof CondorOutputError) return undefined;
    throw e;
  }
}

async function checkCondor(env: NodeJS.ProcessEnv, run: CommandRunner): Promise<CapabilityCheck> {
  const missing = CONDOR_TOOLS.filter((t) => !onPath(t, env));
  if (missing.length > 0) return { ok: false, detail: `not on PATH: ${missing.join(", ")}` };
  const r = await run("condor_status", ["-total"], TIMEOUT_MS);
  if (!r.ok) return { ok: false, detail: `condor_status -total failed: ${r.error ?? "error"}` };
  const slots = totalSlots(r.stdout);
  if (slots === undefined)
    return { ok: false, detail: "condor_status -total printed no readable Total line" };
  return slots > 0
    ? { ok: true, detail: `${slots} slots` }
    : { ok: false, detail: "pool has 0 slots" };
}

function checkFile(path: string, what: string): CapabilityCheck {
  return existsSync(path)
    ? { ok: true, detail: `${what} ${path}` }
    : { ok: false, detail: `${what} not found: ${path}` };
}

async function checkApptainer(run: CommandRunner): Promise<CapabilityCheck> {
  const tried: string[] = [];
  for (const tool of ["apptainer", "singularity"]) {
    const r = await run(tool, ["--version"], TIMEOUT_MS);
    if (r.ok && r.stdout.trim() !== "") return { ok: true, detail: r.stdout.trim().split("\n")[0] };
    tried.push(`${tool}: ${r.error ?? "no version printed"}`);
  }
  return { ok: false, detail: tried.join("; ") };
}

function checkX509(env: NodeJS.ProcessEnv): CapabilityCheck {
  const uid = typeof process.getuid === "function" ? process.getuid() : undefined;
  const path = env.X509_USER_PROXY ?? (uid !== undefined ? `/tmp/x509up_u${uid}` : undefined);
  if (!path) return { ok: false, detail: "X509_USER_PROXY not set" };
  try {
    return statSync(path).size > 0
      ? { ok: true, detail: `proxy ${path}` }
      : { ok: false, detail: `proxy ${path} is empty` };
  } catch {
    return { ok: false, detail: `no proxy at ${path}` };
  }
}

async function checkPostgres(env: NodeJS.ProcessEnv, run: CommandRunner): Promise<CapabilityCheck> {
  if (!onPath("pg_isready", env)) return { ok: false, detail: "pg_isready not on PATH" };
  const r = await run("pg_isready", [], TIMEOUT_MS);
  return r.ok
    ? { ok: true, detail: r.stdout.trim() || "accepting connections" }
    : { ok: false, detail: r.error ?? "not ready" };
}

/** Probe every capability (no network). */
export async function detectCapabilities(opts: DetectOptions = {}): Promise<CapabilityReport> {
  const env = opts.env ?? process.env;
  const run = opts.run ?? processRunner(env);
  const siteconfRoot = env.WMS2_SITECONF ?? env.SITECONFIG_PATH ?? CAPABILITY_DEFAULTS.siteconf;
  const notProbed: CapabilityCheck = {
    ok: false,
    detail: "not probed: needs network access to CMS web services",
  };
  const [condor, apptainer, postgres] = await Promise.all([
    checkCondor(env, run),
    checkApptainer(run),
    checkPostgres(env, run),
  ]);
  return {
    apptainer,
    condor,
    cvmfs: checkFile(env.WMS2_CVMFS_SETUP ?? CAPABILITY_DEFAULTS.cvmfsSetup, "setup script"),
    dbs: notProbed,
    postgres,
    reqmgr2: notProbed,
    siteconf: checkFile(join(siteconfRoot, "JobConfig", "site-local-config.xml"), "site config"),
    x509: checkX509(env),
  };
}
