import { InputError } from "../model/errors.js";

/**
 * In-memory model of the two HTCondor languages WMS2 writes and reads: the DAGMan
 * input-file language (`*.dag`) and the submit-description language (`*.sub`).
 *
 * The planner builds these models, `formatDag`/`formatSubmit` turn them into text,
 * and `parseDag`/`parseSubmit` turn text back into the same models. The simulator's
 * DAGMan interpreter only ever sees models parsed from files on disk.
 */

/** A PRE or POST script: executable plus whitespace-separated arguments (macros kept verbatim). */
export interface DagScript {
  executable: string;
  args: string[];
  /** `DEFER status time`: re-run the script after `time` seconds when it exits with `status`. */
  defer?: { status: number; time: number };
  /** `DEBUG file STDOUT|STDERR|ALL`: where DAGMan copies the script's output streams. */
  debug?: { file: string; type: "STDOUT" | "STDERR" | "ALL" };
}

/** `RETRY node n [UNLESS-EXIT v]` */
export interface DagRetry {
  count: number;
  unlessExit?: number;
}

/** `ABORT-DAG-ON node v [RETURN r]` */
export interface DagAbortOn {
  value: number;
  returnValue?: number;
}

export type DagNodeKind = "JOB" | "SUBDAG" | "FINAL";

export interface DagNode {
  name: string;
  kind: DagNodeKind;
  /** Submit file for JOB/FINAL, DAG file for SUBDAG EXTERNAL (as written, relative or absolute). */
  file: string;
  /** `DIR d`: working directory for the job and its scripts. */
  dir?: string;
  noop?: boolean;
  /** `DONE` keyword on the JOB line (or a rescue DAG's DONE line). */
  done?: boolean;
  pre?: DagScript;
  post?: DagScript;
  retry?: DagRetry;
  abortDagOn?: DagAbortOn;
  category?: string;
  priority?: number;
  /** `VARS node k="v" ...` in order of appearance. */
  vars?: Record<string, string>;
  /** `PRE_SKIP node v`: a PRE script exit value that marks the node done without running it. */
  preSkip?: number;
  /**
   * Layout only (DAGMan treats both places alike): write the node's RETRY line right
   * after its JOB/SCRIPT lines instead of in the RETRY block. Set by the parser when the
   * RETRY line followed the node's own lines with no blank or comment line between;
   * true or absent.
   */
  retryWithNode?: boolean;
}

/** One `PARENT p1 p2 ... CHILD c1 c2 ...` statement (kept as written). */
export interface DagEdge {
  parents: string[];
  children: string[];
}

export interface DagNodeStatusFile {
  file: string;
  minUpdateSeconds?: number;
  alwaysUpdate?: boolean;
}

export interface DagModel {
  /**
   * Comment lines written at the top of the file: the text after the `#`, kept as is
   * (so `# Merge group 0` is `" Merge group 0"`).
   */
  header: string[];
  config?: string;
  nodeStatusFile?: DagNodeStatusFile;
  /** Nodes in the order of their JOB/SUBDAG/FINAL lines. */
  nodes: DagNode[];
  edges: DagEdge[];
  /** `MAXJOBS category n` in order of appearance. */
  maxJobs: Record<string, number>;
  /**
   * Statements the model keeps but WMS2 does not act on (DOT, SET_JOB_ATTR, SERVICE,
   * SPLICE, JOBSTATE_LOG, REJECT, INCLUDE, ...; also SCRIPT HOLD, VARS with
   * PREPEND/APPEND, and any node statement about a SERVICE node), each as its original
   * line without the trailing newline. INCLUDE and SPLICE files are not read.
   */
  other: string[];
}

/** One `key = value` line of a submit description; `+Attr` custom attributes keep the `+`. */
export interface SubmitEntry {
  key: string;
  value: string;
}

export interface SubmitModel {
  /** Comment lines written at the top: the text after the `#`, kept as is. */
  header: string[];
  /** Commands in order of appearance; keys keep their spelling, lookups are case-insensitive. */
  entries: SubmitEntry[];
  /** The argument of the `queue` statement (`"1"` for `queue 1`, `""` for a bare `queue`). */
  queue: string;
}

