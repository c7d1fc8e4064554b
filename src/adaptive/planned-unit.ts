/**
 * A replan rewrites the next work unit's files (job split, tuned manifest, submit edits). So
 * that running it again — a retried replan node, an operator re-running `matrix replan` —
 * gives the same unit instead of splitting an already split one, the first run keeps the
 * unit's files as planned in `<wu>/.planned/`, and every later run starts from that copy.
 * Only a unit that has not started is touched: its DAGMan files would say it has.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  unlinkSync,
} from "node:fs";
import { join } from "node:path";
import { InputError } from "../model/errors.js";

/** Where the unit's files as planned are kept, inside the unit's directory. */
export const PLANNED_DIR = ".planned";

/** Files DAGMan writes once the unit's DAG has started. */
const STARTED_MARKERS = ["group.dag.dagman.out", "group.dag.nodes.log"];

/** The regular files of a directory (links and directories left out), sorted. */
function regularFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
}

/**
 * Put the unit's directory in its planned state before a replan changes it: keep a copy of
 * its files the first time, bring that copy back every later time. A unit that has started
 * is an `InputError` (its outputs would be lost).
 */
export function startFromPlannedUnit(wuDir: string): void {
  const started = STARTED_MARKERS.find((m) => existsSync(join(wuDir, m)));
  if (started) {
    throw new InputError(
      `${wuDir}: the work unit has started (${started} exists): a replan applies only to a unit that has not run`,
    );
  }
  const planned = join(wuDir, PLANNED_DIR);
  if (!existsSync(planned)) {
    // Copied into a temporary folder first: a copy cut short is never taken as the plan.
    const partial = `${planned}.partial`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial);
    for (const name of regularFiles(wuDir)) copyFileSync(join(wuDir, name), join(partial, name));
    renameSync(partial, planned);
    return;
  }
  for (const name of regularFiles(wuDir)) unlinkSync(join(wuDir, name));
  for (const name of regularFiles(planned)) copyFileSync(join(planned, name), join(wuDir, name));
}
