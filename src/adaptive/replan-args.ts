/**
 * The replan command line (adaptive.md §16.2, matrix.md §5.4), parsed the same way by the
 * `matrix replan` sub-command and by the simulator's model of `wms2_replan.sh`:
 *
 * `--wu-dir D --prior-wu-dirs A,B --replan-index k --ncores C --mem-per-core M
 *  --max-mem-per-core X [--safety-margin S] [--overcommit-max O] [--no-split]
 *  [--split-all-steps [--uniform-threads]] [--split-tmpfs] [--job-split
 *  [--events-per-job E] [--num-jobs J]] [--min-threads T] [--probe-node proc_NNNNNN]
 *  [--memory-mb N] [--tmpfs] [--submit-dir W]`
 *
 * Every problem is an `InputError` with a one-line message (the CLI exits 2).
 */
import { InputError } from "../model/errors.js";
import { DEFAULT_SAFETY_MARGIN } from "./constants.js";

export interface ReplanOptions {
  /** The work unit to re-plan (not started yet). */
  wuDir: string;
  /** Completed work units, oldest first. */
  priorWuDirs: string[];
  replanIndex: number;
  /** Cores of a Round-1 job (the slot size). */
  ncores: number;
  /** Default memory per core (MB): the floor of the window. */
  memPerCoreMb: number;
  /** Maximum memory per core (MB): the ceiling of the window. */
  maxMemPerCoreMb: number;
  safetyMargin: number;
  overcommitMax: number;
  /** Step 0 may run as parallel instances (off with `--no-split`). */
  split: boolean;
  splitAllSteps: boolean;
  uniformThreads: boolean;
  /** The request runs its gridpack on tmpfs: memory estimates account for it. */
  splitTmpfs: boolean;
  jobSplit: boolean;
  /** Events per job and jobs of the next unit; 0 = read from its submit files. */
  eventsPerJob: number;
  numJobs: number;
  minThreads: number;
  /** Probe node of the first prior unit, left out of its per-step data. */
  probeNode?: string;
  /** Catalog per-unit request_memory override (MB) for the next unit. */
  memoryMb?: number;
  /** Catalog tmpfs-from-unit switch: the next unit runs its gridpack on tmpfs. */
  tmpfs: boolean;
  /** Where `replan_<k>_decisions.json` goes; default the parent of `wuDir`. */
  submitDir?: string;
}

export const REPLAN_USAGE =
  "replan --wu-dir D --prior-wu-dirs A,B --replan-index k --ncores C --mem-per-core M " +
  "--max-mem-per-core X [--safety-margin S] [--overcommit-max O] [--no-split] " +
  "[--split-all-steps] [--uniform-threads] [--split-tmpfs] [--job-split --events-per-job E " +
  "--num-jobs J] [--min-threads T] [--probe-node proc_NNNNNN] [--memory-mb N] [--tmpfs] " +
  "[--submit-dir W]";

const FLAGS = new Set([
  "--no-split",
  "--split-all-steps",
  "--uniform-threads",
  "--split-tmpfs",
  "--job-split",
  "--tmpfs",
]);

const VALUED = new Set([
  "--wu-dir",
  "--wu1-dir",
  "--prior-wu-dirs",
  "--replan-index",
  "--ncores",
  "--mem-per-core",
  "--max-mem-per-core",
  "--safety-margin",
  "--overcommit-max",
  "--events-per-job",
  "--num-jobs",
  "--min-threads",
  "--probe-node",
  "--memory-mb",
  "--submit-dir",
]);

function usage(problem: string): InputError {
  return new InputError(`replan: ${problem}`);
}

/** Splits argv into flag set and option values; `--opt=value` is accepted too. */
function tokenize(argv: readonly string[]): { flags: Set<string>; values: Map<string, string> } {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i];
    const eq = raw.startsWith("--") ? raw.indexOf("=") : -1;
    const name = eq > 0 ? raw.slice(0, eq) : raw;
    if (FLAGS.has(name)) {
      if (eq > 0) throw usage(`${name} takes no value`);
      flags.add(name);
    } else if (VALUED.has(name)) {
      const value = eq > 0 ? raw.slice(eq + 1) : argv[i + 1];
      if (value === undefined || (eq < 0 && value.startsWith("--"))) {
        throw usage(`${name} needs a value`);
      }
      values.set(name === "--wu1-dir" ? "--wu-dir" : name, value);
      if (eq < 0) i++;
    } else if (raw.startsWith("-")) {
      throw usage(`unknown option ${name}`);
    } else {
      throw usage(`unexpected argument "${raw}"`);
    }
  }
  return { flags, values };
}

function numberOf(values: Map<string, string>, name: string, dflt?: number): number {
  const raw = values.get(name);
  if (raw === undefined) {
    if (dflt === undefined) throw usage(`missing ${name}`);
    return dflt;
  }
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n)) {
    throw usage(`${name}: expected a number, got "${raw}"`);
  }
  return n;
}

