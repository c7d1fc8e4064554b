/**
 * Submit files of the jobs created by a job split (adaptive.md §15 steps 4 and 7), in two
 * layouts:
 * - `reference`: the minimal file the reference wrote (no CMS ClassAds, no
 *   periodic_remove, no Requirements);
 * - `planner` (used by WMS2): the template job's file with only the per-job lines
 *   changed, so everything the planner wrote (ClassAds, periodic_remove, Requirements,
 *   accounting, proxy, ...) is kept.
 */
import type { EventRange } from "./job-split-events.js";

/** What a new job needs besides the template. */
export interface NewProcJob {
  /** Position in the work unit, 0-based. */
  index: number;
  /** Node name, `proc_<index, 6 digits>`. */
  name: string;
  range: EventRange;
  requestCpus: number;
  requestMemoryMb: number;
  /** Path of the tuned manifest added to the job's inputs. */
  tunedManifestPath: string;
}

function firstMatch(text: string, pattern: RegExp): string | undefined {
  return pattern.exec(text)?.[1];
}

/** Fields the reference layout takes from the template submit file. */
export interface ProcTemplate {
  executable: string;
  transferInputFiles: string;
  environment: string;
  requestDiskKb: number;
  desiredSites: string;
  sandbox: string;
  outputInfo: string;
  pileupRemoteRead: boolean;
}

export function parseProcTemplate(text: string): ProcTemplate {
  const args = firstMatch(text, /^arguments\s*=\s*(.+)$/m) ?? "";
  return {
    executable: firstMatch(text, /^executable\s*=\s*(.+)$/m)?.trim() || "wms2_proc.sh",
    transferInputFiles: firstMatch(text, /^transfer_input_files\s*=\s*(.+)$/m)?.trim() ?? "",
    environment: firstMatch(text, /^environment\s*=\s*"(.*)"/m) ?? "",
    requestDiskKb: Number(firstMatch(text, /^request_disk\s*=\s*(\d+)/m) ?? 0),
    desiredSites: firstMatch(text, /^\+DESIRED_Sites\s*=\s*"(.*)"/m) ?? "",
    sandbox: firstMatch(args, /--sandbox\s+(\S+)/) ?? "sandbox.tar.gz",
    outputInfo: firstMatch(args, /--output-info\s+(\S+)/) ?? "",
    pileupRemoteRead: /--pileup-remote-read/.test(args),
  };
}

function withTunedManifest(files: string, tunedPath: string): string {
  return files ? `${files}, ${tunedPath}` : tunedPath;
}

function syntheticInput(range: EventRange): string {
  return `synthetic://gen/events_${range.first}_${range.last}`;
}

/** The minimal submit file the reference wrote for a split job. */
export function referenceProcSubmit(t: ProcTemplate, job: NewProcJob): string {
  const r = job.range;
  let args = `--sandbox ${t.sandbox} --input ${syntheticInput(r)} --node-index ${job.index}`;
  if (t.outputInfo) args += ` --output-info ${t.outputInfo}`;
  args += ` --first-event ${r.first} --last-event ${r.last} --events-per-job ${r.eventsPerJob}`;
  args += ` --ncpus ${job.requestCpus}`;
  if (t.pileupRemoteRead) args += " --pileup-remote-read";
  const lines = [
    `# processing node ${job.index} (job split)`,
    "universe = vanilla",
    `executable = ${t.executable}`,
    `arguments = ${args}`,
    `output = ${job.name}.out`,
    `error = ${job.name}.err`,
    `log = ${job.name}.log`,
    `request_cpus = ${job.requestCpus}`,
    `request_memory = ${job.requestMemoryMb}`,
  ];
  if (t.requestDiskKb > 0) lines.push(`request_disk = ${t.requestDiskKb}`);
  if (t.environment) lines.push(`environment = "${t.environment}"`);
  lines.push(
    "should_transfer_files = YES",
    "when_to_transfer_output = ON_EXIT",
    `transfer_input_files = ${withTunedManifest(t.transferInputFiles, job.tunedManifestPath)}`,
  );
  if (t.desiredSites) lines.push(`+DESIRED_Sites = "${t.desiredSites}"`);
  lines.push("queue 1");
  return `${lines.join("\n")}\n`;
}

/** Wrapper options the split sets, in the order they are appended when missing. */
const SPLIT_OPTIONS = [
  "--input",
  "--node-index",
  "--first-event",
  "--last-event",
  "--events-per-job",
  "--ncpus",
];

/** The template's wrapper arguments with the per-job options set (missing ones appended). */
export function splitJobArguments(templateArgs: string, job: NewProcJob): string {
  const r = job.range;
  const values: Record<string, string> = {
    "--input": syntheticInput(r),
    "--node-index": String(job.index),
    "--first-event": String(r.first),
    "--last-event": String(r.last),
    "--events-per-job": String(r.eventsPerJob),
    "--ncpus": String(job.requestCpus),
  };
  const tokens = templateArgs
    .trim()
    .split(/\s+/)
    .filter((t) => t !== "");
  const seen = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const option = tokens[i];
    if (option in values && i + 1 < tokens.length) {
      tokens[i + 1] = values[option];
      seen.add(option);
      i++;
    }
  }
  for (const option of SPLIT_OPTIONS) {
    if (!seen.has(option)) tokens.push(option, values[option]);
  }
  return tokens.join(" ");
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A split job's submit file derived from the template job's file: header comment,
 * arguments, output/error/log names, cores, memory and inputs change; every other line is
 * kept (with the template's node name replaced by the new one).
 */
export function plannerProcSubmit(
  templateText: string,
  templateName: string,
  job: NewProcJob,
): string {
  const nameRe = new RegExp(`\\b${escapeRegExp(templateName)}\\b`, "g");
  const lines = templateText.replace(/\n$/, "").split("\n");
  const out: string[] = [];
  let hasCpus = false;
  let hasMemory = false;
  let hasInputs = false;
  lines.forEach((line, i) => {
    const kv = /^([+\w]+)\s*=\s*(.*)$/.exec(line);
    const key = kv?.[1].toLowerCase();
    if (i === 0 && line.startsWith("#")) {
      out.push(`# processing node ${job.index} (job split)`);
    } else if (key === "arguments") {
      out.push(`arguments = ${splitJobArguments(kv![2], job)}`);
    } else if (key === "request_cpus") {
      hasCpus = true;
      out.push(`request_cpus = ${job.requestCpus}`);
    } else if (key === "request_memory") {
      hasMemory = true;
      out.push(`request_memory = ${job.requestMemoryMb}`);
    } else if (key === "transfer_input_files") {
      hasInputs = true;
      out.push(`transfer_input_files = ${withTunedManifest(kv![2].trim(), job.tunedManifestPath)}`);
    } else if (/^queue\b/.test(line.trim())) {
      if (!hasCpus) out.push(`request_cpus = ${job.requestCpus}`);
      if (!hasMemory) out.push(`request_memory = ${job.requestMemoryMb}`);
      if (!hasInputs) out.push(`transfer_input_files = ${job.tunedManifestPath}`);
      hasCpus = hasMemory = hasInputs = true;
      out.push(line);
    } else {
      out.push(line.replace(nameRe, job.name));
    }
  });
  return `${out.join("\n")}\n`;
}
