import { posix } from "node:path";

export { DiskFs } from "./disk-fs.js";
export { MemFs } from "./mem-fs.js";

/**
 * The file system the simulator's DAGMan and payloads work on. `DiskFs` reads and
 * writes real files (what a user inspects afterwards); `MemFs` keeps everything in
 * memory for benchmarks and large what-if runs, after being seeded with the DAG files.
 */
export interface SimFs {
  readText(path: string): string;
  /** The text of a file; undefined when there is none (missing, or a directory). */
  readTextIfFile(path: string): string | undefined;
  writeText(path: string, text: string): void;
  /** Append to a file, creating it (and its directory) when missing. */
  appendText(path: string, text: string): void;
  exists(path: string): boolean;
  isDir(path: string): boolean;
  /** Entry names (not paths) of a directory, sorted; [] when missing. */
  list(dir: string): readonly string[];
  /**
   * The names `list` gives, in no particular order, for readers to whom the order does not
   * matter (sorting a large directory is most of the cost of listing it). Optional.
   */
  unsortedList?(dir: string): readonly string[];
  mkdirp(dir: string): void;
  /** Remove a file or a directory tree; no error when missing. */
  remove(path: string): void;
  /** Size in bytes of a file (0 when missing). */
  size(path: string): number;
  /**
   * Put anything held back on disk (a `DiskFs` gathers appends): after this, programs that
   * read the files directly see them complete. The simulation calls it when it hands over.
   */
  flush?(): void;
  /**
   * Keep `value` as the file's content; its text is made by `codec.format` only when the
   * file is read as text. The value must not be changed afterwards. Optional: without it,
   * `writeFileValue` writes the text at once.
   */
  writeValue?<T>(path: string, codec: FileCodec<T>, value: T): void;
  /** The value the file holds when it was written by `writeValue` with this very codec. */
  storedValue?<T>(path: string, codec: FileCodec<T>): T | undefined;
  /** Append the text `format(value)` to a file, made only when the file is read as text. */
  appendValue?<T>(path: string, format: (value: T) => string, value: T): void;
  /**
   * A function appending records to the file at `path`, as `appendValue` would, for a
   * writer that appends many: the file is looked up once, not per record. Replacing or
   * removing the file is seen by the next append, which then creates it again.
   */
  appender?<T>(path: string, format: (value: T) => string): (value: T) => void;
  /**
   * The same operations on the file `name` resolved in the directory `dir` (see `resolveIn`),
   * for writers and readers that have the two apart: a plain name in a directory used a
   * moment ago is found without a path being made and taken apart again. Optional: the
   * functions `writeFileValueIn`, `writeTextIn`, `readTextIfFileIn` and
   * `readFileValueIfFileIn` fall back on the path forms.
   */
  writeValueIn?<T>(dir: string, name: string, codec: FileCodec<T>, value: T): void;
  writeTextIn?(dir: string, name: string, text: string): void;
  readTextIfFileIn?(dir: string, name: string): string | undefined;
  storedValueIn?<T>(dir: string, name: string, codec: FileCodec<T>): T | undefined;
  /** Copy a file (a stored value stays a value). Optional: else read, then written. */
  copy?(from: string, to: string): void;
  /** Copy the files `names` of one directory into another (made when missing). Optional. */
  copyEach?(fromDir: string, toDir: string, names: readonly string[]): void;
}

/**
 * How one kind of file is written and read back: `parse(format(v), file)` equals `v`, so a
 * file system may hand a reader the value a writer stored instead of its text parsed.
 */
export interface FileCodec<T> {
  readonly format: (value: T) => string;
  readonly parse: (text: string, file: string) => T;
}

/** Write a value through its codec: kept as it is where the file system can, else as text. */
export function writeFileValue<T>(fs: SimFs, path: string, codec: FileCodec<T>, value: T): void {
  if (fs.writeValue) fs.writeValue(path, codec, value);
  else fs.writeText(path, codec.format(value));
}

/**
 * Read a file through its codec: the value stored with it, else its text (read by `read`,
 * which may say how a missing file is reported) parsed.
 */
export function readFileValue<T>(
  fs: SimFs,
  path: string,
  codec: FileCodec<T>,
  read: (path: string) => string = (p) => fs.readText(p),
): T {
  const stored = fs.storedValue?.(path, codec);
  return stored !== undefined ? stored : codec.parse(read(path), path);
}

/** `readFileValue`, or undefined when there is no such file (one look-up, no `exists` first). */
export function readFileValueIfFile<T>(
  fs: SimFs,
  path: string,
  codec: FileCodec<T>,
): T | undefined {
  const stored = fs.storedValue?.(path, codec);
  if (stored !== undefined) return stored;
  const text = fs.readTextIfFile(path);
  return text === undefined ? undefined : codec.parse(text, path);
}

/** `writeFileValue` of the file `name` resolved in `dir` (see `SimFs.writeValueIn`). */
export function writeFileValueIn<T>(
  fs: SimFs,
  dir: string,
  name: string,
  codec: FileCodec<T>,
  value: T,
): void {
  if (fs.writeValueIn) fs.writeValueIn(dir, name, codec, value);
  else writeFileValue(fs, resolveIn(dir, name), codec, value);
}