function intOf(values: Map<string, string>, name: string, min: number, dflt?: number): number {
  const n = numberOf(values, name, dflt);
  if (!Number.isInteger(n) || n < min) {
    throw usage(`${name}: expected an integer >= ${min}, got "${values.get(name)}"`);
  }
  return n;
}

function stringOf(values: Map<string, string>, name: string): string {
  const v = values.get(name);
  if (v === undefined || v.trim() === "") throw usage(`missing ${name}`);
  return v;
}

/** Parses the replan argv; throws an `InputError` naming the first problem. */
export function parseReplanArgv(argv: readonly string[]): ReplanOptions {
  const { flags, values } = tokenize(argv);
  const priorWuDirs = stringOf(values, "--prior-wu-dirs")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (priorWuDirs.length === 0) throw usage("--prior-wu-dirs: expected a comma list of dirs");
  const memPerCoreMb = numberOf(values, "--mem-per-core");
  const maxMemPerCoreMb = numberOf(values, "--max-mem-per-core");
  if (!(memPerCoreMb > 0)) throw usage(`--mem-per-core: expected a positive number`);
  if (maxMemPerCoreMb < memPerCoreMb) {
    throw usage("--max-mem-per-core must be at least --mem-per-core");
  }
  const safetyMargin = numberOf(values, "--safety-margin", DEFAULT_SAFETY_MARGIN);
  if (safetyMargin < 0) throw usage("--safety-margin: expected a number >= 0");
  const overcommitMax = numberOf(values, "--overcommit-max", 1.0);
  if (overcommitMax < 1) throw usage("--overcommit-max: expected a number >= 1");
  const opts: ReplanOptions = {
    wuDir: stringOf(values, "--wu-dir"),
    priorWuDirs,
    replanIndex: intOf(values, "--replan-index", 0, 0),
    ncores: intOf(values, "--ncores", 1),
    memPerCoreMb,
    maxMemPerCoreMb,
    safetyMargin,
    overcommitMax,
    split: !flags.has("--no-split"),
    splitAllSteps: flags.has("--split-all-steps"),
    uniformThreads: flags.has("--uniform-threads"),
    splitTmpfs: flags.has("--split-tmpfs"),
    jobSplit: flags.has("--job-split"),
    eventsPerJob: intOf(values, "--events-per-job", 0, 0),
    numJobs: intOf(values, "--num-jobs", 0, 0),
    minThreads: intOf(values, "--min-threads", 1, 2),
    tmpfs: flags.has("--tmpfs"),
  };
  if (opts.jobSplit && opts.splitAllSteps) {
    throw usage("--job-split and --split-all-steps exclude each other");
  }
  if (opts.uniformThreads && !opts.splitAllSteps) {
    throw usage("--uniform-threads needs --split-all-steps");
  }
  const probe = values.get("--probe-node");
  if (probe !== undefined) {
    if (!/^proc_\d+$/.test(probe)) {
      throw usage(`--probe-node: expected a proc node name (proc_NNNNNN), got "${probe}"`);
    }
    opts.probeNode = probe;
  }
  if (values.has("--memory-mb")) opts.memoryMb = intOf(values, "--memory-mb", 1);
  if (values.has("--submit-dir")) opts.submitDir = stringOf(values, "--submit-dir");
  return opts;
}

/** The argv of a replan run (the inverse of `parseReplanArgv`, defaults left out). */
export function formatReplanArgv(o: ReplanOptions): string[] {
  const argv = [
    "--wu-dir",
    o.wuDir,
    "--prior-wu-dirs",
    o.priorWuDirs.join(","),
    "--replan-index",
    String(o.replanIndex),
    "--ncores",
    String(o.ncores),
    "--mem-per-core",
    String(o.memPerCoreMb),
    "--max-mem-per-core",
    String(o.maxMemPerCoreMb),
    "--safety-margin",
    String(o.safetyMargin),
    "--overcommit-max",
    String(o.overcommitMax),
  ];
  if (!o.split) argv.push("--no-split");
  if (o.splitAllSteps) argv.push("--split-all-steps");
  if (o.uniformThreads) argv.push("--uniform-threads");
  if (o.splitTmpfs) argv.push("--split-tmpfs");
  if (o.jobSplit) {
    argv.push("--job-split");
    if (o.eventsPerJob > 0) argv.push("--events-per-job", String(o.eventsPerJob));
    if (o.numJobs > 0) argv.push("--num-jobs", String(o.numJobs));
  }
  if (o.minThreads !== 2) argv.push("--min-threads", String(o.minThreads));
  if (o.probeNode !== undefined) argv.push("--probe-node", o.probeNode);
  if (o.memoryMb !== undefined) argv.push("--memory-mb", String(o.memoryMb));
  if (o.tmpfs) argv.push("--tmpfs");
  if (o.submitDir !== undefined) argv.push("--submit-dir", o.submitDir);
  return argv;
}
