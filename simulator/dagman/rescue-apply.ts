import { basename, dirname, join } from "node:path";
import { newestRescue, parseRescueDag } from "../../src/dagman/index.js";
import { InputError } from "../../src/model/errors.js";
import type { SimFs } from "../fs.js";
import type { NodeRun } from "./node.js";

/**
 * The rescue DAG DAGMan applies at start-up (AutoRescue): the highest-numbered
 * `<dag>.rescueNNN` next to the DAG file, with its number and DONE nodes.
 */
export function newestRescueOf(
  fs: SimFs,
  dagFile: string,
): { file: string; number: number; doneNodes: string[] } | undefined {
  const dir = dirname(dagFile);
  const base = basename(dagFile);
  const newest = newestRescue(fs.list(dir).filter((f) => f.startsWith(`${base}.rescue`)));
  if (!newest) return undefined;
  const file = join(dir, newest);
  return {
    file,
    number: Number(newest.slice(-3)),
    doneNodes: parseRescueDag(fs.readText(file), file).doneNodes,
  };
}

/**
 * Apply the newest rescue DAG: its DONE nodes are marked done (they do not run again); with
 * DAGMAN_USE_STRICT a DONE line naming no node is an error. Returns the rescue number used
 * (0 when there is none).
 */
export function applyNewestRescue(
  fs: SimFs,
  dagFile: string,
  byName: ReadonlyMap<string, NodeRun>,
  strict: boolean,
): number {
  const rescue = newestRescueOf(fs, dagFile);
  if (!rescue) return 0;
  for (const name of rescue.doneNodes) {
    const n = byName.get(name);
    if (n) n.def = { ...n.def, done: true };
    else if (strict) throw new InputError(`${rescue.file}: DONE names unknown node "${name}"`);
  }
  return rescue.number;
}