/** `writeText` of the file `name` resolved in `dir`. */
export function writeTextIn(fs: SimFs, dir: string, name: string, text: string): void {
  if (fs.writeTextIn) fs.writeTextIn(dir, name, text);
  else fs.writeText(resolveIn(dir, name), text);
}

/** `readTextIfFile` of the file `name` resolved in `dir`. */
export function readTextIfFileIn(fs: SimFs, dir: string, name: string): string | undefined {
  return fs.readTextIfFileIn
    ? fs.readTextIfFileIn(dir, name)
    : fs.readTextIfFile(resolveIn(dir, name));
}

/** `readFileValueIfFile` of the file `name` resolved in `dir`. */
export function readFileValueIfFileIn<T>(
  fs: SimFs,
  dir: string,
  name: string,
  codec: FileCodec<T>,
): T | undefined {
  if (!fs.storedValueIn || !fs.readTextIfFileIn) {
    return readFileValueIfFile(fs, resolveIn(dir, name), codec);
  }
  const stored = fs.storedValueIn(dir, name, codec);
  if (stored !== undefined) return stored;
  const text = fs.readTextIfFileIn(dir, name);
  return text === undefined ? undefined : codec.parse(text, resolveIn(dir, name));
}

/** Copy files of one directory into another, keeping their names (see `copyFile`). */
export function copyFiles(
  fs: SimFs,
  fromDir: string,
  toDir: string,
  names: readonly string[],
): void {
  if (fs.copyEach) fs.copyEach(fromDir, toDir, names);
  else for (const name of names) copyFile(fs, childPath(fromDir, name), childPath(toDir, name));
}

/** Copy a file's content to another path (a stored value stays a value where it can). */
export function copyFile(fs: SimFs, from: string, to: string): void {
  if (fs.copy) fs.copy(from, to);
  else fs.writeText(to, fs.readText(from));
}

/** Append the text of a value (a log record), made when the file is read where possible. */
export function appendFileValue<T>(
  fs: SimFs,
  path: string,
  format: (value: T) => string,
  value: T,
): void {
  if (fs.appendValue) fs.appendValue(path, format, value);
  else fs.appendText(path, format(value));
}

/** A directory's entry names in any order (see `SimFs.unsortedList`). */
export function listAnyOrder(fs: SimFs, dir: string): readonly string[] {
  return fs.unsortedList ? fs.unsortedList(dir) : fs.list(dir);
}

/** Append records to one file: through the file system's appender where it has one. */
export function fileAppender<T>(
  fs: SimFs,
  path: string,
  format: (value: T) => string,
): (value: T) => void {
  return fs.appender
    ? fs.appender(path, format)
    : (value: T) => appendFileValue(fs, path, format, value);
}

/** Anything `posix.normalize` would change: `//`, `.` or `..` segments, a trailing `/`. */
const NOT_NORMAL = /\/\/|\/\.\.?(?:\/|$)|.\/$/;

/**
 * `posix.join(dir, name)`, without the general normalisation in the common case of a
 * normalised absolute directory and a plain entry name.
 */
export function childPath(dir: string, name: string): string {
  if (name !== "" && name !== "." && name !== ".." && !name.includes("/") && isNormalDir(dir)) {
    return dir.length === 1 ? `/${name}` : `${dir}/${name}`;
  }
  return posix.join(dir, name);
}

/**
 * Whether `s` begins with `prefix`, compared from the prefix's end, where the paths of
 * sibling directories differ. On the long paths the file systems compare per operation this
 * loop costs a fraction of `String.prototype.startsWith`.
 */
export function hasPrefix(s: string, prefix: string): boolean {
  const n = prefix.length;
  if (s.length < n) return false;
  for (let i = n - 1; i >= 0; i--) if (s.charCodeAt(i) !== prefix.charCodeAt(i)) return false;
  return true;
}

/** The directory last found normalised: a job's files are joined to the same few. */
let normalDir = "/";

/** An absolute path that `posix.normalize` leaves as it is. */
function isNormalDir(dir: string): boolean {
  if (dir === normalDir) return true;
  if (dir.charCodeAt(0) !== 47 || NOT_NORMAL.test(dir)) return false;
  normalDir = dir;
  return true;
}

/** `p` resolved against the directory `dir` (absolute paths stay as they are). */
export function resolveIn(dir: string, p: string): string {
  if (p.charCodeAt(0) === 47 || dir.charCodeAt(0) !== 47) return posix.resolve(dir, p);
  return p.includes("/") || p === "." || p === ".." || p === ""
    ? posix.resolve(dir, p)
    : childPath(dir, p);
}

/** A POSIX path normalised (no `//`, `.` or `..` segments, no trailing `/` but on the root). */
export function normalizePath(p: string): string {
  if (p.charCodeAt(0) === 47 && !NOT_NORMAL.test(p)) return p;
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}
