/**
 * One self-contained HTML file per run: the text report in a <pre>, then each workflow's
 * charts as inline SVG. No scripts, no external resources.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { writeTextFileAtomic } from "../artifacts/json-io.js";
import type { RunRecord, WorkflowResult } from "../model/results.js";
import { escapeXml } from "../model/xml.js";
import { cpuTimelineSpec, renderSvg, roundThroughputSpec } from "./charts.js";
import { formatWfId } from "./format.js";
import type { ReportOptions } from "./options.js";
import { renderRunReport } from "./run-report.js";

/** HTML escaping of text and attribute values: the XML entities. */
export const escapeHtml = escapeXml;

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em;color:#222}
pre{font-family:ui-monospace,monospace;font-size:13px;background:#f6f8fa;padding:1em;overflow-x:auto}
figure{margin:1em 0}h2{font-size:1.1em;margin-top:2em}`;

/** Charts of one workflow as inline SVG (none without performance data). */
export async function workflowCharts(result: WorkflowResult): Promise<string[]> {
  const svgs: string[] = [];
  const timeline = cpuTimelineSpec(result);
  if (timeline !== null) svgs.push(await renderSvg(timeline));
  if ((result.perf?.rounds.length ?? 0) > 1) {
    const rounds = roundThroughputSpec(result);
    if (rounds !== null) svgs.push(await renderSvg(rounds));
  }
  return svgs;
}

export async function renderHtmlReport(
  run: RunRecord,
  results: readonly WorkflowResult[],
  opts: Omit<ReportOptions, "color"> = {},
): Promise<string> {
  const text = renderRunReport(run, results, { ...opts, color: false });
  const parts = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<title>WMS2 run ${run.runId}: ${escapeHtml(run.selection)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    `<h1>WMS2 run ${run.runId}: ${escapeHtml(run.selection)}</h1>`,
    `<pre>${escapeHtml(text)}</pre>`,
  ];
  for (const r of results) {
    const svgs = await workflowCharts(r);
    if (svgs.length === 0) continue;
    parts.push(`<h2>${escapeHtml(`${formatWfId(r.wfId)} — ${r.title}`)}</h2>`);
    for (const svg of svgs) parts.push(`<figure>${svg}</figure>`);
  }
  parts.push("</body>", "</html>", "");
  return parts.join("\n");
}

/** Write the HTML report to `file` (temporary file, then rename). */
export async function writeHtmlReport(
  file: string,
  run: RunRecord,
  results: readonly WorkflowResult[],
  opts: Omit<ReportOptions, "color"> = {},
): Promise<void> {
  const html = await renderHtmlReport(run, results, opts);
  mkdirSync(dirname(file), { recursive: true });
  writeTextFileAtomic(file, html);
}
