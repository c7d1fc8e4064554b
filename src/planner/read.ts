import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { parseDag, parseSubmit } from "../dagman/index.js";
import type { SubmitModel } from "../dagman/model.js";
import { InputError } from "../model/errors.js";
import { plannerScripts } from "./scripts.js";
import type { DagBundle, WorkUnitFiles } from "./types.js";

function readText(path: string): string {
  if (!existsSync(path)) throw new InputError(`${path}: file not found`);
  return readFileSync(path, "utf8");
}

function readJson(path: string): Record<string, unknown> {
  const text = readText(path);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new InputError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

export function parseDagmanConfig(text: string, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    if (eq < 1) throw new InputError(`${file}:${i + 1}: expected NAME = value`);
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  });
  return out;
}

/** Read a submit directory back into the DagBundle model the planner wrote. */
export function readBundle(submitDir: string): DagBundle {
  const dagFile = join(submitDir, "workflow.dag");
  const outer = parseDag(readText(dagFile), dagFile);
  const scripts: Record<string, string> = {};
  for (const name of Object.keys(plannerScripts("matrix"))) {
    const p = join(submitDir, name);
    if (existsSync(p)) scripts[name] = readFileSync(p, "utf8");
  }
  const groups: WorkUnitFiles[] = [];
  for (const node of outer.nodes) {
    if (node.kind !== "SUBDAG" || !/^mg_\d{6}$/.test(node.name)) continue;
    const gdir = node.dir
      ? isAbsolute(node.dir)
        ? node.dir
        : join(submitDir, node.dir)
      : join(submitDir, node.name);
    const gfile = join(gdir, "group.dag");
    const submits: Record<string, SubmitModel> = {};
    for (const f of readdirSync(gdir).sort()) {
      if (f.endsWith(".sub")) submits[f] = parseSubmit(readText(join(gdir, f)), join(gdir, f));
    }
    groups.push({
      name: node.name,
      index: Number(node.name.slice(3)),
      dag: parseDag(readText(gfile), gfile),
      submits: orderSubmits(submits),
      manifest: readJson(join(gdir, "manifest.json")),
      outputInfo: readJson(join(gdir, "output_info.json")),
    });
  }
  return {
    submitDir,
    outer,
    dagmanConfig: parseDagmanConfig(
      readText(join(submitDir, "dagman.config")),
      join(submitDir, "dagman.config"),
    ),
    scripts,
    groups,
  };
}

/** landing first, procs in index order, then merge and cleanup (the planner's order). */
function orderSubmits(subs: Record<string, SubmitModel>): Record<string, SubmitModel> {
  const rank = (n: string) =>
    n === "landing.sub"
      ? 0
      : n.startsWith("proc_")
        ? 1
        : n === "merge.sub"
          ? 2
          : n === "cleanup.sub"
            ? 3
            : 4;
  const names = Object.keys(subs).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, SubmitModel> = {};
  for (const n of names) out[n] = subs[n];
  return out;
}
