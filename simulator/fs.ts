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
import { dirname, posix } from "node:path";

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
}

export class DiskFs implements SimFs {
  readText(path: string): string {
    return readFileSync(path, "utf8");
  }
  writeText(path: string, text: string): void {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.tmp${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  }
  appendText(path: string, text: string): void {
    try {
      appendFileSync(path, text);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      mkdirSync(dirname(path), { recursive: true });
      appendFileSync(path, text);
    }
  }
  exists(path: string): boolean {
    return existsSync(path);
  }
  isDir(path: string): boolean {
    return existsSync(path) && statSync(path).isDirectory();
  }
  list(dir: string): string[] {
    return existsSync(dir) ? readdirSync(dir).sort() : [];
  }
  mkdirp(dir: string): void {
    mkdirSync(dir, { recursive: true });
  }
  remove(path: string): void {
    rmSync(path, { recursive: true, force: true });
  }
  size(path: string): number {
    return existsSync(path) ? statSync(path).size : 0;
  }
}

/** In-memory file system with POSIX absolute paths. */
export class MemFs implements SimFs {
  private files = new Map<string, string>();
  private children = new Map<string, Set<string>>([["/", new Set()]]);

  readText(path: string): string {
    const t = this.files.get(norm(path));
    if (t === undefined) throw new Error(`ENOENT: no such file '${path}'`);
    return t;
  }
  writeText(path: string, text: string): void {
    const p = norm(path);
    this.link(p);
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
    return this.files.has(p) || this.children.has(p);
  }
  isDir(path: string): boolean {
    return this.children.has(norm(path));
  }
  list(dir: string): string[] {
    return [...(this.children.get(norm(dir)) ?? [])].sort();
  }
  mkdirp(dir: string): void {
    const p = norm(dir);
    if (this.children.has(p)) return;
    this.children.set(p, new Set());
    this.link(p);
  }
  remove(path: string): void {
    const p = norm(path);
    const kids = this.children.get(p);
    if (kids) for (const k of [...kids]) this.remove(p === "/" ? `/${k}` : `${p}/${k}`);
    this.children.delete(p);
    this.files.delete(p);
    if (p !== "/") this.children.get(posix.dirname(p))?.delete(posix.basename(p));
  }
  size(path: string): number {
    return Buffer.byteLength(this.files.get(norm(path)) ?? "", "utf8");
  }
  /** Number of files held (for memory reports). */
  fileCount(): number {
    return this.files.size;
  }

  /** Register p in its parent directory, creating parents as needed. */
  private link(p: string): void {
    if (p === "/") return;
    const parent = posix.dirname(p);
    this.mkdirp(parent);
    this.children.get(parent)!.add(posix.basename(p));
  }
}

function norm(p: string): string {
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}
