import { InputError } from "../model/errors.js";
import { flat } from "./lfn.js";
import type { InputFile, InputSegment, PlannedJob, SplittingParams } from "./types.js";

/** Synthetic GEN input "LFN" of an event range. */
export function syntheticGenLfn(first: number, last: number): string {
  return flat("synthetic://gen/events_", first, "_", last);
}

export interface GenSplitInput {
  eventsPerJob: number;
  targetEvents: number;
  eventsProduced: number;
  filterEfficiency: number;
  nextFirstEvent: number;
  maxJobs?: number;
}

/**
 * GEN (no input) splitting into synthetic event ranges. Remaining output events are
 * turned into generated events through the filter efficiency; every job gets a full
 * range of eventsPerJob events, numbered consecutively from nextFirstEvent.
 */
export function splitGen(input: GenSplitInput): PlannedJob[] {
  const epj = positiveInt(input.eventsPerJob, "eventsPerJob");
  const remaining = input.targetEvents - input.eventsProduced;
  if (remaining <= 0) return [];
  const f = input.filterEfficiency;
  const generated = f > 0 && f < 1 ? Math.floor(remaining / f) : remaining;
  let n = Math.ceil(generated / epj);
  if (input.maxJobs !== undefined) n = Math.min(n, input.maxJobs);
  const jobs: PlannedJob[] = [];
  for (let i = 0; i < n; i++) {
    const first = input.nextFirstEvent + i * epj;
    const last = first + epj - 1;
    const lfn = syntheticGenLfn(first, last);
    jobs.push({
      index: i,
      inputs: [lfn],
      segments: [{ lfn, skipEvents: 0, maxEvents: epj }],
      firstEvent: first,
      lastEvent: last,
      events: epj,
      lumi: i + 1,
    });
  }
  return jobs;
}

/** Split real input files into jobs by the request's splitting algorithm. */
export function splitFiles(
  files: InputFile[],
  params: SplittingParams,
  opts: { fileOffset?: number; maxJobs?: number } = {},
): PlannedJob[] {
  // Sort by LFN so offsets are stable across rounds, then drop what earlier rounds planned.
  let list = [...files].sort((a, b) => (a.lfn < b.lfn ? -1 : a.lfn > b.lfn ? 1 : 0));
  list = list.slice(opts.fileOffset ?? 0);
  let jobs: PlannedJob[];
  switch (params.algo) {
    case "FileBased":
      jobs = splitFileBased(list, positiveInt(params.filesPerJob ?? 5, "filesPerJob"));
      break;
    case "EventBased":
    case "EventAwareLumiBased":
      jobs = splitEventBased(list, positiveInt(params.eventsPerJob ?? 100000, "eventsPerJob"));
      break;
    case "LumiBased":
      jobs = splitLumiBased(list, positiveInt(params.lumisPerJob ?? 8, "lumisPerJob"));
      break;
  }
  return opts.maxJobs !== undefined ? jobs.slice(0, opts.maxJobs) : jobs;
}

/**
 * FileBased: group files by their first replica site (no replica: "__any__"), groups in
 * order of first appearance, cut each group into batches of filesPerJob. A batch's
 * primary location is the site present in most of its files' replica lists.
 */
export function splitFileBased(files: InputFile[], filesPerJob: number): PlannedJob[] {
  const groups = new Map<string, InputFile[]>();
  for (const f of files) {
    const key = f.locations[0] ?? "__any__";
    let g = groups.get(key);
    if (!g) {
      g = [];
      groups.set(key, g);
    }
    g.push(f);
  }
  const jobs: PlannedJob[] = [];
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; i += filesPerJob) {
      const batch = group.slice(i, i + filesPerJob);
      jobs.push({
        index: jobs.length,
        inputs: batch.map((f) => f.lfn),
        segments: batch.map((f) => ({ lfn: f.lfn, skipEvents: 0, maxEvents: -1 })),
        events: batch.reduce((s, f) => s + f.events, 0),
        primaryLocation: primaryLocation(batch),
      });
    }
  }
  return jobs;
}

