import { type SubmitModel, type SubmitValues, submitValues } from "../../src/dagman/model.js";

export { type SubmitValues, submitValues };

import { isBlankCode } from "../../src/dagman/submit-args.js";
import { InputError } from "../../src/model/errors.js";
import {
  type AdLookup,
  type ClassAdValue,
  type CompiledExpr,
  compileExpr,
} from "../pool/classad-expr.js";
import type { PolicyTexts } from "./schedd-policy.js";

/** The parts of a submit description the simulated schedd acts on. */
export interface SubmitRequest extends PolicyTexts {
  universe: string;
  executable: string;
  arguments: string;
  requestCpus: number;
  requestMemoryMb: number;
  requestDiskKb: number;
  desiredSites: readonly string[];
  requirements: string;
  priority: number;
  log?: string;
  /**
   * Where the job's stdout and stderr go (as written, relative to the iwd or absolute);
   * undefined when discarded: the submit file names no file (HTCondor's default is
   * /dev/null) or names /dev/null.
   */
  output?: string;
  error?: string;
  /** The job's cluster id, when the caller gave one (`$(Cluster)` in the values). */
  cluster?: number;
  /**
   * The text of the submit file's `+Name = value` (or `MY.Name = value`) line for a
   * lower-cased name, macros substituted: what HTCondor puts in the job's ClassAd.
   */
  customAttr(lowerCasedName: string): string | undefined;
}

/** Default request_memory/request_disk when a submit file gives none (small jobs). */
export const DEFAULT_MEMORY_MB = 128;
export const DEFAULT_DISK_KB = 102400;

