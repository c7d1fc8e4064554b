import type { FileCodec } from "./fs.js";

/**
 * What `MemFs` holds: files (text, a value kept with its codec, or a log of records) and
 * directories with their listings.
 */

/** A file holding a value written through a codec; its text is made when first asked for. */
export class ValueFile {
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

/** A record appended with a formatter other than its log's own. */
class Formatted {
  constructor(
    readonly format: (v: unknown) => string,
    readonly value: unknown,
  ) {}
}

/**
 * A file grown by appends: text pieces and records, formatted when the file is read. A log
 * holds records of one kind (a job log's events): its formatter is kept once, not per record.
 */
export class LogFile {
  private parts: unknown[] = [];
  private format?: (v: unknown) => string;
  /** Set when the file was replaced or removed: appenders holding it look it up again. */
  detached = false;

  append(text: string): void {
    this.parts.push(text);
  }

  appendValue(format: (v: unknown) => string, value: unknown): void {
    this.format ??= format;
    this.parts.push(
      format === this.format && typeof value !== "string" && !(value instanceof Formatted)
        ? value
        : new Formatted(format, value),
    );
  }

  read(): string {
    const parts = this.parts;
    if (parts.length === 1 && typeof parts[0] === "string") return parts[0];
    let text = "";
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (typeof p === "string") text += p;
      else if (p instanceof Formatted) text += p.format(p.value);
      else text += (this.format as (v: unknown) => string)(p);
    }
    this.parts = [text];
    return text;
  }
}

export type MemFile = string | ValueFile | LogFile;

/** What a copy of a file holds: a value file never changes (it is replaced), a log may grow. */
export function copyOf(f: MemFile): MemFile {
  return f instanceof LogFile ? f.read() : f;
}

export function textOf(f: MemFile): string {
  return typeof f === "string" ? f : f.read();
}

/**
 * A directory: its files by name, the names of its subdirectories, and, once it has been
 * listed, its sorted listing as last made plus the names added since (merged in at the next
 * listing; a removal drops it). A directory nobody lists keeps no listing.
 */
export class MemDir {
  readonly files = new Map<string, MemFile>();
  readonly subdirs = new Set<string>();
  private sorted?: readonly string[];
  private added: string[] = [];

  has(name: string): boolean {
    return this.files.has(name) || this.subdirs.has(name);
  }

  /** A new entry (file or subdirectory) to list. */
  added1(name: string): void {
    if (this.sorted !== undefined) this.added.push(name);
  }

  /** An entry is gone: the listing is made anew. */
  dropped(): void {
    this.sorted = undefined;
  }

  /** The names, as sorted last plus those added since (no sorting). */
  unsorted(): readonly string[] {
    if (this.sorted === undefined) return [...this.files.keys(), ...this.subdirs];
    return this.added.length === 0 ? this.sorted : [...this.sorted, ...this.added];
  }

  list(): readonly string[] {
    if (this.sorted === undefined) {
      this.sorted = [...this.files.keys(), ...this.subdirs].sort();
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
