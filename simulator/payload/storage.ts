/**
 * Where jobs put files on the (local) storage element (formats.md §8): unmerged files at
 * `<pfx>/<unmerged_base>/NNNNNN/proc_<N>_<orig>`, the JSON side files of a processing job
 * only under the first dataset's unmerged block dir, merged files under the merged block dir.
 */
import type { OutputDatasetInfo, OutputInfo } from "../../src/artifacts/output-info.js";
import { blockDir, lfnToPfn } from "../../src/planner/lfn.js";
import { childPath } from "../fs.js";

/** Block directories of the datasets of shared (frozen) `output_info.json` values. */
const blockPfns = new WeakMap<OutputDatasetInfo, { info: OutputInfo; pfn: string }>();

/** PFN of a dataset's unmerged block directory for the work unit. */
export function unmergedBlockPfn(info: OutputInfo, ds: OutputDatasetInfo): string {
  // Every job of a unit asks this of the unit's one frozen value (see readSharedIn): only
  // frozen values are remembered, so a dataset found with its info has not changed since.
  const known = blockPfns.get(ds);
  if (known !== undefined && known.info === info) return known.pfn;
  const pfn = lfnToPfn(info.local_pfn_prefix, blockDir(ds.unmerged_lfn_base, info.group_index));
  if (Object.isFrozen(info) && Object.isFrozen(ds)) blockPfns.set(ds, { info, pfn });
  return pfn;
}

/** LFN of a dataset's merged block directory for the work unit. */
export function mergedBlockLfn(info: OutputInfo, ds: OutputDatasetInfo): string {
  return blockDir(ds.merged_lfn_base, info.group_index);
}

/** Directory of the `proc_<N>_*.json` side files: the first dataset's unmerged block dir. */
export function sideFileDir(info: OutputInfo): string | undefined {
  const first = info.output_datasets[0];
  return first ? unmergedBlockPfn(info, first) : undefined;
}

/** Name of a processing job's staged output in its dataset's unmerged block dir. */
export function stagedFileName(nodeIndex: number, name: string): string {
  return `proc_${nodeIndex}_${name}`;
}

/** PFN of a processing job's staged output `proc_<N>_<name>` in the dataset's block dir. */
export function unmergedFilePfn(
  info: OutputInfo,
  ds: OutputDatasetInfo,
  nodeIndex: number,
  name: string,
): string {
  // The block directory's PFN and the file's name in it (what lfnToPfn of its LFN gives).
  return `${unmergedBlockPfn(info, ds)}/${stagedFileName(nodeIndex, name)}`;
}

/** `dir/name` on the storage (POSIX). */
export function inDir(dir: string, name: string): string {
  return childPath(dir, name);
}
