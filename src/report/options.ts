import type { TableLayout } from "./step-table.js";
import type { ColorOption } from "./style.js";

export interface ReportOptions extends ColorOption {
  /** Per-step table layout (default "compact"). */
  layout?: TableLayout;
  /** Memory guidance lines in adaptive sections (default true). */
  guidance?: boolean;
  /** Where a workflow's CPU chart was written, if anywhere (printed as a line). */
  chartPath?: (wfId: number) => string | undefined;
}
