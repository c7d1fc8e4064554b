import { InputError } from "../../src/model/errors.js";
import type { DagmanSettings } from "./context.js";
import { DAGMAN_DEFAULTS } from "./context.js";

/** The settings given as numbers. */
type NumberKnob = Exclude<keyof DagmanSettings, "alwaysRunPost">;

const KNOBS: Record<string, NumberKnob> = {
  DAGMAN_USER_LOG_SCAN_INTERVAL: "scanIntervalSec",
  DAGMAN_MAX_SUBMITS_PER_INTERVAL: "maxSubmitsPerInterval",
  DAGMAN_MAX_JOBS_IDLE: "maxJobsIdle",
  DAGMAN_MAX_JOBS_SUBMITTED: "maxJobsSubmitted",
  DAGMAN_MAX_PRE_SCRIPTS: "maxPreScripts",
  DAGMAN_MAX_POST_SCRIPTS: "maxPostScripts",
  DAGMAN_MAX_RESCUE_NUM: "maxRescueNum",
  DAGMAN_USE_STRICT: "useStrict",
};

/** Knobs that are limits on a number of jobs. */
const COUNTS = new Set<NumberKnob>(["maxJobsIdle", "maxJobsSubmitted"]);

/** Boolean knobs, read as HTCondor reads them. */
const FLAGS: Record<string, "alwaysRunPost"> = {
  DAGMAN_ALWAYS_RUN_POST: "alwaysRunPost",
};

/** An HTCondor boolean: true/false or t/f in any case, or a number (non-zero is true). */
function conditionFlag(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === "true" || t === "t") return true;
  if (t === "false" || t === "f") return false;
  const n = t === "" ? Number.NaN : Number(t);
  return Number.isFinite(n) ? n !== 0 : undefined;
}

/**
 * Read a DAGMan CONFIG file (`NAME = value` lines). Knobs the simulator models change
 * its settings; other DAGMAN_* knobs are accepted and ignored; a line that is not
 * `NAME = value` is an error naming file and line.
 */
export function parseDagmanConfigText(text: string, file: string): Partial<DagmanSettings> {
  const out: Partial<DagmanSettings> = {};
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const m = /^([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new InputError(`${file}:${i + 1}: expected NAME = value, got "${line}"`);
    const flag = FLAGS[m[1].toUpperCase()];
    if (flag) {
      const b = conditionFlag(m[2]);
      if (b === undefined)
        throw new InputError(`${file}:${i + 1}: ${m[1]} must be True or False, got "${m[2]}"`);
      out[flag] = b;
      return;
    }
    const key = KNOBS[m[1].toUpperCase()];
    if (!key) return;
    const v = Number(m[2]);
    if (!Number.isFinite(v))
      throw new InputError(`${file}:${i + 1}: ${m[1]} must be a number, got "${m[2]}"`);
    if (COUNTS.has(key) && !(Number.isInteger(v) && v >= 0))
      throw new InputError(
        `${file}:${i + 1}: ${m[1]} must be a whole number >= 0 (0: no limit), got "${m[2]}"`,
      );
    out[key] = v;
  });
  return out;
}

export function settingsFrom(partial: Partial<DagmanSettings>): DagmanSettings {
  const s = { ...DAGMAN_DEFAULTS, ...partial };
  s.maxRescueNum = Math.min(999, Math.max(0, s.maxRescueNum));
  return s;
}
