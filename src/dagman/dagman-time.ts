/**
 * The date formats DAGMan writes, all rendered in UTC from epoch seconds (the simulator's
 * virtual clock). A live DAGMan writes `.dagman.out` times in the access point's local zone,
 * so readers of a live pool's files say so (`DagmanZone`).
 */

/** The zone `.dagman.out` times are written in: the simulator's UTC, or a live DAGMan's local. */
export type DagmanZone = "utc" | "local";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const pad2 = (n: number) => String(n).padStart(2, "0");

function utc(epochSec: number): Date {
  return new Date(Math.floor(epochSec) * 1000);
}

function clock(d: Date): string {
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** `.dagman.out` line and event time: `MM/DD/YY HH:MM:SS`. */
export function formatDagmanTime(epochSec: number): string {
  const d = utc(epochSec);
  return `${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())}/${pad2(d.getUTCFullYear() % 100)} ${clock(d)}`;
}

/** Read `MM/DD/YY HH:MM:SS` (years 00-99 are 2000-2099) in `zone` as epoch seconds. */
export function parseDagmanTime(text: string, zone: DagmanZone = "utc"): number | undefined {
  const m = /^(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(text);
  if (!m) return undefined;
  const [mo, d, y, h, mi, s] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  if (zone === "local") return new Date(2000 + y, mo - 1, d, h, mi, s).getTime() / 1000;
  return Date.UTC(2000 + y, mo - 1, d, h, mi, s) / 1000;
}

/** C `ctime()` form used in node status comments: `Thu Feb 13 12:00:48 2025`. */
export function formatCtime(epochSec: number): string {
  const d = utc(epochSec);
  const day = String(d.getUTCDate()).padStart(2, " ");
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day} ${clock(d)} ${d.getUTCFullYear()}`;
}

/** Rescue DAG `# Created` date: `M/D/YYYY HH:MM:SS` (always UTC in DAGMan too). */
export function formatRescueDate(date: Date): string {
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${clock(date)}`;
}

/** Read a rescue DAG `# Created` date (`M/D/YYYY HH:MM:SS`, UTC). */
export function parseRescueDate(text: string): Date | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d\d):(\d\d)$/.exec(text.trim());
  if (!m) return undefined;
  const [mo, d, y, h, mi, s] = m.slice(1).map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}
