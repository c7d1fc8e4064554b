/**
 * Loader of the declarative workflow catalog.
 *
 * A catalog file (`catalog/*.yaml`) may hold three sections:
 *   datasets:  NAME -> list of output datasets   (shared output-dataset groups)
 *   requests:  NAME -> StepChain request          (shared requests)
 *   workflows: list of entries (WorkflowDef fields in camelCase)
 * Names are global across the catalog, so any file may use a group or request defined in
 * another. In an entry, `request: NAME` and `outputDatasets: NAME` refer to them, and
 * `request: {use: NAME, ...}` overlays fields on the named request.
 * `derive: ID` copies the entry ID (from any file) and overlays this entry on it: mappings
 * merge key by key, lists replace, `null` removes an inherited key, and a request given by
 * name replaces the inherited one; `id` and `title` are mandatory. Step profiles live in `catalog/profiles/*.yaml` under `profiles: NAME -> fields`.
 * Every problem raises an InputError with one line naming the file, the entry and the field.
 */
import { join } from "node:path";
import { z } from "zod";
import {
  outputDatasetSchema,
  requestSchema,
  workflowEntrySchema,
  workflowIdSchema,
} from "../model/catalog-schema.js";
import { formatWorkflowId, type StepProfile, type WorkflowDef } from "../model/workflow.js";
import {
  deepMerge,
  inputError,
  isMapping,
  listYamlFiles,
  parseOrThrow,
  readYaml,
} from "./catalog-files.js";
import { loadProfiles, NAME_RE } from "./profiles.js";

export interface Catalog {
  /** Folder the catalog was read from, as given. */
  dir: string;
  /** Workflows by id, in ascending id order. */
  workflows: Map<number, WorkflowDef>;
  /** Simulator step profiles by name. */
  profiles: Map<string, StepProfile>;
}

interface Named<T> {
  value: T;
  file: string;
}

interface RawEntry {
  id: number;
  label: string;
  file: string;
  raw: Record<string, unknown>;
}

interface Resolved {
  raw: Record<string, unknown>;
  derivedFrom?: number;
}

const SECTIONS = ["datasets", "requests", "workflows"];

/** Load and validate the whole catalog (workflows and step profiles). */
export function loadCatalog(dir = "catalog", profilesDir = join(dir, "profiles")): Catalog {
  const profiles = loadProfiles(profilesDir);
  const datasets = new Map<string, Named<unknown[]>>();
  const requests = new Map<string, Named<Record<string, unknown>>>();
  const entries = new Map<number, RawEntry>();

  for (const name of listYamlFiles(dir)) {
    const file = join(dir, name);
    const doc = readYaml(file) ?? {};
    if (!isMapping(doc))
      throw inputError(file, undefined, undefined, "expected a mapping at top level");
    const extra = Object.keys(doc).find((k) => !SECTIONS.includes(k));
    if (extra) {
      throw inputError(
        file,
        undefined,
        extra,
        `unknown top-level section (expected ${SECTIONS.join(", ")})`,
      );
    }
    collectNamed(doc.datasets, "datasets", file, datasets, (raw, label) =>
      parseOrThrow(z.array(outputDatasetSchema).min(1), raw, file, label),
    );
    collectNamed(doc.requests, "requests", file, requests, (raw, label) => {
      parseOrThrow(requestSchema, raw, file, label);
      return raw as Record<string, unknown>;
    });
    collectEntries(doc.workflows, file, entries);
  }

  const resolved = new Map<number, Resolved>();
  const resolve = (e: RawEntry, chain: number[]): Resolved => {
    const done = resolved.get(e.id);
    if (done) return done;
    const own = substituteNames(e, datasets, requests);
    let result: Resolved = { raw: own };
    if ("derive" in own) {
      const { derive, ...rest } = own;
      const pid = workflowIdSchema.safeParse(derive);
      if (!pid.success)
        throw inputError(
          e.file,
          e.label,
          "derive",
          `expected the id of a catalog entry, got ${String(derive)}`,
        );
      const parent = entries.get(pid.data);
      if (!parent)
        throw inputError(e.file, e.label, "derive", `unknown parent ${formatWorkflowId(pid.data)}`);
      if (chain.includes(parent.id)) {
        const cycle = [...chain, e.id, parent.id]
          .slice(chain.indexOf(parent.id))
          .map(formatWorkflowId);
        throw inputError(e.file, e.label, "derive", `derivation cycle ${cycle.join(" -> ")}`);
      }
      if (!("title" in rest))
        throw inputError(e.file, e.label, "title", "a derived entry must set its own title");
      const base = resolve(parent, [...chain, e.id]);
      const merged = deepMerge(base.raw, rest) as Record<string, unknown>;
      // A request named by the child replaces the parent's instead of merging into it.
      const req = e.raw.request;
      if (typeof req === "string" || (isMapping(req) && "use" in req))
        merged.request = rest.request;
      result = { raw: merged, derivedFrom: parent.id };
    }
    resolved.set(e.id, result);
    return result;
  };

  const workflows = new Map<number, WorkflowDef>();
  for (const id of [...entries.keys()].sort((a, b) => a - b)) {
    const e = entries.get(id)!;
    const { raw, derivedFrom } = resolve(e, []);
    const parsed = parseOrThrow(workflowEntrySchema, raw, e.file, e.label);
    const wf: WorkflowDef = {
      ...parsed,
      sourceFile: e.file,
      ...(derivedFrom !== undefined ? { derivedFrom } : {}),
    };
    checkConsistency(wf, e, profiles);
    workflows.set(id, wf);
  }
  return { dir, workflows, profiles };
}

