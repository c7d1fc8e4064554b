import type { SubmitEntry, SubmitModel } from "../dagman/model.js";
import { procNodeName } from "./lfn.js";
import type { PlannedJob, PlanRequest } from "./types.js";

export const EXECUTABLES = {
  landing: "/bin/true",
  proc: "../wms2_proc.sh",
  merge: "../wms2_merge.sh",
  cleanup: "../wms2_cleanup.sh",
} as const;

/**
 * Release jobs held for transient infrastructure reasons, at most 5 starts: hold code 6
 * (the starter could not start the executable) and 13 (input file transfer failed). The
 * reference also listed 28 and 30, which are not input-side transients in HTCondor's table.
 */
export const PERIODIC_RELEASE =
  "(NumJobStarts < 5) && (HoldReasonCode == 6 || HoldReasonCode == 13)";

/** Disk usage above which a job is removed (KiB, 20 GiB). */
const DISK_LIMIT_KB = 20971520;

type Kind = "landing" | "proc" | "merge" | "cleanup";

interface Common {
  description: string;
  kind: Kind;
  stem: string;
  executable: string;
  args: string;
  cpus: number;
  memoryMb: number;
  diskKb: number;
  inputs: string[];
  outputs: string[];
  desiredSites: string[];
  wallLimitMin?: number;
  idleTimeoutSec: number;
  requirements: string;
  priority: number;
}

/**
 * Entries are immutable, so identical `key = value` lines of different submit files share
 * one object: a 100,000-job plan then holds the periodic_remove text once, not 100,000 times.
 */
const entryCache = new WeakMap<PlanRequest, Map<string, Map<string, SubmitEntry>>>();

function entryFor(req: PlanRequest, key: string, value: string): SubmitEntry {
  let byKey = entryCache.get(req);
  if (!byKey) {
    byKey = new Map();
    entryCache.set(req, byKey);
  }
  let byValue = byKey.get(key);
  if (!byValue) {
    byValue = new Map();
    byKey.set(key, byValue);
  }
  let e = byValue.get(value);
  if (!e) {
    e = Object.freeze({ key, value });
    byValue.set(value, e);
  }
  return e;
}

/** Positions of the node-specific lines in every submit file (see buildEntries). */
const OWN = { arguments: 2, output: 3, error: 4, log: 5 } as const;

const templates = new WeakMap<PlanRequest, Map<string, SubmitEntry[]>>();

/**
 * Build a submit model. Files that differ only in their node-specific lines share a
 * template, so planning 100,000 jobs copies one array per job instead of rebuilding it.
 */
function build(req: PlanRequest, c: Common): SubmitModel {
  const sig = [
    c.kind,
    c.executable,
    c.cpus,
    c.memoryMb,
    c.diskKb,
    c.inputs.join(","),
    c.outputs.join(","),
    c.desiredSites.join(","),
    c.wallLimitMin ?? "",
    c.idleTimeoutSec,
    c.requirements,
    c.priority,
  ].join("|");
  let byReq = templates.get(req);
  if (!byReq) {
    byReq = new Map();
    templates.set(req, byReq);
  }
  let tpl = byReq.get(sig);
  if (!tpl) {
    tpl = buildEntries(req, c);
    byReq.set(sig, tpl);
  }
  const entries = tpl.slice();
  entries[OWN.arguments] = { key: "arguments", value: c.args };
  entries[OWN.output] = { key: "output", value: `${c.stem}.out` };
  entries[OWN.error] = { key: "error", value: `${c.stem}.err` };
  entries[OWN.log] = { key: "log", value: `${c.stem}.log` };
  return { header: [` ${c.description}`], entries, queue: "1" };
}

