/**
 * Injecting the probe job into the first work unit (adaptive.md §18, matrix.md §5.4 step
 * 3): its last proc job runs step 0 as 2 instances of max(N // 2, 2) threads in an
 * unchanged slot of N cores with `request_memory = max_memory_per_core × N`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatSubmit, parseSubmit, submitSet } from "../dagman/index.js";
import { manifestText, procSubmitFiles, TUNED_MANIFEST } from "./manifest-patch.js";
import { readJsonRequired } from "./metric-files.js";
import { chooseProbeNode, probeManifest } from "./probe.js";
import { withTunedInput } from "./wu-switches.js";

export interface ProbeInjection {
  /** The probe node, e.g. `proc_000001`. */
  node: string;
  /** Its tuned manifest (absolute when `groupDir` is). */
  manifestPath: string;
  requestMemoryMb: number;
}

/**
 * Turns the unit's last proc job into the probe. The tuned manifest is the unit's
 * `manifest_tuned.json`, or `probe/manifest_tuned.json` when the unit already has a tuned
 * manifest of its own (e.g. its tmpfs switch), which the probe's then replaces in the
 * probe job's inputs. Null (nothing changed) when the unit has fewer than 2 proc jobs, no
 * manifest or a manifest without steps.
 */
export function injectProbe(
  groupDir: string,
  ncores: number,
  maxMemoryPerCoreMb: number,
  splitTmpfs: boolean,
): ProbeInjection | null {
  const node = chooseProbeNode(procSubmitFiles(groupDir));
  const manifestFile = join(groupDir, "manifest.json");
  if (node === null || !existsSync(manifestFile)) return null;
  const tuned = probeManifest(readJsonRequired(manifestFile), ncores, splitTmpfs);
  if (tuned === null) return null;
  const own = join(groupDir, TUNED_MANIFEST);
  const manifestPath = existsSync(own) ? join(groupDir, "probe", TUNED_MANIFEST) : own;
  mkdirSync(join(manifestPath, ".."), { recursive: true });
  writeFileSync(manifestPath, manifestText(tuned));
  const requestMemoryMb = maxMemoryPerCoreMb * ncores;
  const subFile = join(groupDir, `${node}.sub`);
  const model = parseSubmit(readFileSync(subFile, "utf8"), subFile);
  const probe = submitSet(
    withTunedInput(model, manifestPath),
    "request_memory",
    String(requestMemoryMb),
  );
  writeFileSync(subFile, formatSubmit(probe));
  return { node, manifestPath, requestMemoryMb };
}
