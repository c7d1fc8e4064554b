import {
  childPath,
  type FileCodec,
  hasPrefix,
  normalizePath,
  resolveIn,
  type SimFs,
} from "./fs.js";
import { copyOf, LogFile, MemDir, type MemFile, textOf, ValueFile } from "./mem-files.js";

/**
 * In-memory file system with POSIX absolute paths. Values written through a codec are kept
 * as they are (a reader through the same codec gets them back without text in between),
 * and appended records are formatted only if the file is read: files nobody reads during
 * the run cost no formatting.
 *
 * Files are held by directory, and the directory of the last path looked up is remembered:
 * a job's files sit side by side, so most lookups compare a prefix and hash a short name
 * instead of hashing a whole path in one large table.
 */
export class MemFs implements SimFs {
  private readonly dirs = new Map<string, MemDir>([["/", new MemDir()]]);
  private count = 0;
  /** The directory of the last lookup, and its path ("" for the root). */
  private lastPath = "";
  private lastDir = this.dirs.get("/") as MemDir;
  /** The directory looked up before the last one, and its path. */
  private prevPath = "";
  private prevDir = this.lastDir;

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
  writeValueIn<T>(dir: string, name: string, codec: FileCodec<T>, value: T): void {
    this.putNamed(dir, name, new ValueFile(codec as FileCodec<unknown>, value));
  }
  writeTextIn(dir: string, name: string, text: string): void {
    this.putNamed(dir, name, text);
  }
  readTextIfFileIn(dir: string, name: string): string | undefined {
    const f = this.fileNamed(dir, name);
    return f === undefined ? undefined : textOf(f);
  }
  storedValueIn<T>(dir: string, name: string, codec: FileCodec<T>): T | undefined {
    const f = this.fileNamed(dir, name);
    return f instanceof ValueFile && f.codec === codec ? (f.value as T) : undefined;
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
  appender<T>(path: string, format: (value: T) => string): (value: T) => void {
    const f = format as (v: unknown) => string;
    let log: LogFile | undefined;
    return (value: T) => {
      if (log === undefined || log.detached) log = this.logFile(path);
      log.appendValue(f, value);
    };
  }
  copy(from: string, to: string): void {
    const f = this.file(from);
    if (f === undefined) throw new Error(`ENOENT: no such file '${from}'`);
    this.put(to, copyOf(f));
  }
  copyEach(fromDir: string, toDir: string, names: readonly string[]): void {
    if (names.length === 0) return;
    const from = this.dirs.get(normalizePath(fromDir));
    const to = toDir.charCodeAt(0) === 47 ? this.dirAt(normalizePath(toDir)) : undefined;
    const absolute = fromDir.charCodeAt(0) === 47 && toDir.charCodeAt(0) === 47;
    for (const name of names) {
      if (!absolute || !entryName(name)) {
        this.copy(childPath(fromDir, name), childPath(toDir, name));
        continue;
      }
      const f = from?.files.get(name);
      if (f === undefined) throw new Error(`ENOENT: no such file '${childPath(fromDir, name)}'`);
      this.putIn(to as MemDir, name, toDir, copyOf(f));
    }
  }
  exists(path: string): boolean {
    const name = this.place(path, false);
    if (name === undefined) return path.charCodeAt(0) === 47 && normalizePath(path) === "/";
    return this.placeDir.files.has(name) || this.placeDir.subdirs.has(name);
  }
  isDir(path: string): boolean {
    const name = this.place(path, false);
    if (name === undefined) return path.charCodeAt(0) === 47 && normalizePath(path) === "/";
    return this.placeDir.subdirs.has(name);
  }
  list(dir: string): readonly string[] {
    const d = this.dirs.get(dir) ?? this.dirs.get(normalizePath(dir));
    return d ? d.list() : [];
  }
  unsortedList(dir: string): readonly string[] {
    const d = this.dirs.get(dir) ?? this.dirs.get(normalizePath(dir));
    return d ? d.unsorted() : [];
  }
  mkdirp(dir: string): void {
    this.dirAt(normalizePath(dir));
  }
  remove(path: string): void {
    const p = normalizePath(path);
    if (this.dirs.has(p)) {
      this.removeDir(p);
      if (p === "/") {
        this.dirs.set("/", new MemDir());
        this.forgetLast();
        return;
      }
      const name = this.place(p, false);
      if (name !== undefined && this.placeDir.subdirs.delete(name)) this.placeDir.dropped();
      return;
    }
    const name = this.place(p, false);
    const f = name === undefined ? undefined : this.placeDir.files.get(name);
    if (name !== undefined && f !== undefined) {
      if (f instanceof LogFile) f.detached = true;
      this.placeDir.files.delete(name);
      this.count--;
      this.placeDir.dropped();
    }
  }
  size(path: string): number {
    const f = this.file(path);
    return f === undefined ? 0 : Buffer.byteLength(textOf(f), "utf8");
  }
  /** Number of files held (for memory reports). */
  fileCount(): number {
    return this.count;
  }

  /** The file at `path`, if any. */
  private file(path: string): MemFile | undefined {
    const name = this.place(path, false);
    return name === undefined ? undefined : this.placeDir.files.get(name);
  }

  /** The file `name` resolved in `dir`, if any. */
  private fileNamed(dir: string, name: string): MemFile | undefined {
    const d = this.dirOf(dir, name, false);
    if (d !== undefined) return d.files.get(name);
    return entryName(name) && normalDir(dir) ? undefined : this.file(resolveIn(dir, name));
  }

  /** `put` of the file `name` resolved in `dir`. */
  private putNamed(dir: string, name: string, content: MemFile): void {
    const d = this.dirOf(dir, name, true);
    if (d === undefined) this.put(resolveIn(dir, name), content);
    else this.putIn(d, name, dir, content);
  }

  /** Set the content of the file at `path`, making its directories as needed. */
  private put(path: string, content: MemFile): void {
    const name = this.placeToWrite(path);
    this.putIn(this.placeDir, name, path, content, true);
  }

  /** Put `content` as `name` in `dir` (its path is `where`, or `where` is the dir's path). */
  private putIn(dir: MemDir, name: string, where: string, content: MemFile, isPath = false): void {
    const old = dir.files.get(name);
    if (old === undefined) {
      if (dir.subdirs.size > 0 && dir.subdirs.has(name)) {
        throw new Error(`EISDIR: '${isPath ? where : childPath(where, name)}' is a directory`);
      }
      this.count++;
      dir.added1(name);
    } else if (old instanceof LogFile && old !== content) old.detached = true;
    dir.files.set(name, content);
  }

  /** The file at `path` as a log to append to (a text or value becomes its first piece). */
  private logFile(path: string): LogFile {
    const name = this.placeToWrite(path);
    const dir = this.placeDir;
    const f = dir.files.get(name);
    if (f instanceof LogFile) return f;
    const log = new LogFile();
    if (f !== undefined) log.append(textOf(f));
    this.putIn(dir, name, path, log, true);
    return log;
  }

  /** Where a file is to be written (its directories made; see `place`); the root is no file. */
  private placeToWrite(path: string): string {
    const name = this.place(path, true);
    if (name === undefined) throw new Error(`EISDIR: '${path}' is a directory`);
    return name;
  }

  /** The directory of the last `place` that found one. */
  private placeDir: MemDir = this.lastDir;

  /**
   * The name of `path` in its directory (normalised when it is not already), the directory
   * left in `placeDir`; with `make`, the directory is made when missing, else undefined is
   * returned for it.
   */
  private place(path: string, make: boolean): string | undefined {
    const cut = path.lastIndexOf("/");
    const name = path.slice(cut + 1);
    if (plainName(name)) {
      // The directories of the last two lookups (a job works in its own directory and one
      // on the storage): compared, not hashed.
      const last = this.lastPath;
      if (cut === last.length && hasPrefix(path, last)) {
        this.placeDir = this.lastDir;
        return name;
      }
      const prev = this.prevPath;
      if (cut === prev.length && hasPrefix(path, prev)) {
        this.remember(prev, this.prevDir);
        return name;
      }
      if (cut > 0) {
        const dirPath = path.slice(0, cut);
        const dir = this.dirs.get(dirPath);
        if (dir) {
          this.remember(dirPath, dir);
          return name;
        }
      }
    }
    const p = normalizePath(path);
    if (p === "/") return undefined;
    const c = p.lastIndexOf("/");
    const dirPath = c === 0 ? "/" : p.slice(0, c);
    const dir = make ? this.dirAt(dirPath) : this.dirs.get(dirPath);
    if (!dir) return undefined;
    this.remember(dirPath === "/" ? "" : dirPath, dir);
    return p.slice(c + 1);
  }

  /**
   * The directory `dir` for its entry `name`, looked up without a path being made (made when
   * missing with `make`); undefined when either is not in the plain form this takes (an
   * absolute, normalised directory other than the root, a plain name), or, without `make`,
   * when the directory is missing.
   */
  private dirOf(dir: string, name: string, make: boolean): MemDir | undefined {
    if (!entryName(name)) return undefined;
    // The remembered paths are normalised ("" for the root, which is not taken here).
    if (dir === this.lastPath && dir !== "") {
      this.placeDir = this.lastDir;
      return this.lastDir;
    }
    if (dir === this.prevPath && dir !== "") {
      const d = this.prevDir;
      this.remember(dir, d);
      return d;
    }
    // A directory held is at its normalised path: found, it needs no check of its form.
    let d = dir.length > 1 ? this.dirs.get(dir) : undefined;
    if (d === undefined) {
      if (!make || !normalDir(dir)) return undefined;
      d = this.dirAt(dir);
    }
    this.remember(dir, d);
    return d;
  }

  /** Make `dir` (at the normalised `path`, "" for the root) the last directory looked up. */
  private remember(path: string, dir: MemDir): void {
    if (path !== this.lastPath) {
      this.prevPath = this.lastPath;
      this.prevDir = this.lastDir;
      this.lastPath = path;
      this.lastDir = dir;
    }
    this.placeDir = dir;
  }

  /** The directory at the normalised path `p`, made (with its parents) when missing. */
  private dirAt(p: string): MemDir {
    const found = this.dirs.get(p);
    if (found) return found;
    const c = p.lastIndexOf("/");
    const parent = this.dirAt(c === 0 ? "/" : p.slice(0, c));
    const name = p.slice(c + 1);
    if (parent.files.has(name)) throw new Error(`ENOTDIR: '${p}' is a file`);
    const dir = new MemDir();
    this.dirs.set(p, dir);
    parent.subdirs.add(name);
    parent.added1(name);
    return dir;
  }

  /** Forget the directory at the normalised path `p` and everything below it. */
  private removeDir(p: string): void {
    const d = this.dirs.get(p);
    if (!d) return;
    for (const sub of d.subdirs) this.removeDir(p === "/" ? `/${sub}` : `${p}/${sub}`);
    for (const f of d.files.values()) if (f instanceof LogFile) f.detached = true;
    this.count -= d.files.size;
    this.dirs.delete(p);
    this.forgetLast();
  }

  private forgetLast(): void {
    this.lastPath = "";
    this.lastDir = this.dirs.get("/") as MemDir;
    this.prevPath = "";
    this.prevDir = this.lastDir;
  }
}

/** An entry name as it stands in a normalised path (not empty, `.` or `..`). */
function plainName(name: string): boolean {
  return name !== "" && name !== "." && name !== "..";
}

/** A name of an entry of the directory itself: plain, and no path. */
function entryName(name: string): boolean {
  return plainName(name) && !name.includes("/");
}

/** An absolute, normalised directory other than the root. */
function normalDir(dir: string): boolean {
  return dir.length > 1 && dir.charCodeAt(0) === 47 && normalizePath(dir) === dir;
}
