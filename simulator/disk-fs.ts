import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, resolve, sep } from "node:path";
import type { FileCodec, SimFs } from "./fs.js";

/** Text held back before it is written out regardless (characters). */
const MAX_PENDING = 128 * 1024 * 1024;
/** Text of files kept to answer reads, at most (characters); beyond, the copy is dropped. */
const MAX_KNOWN = 64 * 1024 * 1024;

/** A value whose text is made when it is written out (or read). */
interface Lazy {
  format: (value: unknown) => string;
  value: unknown;
}

/** What is held back for one file: its new content, or text to append to it. */
interface Pending {
  replace: boolean;
  chunks: (string | Lazy)[];
  size: number;
}

/** Characters a held-back value is counted as (its text is not made until written). */
const VALUE_SIZE_ESTIMATE = 1024;

function chunkText(c: string | Lazy): string {
  return typeof c === "string" ? c : c.format(c.value);
}

/**
 * The simulator's file system on real files: what a user inspects afterwards, and what
 * programs that read the disk directly see.
 *
 * Creating and opening files is the dear part of file access, so within one run of the
 * event loop the simulation is taken to be the only user of its files: this object
 * remembers the text of the files it wrote or read and answers from that copy, and holds
 * writes and appends back to put each file on disk in one piece later (listings include
 * the held-back files). A file removed in the meantime (e.g. a job's unmerged output, once
 * merged) never reaches the disk. Held-back text goes out when the file is read or sized,
 * when much is held back, and in `flush`, which the simulation calls whenever it hands
 * over: at the end of every run of the event loop, and around a job that runs on the
 * access point and may read and write the files directly. `flush` also forgets the
 * remembered texts. Directories are made at once (and not again). A new file is written
 * in place; an existing one is replaced through a temporary file and a rename, so a reader
 * never sees it half rewritten. Values written through a codec are held as values: their
 * text is made when they go out (a file rewritten several times in between, such as a node
 * status file, is formatted once), and a reader through the same codec gets the value.
 */
/** File paths grouped by their directory (to list or remove a directory's files quickly). */
class ByDir {
  private readonly map = new Map<string, Set<string>>();

  add(file: string): void {
    const dir = dirname(file);
    let set = this.map.get(dir);
    if (!set) {
      set = new Set();
      this.map.set(dir, set);
    }
    set.add(file);
  }

  delete(file: string): void {
    const dir = dirname(file);
    const set = this.map.get(dir);
    if (set?.delete(file) && set.size === 0) this.map.delete(dir);
  }

  in(dir: string): ReadonlySet<string> {
    return this.map.get(dir) ?? new Set();
  }

  /** Files in `dir` and in the directories below it. */
  under(dir: string): string[] {
    const out: string[] = [];
    for (const [d, files] of this.map) if (d === dir || d.startsWith(dir + sep)) out.push(...files);
    return out;
  }

  clear(): void {
    this.map.clear();
  }
}

export class DiskFs implements SimFs {
  private readonly dirs = new Set<string>();
  private readonly pending = new Map<string, Pending>();
  private readonly pendingByDir = new ByDir();
  private pendingBytes = 0;
  private readonly known = new Map<string, string>();
  /** Values written through a codec since the last flush, by file. */
  private readonly values = new Map<string, { codec: FileCodec<unknown>; value: unknown }>();
  private readonly valuesByDir = new ByDir();
  private readonly knownByDir = new ByDir();
  private knownBytes = 0;

  readText(path: string): string {
    const key = resolve(path);
    const text = this.known.get(key);
    if (text !== undefined) return text;
    const v = this.values.get(key);
    if (v) {
      const made = v.codec.format(v.value);
      this.remember(key, made);
      return made;
    }
    this.flushFile(key);
    const read = readFileSync(key, "utf8");
    this.remember(key, read);
    return read;
  }

  readTextIfFile(path: string): string | undefined {
    const key = resolve(path);
    if (this.known.has(key) || this.values.has(key) || this.pending.has(key)) {
      return this.readText(key);
    }
    try {
      const read = readFileSync(key, "utf8");
      this.remember(key, read);
      return read;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return undefined;
      throw e;
    }
  }

  writeText(path: string, text: string): void {
    const key = resolve(path);
    this.ensureDir(dirname(key));
    this.drop(key);
    this.dropValue(key);
    this.hold(key, { replace: true, chunks: [text], size: text.length });
    this.remember(key, text);
  }

  writeValue<T>(path: string, codec: FileCodec<T>, value: T): void {
    const key = resolve(path);
    const c = codec as FileCodec<unknown>;
    this.ensureDir(dirname(key));
    this.drop(key);
    this.forget(key);
    if (!this.values.has(key)) this.valuesByDir.add(key);
    this.values.set(key, { codec: c, value });
    const chunk: Lazy = { format: c.format, value };
    this.hold(key, { replace: true, chunks: [chunk], size: VALUE_SIZE_ESTIMATE });
  }

  copy(from: string, to: string): void {
    const v = this.values.get(resolve(from));
    if (v) this.writeValue(to, v.codec, v.value);
    else this.writeText(to, this.readText(from));
  }

  storedValue<T>(path: string, codec: FileCodec<T>): T | undefined {
    const v = this.values.get(resolve(path));
    return v && v.codec === codec ? (v.value as T) : undefined;
  }

