/**
 * The `-l` selection grammar: comma-separated tokens, each tried in this order
 *   1. a set name            `smoke`      -> the set's ids (set order)
 *   2. an inclusive range    `500-530`    -> every catalog id in [LO, HI], ascending
 *   3. a single id           `100`        -> the same as `100.0`
 * Duplicates are dropped, the first occurrence keeps its place. Unlike the reference (which
 * warned and skipped), an unknown set, an unknown id, an empty range or a malformed token is
 * an InputError naming it.
 */
import { InputError } from "../model/errors.js";
import { formatWorkflowId } from "../model/workflow.js";
import type { Catalog } from "./catalog.js";
import { type SetCatalog, setMembers } from "./sets.js";

const NUMBER_RE = /^\d+(\.\d+)?$/;

function parseId(text: string): number | undefined {
  return NUMBER_RE.test(text) ? Number(text) : undefined;
}

function expandToken(token: string, catalog: Catalog, sets: SetCatalog): number[] {
  const set = sets.get(token);
  if (set) return setMembers(set, catalog);

  const dash = token.indexOf("-");
  if (dash > 0) {
    const lo = parseId(token.slice(0, dash).trim());
    const hi = parseId(token.slice(dash + 1).trim());
    if (lo !== undefined && hi !== undefined) {
      if (lo > hi)
        throw new InputError(`workflow range ${token}: the low end is above the high end`);
      const ids = [...catalog.workflows.keys()].filter((id) => id >= lo && id <= hi);
      if (ids.length === 0) throw new InputError(`workflow range ${token} matches no catalog id`);
      return ids.sort((a, b) => a - b);
    }
  }

  const id = parseId(token);
  if (id !== undefined) {
    if (!catalog.workflows.has(id))
      throw new InputError(`unknown workflow id ${formatWorkflowId(id)}`);
    return [id];
  }
  if (/^[A-Za-z][\w-]*$/.test(token)) {
    throw new InputError(`unknown set "${token}" (known sets: ${[...sets.keys()].join(", ")})`);
  }
  throw new InputError(
    `malformed workflow selector "${token}" (expected a set name, an id such as 150.1, or a range LO-HI)`,
  );
}

/** Resolve a `-l` specification to catalog ids, in selection order, without duplicates. */
export function resolveSelection(spec: string, catalog: Catalog, sets: SetCatalog): number[] {
  const tokens = spec.split(",").map((t) => t.trim());
  if (tokens.every((t) => t === "")) throw new InputError("empty workflow selection");
  const out: number[] = [];
  const seen = new Set<number>();
  for (const token of tokens) {
    if (token === "") throw new InputError(`empty item in workflow selection "${spec}"`);
    for (const id of expandToken(token, catalog, sets)) {
      if (!seen.has(id)) {
        seen.add(id);
        out.push(id);
      }
    }
  }
  return out;
}
