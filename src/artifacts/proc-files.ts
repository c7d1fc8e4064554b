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

const PROC_FILE: Record<ProcFileKind, RegExp> = {
  metrics: /^proc_(\d+)_metrics\.json$/,
  cgroup: /^proc_(\d+)_cgroup\.json$/,
  outputs: /^proc_(\d+)_outputs\.json$/,
};

/** Node index of a `proc_<N>_<kind>.json` name, padded or not; undefined for other names. */
export function procFileIndex(name: string, kind: ProcFileKind): number | undefined {
  if (!name.startsWith("proc_") || !name.endsWith(SUFFIX[kind])) return undefined;
  const m = PROC_FILE[kind].exec(name);
  return m ? Number(m[1]) : undefined;
}

export interface ProcFile {
  nodeIndex: number;
  path: string;
}

/** Names of one directory, in the order they are to be preferred. */
export interface DirListing {
  dir: string;
  names: readonly string[];
}

/**
 * The `kind` files of directory listings, sorted by node index; an index found more than once
 * (padded and unpadded, or in several directories) is taken from its first listing and name.
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
  for (const { dir, names } of listings) {
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      if (!name.startsWith("proc_")) continue;
      for (let k = 0; k < kinds.length; k++) {
        const nodeIndex = procFileIndex(name, kinds[k]);
        if (nodeIndex === undefined) continue;
        if (!seen[k].has(nodeIndex))
          seen[k].set(nodeIndex, { nodeIndex, path: joinPath(dir, name) });
        break;
      }
    }
  }
  return seen.map((m) => [...m.values()].sort((a, b) => a.nodeIndex - b.nodeIndex));
}

/**
 * The `kind` files in `dir`, sorted by node index; when both a padded and an unpadded name
 * exist for one index the first in name order is kept. A missing directory gives [].
 */
export function listProcFiles(dir: string, kind: ProcFileKind): ProcFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return pickProcFiles([{ dir, names }], kind);
}
