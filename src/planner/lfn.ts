import { InputError } from "../model/errors.js";

/** Parts of a CMS dataset name `/<Primary>/<Era>-<ProcString>-v<N>/<TIER>`. */
export interface DatasetNameParts {
  primary: string;
  era: string;
  processingString: string;
  version: number;
  tier: string;
}

// The era group is greedy: the middle part splits at its LAST hyphen before -vN.
const DATASET_RE = /^\/([^/]+)\/([^/]+)-([^/]+)-v(\d+)\/([^/]+)$/;

export function parseDatasetName(name: string): DatasetNameParts {
  const m = DATASET_RE.exec(name);
  if (!m) {
    throw new InputError(
      `dataset name "${name}" does not match /<Primary>/<Era>-<ProcString>-v<N>/<TIER>`,
    );
  }
  return { primary: m[1], era: m[2], processingString: m[3], version: Number(m[4]), tier: m[5] };
}

/** `<base>/<Era>/<Primary>/<TIER>/<ProcString>-v<N>` */
export function lfnBaseForDataset(storeBase: string, name: string): string {
  const p = parseDatasetName(name);
  return `${trimSlash(storeBase)}/${p.era}/${p.primary}/${p.tier}/${p.processingString}-v${p.version}`;
}

/**
 * MergedLFNBase: an explicit request value wins; GEN requests use /store/mc; otherwise the
 * first two path components of an input LFN (e.g. /store/data); fallback /store/mc.
 */
export function mergedStoreBase(opts: {
  explicit?: string;
  isGen: boolean;
  inputLfn?: string;
}): string {
  if (opts.explicit) return trimSlash(opts.explicit);
  if (opts.isGen || !opts.inputLfn) return "/store/mc";
  const parts = opts.inputLfn.split("/").filter((s) => s.length > 0);
  return parts.length >= 2 ? `/${parts[0]}/${parts[1]}` : "/store/mc";
}

/**
 * The parts as one flat string. A template literal or `+` makes a rope (a heap object per
 * concatenation, kept as long as the string); `join` makes one sequential string. Used for
 * the strings a plan keeps per job.
 */
export function flat(...parts: (string | number)[]): string {
  return parts.join("");
}

/** Six-digit zero-padded index used by merge groups, proc nodes and block directories. */
export function pad6(n: number): string {
  return String(n).padStart(6, "0");
}

export function workUnitName(index: number): string {
  return `mg_${pad6(index)}`;
}

export function procNodeName(index: number): string {
  return `proc_${pad6(index)}`;
}

/** `<base>/NNNNNN` block directory of a work unit. */
export function blockDir(base: string, groupIndex: number): string {
  return `${trimSlash(base)}/${pad6(groupIndex)}`;
}

/** Unmerged LFN of a processing job's output file. */
export function unmergedFileLfn(
  unmergedBase: string,
  groupIndex: number,
  nodeIndex: number,
  original: string,
): string {
  return `${blockDir(unmergedBase, groupIndex)}/proc_${nodeIndex}_${original}`;
}

/** LFN -> PFN on the local storage element: prefix joined with the LFN minus its leading slash. */
export function lfnToPfn(prefix: string, lfn: string): string {
  if (prefix.length === 0) return lfn;
  const rel = lfn.replace(/^\/+/, "");
  return prefix.endsWith("/") ? `${prefix}${rel}` : `${prefix}/${rel}`;
}

function trimSlash(s: string): string {
  return s.length > 1 ? s.replace(/\/+$/, "") : s;
}
