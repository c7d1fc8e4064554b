import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { DatasetOutput, OutputSummary } from "../model/results.js";
import { lfnToPfn } from "../planner/lfn.js";
import type { OutputDatasetPlan } from "../planner/types.js";

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    n += statSync(p).isDirectory() ? countFiles(p) : 1;
  }
  return n;
}

interface MergeOutputFile {
  datasets?: Record<string, { files?: { lfn: string; size: number; events?: number }[] }>;
}

/**
 * What a run left on the storage element: merged files per dataset (counted on disk, with
 * the nominal sizes the merge recorded in each work unit's merge_output.json) and the
 * unmerged files still present.
 */
export function summarizeOutputs(
  submitDir: string,
  workUnits: string[],
  datasets: OutputDatasetPlan[],
  pfnPrefix: string,
  /** Data tier of each step (index = step - 1), to count the events each dataset received. */
  stepTiers: string[] = [],
): OutputSummary {
  const wuEvents = eventsByTier(submitDir, workUnits, stepTiers);
  const recorded = new Map<string, { files: number; bytes: number; events: number }>();
  for (const wu of workUnits) {
    const p = join(submitDir, wu, "merge_output.json");
    if (!existsSync(p)) continue;
    let mo: MergeOutputFile;
    try {
      mo = JSON.parse(readFileSync(p, "utf8")) as MergeOutputFile;
    } catch {
      continue;
    }
    for (const [name, d] of Object.entries(mo.datasets ?? {})) {
      const r = recorded.get(name) ?? { files: 0, bytes: 0, events: 0 };
      for (const f of d.files ?? []) {
        if (!existsSync(lfnToPfn(pfnPrefix, f.lfn))) continue;
        r.files++;
        r.bytes += f.size;
        r.events += f.events ?? 0;
      }
      recorded.set(name, r);
    }
  }
  const out: DatasetOutput[] = datasets.map((d) => {
    const onDisk = countFiles(lfnToPfn(pfnPrefix, d.mergedLfnBase));
    const r = recorded.get(d.datasetName);
    return {
      datasetName: d.datasetName,
      mergedFiles: onDisk,
      mergedBytes: r?.bytes ?? 0,
      mergedEvents: r?.events || (onDisk > 0 ? (wuEvents.get(d.dataTier) ?? 0) : 0),
      unmergedLeft: countFiles(lfnToPfn(pfnPrefix, d.unmergedLfnBase)),
    };
  });
  return {
    mergedFiles: out.reduce((s, d) => s + d.mergedFiles, 0),
    mergedBytes: out.reduce((s, d) => s + d.mergedBytes, 0),
    unmergedCleaned: out.every((d) => d.unmergedLeft === 0),
    datasets: out,
  };
}

/**
 * Events written per data tier, summed over the work units' work_unit_metrics.json
 * (`per_step.<K>.events_written.total` of the step producing that tier).
 */
function eventsByTier(
  submitDir: string,
  workUnits: string[],
  stepTiers: string[],
): Map<string, number> {
  const out = new Map<string, number>();
  for (const wu of workUnits) {
    const p = join(submitDir, wu, "work_unit_metrics.json");
    if (!existsSync(p)) continue;
    let m: { per_step?: Record<string, { events_written?: { total?: number } }> };
    try {
      m = JSON.parse(readFileSync(p, "utf8"));
    } catch {
      continue;
    }
    for (const [k, v] of Object.entries(m.per_step ?? {})) {
      const tier = stepTiers[Number(k) - 1];
      const n = v.events_written?.total;
      if (tier && typeof n === "number") out.set(tier, (out.get(tier) ?? 0) + n);
    }
  }
  return out;
}
