/**
 * Names of the per-job side files (`proc_<N>_metrics.json`, `proc_<N>_cgroup.json`,
 * `proc_<N>_outputs.json`). Wrappers write the node index unpadded, other code padded it to
 * six digits; both are matched and compared numerically.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

export type ProcFileKind = "metrics" | "cgroup" | "outputs";

/** `proc_<N>_<kind>.json` with the index unpadded, as the job wrapper writes it. */
export function procFileName(nodeIndex: number, kind: ProcFileKind): string {
  return `proc_${nodeIndex}_${kind}.json`;
}

const SUFFIX: Record<ProcFileKind, string> = {
  metrics: "_metrics.json",
  cgroup: "_cgroup.json",
  outputs: "_outputs.json",
};

/**
 * The kind of a `proc_<N>_<kind>.json` name, N padded or not; undefined for other names. One
 * look at the name: a work-unit directory holds many `proc_<N>.*` files of other kinds.
 */
export function procFileKind(name: string): ProcFileKind | undefined {
  // `.json` at the end and `s` (metrics, outputs) or `p` (cgroup) before it, else no kind:
  // two characters tell most names apart (`.sub`, `.log`, `.out`, `.err`, `.post.json`).
  const n = name.length;
  if (name.charCodeAt(n - 5) !== 46) return undefined;
  const before = name.charCodeAt(n - 6);
  if (before !== 115 && before !== 112) return undefined;
  if (name.charCodeAt(0) !== 112 || !name.startsWith("proc_")) return undefined;
  let i = 5;
  while (i < name.length && isDigit(name.charCodeAt(i))) i++;
  if (i === 5) return undefined;
  // What follows the digits: `_metrics.json` and `_outputs.json` are 13 long, `_cgroup.json` 12.
  const rest = name.length - i;
  if (rest === 13) {
    if (name.endsWith(SUFFIX.metrics)) return "metrics";
    if (name.endsWith(SUFFIX.outputs)) return "outputs";
  } else if (rest === 12 && name.endsWith(SUFFIX.cgroup)) return "cgroup";
  return undefined;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Node index of a `proc_<N>_<kind>.json` name, padded or not; undefined for other names. */
export function procFileIndex(name: string, kind: ProcFileKind): number | undefined {
  if (!name.startsWith("proc_")) return undefined;
  const suffix = SUFFIX[kind];
  const end = name.length - suffix.length;
  if (end <= 5 || !name.endsWith(suffix)) return undefined;
  let n = 0;
  for (let i = 5; i < end; i++) {
    const c = name.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return end - 5 > 15 ? Number(name.slice(5, end)) : n;
}

export interface ProcFile {
  nodeIndex: number;
  path: string;
  /** The directory listed and the name in it (`path` is the two joined). */
  dir: string;
  name: string;
}

/** Names of one directory (in any order). */
export interface DirListing {
  dir: string;
  names: readonly string[];
}

/**
 * The `kind` files of directory listings, sorted by node index; an index found more than once
 * is taken from its first listing, and there from the name first in name order (the padded
 * one of `proc_000012_…` and `proc_12_…`), whatever the order of the names.
 */
export function pickProcFiles(
  listings: readonly DirListing[],
  kind: ProcFileKind,
  joinPath: (dir: string, name: string) => string = join,
): ProcFile[] {
  return pickProcFilesOfKinds(listings, [kind], joinPath)[0];
}

/** `pickProcFiles` for several kinds at once (one pass over the names), in `kinds` order. */
export function pickProcFilesOfKinds(
  listings: readonly DirListing[],
  kinds: readonly ProcFileKind[],
  joinPath: (dir: string, name: string) => string = join,
): ProcFile[][] {
  const seen = kinds.map(() => new Map<number, ProcFile>());
  for (let l = 0; l < listings.length; l++) {
    const { dir, names } = listings[l];
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const kind = procFileKind(name);
      if (kind === undefined) continue;
      const k = kinds.indexOf(kind);
      if (k < 0) continue;
      const nodeIndex = procFileIndex(name, kind) as number;
      const had = seen[k].get(nodeIndex);
      if (had === undefined || (had.dir === dir && name < had.name))
        seen[k].set(nodeIndex, { nodeIndex, path: joinPath(dir, name), dir, name });
    }
  }
  return seen.map((m) => [...m.values()].sort((a, b) => a.nodeIndex - b.nodeIndex));
}

/** The sorted names of a directory on disk; a missing directory lists nothing. */
export function dirListing(dir: string): DirListing {
  try {
    return { dir, names: readdirSync(dir).sort() };
  } catch {
    return { dir, names: [] };
  }
}

/**
 * The `kind` files in `dirs` on disk, sorted by node index; an index found in several
 * directories is taken from the first, and when both a padded and an unpadded name exist
 * for one index the first in name order is kept. Missing directories give nothing.
 */
export function listProcFiles(dirs: string | readonly string[], kind: ProcFileKind): ProcFile[] {
  return pickProcFiles((typeof dirs === "string" ? [dirs] : dirs).map(dirListing), kind);
}
