/**
 * Text of a regression comparison (the list from `compareRuns`).
 */
import {
  DEFAULT_TOLERANCES,
  type Regression,
  type RegressionKind,
  type Tolerances,
} from "../results/compare.js";
import {
  fmtDuration,
  fmtMb,
  fmtPct,
  fmtRate,
  fmtSignedPct,
  formatWfId,
  NONE,
  plural,
} from "./format.js";
import { type ColorOption, makeStyle } from "./style.js";
import { renderTable } from "./table.js";

const CHECK_LABEL: Record<RegressionKind, string> = {
  status: "status",
  missing: "missing",
  ev_per_core_hour: "ev/core-hour",
  cpu_efficiency: "CPU efficiency",
  peak_rss: "peak RSS (MB)",
  elapsed: "elapsed",
};

function value(kind: RegressionKind, v: number | string | null): string {
  if (v === null) return NONE;
  if (typeof v === "string") return v;
  switch (kind) {
    case "ev_per_core_hour":
      return fmtRate(v);
    case "cpu_efficiency":
      return fmtPct(v, 1);
    case "peak_rss":
      return fmtMb(v);
    case "elapsed":
      return fmtDuration(v);
    default:
      return String(v);
  }
}

function change(r: Regression): string {
  if (r.change === null) return NONE;
  if (r.kind === "cpu_efficiency") {
    const s = r.change.toFixed(1);
    return `${r.change >= 0 && !s.startsWith("-") ? "+" : ""}${s}pp`;
  }
  return fmtSignedPct(r.change);
}

export function tolerancesLine(t: Tolerances): string {
  const parts = [
    `ev/core-hour -${t.evPerCoreHourPct}%`,
    `CPU efficiency -${t.cpuEffPp}pp`,
    `peak RSS +${t.peakRssPct}%`,
  ];
  if (t.elapsedPct !== null) parts.push(`elapsed +${t.elapsedPct}%`);
  return `Tolerances: ${parts.join(", ")}`;
}

export interface ComparisonOptions extends ColorOption {
  tolerances?: Partial<Tolerances>;
  /** Labels of the two sides, e.g. "run 12" and "run 14". */
  baselineLabel?: string;
  currentLabel?: string;
}

export function renderComparison(
  regressions: readonly Regression[],
  opts: ComparisonOptions,
): string {
  const st = makeStyle(opts);
  const tol: Tolerances = { ...DEFAULT_TOLERANCES, ...opts.tolerances };
  const base = opts.baselineLabel ?? "baseline";
  const cur = opts.currentLabel ?? "current";
  const lines = [st.bold(`Comparison: ${cur} against ${base}`), `  ${tolerancesLine(tol)}`, ""];
  if (regressions.length === 0) {
    lines.push(st.good("  No regressions."));
    return `${lines.join("\n")}\n`;
  }
  const table = renderTable({
    columns: [
      { header: "ID", align: "right", minWidth: 5 },
      { header: "Check", align: "left" },
      { header: "Baseline", align: "right" },
      { header: "Current", align: "right" },
      { header: "Change", align: "right" },
      { header: "Title", align: "left" },
    ],
    rows: regressions.map((r) => [
      formatWfId(r.wfId),
      CHECK_LABEL[r.kind],
      value(r.kind, r.baseline),
      value(r.kind, r.current),
      change(r),
      r.title,
    ]),
  });
  lines.push(st.bold(table[0]), ...table.slice(1).map((l, i) => (i === 0 ? l : st.bad(l))), "");
  lines.push(st.bad(`${plural(regressions.length, "regression")}`));
  return `${lines.join("\n")}\n`;
}
