import { type SubmitModel, submitValues } from "../../src/dagman/model.js";

export { submitValues };

import { InputError } from "../../src/model/errors.js";

/** The parts of a submit description the simulated schedd acts on. */
export interface SubmitRequest {
  universe: string;
  executable: string;
  arguments: string;
  requestCpus: number;
  requestMemoryMb: number;
  requestDiskKb: number;
  desiredSites: string[];
  requirements: string;
  priority: number;
  log?: string;
  periodicRelease: string;
  periodicRemove: string;
}

/** Default request_memory/request_disk when a submit file gives none (small jobs). */
export const DEFAULT_MEMORY_MB = 128;
export const DEFAULT_DISK_KB = 102400;

/** Parse a quantity with an optional K/M/G/T suffix into the unit `base` (1 = KiB for disk, 1024 = MiB for memory...). */
function quantity(value: string, unitKb: number, file: string, key: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)B?\s*$/i.exec(value);
  if (!m)
    throw new InputError(
      `${file}: ${key}: expected a number with an optional K/M/G/T suffix, got "${value}"`,
    );
  const n = Number(m[1]);
  const suffix = m[2].toUpperCase();
  if (!suffix) return Math.ceil(n);
  const kb = n * { K: 1, M: 1024, G: 1024 ** 2, T: 1024 ** 3 }[suffix as "K" | "M" | "G" | "T"];
  return Math.ceil(kb / unitKb);
}

function unquote(v: string): string {
  const t = v.trim();
  return t.startsWith('"') && t.endsWith('"') && t.length >= 2 ? t.slice(1, -1) : t;
}

/** Substitute `$(name)` macros from the node's VARS (case-insensitive); unknown macros stay. */
export function expandMacros(value: string, vars: Record<string, string>): string {
  if (!value.includes("$(")) return value;
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(vars)) lower[k.toLowerCase()] = v;
  return value.replace(
    /\$\(([A-Za-z_][A-Za-z0-9_.]*)\)/g,
    (all, name: string) => lower[name.toLowerCase()] ?? all,
  );
}

export function submitRequest(
  model: SubmitModel,
  file: string,
  vars: Record<string, string>,
): SubmitRequest {
  const values = submitValues(model);
  const get = (k: string) => {
    const v = values.get(k.toLowerCase());
    return v === undefined ? undefined : expandMacros(v, vars);
  };
  const int = (k: string, dflt: number) => {
    const v = get(k);
    if (v === undefined || v.trim() === "") return dflt;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new InputError(`${file}: ${k}: expected a number, got "${v}"`);
    return Math.round(n);
  };
  const mem = get("request_memory");
  const disk = get("request_disk");
  const sites = get("+DESIRED_Sites") ?? get("MY.DESIRED_Sites");
  return {
    universe: (get("universe") ?? "vanilla").toLowerCase(),
    executable: get("executable") ?? "",
    arguments: get("arguments") ?? "",
    requestCpus: Math.max(1, int("request_cpus", 1)),
    requestMemoryMb: mem?.trim() ? quantity(mem, 1024, file, "request_memory") : DEFAULT_MEMORY_MB,
    requestDiskKb: disk?.trim() ? quantity(disk, 1, file, "request_disk") : DEFAULT_DISK_KB,
    desiredSites: sites
      ? unquote(sites)
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s.length > 0)
      : [],
    requirements: get("requirements") ?? "",
    priority: int("priority", 0),
    log: get("log"),
    periodicRelease: get("periodic_release") ?? "",
    periodicRemove: get("periodic_remove") ?? "",
  };
}
