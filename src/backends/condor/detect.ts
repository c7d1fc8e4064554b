/**
 * Is there an HTCondor pool to run on? Used to gate the live-pool tests and runs: the
 * tools must be on PATH, a schedd must answer `condor_status -schedd`, and the pool must
 * have slots. Each probe has a short time limit; the first failing one is the reason.
 */
import { CommandError, type CommandRunner, execaRunner, firstLine } from "./command.js";
import { condorScheddNames, condorStatusTotals } from "./condor-cli.js";

export type PoolCheck = { ok: true; schedd: string; slots: number } | { ok: false; reason: string };

/** Tools the backend runs; each must be found on PATH. */
export const CONDOR_TOOLS = ["condor_q", "condor_status", "condor_submit_dag"];

const PROBE_TIMEOUT_MS = 10_000;

/** One line: "<probe> failed: <detail>" for a command failure, else the error's own line. */
function why(probe: string, e: unknown): string {
  if (e instanceof CommandError) return `${probe} failed: ${e.detail}`;
  return firstLine(e instanceof Error ? e.message : String(e));
}

export async function findPool(runner: CommandRunner = execaRunner): Promise<PoolCheck> {
  const ctx = { runner, timeoutMs: PROBE_TIMEOUT_MS };
  for (const tool of CONDOR_TOOLS) {
    try {
      await runner(tool, ["-version"], { timeoutMs: PROBE_TIMEOUT_MS });
    } catch (e) {
      if (e instanceof CommandError && e.kind === "not-found") {
        return { ok: false, reason: `${tool} not found on PATH` };
      }
      return { ok: false, reason: why(`${tool} -version`, e) };
    }
  }
  let schedds: string[];
  try {
    schedds = await condorScheddNames(ctx);
  } catch (e) {
    return { ok: false, reason: why("condor_status -schedd", e) };
  }
  if (schedds.length === 0) return { ok: false, reason: "condor_status -schedd lists no schedd" };
  let slots: number;
  try {
    slots = (await condorStatusTotals(ctx)).slots;
  } catch (e) {
    return { ok: false, reason: why("condor_status -total", e) };
  }
  if (slots <= 0) return { ok: false, reason: "the pool has 0 slots" };
  return { ok: true, schedd: schedds[0], slots };
}