/** KiB in one unit of the quantity suffix K, M, G or T (either case); undefined for others. */
function suffixKb(code: number): number | undefined {
  switch (code | 32 /* lower case */) {
    case 107:
      return 1;
    case 109:
      return 1024;
    case 103:
      return 1024 ** 2;
    case 116:
      return 1024 ** 3;
    default:
      return undefined;
  }
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * A quantity with an optional K/M/G/T suffix (and an optional B after it, any case) in the
 * unit `unitKb` (1 = KiB for disk, 1024 = MiB for memory); a bare number is in that unit.
 * Read by hand: every job of a DAG gives two of them.
 */
export function quantity(value: string, unitKb: number, file: string, key: string): number {
  const text = value.trim();
  let i = 0;
  while (i < text.length && isDigit(text.charCodeAt(i))) i++;
  let ok = i > 0;
  if (ok && i < text.length && text.charCodeAt(i) === 46 /* . */) {
    const frac = ++i;
    while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    ok = i > frac;
  }
  const numberEnd = i;
  while (i < text.length && isBlankCode(text.charCodeAt(i))) i++;
  const kb = i < text.length ? suffixKb(text.charCodeAt(i)) : undefined;
  if (kb !== undefined) i++;
  if (i < text.length && (text.charCodeAt(i) | 32) === 98 /* b */) i++;
  if (!ok || i !== text.length)
    throw new InputError(
      `${file}: ${key}: expected a number with an optional K/M/G/T suffix, got "${value}"`,
    );
  const n = Number(numberEnd === text.length ? text : text.slice(0, numberEnd));
  return kb === undefined ? Math.ceil(n) : Math.ceil((n * kb) / unitKb);
}

function unquote(v: string): string {
  const t = v.trim();
  return t.startsWith('"') && t.endsWith('"') && t.length >= 2 ? t.slice(1, -1) : t;
}

const MACRO = /\$\(([A-Za-z_][A-Za-z0-9_.]*)\)/g;

/** Macro values by lower-cased name, a later name winning (macro names are case-insensitive). */
function lowerCased(vars: Readonly<Record<string, string>>, into = new Map<string, string>()) {
  for (const k in vars) into.set(k.toLowerCase(), vars[k]);
  return into;
}

function expandWith(value: string, lower: ReadonlyMap<string, string>): string {
  return value.replace(MACRO, (all, name: string) => lower.get(name.toLowerCase()) ?? all);
}

/** Substitute `$(name)` macros from the node's VARS (case-insensitive); unknown macros stay. */
export function expandMacros(value: string, vars: Readonly<Record<string, string>>): string {
  return value.includes("$(") ? expandWith(value, lowerCased(vars)) : value;
}

/** No `+DESIRED_Sites`: one empty list for every such job (nobody changes it). */
const NO_SITES: readonly string[] = Object.freeze([]);

/**
 * The submit values of one node's job, with DAGMan's macro `$(JOB)`, condor_submit's
 * `$(Cluster)`/`$(ClusterId)` and `$(Process)`/`$(ProcId)` (once the cluster is known) and
 * the node's VARS (a VARS name overrides the others) substituted. Most values hold no
 * macro: the lower-cased macro table is built only for the first value that does, once per
 * job.
 */
class NodeSubmitValues {
  private macros?: Map<string, string>;
  private clusterId?: number;

  constructor(
    private readonly values: SubmitValues,
    private readonly file: string,
    private readonly node: string,
    private readonly vars: Readonly<Record<string, string>> | undefined,
  ) {}

  get(lowerCasedKey: string): string | undefined {
    const v = this.values.get(lowerCasedKey);
    if (v === undefined || !v.includes("$(")) return v;
    this.macros ??= lowerCased(this.vars ?? {}, this.predefined());
    return expandWith(v, this.macros);
  }

  /** Where a stream goes: undefined when it is discarded (no file named, or /dev/null). */
  stream(lowerCasedKey: "output" | "error"): string | undefined {
    const v = this.get(lowerCasedKey)?.trim();
    return v === undefined || v === "" || v === "/dev/null" ? undefined : v;
  }

  /** The job's cluster id, once known (values read before it, such as the universe, do not see it). */
  get cluster(): number | undefined {
    return this.clusterId;
  }

  set cluster(id: number | undefined) {
    this.clusterId = id;
    this.macros = undefined;
  }

  private predefined(): Map<string, string> {
    const m = new Map([["job", this.node]]);
    if (this.clusterId !== undefined) {
      const c = String(this.clusterId);
      m.set("cluster", c).set("clusterid", c).set("process", "0").set("procid", "0");
    }
    return m;
  }

  int(lowerCasedKey: string, dflt: number): number {
    const v = this.get(lowerCasedKey);
    if (v === undefined || v.trim() === "") return dflt;
    const n = Number(v);
    if (!Number.isFinite(n))
      throw new InputError(`${this.file}: ${lowerCasedKey}: expected a number, got "${v}"`);
    return Math.round(n);
  }

  quantity(lowerCasedKey: string, unitKb: number, dflt: number): number {
    const v = this.get(lowerCasedKey);
    return v?.trim() ? quantity(v, unitKb, this.file, lowerCasedKey) : dflt;
  }
}

/**
 * What the simulator refuses in a submit file, in one line, rather than run otherwise than
 * HTCondor would: a `queue` of several jobs (a cluster of procs, or `queue ... from` / `in`
 * / `matching`; a node's job is one job here), and an exit policy other than the default.
 */
export function checkSimulated(model: SubmitModel, file: string): void {
  const q = model.queue.trim();
  if (q !== "" && q !== "1") {
    throw new InputError(
      `${file}: queue ${q}: the simulator runs one job per node (queue or queue 1); a cluster of several jobs is not simulated`,
    );
  }
  const values = submitValues(model);
  for (const [key, dflt] of EXIT_POLICIES) {
    const v = values.get(key)?.trim();
    if (v !== undefined && v !== "" && v.toLowerCase() !== dflt) {
      throw new InputError(
        `${file}: ${key} = ${v}: the simulator ends a job that exits, as with ${key} = ${dflt}; another ${key} is not simulated`,
      );
    }
  }
}

/**
 * What the schedd does when a job exits, with the value that changes nothing: a job held
 * or kept in the queue on exit would run other events than the simulator writes.
 */
const EXIT_POLICIES: readonly (readonly [string, string])[] = [
  ["on_exit_remove", "true"],
  ["on_exit_hold", "false"],
];

/**
 * What the schedd takes from the submit description of node `node` (with VARS `vars`).
 * `clusterFor`, given the job's universe, tells the cluster id the job will get, which
 * `$(Cluster)` in the other values stands for.
 */
export function submitRequest(
  model: SubmitModel,
  file: string,
  node: string,
  vars?: Readonly<Record<string, string>>,
  clusterFor?: (universe: string) => number,
): SubmitRequest {
  const v = new NodeSubmitValues(submitValues(model), file, node, vars);
  const universe = (v.get("universe") ?? "vanilla").toLowerCase();
  v.cluster = clusterFor?.(universe);
  const sites = v.get("+desired_sites") ?? v.get("my.desired_sites");
  return {
    universe,
    executable: v.get("executable") ?? "",
    arguments: v.get("arguments") ?? "",
    requestCpus: Math.max(1, v.int("request_cpus", 1)),
    requestMemoryMb: v.quantity("request_memory", 1024, DEFAULT_MEMORY_MB),
    requestDiskKb: v.quantity("request_disk", 1, DEFAULT_DISK_KB),
    desiredSites: sites ? siteList(sites) : NO_SITES,
    requirements: v.get("requirements") ?? "",
    priority: v.int("priority", 0),
    log: v.get("log"),
    output: v.stream("output"),
    error: v.stream("error"),
    periodicRelease: v.get("periodic_release") ?? "",
    periodicRemove: v.get("periodic_remove") ?? "",
    periodicRemoveReason: v.get("+periodicremovereason") ?? v.get("my.periodicremovereason") ?? "",
    periodicHold: v.get("periodic_hold") ?? "",
    periodicHoldReason: v.get("periodic_hold_reason") ?? "",
    periodicHoldSubCode: v.get("periodic_hold_subcode") ?? "",
    cluster: v.cluster,
    customAttr: (name) => v.get(`+${name}`) ?? v.get(`my.${name}`),
  };
}

/** How deep attributes defined by other attributes are followed (`+A = B`, `+B = A`...). */
const MAX_ATTR_DEPTH = 16;
let attrDepth = 0;

/**
 * The value of a submitted attribute's text in the job's ad `my`: a literal, or an
 * expression evaluated there (`+Twice = RequestCpus * 2`). UNDEFINED when there is no such
 * attribute, when the simulator's ClassAd subset cannot read the text, or when attributes
 * refer to each other in a circle.
 */
export function customAttrValue(text: string | undefined, my: AdLookup): ClassAdValue {
  if (text === undefined || attrDepth >= MAX_ATTR_DEPTH) return undefined;
  let expr: CompiledExpr;
  try {
    expr = compileExpr(text);
  } catch {
    return undefined;
  }
  attrDepth++;
  try {
    return expr(my, NO_AD);
  } finally {
    attrDepth--;
  }
}

/** The empty target ad: a job's own attribute reads its own ad. */
const NO_AD: AdLookup = () => undefined;

/** The last `+DESIRED_Sites` value read and its list: the jobs pinned to one site share it. */
let lastSites = "";
let lastSiteList: readonly string[] = NO_SITES;

/** The sites of a `+DESIRED_Sites` value, as a frozen list (shared by jobs that name the same). */
function siteList(value: string): readonly string[] {
  if (value !== lastSites) {
    lastSiteList = Object.freeze(
      unquote(value)
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    );
    lastSites = value;
  }
  return lastSiteList;
}
