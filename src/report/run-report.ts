/**
 * A whole run as text (header, summary, every performance section) or as JSON. Both are
 * pure functions of the saved run, so `matrix --report` re-renders a stored run to exactly
 * the text that was printed when it ran.
 */
import type { RunRecord, WorkflowResult } from "../model/results.js";
import { renderAdaptive } from "./adaptive.js";
import type { ReportOptions } from "./options.js";
import { renderPerformance } from "./performance.js";
import { makeStyle } from "./style.js";
import { renderSummary } from "./summary.js";

export const RUN_RULE = "=".repeat(70);

/** Adaptive section for multi-round or adaptive results, standard section otherwise. */
export function renderPerformanceSection(result: WorkflowResult, opts: ReportOptions): string {
  const multiRound = (result.perf?.rounds.length ?? 0) > 1;
  return result.adaptive !== null || multiRound
    ? renderAdaptive(result, opts)
    : renderPerformance(result, opts);
}

export function renderRunHeader(run: RunRecord, opts: ReportOptions): string {
  const st = makeStyle(opts);
  const versions = Object.keys(run.versions)
    .sort()
    .map((k) => `${k} ${run.versions[k]}`)
    .join(", ");
  const lines = [
    RUN_RULE,
    st.bold(`Run ${run.runId}: ${run.selection}`),
    `  Started:  ${run.startedAt}   Ended: ${run.endedAt ?? "not finished"}`,
    `  Backend:  ${run.backend}   Seed: ${run.seed}   Commit: ${run.gitCommit || "-"}`,
  ];
  if (versions !== "") lines.push(`  Versions: ${versions}`);
  if (run.argv.length > 0) lines.push(`  Command:  ${run.argv.join(" ")}`);
  lines.push(RUN_RULE);
  return `${lines.join("\n")}\n`;
}

export function renderRunReport(
  run: RunRecord,
  results: readonly WorkflowResult[],
  opts: ReportOptions,
): string {
  const parts = [renderRunHeader(run, opts), renderSummary(results, opts)];
  for (const r of results) {
    if (r.perf !== null) parts.push(renderPerformanceSection(r, opts));
  }
  return parts.join("\n");
}

/** Deep copy with object keys in sorted order (arrays keep their order). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort())
      out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** The run as indented JSON with sorted keys and a trailing newline. */
export function renderJson(run: RunRecord, results: readonly WorkflowResult[]): string {
  return `${JSON.stringify(sortKeys({ run, results }), null, 2)}\n`;
}
