/**
 * A small fixed-layout text table: columns with a minimum width and an alignment, a header,
 * an underline of box-drawing rules, body rows and optional footer rows under a second
 * rule. Cells are padded as plain text; colour, if any, is applied to whole lines by callers.
 */
export type Align = "left" | "right";

export interface Column {
  header: string;
  align: Align;
  /** Minimum width; the column grows to fit its header and cells. */
  minWidth?: number;
  /** Draw this column's part of the rule above the footer rows (default true; never for an empty header). */
  footerRule?: boolean;
}

export interface TableSpec {
  columns: Column[];
  rows: string[][];
  footer?: string[][];
  indent?: number;
  gap?: number;
}

export function pad(text: string, width: number, align: Align): string {
  return align === "right" ? text.padStart(width) : text.padEnd(width);
}

/** Render the table as lines without trailing spaces. */
export function renderTable(spec: TableSpec): string[] {
  const indent = " ".repeat(spec.indent ?? 2);
  const gap = " ".repeat(spec.gap ?? 2);
  const all = [...spec.rows, ...(spec.footer ?? [])];
  const widths = spec.columns.map((c, i) =>
    Math.max(c.minWidth ?? 0, c.header.length, ...all.map((r) => (r[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    (
      indent + cells.map((cell, i) => pad(cell, widths[i], spec.columns[i].align)).join(gap)
    ).trimEnd();
  const underline = widths.map((w, i) => (spec.columns[i].header === "" ? "" : "─".repeat(w)));
  const out = [line(spec.columns.map((c) => c.header)), line(underline)];
  for (const r of spec.rows) out.push(line(r));
  if (spec.footer && spec.footer.length > 0) {
    const ruled = (c: Column) => c.footerRule !== false && c.header !== "";
    if (spec.columns.some(ruled)) {
      out.push(line(widths.map((w, i) => (ruled(spec.columns[i]) ? "─".repeat(w) : ""))));
    }
    for (const r of spec.footer) out.push(line(r));
  }
  return out;
}