function buildEntries(req: PlanRequest, c: Common): SubmitEntry[] {
  const e: SubmitEntry[] = [];
  const add = (key: string, value: string | number) => e.push(entryFor(req, key, String(value)));
  // Lines that differ from node to node are not worth sharing.
  const own = (key: string, value: string) => e.push({ key, value });
  add("universe", "vanilla");
  add("executable", c.executable);
  own("arguments", c.args);
  own("output", `${c.stem}.out`);
  own("error", `${c.stem}.err`);
  own("log", `${c.stem}.log`);
  if (c.cpus > 0) add("request_cpus", c.cpus);
  if (c.memoryMb > 0) add("request_memory", c.memoryMb);
  if (c.diskKb > 0) add("request_disk", c.diskKb);
  if (c.kind === "landing") add("transfer_executable", "false");
  add("should_transfer_files", "YES");
  add("when_to_transfer_output", "ON_EXIT");
  if (c.inputs.length > 0) add("transfer_input_files", c.inputs.join(","));
  add("transfer_output_files", c.outputs.join(","));
  if (c.desiredSites.length > 0) add("+DESIRED_Sites", `"${c.desiredSites.join(",")}"`);
  add("+MaxWallTimeMins", 1440);
  add("+CMS_Type", '"production"');
  add("+CMS_JobType", `"${jobType(c.kind)}"`);
  add("+CMS_MATCH_MICROARCH", "true");
  add("+CMS_ALLOW_OVERFLOW", '"True"');
  add("+REQUIRED_MINIMUM_MICROARCH", 2);
  add("accounting_group", "production");
  add("accounting_group_user", req.accountingGroupUser);
  add("+JobLeaseDuration", 1200);
  add("+JOB_GLIDEIN_CMSSite", '"$$(GLIDEIN_CMSSite:Unknown)"');
  if (c.wallLimitMin !== undefined) add("+MaxWallTimeMinsRun", c.wallLimitMin);
  const pr = periodicRemove(c);
  add("periodic_remove", pr.expr);
  add("+PeriodicRemoveReason", pr.reason);
  add("periodic_release", PERIODIC_RELEASE);
  add("Requirements", c.requirements);
  if (c.priority !== 0) add("priority", c.priority);
  for (const [k, v] of Object.entries(req.extraClassAds)) add(`+${k}`, v);
  return e;
}

function jobType(kind: Kind): string {
  return kind === "proc"
    ? "Processing"
    : kind === "merge"
      ? "Merge"
      : kind === "cleanup"
        ? "Cleanup"
        : "Landing";
}

/**
 * periodic_remove: zombie (running, < 60 s CPU after 1800 s), hard wall time (running >
 * 172800 s), held > 420 s, idle beyond the idle timeout, disk above 20 GiB, plus the
 * measured wall limit when known. The reason names the first term that fired.
 */
export function periodicRemove(c: { kind: Kind; idleTimeoutSec: number; wallLimitMin?: number }): {
  expr: string;
  reason: string;
} {
  const key = `${c.kind}|${c.idleTimeoutSec}|${c.wallLimitMin ?? ""}`;
  let hit = removeCache.get(key);
  if (!hit) {
    hit = periodicRemoveUncached(c);
    removeCache.set(key, hit);
  }
  return hit;
}

const removeCache = new Map<string, { expr: string; reason: string }>();

function periodicRemoveUncached(c: { kind: Kind; idleTimeoutSec: number; wallLimitMin?: number }): {
  expr: string;
  reason: string;
} {
  const age = "(time() - EnteredCurrentStatus)";
  const terms: [string, string][] = [];
  if (c.kind === "proc" || c.kind === "merge") {
    terms.push([
      `(JobStatus == 2 && (RemoteUserCpu + RemoteSysCpu) < 60 && ${age} > 1800)`,
      "zombie job (no CPU used in 1800 s)",
    ]);
    terms.push([`(JobStatus == 2 && ${age} > 172800)`, "hard wall time exceeded (172800 s)"]);
  }
  if (c.wallLimitMin !== undefined) {
    terms.push([
      `(JobStatus == 2 && ${age} > ${c.wallLimitMin * 60})`,
      `wall time limit exceeded (${c.wallLimitMin} min)`,
    ]);
  }
  terms.push([`(JobStatus == 5 && ${age} > 420)`, "held for more than 420 s"]);
  terms.push([
    `(JobStatus == 1 && ${age} > ${c.idleTimeoutSec})`,
    `idle for more than ${c.idleTimeoutSec} s`,
  ]);
  terms.push([`(DiskUsage > ${DISK_LIMIT_KB})`, `disk usage above ${DISK_LIMIT_KB} KiB`]);
  const expr = terms.map((t) => t[0]).join(" || ");
  let reason = '"unknown"';
  for (let i = terms.length - 1; i >= 0; i--) {
    reason = `ifThenElse(${terms[i][0]}, "${terms[i][1]}", ${reason})`;
  }
  return { expr, reason: `strcat("WMS2: ", ${reason})` };
}

/** Measured wall limit (minutes) = max(120, floor((wpe*epj + 600)*1.5/60) + 1). */
export function measuredWallLimitMin(wallPerEvent: number, eventsPerJob: number): number {
  return Math.max(120, Math.floor(((wallPerEvent * eventsPerJob + 600) * 1.5) / 60) + 1);
}

