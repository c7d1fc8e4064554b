import { InputError, inputErrorMessage } from "../model/errors.js";
import { formatRescueDate, parseRescueDate } from "./dagman-time.js";

/** What a partial rescue DAG records (formats.md §6.7). */
export interface RescueDagInfo {
  /** The DAG file DAGMan ran, as named in the header. */
  dagFile: string;
  created: Date;
  totalNodes: number;
  /** Nodes marked `DONE`, in file order. */
  doneNodes: string[];
  /** Nodes listed as failed in the header, in file order. */
  failedNodes: string[];
}

export interface ParsedRescueDag extends RescueDagInfo {
  /** Header counts as written (premarked DONE normally equals doneNodes.length). */
  premarkedDone: number;
  failedCount: number;
  /** `RETRY node n` lines (present only when DAGMan does not reset retries on rescue). */
  retries: Record<string, number>;
}

export const RESCUE_VERSION = "2.0.1";

/** Write a partial rescue DAG in DAGMan's format (header, blank line, DONE lines). */
export function formatRescueDag(info: RescueDagInfo): string {
  const lines = [
    "# Rescue DAG file, created after running",
    `#   the ${info.dagFile} DAG file`,
    `# Created ${formatRescueDate(info.created)} UTC`,
    `# Rescue DAG version: ${RESCUE_VERSION} (partial)`,
    "#",
    `# Total number of Nodes: ${info.totalNodes}`,
    `# Nodes premarked DONE: ${info.doneNodes.length}`,
    `# Nodes that failed: ${info.failedNodes.length}`,
    `#   ${info.failedNodes.map((n) => `${n},`).join("")}<ENDLIST>`,
    "",
    ...info.doneNodes.map((n) => `DONE ${n}`),
  ];
  return `${lines.join("\n")}\n`;
}

const HEADER: Array<[RegExp, string]> = [
  [/^#\s+the (.+) DAG file$/, "dagFile"],
  [/^# Created (.+?)(?: UTC)?$/, "created"],
  [/^# Rescue DAG version: (\S+) \((\w+)\)$/, "version"],
  [/^# Total number of Nodes: (\d+)$/, "total"],
  [/^# Nodes premarked DONE: (\d+)$/, "done"],
  [/^# Nodes that failed: (\d+)$/, "failed"],
  [/^#\s+(.*)<ENDLIST>$/, "list"],
];

/**
 * Read a partial rescue DAG: the header facts and the DONE (and RETRY) lines. A full
 * rescue DAG, a missing header fact or any other statement throws a one-line InputError.
 */
export function parseRescueDag(text: string, file: string): ParsedRescueDag {
  const found: Record<string, string[]> = {};
  const doneNodes: string[] = [];
  const retries: Record<string, number> = {};
  const fail = (line: number | undefined, problem: string): never => {
    throw new InputError(inputErrorMessage({ file, line, problem }));
  };
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "").trimEnd();
    if (line.trim() === "") return;
    if (line.startsWith("#")) {
      for (const [re, key] of HEADER) {
        const m = re.exec(line);
        if (m && !found[key]) found[key] = m.slice(1);
      }
      return;
    }
    const words = line.trim().split(/\s+/);
    const kw = words[0].toUpperCase();
    if (kw === "DONE" && words.length === 2) doneNodes.push(words[1]);
    else if (kw === "RETRY" && words.length === 3 && /^\d+$/.test(words[2]))
      retries[words[1]] = Number(words[2]);
    else fail(i + 1, `unexpected statement in a partial rescue DAG: ${line.trim()}`);
  });
  if (!found.version) fail(undefined, "not a rescue DAG (no 'Rescue DAG version' header line)");
  if (found.version[1] !== "partial")
    fail(undefined, `rescue DAG is ${found.version[1]}, only partial is read`);
  for (const key of ["dagFile", "created", "total", "done", "failed", "list"]) {
    if (!found[key]) fail(undefined, `rescue DAG header lacks its "${key}" line`);
  }
  const created = parseRescueDate(found.created[0]);
  if (!created) fail(undefined, `bad Created date "${found.created[0]}"`);
  return {
    dagFile: found.dagFile[0],
    created: created!,
    totalNodes: Number(found.total[0]),
    premarkedDone: Number(found.done[0]),
    failedCount: Number(found.failed[0]),
    doneNodes,
    failedNodes: found.list[0].split(",").filter((n) => n !== ""),
    retries,
  };
}

const RESCUE_SUFFIX = /\.rescue(\d{3})$/;

const baseName = (p: string) => p.slice(p.lastIndexOf("/") + 1);

/** The rescue number of `<dag>.rescueNNN`, or undefined for any other name. */
export function rescueNumber(name: string): number | undefined {
  const m = RESCUE_SUFFIX.exec(name);
  return m ? Number(m[1]) : undefined;
}

/**
 * The file DAGMan writes its next rescue DAG to: `<dagFile>.rescueNNN` one above the
 * highest existing number for that DAG (001 when none). At `maxRescueNum` (DAGMAN_MAX_RESCUE_NUM,
 * default 100, at most 999) the last file is overwritten; 0 disables rescue files (undefined).
 */
export function nextRescueName(
  existingNames: readonly string[],
  dagFile: string,
  maxRescueNum = 100,
): string | undefined {
  const limit = Math.min(maxRescueNum, 999);
  if (limit <= 0) return undefined;
  const base = baseName(dagFile);
  let highest = 0;
  for (const name of existingNames) {
    const n = rescueNumber(name);
    if (n !== undefined && baseName(name) === `${base}.rescue${String(n).padStart(3, "0")}`) {
      highest = Math.max(highest, n);
    }
  }
  return `${dagFile}.rescue${String(Math.min(highest + 1, limit)).padStart(3, "0")}`;
}

/** The highest-numbered rescue file among the names (what AutoRescue would use). */
export function newestRescue(names: string[]): string | undefined {
  let best: string | undefined;
  let bestN = 0;
  for (const name of names) {
    const n = rescueNumber(name);
    if (n !== undefined && n > bestN) {
      best = name;
      bestN = n;
    }
  }
  return best;
}