/**
 * EventBased over files: walk files in order accumulating events; a file may straddle
 * two jobs. Each job carries explicit segments {lfn, skipEvents, maxEvents}.
 */
export function splitEventBased(files: InputFile[], eventsPerJob: number): PlannedJob[] {
  return splitByUnits(
    files,
    eventsPerJob,
    (f) => f.events,
    (f, first, count) => ({ lfn: f.lfn, skipEvents: first, maxEvents: count }),
  );
}

/**
 * LumiBased: consecutive luminosity sections (file order, then lumi order within a file)
 * grouped lumisPerJob at a time; a job lists each file it touches with its lumis. Files
 * without lumi information count as one lumi.
 */
export function splitLumiBased(files: InputFile[], lumisPerJob: number): PlannedJob[] {
  const lumisOf = (f: InputFile) => (f.lumis && f.lumis.length > 0 ? f.lumis : [0]);
  return splitByUnits(
    files,
    lumisPerJob,
    (f) => lumisOf(f).length,
    (f, first, count) => {
      const lumis = lumisOf(f);
      const perLumi = f.events / lumis.length;
      const skip = Math.round(first * perLumi);
      const max = Math.round((first + count) * perLumi) - skip;
      return {
        lfn: f.lfn,
        skipEvents: skip,
        maxEvents: max,
        lumis: lumis.slice(first, first + count),
      };
    },
  );
}

/**
 * Walk files in order, cutting each into runs of units (events, lumis) so that every job
 * but the last holds exactly `unitsPerJob` units; a file may straddle jobs. `segmentOf`
 * turns units [first, first + count) of a file into a segment; a job's events are the sum
 * of its segments' `maxEvents`, its primary location that of the files it touches.
 */
function splitByUnits(
  files: readonly InputFile[],
  unitsPerJob: number,
  unitsOf: (f: InputFile) => number,
  segmentOf: (f: InputFile, first: number, count: number) => InputSegment,
): PlannedJob[] {
  const jobs: PlannedJob[] = [];
  let segs: InputSegment[] = [];
  let touched: InputFile[] = [];
  let units = 0;
  const flush = () => {
    if (segs.length === 0) return;
    jobs.push({
      index: jobs.length,
      inputs: segs.map((s) => s.lfn),
      segments: segs,
      events: segs.reduce((sum, s) => sum + s.maxEvents, 0),
      primaryLocation: primaryLocation(touched),
    });
    segs = [];
    touched = [];
    units = 0;
  };
  for (const f of files) {
    const n = unitsOf(f);
    for (let first = 0; first < n; ) {
      const count = Math.min(unitsPerJob - units, n - first);
      segs.push(segmentOf(f, first, count));
      touched.push(f);
      units += count;
      first += count;
      if (units === unitsPerJob) flush();
    }
  }
  flush();
  return jobs;
}

/** The site present in most replica lists (first such site on ties). */
export function primaryLocation(files: InputFile[]): string | undefined {
  const counts = new Map<string, number>();
  for (const f of files)
    for (const s of new Set(f.locations)) counts.set(s, (counts.get(s) ?? 0) + 1);
  let best: string | undefined;
  let bestN = 0;
  for (const [site, n] of counts) {
    if (n > bestN) {
      best = site;
      bestN = n;
    }
  }
  return best;
}

export function splitJobs(
  params: SplittingParams,
  gen: Omit<GenSplitInput, "eventsPerJob"> | undefined,
  files: InputFile[] | undefined,
  opts: { fileOffset?: number; maxJobs?: number },
): PlannedJob[] {
  if (files && files.length > 0) return splitFiles(files, params, opts);
  if (!gen) throw new InputError("a request without input files needs a GEN event target");
  return splitGen({ ...gen, eventsPerJob: params.eventsPerJob ?? 100000, maxJobs: opts.maxJobs });
}

function positiveInt(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1)
    throw new InputError(`${name} must be a positive integer, got ${v}`);
  return v;
}