function collectNamed<T>(
  section: unknown,
  key: string,
  file: string,
  into: Map<string, Named<T>>,
  validate: (raw: unknown, label: string) => T,
): void {
  if (section === undefined) return;
  if (!isMapping(section)) throw inputError(file, undefined, key, "expected a mapping of names");
  const kind = key === "datasets" ? "dataset group" : "request";
  for (const [name, raw] of Object.entries(section)) {
    const label = `${kind} ${name}`;
    if (!NAME_RE.test(name)) throw inputError(file, label, undefined, `invalid ${kind} name`);
    const prior = into.get(name);
    if (prior)
      throw inputError(
        file,
        label,
        undefined,
        `duplicate ${kind}, already defined in ${prior.file}`,
      );
    into.set(name, { value: validate(raw, label), file });
  }
}

function collectEntries(section: unknown, file: string, into: Map<number, RawEntry>): void {
  if (section === undefined) return;
  if (!Array.isArray(section))
    throw inputError(file, undefined, "workflows", "expected a list of entries");
  section.forEach((raw, i) => {
    const position = `entry #${i + 1}`;
    if (!isMapping(raw)) throw inputError(file, position, undefined, "expected a mapping");
    if (raw.id === undefined) throw inputError(file, position, "id", "missing required field");
    const { id } = parseOrThrow(z.object({ id: workflowIdSchema }), { id: raw.id }, file, position);
    const label = `entry ${formatWorkflowId(id)}`;
    const prior = into.get(id);
    if (prior)
      throw inputError(
        file,
        label,
        "id",
        `duplicate id ${formatWorkflowId(id)}, already defined in ${prior.file}`,
      );
    into.set(id, { id, label, file, raw });
  });
}

/** Replace `request: NAME` / `outputDatasets: NAME` by (copies of) the named definitions. */
function substituteNames(
  e: RawEntry,
  datasets: Map<string, Named<unknown[]>>,
  requests: Map<string, Named<Record<string, unknown>>>,
): Record<string, unknown> {
  const out = { ...e.raw };
  const named = (name: unknown, field: string) => {
    const req = typeof name === "string" ? requests.get(name) : undefined;
    if (!req) throw inputError(e.file, e.label, field, `unknown request ${JSON.stringify(name)}`);
    return req.value;
  };
  if (typeof out.request === "string") out.request = structuredClone(named(out.request, "request"));
  else if (isMapping(out.request) && "use" in out.request) {
    const { use, ...rest } = out.request;
    out.request = deepMerge(named(use, "request.use"), rest);
  }
  if (typeof out.outputDatasets === "string") {
    const group = datasets.get(out.outputDatasets);
    if (!group)
      throw inputError(
        e.file,
        e.label,
        "outputDatasets",
        `unknown dataset group "${out.outputDatasets}"`,
      );
    out.outputDatasets = structuredClone(group.value);
  }
  return out;
}

/** Rules that span several fields or the profile table. */
function checkConsistency(wf: WorkflowDef, e: RawEntry, profiles: Map<string, StepProfile>): void {
  const fail = (field: string, problem: string): never => {
    throw inputError(e.file, e.label, field, problem);
  };
  wf.request.steps.forEach((step, i) => {
    if (step.profile !== undefined && !profiles.has(step.profile)) {
      fail(`request.steps[${i}].profile`, `unknown profile "${step.profile}"`);
    }
  });
  if (wf.adaptive && wf.numWorkUnits < 2)
    fail(
      "numWorkUnits",
      `an adaptive workflow needs at least 2 work units, got ${wf.numWorkUnits}`,
    );
  if (wf.maxMemoryPerCoreMb < wf.memoryPerCoreMb) {
    fail(
      "maxMemoryPerCoreMb",
      `expected at least memoryPerCoreMb (${wf.memoryPerCoreMb}), got ${wf.maxMemoryPerCoreMb}`,
    );
  }
  for (const k of Object.keys(wf.memoryMbPerWu)) {
    if (Number(k) >= wf.numWorkUnits)
      fail(`memoryMbPerWu.${k}`, `work unit ${k} does not exist (numWorkUnits ${wf.numWorkUnits})`);
  }
  if (wf.splitTmpfsFromWu > 0 && wf.splitTmpfsFromWu >= wf.numWorkUnits) {
    fail(
      "splitTmpfsFromWu",
      `work unit ${wf.splitTmpfsFromWu} does not exist (numWorkUnits ${wf.numWorkUnits})`,
    );
  }
  if (wf.fault?.nodeIndices && wf.fault.target !== "proc")
    fail("fault.nodeIndices", "only a proc fault can target node indices");
  if (wf.adaptive && wf.minThreads > wf.multicore)
    fail("minThreads", `expected at most multicore (${wf.multicore}), got ${wf.minThreads}`);
}
