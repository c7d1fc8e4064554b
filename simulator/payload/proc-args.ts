/**
 * The processing wrapper's command line (formats.md §5.3):
 * `wms2_proc.sh --sandbox S --input LFN[,LFN...] --node-index N [--output-info F]
 *  [--first-event F] [--last-event L] [--events-per-job E] [--ncpus C] [--pileup-remote-read]`.
 */
import { InputError, inputErrorMessage } from "../../src/model/errors.js";

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

/** Parse the wrapper's argv; `file` (the submit file) is named in errors. */
export function parseProcArgs(argv: readonly string[], file: string): ProcArgs {
  const values: Partial<Record<Valued, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!isValued(a)) continue;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) {
      throw new InputError(
        inputErrorMessage({ file, field: "arguments", problem: `${a} needs a value` }),
      );
    }
    values[a] = v;
    i++;
  }
  const int = (opt: Valued, min: number): number | undefined => {
    const raw = values[opt];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
      const problem = `${opt} expects an integer >= ${min}, got "${raw}"`;
      throw new InputError(inputErrorMessage({ file, field: "arguments", problem }));
    }
    return n;
  };
  const nodeIndex = int("--node-index", 0);
  if (nodeIndex === undefined) {
    const problem = "the processing wrapper needs --node-index";
    throw new InputError(inputErrorMessage({ file, field: "arguments", problem }));
  }
  const input = values["--input"];
  const out: ProcArgs = {
    nodeIndex,
    inputs: input ? input.split(",").filter((s) => s.length > 0) : [],
  };
  const outputInfo = values["--output-info"];
  if (outputInfo !== undefined) out.outputInfo = outputInfo;
  const firstEvent = int("--first-event", 0);
  if (firstEvent !== undefined) out.firstEvent = firstEvent;
  const lastEvent = int("--last-event", 0);
  if (lastEvent !== undefined) out.lastEvent = lastEvent;
  const eventsPerJob = int("--events-per-job", 0);
  if (eventsPerJob !== undefined) out.eventsPerJob = eventsPerJob;
  const ncpus = int("--ncpus", 1);
  if (ncpus !== undefined) out.ncpus = ncpus;
  return out;
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

/** The job's real input files (not synthetic generation ranges). */
export function realInputs(args: ProcArgs): string[] {
  return args.inputs.filter((lfn) => !lfn.startsWith("synthetic://"));
}
