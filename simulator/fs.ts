import { posix } from "node:path";

export { DiskFs } from "./disk-fs.js";

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
  /** Copy a file (a stored value stays a value). Optional: else read, then written. */
  copy?(from: string, to: string): void;
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

/** Read a file through its codec: the value stored with it, else the text parsed. */
export function readFileValue<T>(fs: SimFs, path: string, codec: FileCodec<T>): T {
  const stored = fs.storedValue?.(path, codec);
  return stored !== undefined ? stored : codec.parse(fs.readText(path), path);
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

/**
 * A directory of a MemFs: its entry names, their sorted list as last made, and the names
 * added since (merged in at the next listing; a removal drops the list).
 */
class MemDir {
  readonly names = new Set<string>();
  private sorted?: readonly string[] = [];
  private added: string[] = [];

  add(name: string): void {
    if (this.names.has(name)) return;
    this.names.add(name);
    this.added.push(name);
  }

  delete(name: string): void {
    if (this.names.delete(name)) this.sorted = undefined;
  }

  clear(): void {
    this.names.clear();
    this.sorted = [];
    this.added = [];
  }

  list(): readonly string[] {
    if (this.sorted === undefined) {
      this.sorted = [...this.names].sort();
      this.added = [];
    } else if (this.added.length > 0) {
      this.sorted = mergeSorted(this.sorted, this.added.sort());
      this.added = [];
    }
    return this.sorted;
  }
}

/** Two sorted lists as one (code-unit order, as `Array.prototype.sort`). */
function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i] <= b[j] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

/** A file holding a value written through a codec; its text is made when first asked for. */
class ValueFile {
  text?: string;
  constructor(
    readonly codec: FileCodec<unknown>,
    readonly value: unknown,
  ) {}

  read(): string {
    this.text ??= this.codec.format(this.value);
    return this.text;
  }
}

/** A file grown by appends: text pieces and records formatted when the file is read. */
class LogFile {
  private parts: unknown[] = [];
  private formats: (((v: unknown) => string) | undefined)[] = [];

  append(text: string): void {
    this.parts.push(text);
    this.formats.push(undefined);
  }

  appendValue(format: (v: unknown) => string, value: unknown): void {
    this.parts.push(value);
    this.formats.push(format);
  }

  read(): string {
    if (this.parts.length === 1 && this.formats[0] === undefined) return this.parts[0] as string;
    let text = "";
    for (let i = 0; i < this.parts.length; i++) {
      const f = this.formats[i];
      text += f ? f(this.parts[i]) : (this.parts[i] as string);
    }
    this.parts = [text];
    this.formats = [undefined];
    return text;
  }
}

type MemFile = string | ValueFile | LogFile;

function textOf(f: MemFile): string {
  return typeof f === "string" ? f : f.read();
}

/**
 * In-memory file system with POSIX absolute paths. Values written through a codec are kept
 * as they are (a reader through the same codec gets them back without text in between),
 * and appended records are formatted only if the file is read: files nobody reads during
 * the run cost no formatting.
 */
export class MemFs implements SimFs {
  private files = new Map<string, MemFile>();
  private dirs = new Map<string, MemDir>([["/", new MemDir()]]);

  readText(path: string): string {
    const f = this.file(path);
    if (f === undefined) throw new Error(`ENOENT: no such file '${path}'`);
    return textOf(f);
  }
  readTextIfFile(path: string): string | undefined {
    const f = this.file(path);
    return f === undefined ? undefined : textOf(f);
  }
  writeText(path: string, text: string): void {
    this.put(path, text);
  }
  writeValue<T>(path: string, codec: FileCodec<T>, value: T): void {
    this.put(path, new ValueFile(codec as FileCodec<unknown>, value));
  }
  storedValue<T>(path: string, codec: FileCodec<T>): T | undefined {
    const f = this.file(path);
    return f instanceof ValueFile && f.codec === codec ? (f.value as T) : undefined;
  }
  appendText(path: string, text: string): void {
    this.logFile(path).append(text);
  }
  appendValue<T>(path: string, format: (value: T) => string, value: T): void {
    this.logFile(path).appendValue(format as (v: unknown) => string, value);
  }
  copy(from: string, to: string): void {
    const f = this.file(from);
    if (f === undefined) throw new Error(`ENOENT: no such file '${from}'`);
    // A value file never changes (it is replaced): the copy may share it; a log may grow.
    this.put(to, f instanceof LogFile ? f.read() : f);
  }
  exists(path: string): boolean {
    if (this.files.has(path) || this.dirs.has(path)) return true;
    const p = norm(path);
    return this.files.has(p) || this.dirs.has(p);
  }
  isDir(path: string): boolean {
    return this.dirs.has(path) || this.dirs.has(norm(path));
  }
  list(dir: string): readonly string[] {
    const d = this.dirs.get(dir) ?? this.dirs.get(norm(dir));
    return d ? d.list() : [];
  }
  mkdirp(dir: string): void {
    this.mkdirNorm(norm(dir));
  }
  remove(path: string): void {
    const p = this.key(path);
    if (!this.removeTree(p) || p === "/") return;
    const cut = p.lastIndexOf("/");
    this.dirs.get(cut === 0 ? "/" : p.slice(0, cut))?.delete(p.slice(cut + 1));
  }
  size(path: string): number {
    const f = this.file(path);
    return f === undefined ? 0 : Buffer.byteLength(textOf(f), "utf8");
  }
  /** Number of files held (for memory reports). */
  fileCount(): number {
    return this.files.size;
  }

