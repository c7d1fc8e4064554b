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
import type { SimFs } from "./fs.js";

/** Text held back before it is written out regardless (characters). */
const MAX_PENDING = 128 * 1024 * 1024;
/** Text of files kept to answer reads, at most (characters); beyond, the copy is dropped. */
const MAX_KNOWN = 64 * 1024 * 1024;

/** What is held back for one file: its new content, or text to append to it. */
interface Pending {
  replace: boolean;
  chunks: string[];
  size: number;
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
 * never sees it half rewritten.
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
  private readonly knownByDir = new ByDir();
  private knownBytes = 0;

  readText(path: string): string {
    const key = resolve(path);
    const text = this.known.get(key);
    if (text !== undefined) return text;
    this.flushFile(key);
    const read = readFileSync(key, "utf8");
    this.remember(key, read);
    return read;
  }

  writeText(path: string, text: string): void {
    const key = resolve(path);
    this.ensureDir(dirname(key));
    this.drop(key);
    this.hold(key, { replace: true, chunks: [text], size: text.length });
    this.remember(key, text);
  }

  appendText(path: string, text: string): void {
    const key = resolve(path);
    const known = this.known.get(key);
    if (known !== undefined) this.remember(key, known + text);
    const p = this.pending.get(key);
    if (p) {
      p.chunks.push(text);
      p.size += text.length;
      this.pendingBytes += text.length;
      if (this.pendingBytes > MAX_PENDING) this.writePending();
    } else {
      this.ensureDir(dirname(key));
      this.hold(key, { replace: false, chunks: [text], size: text.length });
    }
  }

  exists(path: string): boolean {
    const key = resolve(path);
    return this.known.has(key) || this.pending.has(key) || existsSync(key);
  }

  isDir(path: string): boolean {
    const key = resolve(path);
    if (this.known.has(key) || this.pending.has(key)) return false;
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
    this.forgetDirs(key);
    rmSync(path, { recursive: true, force: true });
  }

  size(path: string): number {
    const key = resolve(path);
    const text = this.known.get(key);
    if (text !== undefined) return Buffer.byteLength(text, "utf8");
    this.flushFile(key);
    return existsSync(key) ? statSync(key).size : 0;
  }

  /** Write out what is held back and forget the remembered texts (see the class comment). */
  flush(): void {
    this.writePending();
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
    const text = p.chunks.length === 1 ? p.chunks[0] : p.chunks.join("");
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
