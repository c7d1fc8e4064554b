import { InputError } from "../model/errors.js";
import type {
  EventBase,
  ExecuteEvent,
  ExitStatus,
  HeldEvent,
  ImageSizeEvent,
  JobLogEvent,
  LogValue,
  ParsedLogEvent,
  ResourceRow,
  Rusage,
} from "./event-log.js";

/** Reader of the HTCondor job event log; the event types are in event-log.ts. */

const HEADER =
  /^(\d{3}) \((-?\d+)\.(-?\d+)\.(-?\d+)\) (?:(\d{4})-(\d\d)-(\d\d)|(\d\d)\/(\d\d)) (\d\d):(\d\d):(\d\d)(?:\.\d+)? ?(.*)$/;

/**
 * Parses an event log. `file` names the log in errors. Old-format dates have no year:
 * `defaultYear` (default 2000) is used. An unterminated last event (a log still being
 * written) is left out. A line outside an event that is not a header is an error.
 */
export function parseEventLog(
  text: string,
  file = "event log",
  options: { defaultYear?: number } = {},
): ParsedLogEvent[] {
  const lines = text.split(/\r?\n/);
  const out: ParsedLogEvent[] = [];
  let i = 0;
  while (i < lines.length) {
    const raw = lines[i];
    if (raw.trim() === "") {
      i++;
      continue;
    }
    const m = HEADER.exec(raw.trimEnd());
    if (!m) {
      const shown = raw.length > 60 ? `${raw.slice(0, 60)}...` : raw;
      throw new InputError(
        `${file}:${i + 1}: expected an event header "NNN (cluster.proc.subproc) date time", got "${shown}"`,
      );
    }
    const start = i;
    const body: string[] = [];
    i++;
    while (i < lines.length && lines[i].trim() !== "...") body.push(lines[i++]);
    if (i >= lines.length) break; // unterminated tail
    i++;
    const [year, month, day] = m[5]
      ? [+m[5], +m[6], +m[7]]
      : [options.defaultYear ?? 2000, +m[8], +m[9]];
    const time = Date.UTC(year, month - 1, day, +m[10], +m[11], +m[12]) / 1000;
    const base = { cluster: +m[2], proc: +m[3], subproc: +m[4], time };
    const code = +m[1];
    const details = body.map((l) => l.trim());
    const decoded = decode(code, m[13].trim(), details, body, base);
    out.push({ ...decoded, code, text: m[13].trim(), details, line: start + 1 } as ParsedLogEvent);
  }
  return out;
}

function decode(
  code: number,
  text: string,
  details: string[],
  raw: string[],
  base: EventBase,
): JobLogEvent {
  const first = details.find((d) => d !== "");
  switch (code) {
    case 0:
      return {
        ...base,
        kind: "submit",
        host: after(text, "Job submitted from host:"),
        dagNode: dagNode(details),
      };
    case 1: {
      const attrs: Record<string, LogValue> = {};
      let slotName: string | undefined;
      for (const d of details) {
        const slot = /^SlotName:\s*(.*)$/.exec(d);
        const kv = /^([A-Za-z_]\w*)\s*=\s*(.*)$/.exec(d);
        if (slot) slotName = slot[1];
        else if (kv) attrs[kv[1]] = parseLiteral(kv[2]);
      }
      const ev: ExecuteEvent = {
        ...base,
        kind: "execute",
        host: after(text, "Job executing on host:"),
      };
      if (slotName !== undefined) ev.slotName = slotName;
      if (Object.keys(attrs).length > 0) ev.attrs = attrs;
      return ev;
    }
    case 4: {
      const cp = /^\((\d)\) Job was (not )?checkpointed/.exec(first ?? "");
      return {
        ...base,
        kind: "evicted",
        ...(cp ? { checkpointed: cp[2] === undefined } : {}),
        ...usages(details, { "Run Remote": "runRemoteUsage" }),
      };
    }
    case 5:
      return {
        ...base,
        kind: "terminated",
        ...exitStatus(details),
        ...usages(details, { "Run Remote": "runRemoteUsage", "Total Remote": "totalRemoteUsage" }),
        ...bytes(details),
        ...resourceTable(raw),
      };
    case 6: {
      const ev: ImageSizeEvent = {
        ...base,
        kind: "imageSize",
        imageSizeKb: Number(after(text, "Image size of job updated:") ?? 0),
      };
      for (const d of details) {
        const mm = /^(\d+)\s+-\s+(MemoryUsage|ResidentSetSize|ProportionalSetSize) of job/.exec(d);
        if (mm?.[2] === "MemoryUsage") ev.memoryUsageMb = +mm[1];
        else if (mm?.[2] === "ResidentSetSize") ev.residentSetSizeKb = +mm[1];
        else if (mm?.[2] === "ProportionalSetSize") ev.proportionalSetSizeKb = +mm[1];
      }
      return ev;
    }
    case 9:
      return { ...base, kind: "aborted", reason: first };
    case 12: {
      const ev: HeldEvent = { ...base, kind: "held" };
      for (const d of details) {
        const cm = /^Code (-?\d+) Subcode (-?\d+)$/.exec(d);
        if (cm) {
          ev.reasonCode = +cm[1];
          ev.reasonSubcode = +cm[2];
        } else if (d !== "" && ev.reason === undefined) ev.reason = d;
      }
      return ev;
    }
    case 13:
      return { ...base, kind: "released", reason: first };
    case 16:
      return {
        ...base,
        kind: "postScriptTerminated",
        ...exitStatus(details),
        dagNode: dagNode(details),
      };
    case 28: {
      const attrs: Record<string, LogValue> = {};
      for (const d of details) {
        const kv = /^([A-Za-z_]\w*)\s*=\s*(.*)$/.exec(d);
        if (kv) attrs[kv[1]] = parseLiteral(kv[2]);
      }
      return { ...base, kind: "jobAdInformation", attrs };
    }
    default:
      return { ...base, kind: "other", code, text, details };
  }
}