/** Case-insensitive lookup of the last value of a submit command. */
export function submitGet(model: SubmitModel, key: string): string | undefined {
  const k = key.toLowerCase();
  for (let i = model.entries.length - 1; i >= 0; i--) {
    if (lowerKey(model.entries[i].key) === k) return model.entries[i].value;
  }
  return undefined;
}

/** The values of a submit model by lower-cased command name (see `submitValues`). */
export interface SubmitValues {
  get(lowerCasedKey: string): string | undefined;
}

/** Submit command names lower-cased (a small vocabulary, met again in every job). */
const lowered = new Map<string, string>();

function lowerKey(key: string): string {
  let k = lowered.get(key);
  if (k === undefined) {
    k = key.toLowerCase();
    if (lowered.size >= 4096) lowered.clear();
    lowered.set(key, k);
  }
  return k;
}

/**
 * The command names of a submit description in order, and where each lower-cased name is
 * last given. The jobs of a unit are written from one template, so their models share this.
 */
interface SubmitShape {
  keys: readonly string[];
  lastAt: ReadonlyMap<string, number>;
}

/** Shapes met last, most recent first (a unit has a few: proc, merge, landing...). */
const shapes: SubmitShape[] = [];
const MAX_SHAPES = 8;

function shapeOf(entries: readonly SubmitEntry[]): SubmitShape {
  for (let s = 0; s < shapes.length; s++) {
    const shape = shapes[s];
    const keys = shape.keys;
    if (keys.length !== entries.length) continue;
    let i = 0;
    while (i < keys.length && keys[i] === entries[i].key) i++;
    if (i < keys.length) continue;
    if (s > 0) {
      shapes.splice(s, 1);
      shapes.unshift(shape);
    }
    return shape;
  }
  const lastAt = new Map<string, number>();
  for (let i = 0; i < entries.length; i++) lastAt.set(lowerKey(entries[i].key), i);
  const shape = { keys: entries.map((e) => e.key), lastAt };
  shapes.unshift(shape);
  if (shapes.length > MAX_SHAPES) shapes.pop();
  return shape;
}

class ShapedValues implements SubmitValues {
  constructor(
    private readonly entries: readonly SubmitEntry[],
    private readonly lastAt: ReadonlyMap<string, number>,
  ) {}

  get(lowerCasedKey: string): string | undefined {
    const i = this.lastAt.get(lowerCasedKey);
    return i === undefined ? undefined : this.entries[i].value;
  }
}

const valuesOf = new WeakMap<SubmitModel, SubmitValues>();

/**
 * The values of a submit model by lower-cased key, the last line winning (what `submitGet`
 * answers, without a scan per key). Made once per model: a model is not changed in place
 * once it is built (`submitSet` and `submitDelete` return new ones).
 */
export function submitValues(model: SubmitModel): SubmitValues {
  let v = valuesOf.get(model);
  if (!v) {
    v = new ShapedValues(model.entries, shapeOf(model.entries).lastAt);
    valuesOf.set(model, v);
  }
  return v;
}

/** Set (replace in place, or append before `queue`) a submit command. Returns a new model. */
export function submitSet(model: SubmitModel, key: string, value: string): SubmitModel {
  const k = key.toLowerCase();
  let found = false;
  const entries = model.entries.map((e) => {
    if (lowerKey(e.key) === k) {
      found = true;
      return { key: e.key, value };
    }
    return e;
  });
  if (!found) entries.push({ key, value });
  return withEntries(model, entries);
}

/**
 * `model` with other entries, built with the fields in the order the planner and the parser
 * give them: the models a job's scripts rewrite keep the shape of the planned ones.
 */
function withEntries(model: SubmitModel, entries: SubmitEntry[]): SubmitModel {
  return { header: model.header, entries, queue: model.queue };
}

/** Remove every occurrence of a submit command. Returns a new model. */
export function submitDelete(model: SubmitModel, key: string): SubmitModel {
  const k = key.toLowerCase();
  return withEntries(
    model,
    model.entries.filter((e) => lowerKey(e.key) !== k),
  );
}

/**
 * A syntax or validation error in a DAG or submit file, naming file and line. Line 0
 * means "the file as a whole" (e.g. a cycle or a missing command) and is not printed.
 */
export class DagSyntaxError extends InputError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(line > 0 ? `${file}:${line}: ${detail}` : `${file}: ${detail}`);
    this.name = "DagSyntaxError";
  }
}
