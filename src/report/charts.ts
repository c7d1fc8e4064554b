/**
 * Charts of a workflow's performance as vega-lite specifications (pure data), and their
 * rendering to SVG with vega's headless view (no canvas needed). matrix.md §7.5: the CPU
 * timeline with the allocated cores, phase bands and round boundaries; plus ev/core-hour
 * per round.
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { PerfData, WorkflowResult } from "../model/results.js";
import { formatWfId } from "./format.js";

const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";
const TIME_TITLE = "Time (s)";
const CORES_TITLE = "CPU cores";
const PHASES = ["Processing", "Merge", "Cleanup"];
const PHASE_COLORS = ["#4c78a8", "#f58518", "#54a24b"];

export interface PhaseBand {
  phase: string;
  start: number;
  end: number;
}

/** Centred rolling mean over `window` samples (shorter at both ends), so peaks do not lag. */
export function rollingMean(values: readonly number[], window: number): number[] {
  const w = Math.max(1, Math.floor(window));
  const before = Math.floor((w - 1) / 2);
  return values.map((_, i) => {
    const from = Math.max(0, i - before);
    const to = Math.min(values.length, from + w);
    let sum = 0;
    for (let j = from; j < to; j++) sum += values[j];
    return sum / (to - from);
  });
}

/**
 * Phase bands: per round from its proc start/end, merge and cleanup following; without
 * round times, laid end to end from the time breakdown (overhead before the merge).
 */
export function phaseBands(perf: PerfData): PhaseBand[] {
  const bands: PhaseBand[] = [];
  const timed = perf.rounds.filter((r) => r.startSec !== null && r.endSec !== null);
  if (timed.length > 0) {
    for (const r of [...timed].sort((a, b) => a.round - b.round)) {
      const start = r.startSec as number;
      const end = r.endSec as number;
      bands.push({ phase: "Processing", start, end });
      if (r.mergeSec > 0) bands.push({ phase: "Merge", start: end, end: end + r.mergeSec });
      if (r.cleanupSec > 0) {
        const from = end + r.mergeSec;
        bands.push({ phase: "Cleanup", start: from, end: from + r.cleanupSec });
      }
    }
    return bands;
  }
  const t = perf.time;
  if (t.processingSec > 0) bands.push({ phase: "Processing", start: 0, end: t.processingSec });
  const mergeStart = t.processingSec + Math.max(0, t.overheadSec);
  if (t.mergeSec > 0)
    bands.push({ phase: "Merge", start: mergeStart, end: mergeStart + t.mergeSec });
  if (t.cleanupSec > 0) {
    const from = mergeStart + t.mergeSec;
    bands.push({ phase: "Cleanup", start: from, end: from + t.cleanupSec });
  }
  return bands;
}

function chartTitle(result: WorkflowResult): string {
  return `${formatWfId(result.wfId)} — ${result.title}`;
}

/** CPU cores busy over time; null when the result has no CPU samples. */
export function cpuTimelineSpec(result: WorkflowResult): TopLevelSpec | null {
  const perf = result.perf;
  if (perf === null || perf.cpu.cores.length === 0) return null;
  const cpu = perf.cpu;
  const window = Math.max(1, Math.min(6, Math.floor(cpu.cores.length / 4)));
  const smooth = rollingMean(cpu.cores, window);
  const points = cpu.cores.map((cores, i) => ({
    t: i * cpu.intervalSec,
    cores,
    smooth: smooth[i],
  }));
  const marks = cpu.roundMarks.map((t, i) => ({ t, label: `R${i + 1}→R${i + 2}` }));
  const x = { field: "t", type: "quantitative", title: TIME_TITLE } as const;
  const layers: unknown[] = [
    {
      data: { values: phaseBands(perf) },
      mark: { type: "rect", opacity: 0.12 },
      encoding: {
        x: { field: "start", type: "quantitative", title: TIME_TITLE },
        x2: { field: "end" },
        color: {
          field: "phase",
          type: "nominal",
          title: "Phase",
          scale: { domain: PHASES, range: PHASE_COLORS },
        },
      },
    },
    {
      data: { values: points },
      mark: { type: "area", opacity: 0.25, color: "#4c78a8" },
      encoding: { x, y: { field: "cores", type: "quantitative", title: CORES_TITLE } },
    },
    {
      data: { values: points },
      mark: { type: "line", color: "#1f4e79" },
      encoding: { x, y: { field: "smooth", type: "quantitative", title: CORES_TITLE } },
    },
    {
      data: { values: [{ y: cpu.expectedCores, label: `Allocated (${cpu.expectedCores} cores)` }] },
      layer: [
        {
          mark: { type: "rule", color: "#d62728", strokeDash: [6, 4] },
          encoding: { y: { field: "y", type: "quantitative", title: CORES_TITLE } },
        },
        {
          mark: { type: "text", align: "left", dx: 4, dy: -6, color: "#d62728" },
          encoding: {
            y: { field: "y", type: "quantitative" },
            x: { value: 0 },
            text: { field: "label" },
          },
        },
      ],
    },
  ];
  if (marks.length > 0) {
    layers.push({
      data: { values: marks },
      layer: [
        {
          mark: { type: "rule", color: "#9467bd", strokeDash: [2, 2] },
          encoding: { x: { field: "t", type: "quantitative", title: TIME_TITLE } },
        },
        {
          mark: { type: "text", dy: -4, color: "#9467bd", baseline: "bottom" },
          encoding: {
            x: { field: "t", type: "quantitative" },
            y: { value: 0 },
            text: { field: "label" },
          },
        },
      ],
    });
  }
  return {
    $schema: SCHEMA,
    title: chartTitle(result),
    width: 720,
    height: 240,
    layer: layers,
  } as TopLevelSpec;
}

/** Events per core-hour per round; null without any round that has data. */
export function roundThroughputSpec(result: WorkflowResult): TopLevelSpec | null {
  const rounds = (result.perf?.rounds ?? []).filter((r) => r.coreHours > 0);
  if (rounds.length === 0) return null;
  const values = [...rounds]
    .sort((a, b) => a.round - b.round)
    .map((r) => ({
      round: `Round ${r.round}`,
      evPerCoreHour: r.evPerCoreHour,
      label: r.evPerCoreHour.toFixed(r.evPerCoreHour >= 100 ? 0 : 1),
      shape: `${r.jobs}×${r.cpusPerJob}T`,
    }));
  const x = {
    field: "round",
    type: "ordinal",
    title: "Round",
    sort: null,
    axis: { labelAngle: 0 },
  } as const;
  return {
    $schema: SCHEMA,
    title: `${chartTitle(result)}: throughput per round`,
    width: Math.max(160, 90 * values.length),
    height: 200,
    data: { values },
    layer: [
      {
        mark: { type: "bar", color: "#4c78a8" },
        encoding: {
          x,
          y: { field: "evPerCoreHour", type: "quantitative", title: "Events per core-hour" },
          tooltip: [{ field: "shape", title: "Jobs × cores" }],
        },
      },
      {
        mark: { type: "text", dy: -6, baseline: "bottom" },
        encoding: {
          x,
          y: { field: "evPerCoreHour", type: "quantitative" },
          text: { field: "label" },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Compile a vega-lite spec and render it to SVG text headlessly. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