function after(text: string, prefix: string): string | undefined {
  return text.startsWith(prefix) ? text.slice(prefix.length).trim() : undefined;
}

function dagNode(details: string[]): string | undefined {
  for (const d of details) if (d.startsWith("DAG Node:")) return d.slice(9).trim();
  return undefined;
}

function exitStatus(details: string[]): ExitStatus {
  for (const d of details) {
    const n = /^\(\d\) Normal termination \(return value (-?\d+)\)/.exec(d);
    if (n) return { normal: true, returnValue: +n[1] };
    const a = /^\(\d\) Abnormal termination \(signal (\d+)\)/.exec(d);
    if (a) {
      const core = details.map((x) => /^\(1\) Corefile in:\s*(.*)$/.exec(x)).find((x) => x);
      return core
        ? { normal: false, signal: +a[1], coreFile: core[1] }
        : { normal: false, signal: +a[1] };
    }
  }
  return { normal: true, returnValue: 0 };
}

const USAGE =
  /^Usr (\d+) (\d+):(\d+):(\d+), Sys (\d+) (\d+):(\d+):(\d+)\s+-\s+(Run Remote|Run Local|Total Remote|Total Local) Usage$/;

function usages(details: string[], wanted: Record<string, string>): Record<string, Rusage> {
  const out: Record<string, Rusage> = {};
  for (const d of details) {
    const u = USAGE.exec(d);
    if (!u || !wanted[u[9]]) continue;
    const n = u.slice(1, 9).map(Number);
    out[wanted[u[9]]] = {
      userSec: n[0] * 86400 + n[1] * 3600 + n[2] * 60 + n[3],
      sysSec: n[4] * 86400 + n[5] * 3600 + n[6] * 60 + n[7],
    };
  }
  return out;
}

function bytes(details: string[]): { runBytesSent?: number; runBytesReceived?: number } {
  const out: { runBytesSent?: number; runBytesReceived?: number } = {};
  for (const d of details) {
    const b = /^(\d+)\s+-\s+Run Bytes (Sent|Received) By Job$/.exec(d);
    if (b?.[2] === "Sent") out.runBytesSent = +b[1];
    else if (b) out.runBytesReceived = +b[1];
  }
  return out;
}

/**
 * Reads the "Partitionable Resources : Usage Request Allocated" table. Values are
 * right-aligned under the column titles, and empty cells are blank, so each number is
 * given to the column whose title ends nearest to where the number ends.
 */
function resourceTable(raw: string[]): { resources?: Record<string, ResourceRow> } {
  const h = raw.findIndex((l) => /Partitionable Resources\s*:/.test(l));
  if (h < 0) return {};
  const cols = (["Usage", "Request", "Allocated"] as const).map((name) => {
    const at = raw[h].indexOf(name, raw[h].indexOf(":"));
    return { key: name.toLowerCase() as keyof ResourceRow, end: at + name.length };
  });
  const resources: Record<string, ResourceRow> = {};
  for (let i = h + 1; i < raw.length; i++) {
    const row = /^(\s*)(\S.*?)\s*:(.*)$/.exec(raw[i]);
    if (!row || raw[i].trim() === "") break;
    const colon = raw[i].indexOf(":");
    const cells: ResourceRow = {};
    for (const num of row[3].matchAll(/-?\d+(?:\.\d+)?/g)) {
      const end = colon + 1 + (num.index ?? 0) + num[0].length;
      const col = cols.reduce((best, c) =>
        Math.abs(c.end - end) < Math.abs(best.end - end) ? c : best,
      );
      cells[col.key] = Number(num[0]);
    }
    resources[row[2]] = cells;
  }
  return { resources };
}

/** A ClassAd literal as printed in event details: quoted string, boolean, number or raw text. */
export function parseLiteral(text: string): LogValue {
  const t = text.trim();
  if (/^".*"$/.test(t)) return t.slice(1, -1).replace(/\\(["\\])/g, "$1");
  if (/^true$/i.test(t)) return true;
  if (/^false$/i.test(t)) return false;
  if (/^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return Number(t);
  return t;
}
