import { relative } from "node:path";
import { InputError } from "../../src/model/errors.js";
import { type FileCodec, hasPrefix, readFileValue, resolveIn, type SimFs } from "../fs.js";
import { parseDagmanConfigText } from "./config.js";
import type { DagmanSettings } from "./context.js";

/** A path below `root` with no `.`, `..` or empty segment (what `relative` would give). */
const NOT_PLAIN = /(^|\/)\.\.?(\/|$)|\/\//;

/**
 * How one DAGMan process names and reads its input files: paths resolve against its working
 * directory, names of random streams are paths relative to the simulation root, and a
 * missing file is one line naming it (and the DAG that named this one, for a sub-DAG).
 */
export class DagInputs {
  constructor(
    private readonly fs: SimFs,
    /** The simulation root: stream names do not depend on where the run is. */
    private readonly root: string,
    /** Where relative paths of the DAG resolve. */
    private readonly cwd: string,
    /** The DAG file that named this one (a sub-DAG's parent), for messages. */
    private readonly namedBy?: string,
  ) {}

  resolve(p: string): string {
    return resolveIn(this.cwd, p);
  }

  /** Path relative to the simulation root (stable stream names, whatever the work dir). */
  rel(p: string): string {
    const root = this.root;
    if (p.length > root.length + 1 && p.charCodeAt(root.length) === 47 && hasPrefix(p, root)) {
      const rest = p.slice(root.length + 1);
      if (!NOT_PLAIN.test(rest)) return rest;
    }
    return relative(root, p) || ".";
  }

  read(path: string): string {
    this.mustExist(path);
    return this.fs.readText(path);
  }

  /** A file through its codec: the value stored by whoever wrote it, else its text parsed. */
  readValue<T>(path: string, codec: FileCodec<T>): T {
    return readFileValue(this.fs, path, codec, (p) => this.read(p));
  }

  /** `readValue` of the file `name` resolved in `dir` (found without a path being made). */
  readValueIn<T>(dir: string, name: string, codec: FileCodec<T>): T {
    return this.fs.storedValueIn?.(dir, name, codec) ?? this.readValue(resolveIn(dir, name), codec);
  }

  /** The DAG's CONFIG file (DAGMan settings), resolved against the working directory. */
  readConfig(path: string): Partial<DagmanSettings> {
    const p = this.resolve(path);
    return parseDagmanConfigText(this.read(p), p);
  }

  private mustExist(path: string): void {
    if (!this.fs.exists(path)) {
      const by = this.namedBy ? ` (named by ${this.namedBy})` : "";
      throw new InputError(`${path}: file not found${by}`);
    }
  }
}
