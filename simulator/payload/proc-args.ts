/**
 * The processing wrapper's command line (formats.md §5.3):
 * `wms2_proc.sh --sandbox S --input LFN[,LFN...] --node-index N [--output-info F]
 *  [--first-event F] [--last-event L] [--events-per-job E] [--ncpus C] [--pileup-remote-read]`.
 */
import { InputError, inputErrorMessage } from "../../src/model/errors.js";

/** The parsed command line; an option not given is undefined. */
export interface ProcArgs {
  nodeIndex: number;
  inputs: string[];
  outputInfo?: string;
  firstEvent?: number;
  lastEvent?: number;
  eventsPerJob?: number;
  ncpus?: number;
}

/** The options that take a value, each once (the last one given wins). */
type Valued =
  | "--sandbox"
  | "--input"
  | "--node-index"
  | "--output-info"
  | "--first-event"
  | "--last-event"
  | "--events-per-job"
  | "--ncpus";

function isValued(a: string): a is Valued {
  switch (a) {
    case "--sandbox":
    case "--input":
    case "--node-index":
    case "--output-info":
    case "--first-event":
    case "--last-event":
    case "--events-per-job":
    case "--ncpus":
      return true;
    default:
      return false;
  }
}

/** An option's value as an integer >= `min`; undefined when the option was not given. */
function intValue(
  raw: string | undefined,
  opt: Valued,
  min: number,
  file: string,
): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    const problem = `${opt} expects an integer >= ${min}, got "${raw}"`;
    throw new InputError(inputErrorMessage({ file, field: "arguments", problem }));
  }
  return n;
}

const nonEmpty = (s: string): boolean => s.length > 0;

/** The entries of a comma-separated list, blanks dropped (most jobs name one input). */
function listEntries(list: string | undefined): string[] {
  if (!list) return [];
  return list.includes(",") ? list.split(",").filter(nonEmpty) : [list];
}

/** Parse the wrapper's argv; `file` (the submit file) is named in errors. */
export function parseProcArgs(argv: readonly string[], file: string): ProcArgs {
  // The last value of each option (`--sandbox` is checked for a value, not kept).
  let input: string | undefined;
  let index: string | undefined;
  let outputInfo: string | undefined;
  let first: string | undefined;
  let last: string | undefined;
  let perJob: string | undefined;
  let ncpus: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!isValued(a)) continue;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) {
      throw new InputError(
        inputErrorMessage({ file, field: "arguments", problem: `${a} needs a value` }),
      );
    }
    i++;
    if (a === "--input") input = v;
    else if (a === "--node-index") index = v;
    else if (a === "--output-info") outputInfo = v;
    else if (a === "--first-event") first = v;
    else if (a === "--last-event") last = v;
    else if (a === "--events-per-job") perJob = v;
    else if (a === "--ncpus") ncpus = v;
  }
  const nodeIndex = intValue(index, "--node-index", 0, file);
  if (nodeIndex === undefined) {
    const problem = "the processing wrapper needs --node-index";
    throw new InputError(inputErrorMessage({ file, field: "arguments", problem }));
  }
  // One literal (options not given are undefined), validated in the order of the fields.
  return {
    nodeIndex,
    inputs: listEntries(input),
    outputInfo,
    firstEvent: intValue(first, "--first-event", 0, file),
    lastEvent: intValue(last, "--last-event", 0, file),
    eventsPerJob: intValue(perJob, "--events-per-job", 0, file),
    ncpus: intValue(ncpus, "--ncpus", 1, file),
  };
}

const SYNTHETIC_RANGE = /^synthetic:\/\/gen\/events_(\d+)_(\d+)$/;

/**
 * Events the job processes: `--events-per-job`, else `--last-event − --first-event + 1`,
 * else the ranges of `synthetic://gen/events_F_L` inputs. A job reading real files without
 * an event count cannot be simulated (the file contents are unknown): InputError.
 */
export function jobEvents(args: ProcArgs, file: string): number {
  if (args.eventsPerJob !== undefined) return args.eventsPerJob;
  if (args.firstEvent !== undefined && args.lastEvent !== undefined) {
    return Math.max(0, args.lastEvent - args.firstEvent + 1);
  }
  let total = 0;
  for (const lfn of args.inputs) {
    const m = SYNTHETIC_RANGE.exec(lfn);
    if (!m) {
      const problem = `cannot tell how many events input "${lfn}" holds (no --events-per-job or --first-event/--last-event)`;
      throw new InputError(inputErrorMessage({ file, field: "arguments", problem }));
    }
    total += Math.max(0, Number(m[2]) - Number(m[1]) + 1);
  }
  if (args.inputs.length === 0) {
    const problem = "no --input, --events-per-job or --first-event/--last-event";
    throw new InputError(inputErrorMessage({ file, field: "arguments", problem }));
  }
  return total;
}

const isReal = (lfn: string): boolean => !lfn.startsWith("synthetic://");
const NO_INPUTS: readonly string[] = Object.freeze([]);

/** The job's real input files (not synthetic generation ranges); most jobs generate theirs. */
export function realInputs(args: ProcArgs): readonly string[] {
  return args.inputs.some(isReal) ? args.inputs.filter(isReal) : NO_INPUTS;
}
