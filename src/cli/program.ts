import type { Command } from "commander";
import { detectCapabilities } from "../matrix/capabilities.js";
import { loadCatalog } from "../matrix/catalog.js";
import { resolveSelection } from "../matrix/select.js";
import { loadSets } from "../matrix/sets.js";
import { InputError } from "../model/errors.js";
import { EXIT } from "./errors.js";
import { renderListing, renderSets } from "./list.js";
import type { CliIo } from "./main.js";
import { type PlanFlags, planToDir, renderPlanSummary } from "./plan.js";
import { registerReplanCommand } from "./replan.js";
import { reportCommand, resultsCommand, runCommand } from "./run.js";
import { registerSimCommand } from "./sim.js";
import { addThrottleOptions, type ThrottleTexts, throttlesOf } from "./throttle-options.js";

export interface RootOptions extends ThrottleTexts {
  workflows?: string;
  list?: boolean;
  sets?: boolean;
  catalog: string;
  setsDir: string;
  backend: string;
  jobs: string;
  seed: string;
  pool?: string;
  workDir: string;
  results?: string | true;
  report?: string | true;
  json?: boolean;
  junit?: string;
  html?: string;
  verbose?: boolean;
}

function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new InputError(`${flag}: expected a positive integer, got "${v}"`);
  return n;
}

function seedOf(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new InputError(`--seed: expected a non-negative integer, got "${v}"`);
  return n;
}

function parseBackend(v: string): "sim" | "condor" {
  if (v !== "sim" && v !== "condor")
    throw new InputError(`--backend: expected sim or condor, got "${v}"`);
  return v;
}

/** Register the root options and every sub-command on the program. */
export function registerCommands(program: Command, io: CliIo, setCode: (c: number) => void): void {
  program
    .description("WMS2 test matrix: plan, simulate and verify CMS production workflows")
    .option(
      "-l, --workflows <SEL>",
      "workflows to run or list: ids, ranges (500-530), set names, comma lists",
    )
    .option(
      "--list",
      "list the selected workflows (default: the whole catalog) and where they can run",
    )
    .option("--sets", "list the named sets")
    .option("--backend <NAME>", "sim (embedded simulator) or condor (live pool)", "sim")
    .option("--catalog <DIR>", "catalog folder", "catalog")
    .option("--sets-dir <DIR>", "sets folder", "sets")
    .option("-j, --jobs <N>", "workflows to run at once", "1")
    .option("--seed <N>", "seed of every random stream (recorded with the results)", "1")
    .option("--pool <FILE>", "simulated pool description (YAML)")
    .option("--work-dir <DIR>", "where workflows are planned and run", "work")
    .option(
      "--results [DIR]",
      "results folder (default results); without -l: list the runs saved there",
    )
    .option("--report [RUN]", "re-render the report of a saved run (default: the latest)")
    .option("--json", "print results as JSON")
    .option("--junit <FILE>", "also write a JUnit XML file")
    .option("--html <FILE>", "also write an HTML report with charts (CPU timeline, rounds)")
    .option("-v, --verbose", "more detail");
  addThrottleOptions(program).action(async (opts: RootOptions) => {
    const backend = parseBackend(opts.backend);
    const resultsDir = typeof opts.results === "string" ? opts.results : "results";
    if (opts.report !== undefined && !opts.sets) {
      setCode(await reportCommand(resultsDir, opts.report, Boolean(opts.json), io, opts.html));
      return;
    }
    if (opts.results !== undefined && !opts.workflows && !opts.sets && !opts.list) {
      setCode(resultsCommand(resultsDir, io));
      return;
    }
    const catalog = loadCatalog(opts.catalog);
    const sets = loadSets(opts.setsDir, catalog);
    if (opts.sets) {
      io.out(renderSets(catalog, sets));
      return;
    }
    if (opts.list) {
      const ids = opts.workflows
        ? resolveSelection(opts.workflows, catalog, sets)
        : [...catalog.workflows.keys()];
      const caps = await detectCapabilities();
      io.out(renderListing(catalog, ids, caps, backend));
      return;
    }
    const selection = opts.workflows ?? "smoke";
    setCode(
      await runCommand(
        catalog,
        {
          selection,
          ids: resolveSelection(selection, catalog, sets),
          backend,
          seed: seedOf(opts.seed),
          jobs: positiveInt(opts.jobs, "-j"),
          pool: opts.pool,
          throttles: throttlesOf(opts),
          workDir: opts.workDir,
          resultsDir,
          json: Boolean(opts.json),
          junit: opts.junit,
          html: opts.html,
          verbose: Boolean(opts.verbose),
          argv: ["matrix", ...io.argv],
        },
        io,
      ),
    );
  });

  program
    .command("plan")
    .description("plan one catalog workflow and write its submit directory")
    .argument("<ID>", "catalog id, e.g. 100.1")
    .requiredOption("--out <DIR>", "submit directory to write")
    .option("--storage <DIR>", "storage element root (local PFN prefix); default <out>/storage")
    .option("--force", "write into a non-empty directory")
    .option("--with-fault", "also inject the catalog entry's fault, as the matrix runner does")
    .action((id: string, opts: PlanFlags) => {
      const root = program.opts<RootOptions>();
      const catalog = loadCatalog(root.catalog);
      const sets = loadSets(root.setsDir, catalog);
      const ids = resolveSelection(id, catalog, sets);
      if (ids.length !== 1)
        throw new InputError(`plan takes exactly one workflow id, "${id}" selects ${ids.length}`);
      const wf = catalog.workflows.get(ids[0])!;
      const written = planToDir(wf, catalog, { ...opts, wms2Command: io.selfCommand });
      io.out(renderPlanSummary(wf, written.plan, opts.withFault ? written.faults : undefined));
      setCode(EXIT.ok);
    });

  registerSimCommand(program, io, setCode);
  registerReplanCommand(program, io, setCode);
}
