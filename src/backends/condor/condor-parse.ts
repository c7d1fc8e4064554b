/**
 * Parsers of HTCondor command output (pure). Formats as the HTCondor manual documents them:
 * the `condor_submit_dag` banner, the JSON array of `condor_q -json` / `condor_history
 * -json`, and the table of `condor_status -total`.
 */

/** One job ClassAd as printed by `-json`: attribute name to value. */
export type ClassAd = Record<string, unknown>;

/** Error of a parser; the message is one line naming the command. */
export class CondorOutputError extends Error {
  constructor(command: string, problem: string) {
    super(`${command}: ${problem}`);
    this.name = "CondorOutputError";
  }
}

/** Cluster id from `1 job(s) submitted to cluster 4500.` (undefined when absent). */
export function parseSubmittedCluster(stdout: string): string | undefined {
  const m = /(\d+) job\(s\) submitted to cluster (\d+)\./.exec(stdout);
  return m ? m[2] : undefined;
}

/**
 * The ads printed by `condor_q -json` or `condor_history -json`. No matching job prints
 * nothing (some versions print `[]`): both give an empty list.
 */
export function parseJsonAds(command: string, stdout: string): ClassAd[] {
  const text = stdout.trim();
  if (text === "") return [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message.split("\n")[0] : "invalid";
    throw new CondorOutputError(command, `output is not JSON (${why})`);
  }
  if (!Array.isArray(doc)) throw new CondorOutputError(command, "JSON output is not an array");
  doc.forEach((ad, i) => {
    if (typeof ad !== "object" || ad === null || Array.isArray(ad)) {
      throw new CondorOutputError(command, `JSON element ${i} is not an object`);
    }
  });
  return doc as ClassAd[];
}

/**
 * A numeric attribute, or undefined when it is missing or not a literal number
 * (unevaluated expressions print as `"/Expr(...)/"` strings).
 */
export function adNumber(ad: ClassAd, name: string): number | undefined {
  const v = ad[name];
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** A string attribute, or undefined. */
export function adString(ad: ClassAd, name: string): string | undefined {
  const v = ad[name];
  return typeof v === "string" ? v : undefined;
}

/** A boolean attribute, or undefined. */
export function adBoolean(ad: ClassAd, name: string): boolean | undefined {
  const v = ad[name];
  return typeof v === "boolean" ? v : undefined;
}

/** `condor_status -total`: one row per architecture/OS plus the pool total. */
export interface StatusTotals {
  /** Column names of the header ("Total" or "Machines", "Owner", "Claimed", ...). */
  columns: string[];
  rows: { label: string; counts: Record<string, number> }[];
  /** The "Total" line by column. */
  total: Record<string, number>;
  /** Slots in the pool (the first column, Total or Machines, of the Total line). */
  slots: number;
}

/** First word of the header line: "Total" in current releases, "Machines" in older ones. */
const HEADER_FIRST = new Set(["Total", "Machines"]);

const isCount = (t: string) => /^\d+$/.test(t);

/**
 * Parse the `condor_status -total` table. A pool without slots prints nothing, which
 * gives 0 slots; any other output must have a header and a Total line.
 */
export function parseStatusTotals(stdout: string): StatusTotals {
  const cmd = "condor_status -total";
  const lines = stdout
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((t) => t[0] !== "");
  if (lines.length === 0) return { columns: [], rows: [], total: {}, slots: 0 };
  const header = lines.find((t) => HEADER_FIRST.has(t[0]) && t.length > 1 && !isCount(t[1]));
  if (!header) throw new CondorOutputError(cmd, "no header line starting with Total or Machines");
  const columns = header;
  const counts = (t: string[], label: string): Record<string, number> => {
    const nums = t.slice(t.length - columns.length);
    if (t.length <= columns.length || !nums.every(isCount)) {
      throw new CondorOutputError(cmd, `row "${label}" does not have ${columns.length} counts`);
    }
    return Object.fromEntries(columns.map((c, i) => [c, Number(nums[i])]));
  };
  const rows: StatusTotals["rows"] = [];
  let total: Record<string, number> | undefined;
  for (const t of lines) {
    if (t === header) continue;
    const label = t.slice(0, t.length - columns.length).join(" ");
    if (label === "Total") total = counts(t, label);
    else rows.push({ label, counts: counts(t, label) });
  }
  if (!total) throw new CondorOutputError(cmd, "no Total line");
  return { columns, rows, total, slots: total[columns[0]] ?? 0 };
}
