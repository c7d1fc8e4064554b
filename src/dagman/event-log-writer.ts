import {
  type ExitStatus,
  eventCode,
  type JobLogEvent,
  type LogValue,
  type ResourceRow,
  type Rusage,
} from "./event-log.js";

/**
 * Writer of the HTCondor job event log (see event-log.ts). The layout follows what
 * HTCondor 23 writes (tabs for detail lines, four spaces before `DAG Node:`), so the
 * files read like real ones and parse back to the same events.
 */

const pad2 = (n: number) => String(n).padStart(2, "0");
const pad3 = (n: number) => String(n).padStart(3, "0");

/** Event date: `YYYY-MM-DD HH:MM:SS` (current) or `MM/DD HH:MM:SS` (old), UTC. */
export function formatLogDate(epochSec: number, style: "iso" | "old" = "iso"): string {
  const d = new Date(Math.floor(epochSec) * 1000);
  const clock = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  const md = `${pad2(d.getUTCMonth() + 1)}${style === "iso" ? "-" : "/"}${pad2(d.getUTCDate())}`;
  return style === "iso" ? `${d.getUTCFullYear()}-${md} ${clock}` : `${md} ${clock}`;
}

/** All events, each terminated by `...`, with a final newline. */
export function formatEventLog(
  events: readonly JobLogEvent[],
  style: "iso" | "old" = "iso",
): string {
  return events.map((e) => formatEvent(e, style)).join("");
}

/** One event: header, detail lines, `...` line (each line ends with a newline). */
export function formatEvent(ev: JobLogEvent, style: "iso" | "old" = "iso"): string {
  const id = `${pad3(ev.cluster)}.${pad3(ev.proc ?? 0)}.${pad3(ev.subproc ?? 0)}`;
  const head = `${pad3(eventCode(ev))} (${id}) ${formatLogDate(ev.time, style)} `;
  const [text, details] = body(ev);
  return `${head}${text}\n${details.map((d) => `${d}\n`).join("")}...\n`;
}

function body(ev: JobLogEvent): [string, string[]] {
  switch (ev.kind) {
    case "submit":
      return [
        `Job submitted from host: ${ev.host ?? ""}`.trimEnd(),
        ev.dagNode !== undefined ? [`    DAG Node: ${ev.dagNode}`] : [],
      ];
    case "execute": {
      const d: string[] = [];
      if (ev.slotName !== undefined) d.push(`\tSlotName: ${ev.slotName}`);
      for (const [k, v] of Object.entries(ev.attrs ?? {})) d.push(`\t${k} = ${formatLiteral(v)}`);
      return [`Job executing on host: ${ev.host ?? ""}`.trimEnd(), d];
    }
    case "evicted":
      return [
        "Job was evicted.",
        [
          ev.checkpointed === undefined
            ? "\t(0) CPU times"
            : ev.checkpointed
              ? "\t(1) Job was checkpointed."
              : "\t(0) Job was not checkpointed.",
          `\t\t${usage(ev.runRemoteUsage)}  -  Run Remote Usage`,
          `\t\t${usage(undefined)}  -  Run Local Usage`,
          "\t0  -  Run Bytes Sent By Job",
          "\t0  -  Run Bytes Received By Job",
        ],
      ];
    case "terminated": {
      const d = [...exitLines(ev)];
      d.push(`\t\t${usage(ev.runRemoteUsage)}  -  Run Remote Usage`);
      d.push(`\t\t${usage(undefined)}  -  Run Local Usage`);
      d.push(`\t\t${usage(ev.totalRemoteUsage ?? ev.runRemoteUsage)}  -  Total Remote Usage`);
      d.push(`\t\t${usage(undefined)}  -  Total Local Usage`);
      d.push(`\t${ev.runBytesSent ?? 0}  -  Run Bytes Sent By Job`);
      d.push(`\t${ev.runBytesReceived ?? 0}  -  Run Bytes Received By Job`);
      d.push(`\t${ev.runBytesSent ?? 0}  -  Total Bytes Sent By Job`);
      d.push(`\t${ev.runBytesReceived ?? 0}  -  Total Bytes Received By Job`);
      if (ev.resources) d.push(...resourceTable(ev.resources));
      if (ev.normal) {
        const iso = new Date(Math.floor(ev.time) * 1000).toISOString().replace(/\.\d+Z$/, "Z");
        d.push(
          "",
          `\tJob terminated of its own accord at ${iso} with exit-code ${ev.returnValue}.`,
        );
      }
      return ["Job terminated.", d];
    }
    case "imageSize": {
      const d: string[] = [];
      if (ev.memoryUsageMb !== undefined)
        d.push(`\t${ev.memoryUsageMb}  -  MemoryUsage of job (MB)`);
      if (ev.residentSetSizeKb !== undefined) {
        d.push(`\t${ev.residentSetSizeKb}  -  ResidentSetSize of job (KB)`);
      }
      if (ev.proportionalSetSizeKb !== undefined) {
        d.push(`\t${ev.proportionalSetSizeKb}  -  ProportionalSetSize of job (KB)`);
      }
      return [`Image size of job updated: ${ev.imageSizeKb}`, d];
    }
    case "aborted":
      return ["Job was aborted.", ev.reason !== undefined ? [`\t${ev.reason}`] : []];
    case "held": {
      const d = ev.reason !== undefined ? [`\t${ev.reason}`] : [];
      if (ev.reasonCode !== undefined) {
        d.push(`\tCode ${ev.reasonCode} Subcode ${ev.reasonSubcode ?? 0}`);
      }
      return ["Job was held.", d];
    }
    case "released":
      return ["Job was released.", ev.reason !== undefined ? [`\t${ev.reason}`] : []];
    case "postScriptTerminated":
      return [
        "POST Script terminated.",
        [...exitLines(ev), ...(ev.dagNode !== undefined ? [`    DAG Node: ${ev.dagNode}`] : [])],
      ];
    case "jobAdInformation":
      return [
        "Job ad information event triggered.",
        Object.entries(ev.attrs).map(([k, v]) => `\t${k} = ${formatLiteral(v)}`),
      ];
    case "other":
      return [ev.text, (ev.details ?? []).map((d) => `\t${d}`)];
  }
}

function exitLines(s: ExitStatus): string[] {
  if (s.normal) return [`\t(1) Normal termination (return value ${s.returnValue})`];
  return [
    `\t(0) Abnormal termination (signal ${s.signal})`,
    s.coreFile !== undefined ? `\t(1) Corefile in: ${s.coreFile}` : "\t(0) No core file",
  ];
}

function usage(u: Rusage | undefined): string {
  return `Usr ${dhms(u?.userSec ?? 0)}, Sys ${dhms(u?.sysSec ?? 0)}`;
}

function dhms(sec: number): string {
  let s = Math.max(0, Math.round(sec));
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  return `${days} ${pad2(Math.floor(s / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
}

/** The table's values are right-aligned under `Usage`, `Request` and `Allocated`. */
function resourceTable(rows: Record<string, ResourceRow>): string[] {
  const cell = (v: number | undefined, w: number) => (v === undefined ? "" : String(v)).padStart(w);
  const out = ["\tPartitionable Resources :    Usage  Request Allocated "];
  for (const [name, r] of Object.entries(rows)) {
    out.push(
      `\t   ${name.padEnd(21)}:${cell(r.usage, 9)}${cell(r.request, 9)}${cell(r.allocated, 10)} `,
    );
  }
  return out;
}

function formatLiteral(v: LogValue): string {
  if (typeof v === "string") return `"${v.replace(/(["\\])/g, "\\$1")}"`;
  return String(v);
}
