import { basename, dirname, join } from "node:path";
import { newestRescue, parseRescueDag } from "../../src/dagman/index.js";
import type { SimFs } from "../fs.js";

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
