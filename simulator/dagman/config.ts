import type { DagThrottles } from "../../src/dagman/submit-dag-flags.js";
import { InputError } from "../../src/model/errors.js";
import type { DagmanSettings } from "./context.js";
import { DAGMAN_DEFAULTS } from "./context.js";

/** The settings given as numbers. */
type NumberKnob = Exclude<keyof DagmanSettings, "alwaysRunPost">;

/**
 * A knob read as a whole number: below `min` it is an error (the job and script limits,
 * where 0 already means no limit), or it is brought into `[low, high]` (the range the
 * manual gives, such as 1 to 1000 submissions per pass; a scan interval needs at least a
 * second).
 */
interface WholeKnob {
  key: NumberKnob;
  min?: number;
  low?: number;
  high?: number;
}

const KNOBS: Record<string, WholeKnob> = {
  DAGMAN_USER_LOG_SCAN_INTERVAL: { key: "scanIntervalSec", low: 1 },
  DAGMAN_MAX_SUBMITS_PER_INTERVAL: { key: "maxSubmitsPerInterval", low: 1, high: 1000 },
  DAGMAN_MAX_JOBS_IDLE: { key: "maxJobsIdle", min: 0 },
  DAGMAN_MAX_JOBS_SUBMITTED: { key: "maxJobsSubmitted", min: 0 },
  DAGMAN_MAX_PRE_SCRIPTS: { key: "maxPreScripts", min: 0 },
  DAGMAN_MAX_POST_SCRIPTS: { key: "maxPostScripts", min: 0 },
  DAGMAN_MAX_RESCUE_NUM: { key: "maxRescueNum", low: 0, high: 999 },
  DAGMAN_USE_STRICT: { key: "useStrict" },
};

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
    const knob = KNOBS[m[1].toUpperCase()];
    if (!knob) return;
    const v = Number(m[2]);
    const at = `${file}:${i + 1}: ${m[1]}`;
    if (m[2].trim() === "" || !Number.isInteger(v))
      throw new InputError(`${at} must be a whole number, got "${m[2]}"`);
    if (knob.min !== undefined && v < knob.min)
      throw new InputError(
        `${at} must be a whole number >= ${knob.min} (0: no limit), got "${m[2]}"`,
      );
    const { low = Number.NEGATIVE_INFINITY, high = Number.POSITIVE_INFINITY } = knob;
    out[knob.key] = Math.min(high, Math.max(low, v));
  });
  return out;
}

/**
 * A DAGMan's settings: the defaults, then its CONFIG file, then the command line's
 * throttles (checked by whoever made the command line).
 */
export function settingsFrom(
  partial: Partial<DagmanSettings>,
  flags: DagThrottles = {},
): DagmanSettings {
  const s = { ...DAGMAN_DEFAULTS, ...partial };
  if (flags.maxIdle !== undefined) s.maxJobsIdle = flags.maxIdle;
  if (flags.maxJobs !== undefined) s.maxJobsSubmitted = flags.maxJobs;
  if (flags.maxPre !== undefined) s.maxPreScripts = flags.maxPre;
  if (flags.maxPost !== undefined) s.maxPostScripts = flags.maxPost;
  return s;
}