  appendValue<T>(path: string, format: (value: T) => string, value: T): void {
    const key = resolve(path);
    // A file whose text is at hand gets the text now (it answers reads); else it waits.
    if (this.known.has(key) || this.values.has(key)) {
      this.appendText(key, format(value));
      return;
    }
    this.appendChunk(key, { format: format as (v: unknown) => string, value }, VALUE_SIZE_ESTIMATE);
  }

  appendText(path: string, text: string): void {
    const key = resolve(path);
    const v = this.values.get(key);
    if (v) {
      // The file becomes text: appended to, it is no longer the value.
      this.remember(key, v.codec.format(v.value));
      this.dropValue(key);
    }
    const known = this.known.get(key);
    if (known !== undefined) this.remember(key, known + text);
    this.appendChunk(key, text, text.length);
  }

  private appendChunk(key: string, chunk: string | Lazy, size: number): void {
    const p = this.pending.get(key);
    if (p) {
      p.chunks.push(chunk);
      p.size += size;
      this.pendingBytes += size;
      if (this.pendingBytes > MAX_PENDING) this.writePending();
    } else {
      this.ensureDir(dirname(key));
      this.hold(key, { replace: false, chunks: [chunk], size });
    }
  }

  exists(path: string): boolean {
    const key = resolve(path);
    return this.known.has(key) || this.pending.has(key) || this.values.has(key) || existsSync(key);
  }

  isDir(path: string): boolean {
    const key = resolve(path);
    if (this.known.has(key) || this.pending.has(key) || this.values.has(key)) return false;
    return existsSync(key) && statSync(key).isDirectory();
  }

  list(dir: string): string[] {
    const key = resolve(dir);
    if (!existsSync(key)) return [];
    // What the listing shows once the held-back files are written.
    const names = new Set(readdirSync(key));
    for (const file of this.pendingByDir.in(key)) names.add(basename(file));
    return [...names].sort();
  }

  mkdirp(dir: string): void {
    mkdirSync(dir, { recursive: true });
    this.dirs.add(resolve(dir));
  }

  remove(path: string): void {
    // Held-back text and remembered texts under the path go with it.
    const key = resolve(path);
    for (const file of [key, ...this.pendingByDir.under(key)]) this.drop(file);
    for (const file of [key, ...this.knownByDir.under(key)]) this.forget(file);
    for (const file of [key, ...this.valuesByDir.under(key)]) this.dropValue(file);
    this.forgetDirs(key);
    rmSync(path, { recursive: true, force: true });
  }

  size(path: string): number {
    const key = resolve(path);
    if (this.values.has(key)) this.readText(key);
    const text = this.known.get(key);
    if (text !== undefined) return Buffer.byteLength(text, "utf8");
    this.flushFile(key);
    return existsSync(key) ? statSync(key).size : 0;
  }

  /** Write out what is held back and forget the remembered texts (see the class comment). */
  flush(): void {
    this.writePending();
    this.values.clear();
    this.valuesByDir.clear();
    this.known.clear();
    this.knownByDir.clear();
    this.knownBytes = 0;
  }

  private hold(key: string, p: Pending): void {
    this.pending.set(key, p);
    this.pendingByDir.add(key);
    this.pendingBytes += p.size;
    if (this.pendingBytes > MAX_PENDING) this.writePending();
  }

  /** Forget what is held back for the file (it is replaced or removed). */
  private drop(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    this.pendingByDir.delete(key);
    this.pendingBytes -= p.size;
  }

  private writePending(): void {
    for (const [file, p] of this.pending) this.writeOut(file, p);
    this.pending.clear();
    this.pendingByDir.clear();
    this.pendingBytes = 0;
  }

  private flushFile(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.drop(key);
    this.writeOut(key, p);
  }

  private writeOut(file: string, p: Pending): void {
    const text = p.chunks.length === 1 ? chunkText(p.chunks[0]) : p.chunks.map(chunkText).join("");
    if (p.replace) this.writeNow(file, text);
    else this.appendNow(file, text);
  }

  private remember(key: string, text: string): void {
    const old = this.known.get(key);
    this.knownBytes += text.length - (old?.length ?? 0);
    this.known.set(key, text);
    if (old === undefined) this.knownByDir.add(key);
    if (this.knownBytes > MAX_KNOWN) {
      this.known.clear();
      this.knownByDir.clear();
      this.knownBytes = 0;
    }
  }

  private dropValue(key: string): void {
    if (this.values.delete(key)) this.valuesByDir.delete(key);
  }

  private forget(key: string): void {
    const text = this.known.get(key);
    if (text === undefined) return;
    this.known.delete(key);
    this.knownByDir.delete(key);
    this.knownBytes -= text.length;
  }

  private writeNow(file: string, text: string): void {
    try {
      writeFileSync(file, text, { flag: "wx" });
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT") this.remakeDir(dirname(file));
      else if (code !== "EEXIST") throw e;
    }
    const tmp = `${file}.tmp${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  }

  private appendNow(file: string, text: string): void {
    try {
      appendFileSync(file, text);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      this.remakeDir(dirname(file));
      appendFileSync(file, text);
    }
  }

  private ensureDir(dir: string): void {
    if (this.dirs.has(dir)) return;
    mkdirSync(dir, { recursive: true });
    this.dirs.add(dir);
  }

  /** The directory went away behind our back: make it again. */
  private remakeDir(dir: string): void {
    this.forgetDirs(dir);
    this.ensureDir(dir);
  }

  /** Forget `key` and the directories below it (they were removed). */
  private forgetDirs(key: string): void {
    for (const d of this.dirs) if (d === key || d.startsWith(key + sep)) this.dirs.delete(d);
  }
}
