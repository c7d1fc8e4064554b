/**
 * Pass/fail summary of a run (matrix.md §7.1): one line per workflow, its reasons below it,
 * then the totals.
 */
import type { WorkflowResult } from "../model/results.js";
import { formatWfId } from "./format.js";
import { type ColorOption, makeStyle } from "./style.js";

export const SUMMARY_RULE = "-".repeat(70);

/** Column where titles and reasons start: "  " + id(5) + "  " + status(7) + time(10) + "  ". */
const TITLE_COLUMN = 28;

function fmtElapsed(sec: number): string {
  return sec > 0 ? `${sec.toFixed(1)}s` : "-";
}

/** Reasons are joined with "; " in a result; each gets its own line here. */
export function splitReasons(reason: string): string[] {
  return reason
    .split("; ")
    .map((r) => r.trim())
    .filter((r) => r !== "");
}

/** "1 passed  1 failed  1 skipped  138.3s total": passed always, other categories when non-zero. */
export function totalsLine(results: readonly WorkflowResult[]): string {
  const n = (pred: (r: WorkflowResult) => boolean) => results.filter(pred).length;
  const passed = n((r) => r.status === "passed");
  const failed = n((r) => r.status === "failed" || r.status === "error");
  const skipped = n((r) => r.status === "skipped");
  const timeout = n((r) => r.status === "timeout");
  const parts = [`${passed} passed`];
  if (failed > 0) parts.push(`${failed} failed`);
  if (skipped > 0) parts.push(`${skipped} skipped`);
  if (timeout > 0) parts.push(`${timeout} timeout`);
  const total = results.reduce((s, r) => s + r.elapsedSec, 0);
  parts.push(`${total.toFixed(1)}s total`);
  return parts.join("  ");
}

export function renderSummary(results: readonly WorkflowResult[], opts: ColorOption): string {
  const st = makeStyle(opts);
  const lines = [
    SUMMARY_RULE,
    st.bold(`${"ID".padStart(7)}  ${"Status".padEnd(7)}${"Time".padStart(10)}  Title`),
    SUMMARY_RULE,
  ];
  for (const r of results) {
    const id = formatWfId(r.wfId).padStart(5);
    const status = st.status(r.status, r.status.padEnd(7));
    lines.push(`  ${id}  ${status}${fmtElapsed(r.elapsedSec).padStart(10)}  ${r.title}`);
    for (const reason of splitReasons(r.reason)) {
      lines.push(`${" ".repeat(TITLE_COLUMN)}└─ ${reason}`);
    }
  }
  lines.push(SUMMARY_RULE, "", totalsLine(results));
  return `${lines.join("\n")}\n`;
}
