import type { SubmitEntry, SubmitModel } from "../dagman/model.js";
import {
  type JobKind as Kind,
  measuredWallLimitMin,
  PERIODIC_RELEASE,
  periodicRemove,
} from "./job-limits.js";
import { flat, procNodeName } from "./lfn.js";
import type { PlannedJob, PlanRequest } from "./types.js";

export const EXECUTABLES = {
  landing: "/bin/true",
  proc: "../wms2_proc.sh",
  merge: "../wms2_merge.sh",
  cleanup: "../wms2_cleanup.sh",
} as const;

/** Everything of a submit file but its node-specific lines. */
interface Shape {
  kind: Kind;
  executable: string;
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

/** Positions of the node-specific lines in every submit file (see buildEntries). */
const OWN = { arguments: 2, output: 3, error: 4, log: 5 } as const;

/**
 * The submit files of one plan. A plan holds every model at once, and what each model
 * retains (or leaves behind as garbage) is what the garbage collector copies and marks
 * again and again while a large plan is built. So files that differ only in their
 * node-specific lines copy one shared template (built once per shape), identical
 * `key = value` lines are one frozen object, and the per-file strings are flat.
 */
export class SubmitFiles {
  private readonly entries = new Map<string, Map<string, SubmitEntry>>();
  private readonly templates = new Map<string, SubmitEntry[]>();

  constructor(private readonly req: PlanRequest) {}

  proc(job: PlannedJob, groupIndex: number, name = procNodeName(job.index)): SubmitModel {
    const req = this.req;
    const wall =
      req.measuredWallPerEventSec !== undefined
        ? measuredWallLimitMin(req.measuredWallPerEventSec, job.events)
        : undefined;
    const site = job.primaryLocation;
    // Only these two differ between the proc files of one request.
    const key = site || wall !== undefined ? `proc|${site ?? ""}|${wall ?? ""}` : "proc";
    const tpl =
      this.templates.get(key) ??
      this.template(key, {
        kind: "proc",
        executable: EXECUTABLES.proc,
        cpus: req.cpus,
        memoryMb: req.memoryMb,
        diskKb: req.diskKb,
        inputs: [`../${req.sandboxName}`, "output_info.json", "manifest.json"],
        outputs: [],
        desiredSites: site ? [site] : [],
        wallLimitMin: wall,
        idleTimeoutSec: req.idleTimeoutSec,
        requirements: "",
        priority: req.priority,
      });
    const header = flat(" Processing node ", name, " of merge group ", groupIndex);
    return fromTemplate(tpl, header, name, procArguments(req, job));
  }

  landing(groupIndex: number): SubmitModel {
    const req = this.req;
    const tpl =
      this.templates.get("landing") ??
      this.template("landing", {
        kind: "landing",
        executable: EXECUTABLES.landing,
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
    const header = flat(" Landing node of merge group ", groupIndex, " (elects the site)");
    return fromTemplate(tpl, header, "landing", "");
  }

  merge(groupIndex: number): SubmitModel {
    const req = this.req;
    const tpl =
      this.templates.get("merge") ??
      this.template("merge", {
        kind: "merge",
        executable: EXECUTABLES.merge,
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
    const args = `--sandbox ${req.sandboxName} --output-info output_info.json`;
    return fromTemplate(tpl, flat(" Merge node of merge group ", groupIndex), "merge", args);
  }

  cleanup(groupIndex: number): SubmitModel {
    const req = this.req;
    const tpl =
      this.templates.get("cleanup") ??
      this.template("cleanup", {
        kind: "cleanup",
        executable: EXECUTABLES.cleanup,
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
    const header = flat(" Cleanup node of merge group ", groupIndex);
    return fromTemplate(tpl, header, "cleanup", "--output-info output_info.json");
  }

  private template(key: string, shape: Shape): SubmitEntry[] {
    const tpl = this.buildEntries(shape);
    this.templates.set(key, tpl);
    return tpl;
  }

  private entry(key: string, value: string): SubmitEntry {
    let byValue = this.entries.get(key);
    if (!byValue) {
      byValue = new Map();
      this.entries.set(key, byValue);
    }
    let e = byValue.get(value);
    if (!e) {
      e = Object.freeze({ key, value });
      byValue.set(value, e);
    }
    return e;
  }

  private buildEntries(c: Shape): SubmitEntry[] {
    const req = this.req;
    const e: SubmitEntry[] = [];
    const add = (key: string, value: string | number) => e.push(this.entry(key, String(value)));
    // Placeholders for the lines that differ from node to node (see OWN).
    const own = (key: string) => e.push({ key, value: "" });
    add("universe", "vanilla");
    add("executable", c.executable);
    own("arguments");
    own("output");
    own("error");
    own("log");
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
}

/** A submit model: the template with the node-specific lines filled in. */
function fromTemplate(tpl: SubmitEntry[], header: string, stem: string, args: string): SubmitModel {
  const entries = tpl.slice();
  entries[OWN.arguments] = { key: "arguments", value: args };
  entries[OWN.output] = { key: "output", value: flat(stem, ".out") };
  entries[OWN.error] = { key: "error", value: flat(stem, ".err") };
  entries[OWN.log] = { key: "log", value: flat(stem, ".log") };
  return { header: [header], entries, queue: "1" };
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
  // Option and value as separate words: the same line, without a rope per option.
  const a: (string | number)[] = ["--sandbox", req.sandboxName, "--input", job.inputs.join(",")];
  a.push("--node-index", job.index, "--output-info", "output_info.json");
  if (job.firstEvent) a.push("--first-event", job.firstEvent);
  if (job.lastEvent) a.push("--last-event", job.lastEvent);
  if (job.events > 0 && job.firstEvent) a.push("--events-per-job", job.events);
  if (req.cpus > 0) a.push("--ncpus", req.cpus);
  return a.join(" ");
}

export function procSubmit(req: PlanRequest, job: PlannedJob, groupIndex: number): SubmitModel {
  return new SubmitFiles(req).proc(job, groupIndex);
}

export function landingSubmit(req: PlanRequest, groupIndex: number): SubmitModel {
  return new SubmitFiles(req).landing(groupIndex);
}

export const MERGE_OUTPUTS = [
  "merge_output.json",
  "work_unit_metrics.json",
  "cleanup_manifest.json",
];

export function mergeSubmit(req: PlanRequest, groupIndex: number): SubmitModel {
  return new SubmitFiles(req).merge(groupIndex);
}

export function cleanupSubmit(req: PlanRequest, groupIndex: number): SubmitModel {
  return new SubmitFiles(req).cleanup(groupIndex);
}
