/**
 * The replan node's executable `wms2_replan.sh` (the shim that runs `matrix replan` on the
 * access point) as a payload model: it parses the same argv as the CLI and runs the same
 * `runReplan` in-process, when the job starts (the next work unit waits for this node, so
 * nothing reads its files in between). It takes REPLAN_SEC of virtual time and writes its
 * summary line to stdout. A usage or input problem exits 2 with one line on stderr, as
 * the CLI does.
 *
 * `runReplan` works on the real file system, so this model needs the simulator's disk
 * file system (the matrix runner's); on an in-memory one the next unit is not found and
 * the node exits 2.
 */

import { runReplan } from "../../src/adaptive/replan.js";
import { parseReplanArgv } from "../../src/adaptive/replan-args.js";
import { InputError } from "../../src/model/errors.js";
import { writeStdio } from "./job-io.js";
import type { PayloadModel } from "./types.js";
import { steadyMemory } from "./usage.js";

/** Virtual seconds a replan takes (interpreter start, reading the metrics, writing files). */
export const REPLAN_SEC = 3;
/** Memory (MB) of the replan process. */
export const REPLAN_MEMORY_MB = 120;

export function replanModel(): PayloadModel {
  return (ctx) => {
    let stdout: string[] = [];
    let stderr: string[] = [];
    let exitCode = 0;
    try {
      stdout = [runReplan(parseReplanArgv(ctx.argv)).summary];
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      exitCode = 2;
      stderr = [`matrix: ${err.message}`];
    }
    return {
      durationSec: REPLAN_SEC,
      exitCode,
      memory: steadyMemory(REPLAN_MEMORY_MB),
      cpu: [{ start: 0, end: REPLAN_SEC, cores: 1 }],
      complete: () => writeStdio(ctx, stdout, stderr),
    };
  };
}
