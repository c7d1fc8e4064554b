export {
  convergenceLines,
  efficiencyLine,
  peakMemoryLine,
  renderAdaptive,
  roundDelta,
  throughputComparison,
} from "./adaptive.js";
export { guidanceLines, planningLines, probeLine, roundTitle } from "./adaptive-plan.js";
export {
  cpuTimelineSpec,
  type PhaseBand,
  phaseBands,
  renderSvg,
  rollingMean,
  roundThroughputSpec,
} from "./charts.js";
export { type ComparisonOptions, renderComparison, tolerancesLine } from "./comparison.js";
export type { Decision } from "./decisions.js";
export * from "./format.js";
export { escapeHtml, renderHtmlReport, workflowCharts, writeHtmlReport } from "./html.js";
export type { ReportOptions } from "./options.js";
export { renderPerformance } from "./performance.js";
export {
  renderJson,
  renderPerformanceSection,
  renderRunHeader,
  renderRunReport,
  sortKeys,
} from "./run-report.js";
export {
  compactStepTable,
  statisticalStepTable,
  stepTable,
  type TableLayout,
} from "./step-table.js";
export { type ColorOption, makeStyle, type Style } from "./style.js";
export { renderSummary, totalsLine } from "./summary.js";
export { type Align, type Column, renderTable, type TableSpec } from "./table.js";
