import type { RunRecord, WorkflowResult } from "../model/results.js";
import { formatWorkflowId } from "../model/workflow.js";
import { escapeXml } from "../model/xml.js";

/** JUnit XML of a run: one testcase per workflow (failed/error/timeout as failures, skipped). */
export function renderJunit(run: RunRecord, results: readonly WorkflowResult[]): string {
  const failures = results.filter((r) => r.status === "failed" || r.status === "timeout").length;
  const errors = results.filter((r) => r.status === "error").length;
  const skipped = results.filter((r) => r.status === "skipped").length;
  const time = results.reduce((s, r) => s + r.wallSec, 0);
  const cases = results.map((r) => {
    const name = `${formatWorkflowId(r.wfId)} ${r.title}`;
    const head = `    <testcase classname="wms2.matrix.${run.backend}" name="${escapeXml(name)}" time="${r.wallSec.toFixed(3)}">`;
    let body = "";
    if (r.status === "failed" || r.status === "timeout")
      body = `\n      <failure message="${escapeXml(r.reason)}" type="${r.status}"/>\n    `;
    else if (r.status === "error")
      body = `\n      <error message="${escapeXml(r.reason)}" type="error"/>\n    `;
    else if (r.status === "skipped")
      body = `\n      <skipped message="${escapeXml(r.reason)}"/>\n    `;
    return `${head}${body}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="wms2-matrix" tests="${results.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time.toFixed(3)}">`,
    `  <testsuite name="matrix run ${run.runId}: ${escapeXml(run.selection)}" tests="${results.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time.toFixed(3)}" timestamp="${escapeXml(run.startedAt)}">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
