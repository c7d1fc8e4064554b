import { workUnitName } from "./lfn.js";
import type { OutputDatasetPlan, PlannedJob, ProcessingBlockPlan } from "./types.js";

/** Partition the job list sequentially into work units of jobsPerWu (the last may be short). */
export function chunkWorkUnits(jobs: PlannedJob[], jobsPerWu: number): PlannedJob[][] {
  const size = Math.max(1, Math.floor(jobsPerWu));
  const out: PlannedJob[][] = [];
  for (let i = 0; i < jobs.length; i += size) out.push(jobs.slice(i, i + size));
  return out;
}

/**
 * Processing blocks of one DAG round: one block per output dataset holding every work unit
 * of the round. Block indices are round-major so they stay unique per dataset across rounds
 * (block index = round, as each round contributes exactly one block per dataset).
 */
export function planBlocks(
  datasets: OutputDatasetPlan[],
  workUnitCount: number,
  round: number,
): ProcessingBlockPlan[] {
  const wus = Array.from({ length: workUnitCount }, (_, i) => workUnitKey(round, i));
  return datasets.map((d) => ({
    datasetName: d.datasetName,
    blockIndex: round,
    round,
    workUnits: wus,
  }));
}

/** A work-unit key unique across rounds (mg_ names restart at 0 in every round's DAG). */
export function workUnitKey(round: number, index: number): string {
  return round === 0 ? workUnitName(index) : `r${round}/${workUnitName(index)}`;
}
