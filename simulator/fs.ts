import { posix } from "node:path";

export { DiskFs } from "./disk-fs.js";

/**
 * The file system the simulator's DAGMan and payloads work on. `DiskFs` reads and
 * writes real files (what a user inspects afterwards); `MemFs` keeps everything in
 * memory for benchmarks and large what-if runs, after being seeded with the DAG files.
 */
export interface SimFs {
  readText(path: string): string;
  writeText(path: string, text: string): void;
  /** Append to a file, creating it (and its directory) when missing. */
  appendText(path: string, text: string): void;
  exists(path: string): boolean;
  isDir(path: string): boolean;
  /** Entry names (not paths) of a directory, sorted; [] when missing. */
  list(dir: string): string[];
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
}

/** A directory of a MemFs: entry names, and their sorted list while no entry changes. */
interface MemDir {
  names: Set<string>;
  sorted?: string[];
}

/** In-memory file system with POSIX absolute paths. */
export class MemFs implements SimFs {
  private files = new Map<string, string>();
  private dirs = new Map<string, MemDir>([["/", { names: new Set() }]]);

  readText(path: string): string {
    const t = this.files.get(norm(path));
    if (t === undefined) throw new Error(`ENOENT: no such file '${path}'`);
    return t;
  }
  writeText(path: string, text: string): void {
    const p = norm(path);
    if (!this.files.has(p)) this.link(p);
    this.files.set(p, text);
  }
  appendText(path: string, text: string): void {
    const p = norm(path);
    const old = this.files.get(p);
    if (old === undefined) this.link(p);
    this.files.set(p, old === undefined ? text : old + text);
  }
  exists(path: string): boolean {
    const p = norm(path);
    return this.files.has(p) || this.dirs.has(p);
  }
  isDir(path: string): boolean {
    return this.dirs.has(norm(path));
  }
  list(dir: string): string[] {
    const d = this.dirs.get(norm(dir));
    if (!d) return [];
    d.sorted ??= [...d.names].sort();
    return d.sorted.slice();
  }
  mkdirp(dir: string): void {
    this.mkdirNorm(norm(dir));
  }
  remove(path: string): void {
    const p = norm(path);
    const d = this.dirs.get(p);
    if (d) for (const k of [...d.names]) this.remove(p === "/" ? `/${k}` : `${p}/${k}`);
    this.dirs.delete(p);
    this.files.delete(p);
    if (p !== "/") {
      const parent = this.dirs.get(posix.dirname(p));
      if (parent?.names.delete(posix.basename(p))) parent.sorted = undefined;
    }
  }
  size(path: string): number {
    return Buffer.byteLength(this.files.get(norm(path)) ?? "", "utf8");
  }
  /** Number of files held (for memory reports). */
  fileCount(): number {
    return this.files.size;
  }

  private mkdirNorm(p: string): void {
    if (this.dirs.has(p)) return;
    this.dirs.set(p, { names: new Set() });
    this.link(p);
  }

  /** Register p (normalised) in its parent directory, creating parents as needed. */
  private link(p: string): void {
    if (p === "/") return;
    const parent = posix.dirname(p);
    this.mkdirNorm(parent);
    const d = this.dirs.get(parent)!;
    const name = posix.basename(p);
    if (!d.names.has(name)) {
      d.names.add(name);
      d.sorted = undefined;
    }
  }
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

function norm(p: string): string {
  if (p.charCodeAt(0) === 47 && !NOT_NORMAL.test(p)) return p;
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}