  /** The file at `path`: looked up as given first (keys are normalised paths). */
  private file(path: string): MemFile | undefined {
    return this.files.get(path) ?? this.files.get(norm(path));
  }

  /** Set the content of the file at `path`, registering a new file in its directory. */
  private put(path: string, content: MemFile): void {
    const p = norm(path);
    const before = this.files.size;
    this.files.set(p, content);
    if (this.files.size !== before) this.link(p);
  }

  /** Forget p and everything below it (its parent's entry stays); false when nothing was there. */
  private removeTree(p: string): boolean {
    const d = this.dirs.get(p);
    if (!d) return this.files.delete(p);
    for (const k of d.names) this.removeTree(p === "/" ? `/${k}` : `${p}/${k}`);
    if (p === "/") d.clear();
    else this.dirs.delete(p);
    return true;
  }

  /** The normalised form of `path` (a path already held is one). */
  private key(path: string): string {
    return this.files.has(path) || this.dirs.has(path) ? path : norm(path);
  }

  /** The file at `path` as a log to append to (a text or value becomes its first piece). */
  private logFile(path: string): LogFile {
    const found = this.files.get(path);
    if (found instanceof LogFile) return found;
    const p = norm(path);
    const f = this.files.get(p);
    if (f instanceof LogFile) return f;
    const log = new LogFile();
    if (f !== undefined) log.append(textOf(f));
    this.put(p, log);
    return log;
  }

  private mkdirNorm(p: string): void {
    if (this.dirs.has(p)) return;
    this.dirs.set(p, new MemDir());
    this.link(p);
  }

  /** Register p (normalised) in its parent directory, creating parents as needed. */
  private link(p: string): void {
    if (p === "/") return;
    const cut = p.lastIndexOf("/");
    const name = p.slice(cut + 1);
    // Files mostly go to the directory the last one went to: skip its lookup then.
    const last = this.lastLinked;
    if (
      last &&
      cut === last.path.length &&
      p.startsWith(last.path) &&
      this.dirs.get(last.path) === last.dir
    ) {
      last.dir.add(name);
      return;
    }
    const parent = cut === 0 ? "/" : p.slice(0, cut);
    this.mkdirNorm(parent);
    const dir = this.dirs.get(parent)!;
    this.lastLinked = { path: parent, dir };
    dir.add(name);
  }

  /** The directory `link` registered a name in last. */
  private lastLinked?: { path: string; dir: MemDir };
}

/** Anything `posix.normalize` would change: `//`, `.` or `..` segments, a trailing `/`. */
const NOT_NORMAL = /\/\/|\/\.\.?(?:\/|$)|.\/$/;

/**
 * `posix.join(dir, name)`, without the general normalisation in the common case of a
 * normalised absolute directory and a plain entry name.
 */
export function childPath(dir: string, name: string): string {
  if (
    dir.charCodeAt(0) === 47 &&
    name !== "" &&
    name !== "." &&
    name !== ".." &&
    !name.includes("/") &&
    !NOT_NORMAL.test(dir)
  ) {
    return dir.length === 1 ? `/${name}` : `${dir}/${name}`;
  }
  return posix.join(dir, name);
}

/** `p` resolved against the directory `dir` (absolute paths stay as they are). */
export function resolveIn(dir: string, p: string): string {
  if (p.charCodeAt(0) === 47 || dir.charCodeAt(0) !== 47) return posix.resolve(dir, p);
  return p.includes("/") || p === "." || p === ".." || p === ""
    ? posix.resolve(dir, p)
    : childPath(dir, p);
}

function norm(p: string): string {
  if (p.charCodeAt(0) === 47 && !NOT_NORMAL.test(p)) return p;
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}
