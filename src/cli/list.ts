import type { BackendName, CapabilityReport } from "../matrix/capabilities.js";
import { runnableOn } from "../matrix/capabilities.js";
import type { Catalog } from "../matrix/catalog.js";
import { workflowShape } from "../matrix/plan-request.js";
import type { SetCatalog } from "../matrix/sets.js";
import { setMembers } from "../matrix/sets.js";
import { formatWorkflowId, type WorkflowDef } from "../model/workflow.js";

const RULE = "-".repeat(118);

function memoryLabel(wf: WorkflowDef): string {
  if (wf.adaptive) return `${wf.memoryPerCoreMb}/${wf.maxMemoryPerCoreMb} MB/c`;
  const per = Object.entries(wf.memoryMbPerWu);
  return per.length > 0 ? `${wf.memoryMb} MB*` : `${wf.memoryMb} MB`;
}

function jobsLabel(wf: WorkflowDef): string {
  return wf.adaptive ? `${wf.numJobs}/WU` : String(wf.numJobs);
}

/** The capability lines and the catalog table of `matrix --list`. */
export function renderListing(
  catalog: Catalog,
  ids: number[],
  caps: CapabilityReport,
  backend: BackendName,
): string {
  const lines: string[] = [];
  lines.push("Environment capabilities (live pool):");
  for (const name of Object.keys(caps).sort()) {
    const c = caps[name as keyof CapabilityReport];
    lines.push(`  ${name.padEnd(10)} [${c.ok ? "     OK" : "MISSING"}] ${c.detail}`);
  }
  lines.push("");
  lines.push(RULE);
  lines.push(
    `${"ID".padStart(7)}  ${"Mode".padEnd(9)}  ${"Jobs".padStart(5)}  ${"WUs".padStart(3)}  ${"Cores".padStart(5)}  ${"Memory".padEnd(14)}  ${"Size".padEnd(6)}  ${"Requires".padEnd(33)}  ${"sim".padEnd(3)}  ${"condor".padEnd(6)}  Title`,
  );
  lines.push(RULE);
  const notes: string[] = [];
  for (const id of ids) {
    const wf = catalog.workflows.get(id)!;
    const sim = runnableOn(wf, catalog, "sim", caps);
    const live = runnableOn(wf, catalog, "condor", caps);
    const tag = wf.fault ? " [F]" : wf.adaptive ? " [A]" : "";
    lines.push(
      `${formatWorkflowId(id).padStart(7)}  ${wf.mode.padEnd(9)}  ${jobsLabel(wf).padStart(5)}  ${String(wf.numWorkUnits).padStart(3)}  ${String(wf.multicore).padStart(5)}  ${memoryLabel(wf).padEnd(14)}  ${wf.size.padEnd(6)}  ${wf.requires.join(",").padEnd(33)}  ${(sim.ok ? "yes" : "no").padEnd(3)}  ${(live.ok ? "yes" : "no").padEnd(6)}  ${wf.title}${tag}`,
    );
    const here = backend === "sim" ? sim : live;
    if (!here.ok)
      notes.push(`  ${formatWorkflowId(id)}: not runnable on ${backend}: ${here.reason}`);
  }
  lines.push(RULE);
  const runnable = ids.filter(
    (id) => runnableOn(catalog.workflows.get(id)!, catalog, backend, caps).ok,
  ).length;
  lines.push(`${ids.length} workflows, ${runnable} runnable here on the ${backend} backend`);
  if (notes.length > 0) lines.push(...notes);
  lines.push("[F] fault injection  [A] adaptive  * per-work-unit memory override");
  return `${lines.join("\n")}\n`;
}

/** `matrix --sets`: every set, alphabetical, with size and ids. */
export function renderSets(catalog: Catalog, sets: SetCatalog): string {
  const lines = ["Available sets:"];
  for (const name of [...sets.keys()].sort()) {
    const set = sets.get(name)!;
    const ids = setMembers(set, catalog);
    lines.push(`  ${name} (${ids.length} workflows): [${ids.map(formatWorkflowId).join(", ")}]`);
    if (set.description) lines.push(`      ${set.description}`);
  }
  return `${lines.join("\n")}\n`;
}

export { workflowShape };
