/**
 * Which model simulates a job or a script, chosen by the executable the submit file or the
 * DAG's SCRIPT line names (its base name), never by anything the files do not say:
 *
 * | executable | payload |
 * |---|---|
 * | `wms2_proc.sh` | processing wrapper (proc.ts) |
 * | `wms2_merge.sh` / `.py` | merge (merge.ts) |
 * | `wms2_cleanup.sh` / `.py` | cleanup (cleanup.ts) |
 * | `wms2_replan.sh` | adaptive replan node (replan.ts, runs `runReplan` in-process) |
 * | `/bin/true`, `true` | trivial job: TRIVIAL_JOB_SEC, exit 0 |
 * | `/bin/false`, `false` | trivial job: TRIVIAL_JOB_SEC, exit 1 |
 * | `<stem>_fault.sh` | fault wrapper (fault.ts), read from the iwd when chosen |
 *
 * Scripts: `elect_site.sh`, `pin_site.sh`, `post_script.sh`, `wu_post.sh`, `/bin/true`
 * (exit 0) and `/bin/false` (exit 1). Names registered on a registry take precedence
 * (full executable string first, then base name); anything else is an InputError.
 */
import { posix } from "node:path";
import { InputError, inputErrorMessage } from "../../src/model/errors.js";
import type { SimFs } from "../fs.js";
import type { JobRunPlan } from "../pool/types.js";
import { cleanupModel } from "./cleanup.js";
import { FAULT_SUFFIX, faultModel, parseFaultScript } from "./fault.js";
import { resolveIn, writeStdio } from "./job-io.js";
import { mergeModel } from "./merge.js";
import { postScript, wuPost } from "./post-scripts.js";
import { type ProcModelOptions, procModel } from "./proc.js";
import { replanModel } from "./replan.js";
import { electSite, fixedScript, pinSite } from "./scripts.js";
import type { PayloadModel, ScriptModel } from "./types.js";
import { steadyMemory } from "./usage.js";

/** Seconds a `/bin/true` or `/bin/false` job runs. */
export const TRIVIAL_JOB_SEC = 1;

export type PayloadOptions = ProcModelOptions;

/** A payload with a fixed run plan and no artifacts besides empty stdout/stderr. */
export function fixedPayload(plan: JobRunPlan): PayloadModel {
  return (ctx) => ({ ...plan, complete: () => writeStdio(ctx, []) });
}

export class PayloadRegistry {
  private readonly payloads = new Map<string, PayloadModel>();
  private readonly scripts = new Map<string, ScriptModel>();

  constructor(options: PayloadOptions = {}) {
    const merge = mergeModel();
    const cleanup = cleanupModel();
    this.payloads.set("wms2_proc.sh", procModel(options));
    this.payloads.set("wms2_replan.sh", replanModel());
    for (const ext of [".sh", ".py"]) {
      this.payloads.set(`wms2_merge${ext}`, merge);
      this.payloads.set(`wms2_cleanup${ext}`, cleanup);
    }
    this.payloads.set(
      "true",
      fixedPayload({ durationSec: TRIVIAL_JOB_SEC, exitCode: 0, memory: steadyMemory(1) }),
    );
    this.payloads.set(
      "false",
      fixedPayload({ durationSec: TRIVIAL_JOB_SEC, exitCode: 1, memory: steadyMemory(1) }),
    );
    this.scripts.set("elect_site.sh", electSite);
    this.scripts.set("pin_site.sh", pinSite);
    this.scripts.set("post_script.sh", postScript);
    this.scripts.set("wu_post.sh", wuPost);
    this.scripts.set("true", fixedScript(0));
    this.scripts.set("false", fixedScript(1));
  }

  /** Add (or replace) the payload of an executable (full string or base name). */
  registerPayload(name: string, model: PayloadModel): this {
    this.payloads.set(name, model);
    return this;
  }

  /** Add (or replace) the model of a script (full string or base name). */
  registerScript(name: string, model: ScriptModel): this {
    this.scripts.set(name, model);
    return this;
  }

  /**
   * The payload of a submit file's executable. A fault wrapper is read (relative to `iwd`)
   * now, so a missing or malformed one fails at submission. `submitFile` is named in errors.
   */
  payloadFor(executable: string, fs: SimFs, iwd: string, submitFile?: string): PayloadModel {
    const exe = executable.trim();
    const base = posix.basename(exe);
    const known = this.payloads.get(exe) ?? this.payloads.get(base);
    if (known) return known;
    const file = submitFile ?? iwd;
    if (base.endsWith(FAULT_SUFFIX)) {
      const path = resolveIn(iwd, exe);
      if (!fs.exists(path) || fs.isDir(path)) {
        const problem = `executable "${exe}": fault wrapper not found`;
        throw new InputError(inputErrorMessage({ file, problem }));
      }
      return faultModel(parseFaultScript(fs.readText(path), path));
    }
    const problem = `executable "${exe}" is not a payload the simulator knows`;
    throw new InputError(inputErrorMessage({ file, problem }));
  }

  /** The model of a PRE/POST script; `dagFile` is named in errors. */
  scriptFor(executable: string, dagFile?: string): ScriptModel {
    const exe = executable.trim();
    const known = this.scripts.get(exe) ?? this.scripts.get(posix.basename(exe));
    if (known) return known;
    const problem = `script "${exe}" is not a script the simulator knows`;
    throw new InputError(inputErrorMessage({ file: dagFile, problem }));
  }
}

/** The registry with the built-in models only. */
export const defaultRegistry = new PayloadRegistry();

/** `defaultRegistry.payloadFor`. */
export function payloadFor(
  executable: string,
  fs: SimFs,
  iwd: string,
  submitFile?: string,
): PayloadModel {
  return defaultRegistry.payloadFor(executable, fs, iwd, submitFile);
}

/** `defaultRegistry.scriptFor`. */
export function scriptFor(executable: string, dagFile?: string): ScriptModel {
  return defaultRegistry.scriptFor(executable, dagFile);
}
