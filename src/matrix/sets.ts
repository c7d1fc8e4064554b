/**
 * Named sets of workflows (`sets/*.yaml`, one set per file): an explicit ordered id list
 * (`ids:`) or a predicate over the catalog (`where:` with `mode`, `adaptive`, `fault`, `all`;
 * every given condition must hold). Predicate sets are evaluated against the loaded catalog
 * and list their members in ascending id order.
 */
import { join } from "node:path";
import { setFileSchema } from "../model/catalog-schema.js";
import {
  formatWorkflowId,
  type SetDef,
  type SetPredicate,
  type WorkflowDef,
} from "../model/workflow.js";
import type { Catalog } from "./catalog.js";
import { inputError, isMapping, listYamlFiles, parseOrThrow, readYaml } from "./catalog-files.js";

export type SetCatalog = Map<string, SetDef>;

/** Load and validate every set; explicit ids must exist in `catalog`. Sorted by name. */
export function loadSets(dir = "sets", catalog: Catalog): SetCatalog {
  const found: SetDef[] = [];
  for (const name of listYamlFiles(dir)) {
    const file = join(dir, name);
    const raw = readYaml(file);
    const label = isMapping(raw) && typeof raw.name === "string" ? `set ${raw.name}` : undefined;
    const parsed = parseOrThrow(setFileSchema, raw, file, label);
    const prior = found.find((s) => s.name === parsed.name);
    if (prior)
      throw inputError(
        file,
        `set ${parsed.name}`,
        "name",
        `duplicate set, already defined in ${prior.sourceFile}`,
      );
    const seen = new Set<number>();
    parsed.ids?.forEach((id, i) => {
      const field = `ids[${i}]`;
      if (!catalog.workflows.has(id))
        throw inputError(
          file,
          `set ${parsed.name}`,
          field,
          `unknown workflow id ${formatWorkflowId(id)}`,
        );
      if (seen.has(id))
        throw inputError(
          file,
          `set ${parsed.name}`,
          field,
          `duplicate workflow id ${formatWorkflowId(id)}`,
        );
      seen.add(id);
    });
    const def: SetDef = { name: parsed.name, description: parsed.description, sourceFile: file };
    if (parsed.ids) def.ids = parsed.ids;
    if (parsed.where) def.where = parsed.where;
    found.push(def);
  }
  found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return new Map(found.map((s) => [s.name, s]));
}

/** Does `wf` satisfy every condition of `p`? */
export function matchesPredicate(wf: WorkflowDef, p: SetPredicate): boolean {
  if (p.all === false) return false;
  if (p.mode && !p.mode.includes(wf.mode)) return false;
  if (p.adaptive !== undefined && wf.adaptive !== p.adaptive) return false;
  if (p.fault !== undefined && (wf.fault !== undefined) !== p.fault) return false;
  return true;
}

/** The ids of a set: explicit ones in their written order, predicate ones ascending. */
export function setMembers(set: SetDef, catalog: Catalog): number[] {
  if (set.ids) return [...set.ids];
  const where = set.where ?? {};
  return [...catalog.workflows.values()]
    .filter((wf) => matchesPredicate(wf, where))
    .map((wf) => wf.id);
}