function siteRequirements(req: PlanRequest): string {
  const allowed = req.allowedSites.map((s) => `TARGET.GLIDEIN_CMSSite == "${s}"`);
  const banned = req.bannedSites.map((s) => `TARGET.GLIDEIN_CMSSite =!= "${s}"`);
  const parts: string[] = [];
  if (allowed.length > 0)
    parts.push(allowed.length === 1 ? allowed[0] : `(${allowed.join(" || ")})`);
  parts.push(...banned);
  return parts.join(" && ");
}

function procArguments(req: PlanRequest, job: PlannedJob): string {
  const a = [
    `--sandbox ${req.sandboxName}`,
    `--input ${job.inputs.join(",")}`,
    `--node-index ${job.index}`,
  ];
  a.push("--output-info output_info.json");
  if (job.firstEvent) a.push(`--first-event ${job.firstEvent}`);
  if (job.lastEvent) a.push(`--last-event ${job.lastEvent}`);
  if (job.events > 0 && job.firstEvent) a.push(`--events-per-job ${job.events}`);
  if (req.cpus > 0) a.push(`--ncpus ${req.cpus}`);
  return a.join(" ");
}

export function procSubmit(req: PlanRequest, job: PlannedJob, groupIndex: number): SubmitModel {
  const wall =
    req.measuredWallPerEventSec !== undefined
      ? measuredWallLimitMin(req.measuredWallPerEventSec, job.events)
      : undefined;
  return build(req, {
    description: `Processing node ${procNodeName(job.index)} of merge group ${groupIndex}`,
    kind: "proc",
    stem: procNodeName(job.index),
    executable: EXECUTABLES.proc,
    args: procArguments(req, job),
    cpus: req.cpus,
    memoryMb: req.memoryMb,
    diskKb: req.diskKb,
    inputs: [`../${req.sandboxName}`, "output_info.json", "manifest.json"],
    outputs: [],
    desiredSites: job.primaryLocation ? [job.primaryLocation] : [],
    wallLimitMin: wall,
    idleTimeoutSec: req.idleTimeoutSec,
    requirements: "",
    priority: req.priority,
  });
}

export function landingSubmit(req: PlanRequest, groupIndex: number): SubmitModel {
  return build(req, {
    description: `Landing node of merge group ${groupIndex} (elects the site)`,
    kind: "landing",
    stem: "landing",
    executable: EXECUTABLES.landing,
    args: "",
    cpus: req.cpus,
    memoryMb: req.memoryMb,
    diskKb: req.diskKb,
    inputs: [],
    outputs: [],
    desiredSites: req.allowedSites,
    wallLimitMin: 30,
    idleTimeoutSec: Math.min(req.idleTimeoutSec, 14400),
    requirements: siteRequirements(req),
    priority: Math.max(req.priority, 5) + 10,
  });
}

export const MERGE_OUTPUTS = [
  "merge_output.json",
  "work_unit_metrics.json",
  "cleanup_manifest.json",
];

export function mergeSubmit(req: PlanRequest, groupIndex: number): SubmitModel {
  return build(req, {
    description: `Merge node of merge group ${groupIndex}`,
    kind: "merge",
    stem: "merge",
    executable: EXECUTABLES.merge,
    args: `--sandbox ${req.sandboxName} --output-info output_info.json`,
    cpus: 0,
    memoryMb: req.memoryMb,
    diskKb: req.mergeDiskKb ?? req.diskKb,
    inputs: ["output_info.json", "manifest.json"],
    outputs: MERGE_OUTPUTS,
    desiredSites: [],
    idleTimeoutSec: Math.min(req.idleTimeoutSec, 14400),
    requirements: "",
    priority: req.priority + 10,
  });
}

export function cleanupSubmit(req: PlanRequest, groupIndex: number): SubmitModel {
  return build(req, {
    description: `Cleanup node of merge group ${groupIndex}`,
    kind: "cleanup",
    stem: "cleanup",
    executable: EXECUTABLES.cleanup,
    args: "--output-info output_info.json",
    cpus: 0,
    memoryMb: 0,
    diskKb: 0,
    inputs: ["output_info.json", "cleanup_manifest.json"],
    outputs: [],
    desiredSites: [],
    wallLimitMin: 60,
    idleTimeoutSec: Math.min(req.idleTimeoutSec, 14400),
    requirements: "",
    priority: req.priority + 10,
  });
}
