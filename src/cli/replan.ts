/**
 * `matrix replan ...`: the step a replan node runs between two work units of an adaptive
 * run (through the `wms2_replan.sh` shim the planner writes). The flags are parsed by the
 * same parser the simulator's replan model uses; a usage or input problem is one line on
 * stderr and exit 2, a replan that kept the next unit as planned still exits 0.
 */
import type { Command } from "commander";
import { runReplan } from "../adaptive/replan.js";
import { parseReplanArgv, REPLAN_USAGE } from "../adaptive/replan-args.js";
import { EXIT } from "./errors.js";
import type { CliIo } from "./main.js";

export function registerReplanCommand(
  program: Command,
  io: CliIo,
  setCode: (c: number) => void,
): void {
  program
    .command("replan")
    .description(
      "re-plan the next work unit of an adaptive run from the completed ones (replan nodes)",
    )
    .usage(REPLAN_USAGE.replace(/^replan /, ""))
    .allowUnknownOption()
    .allowExcessArguments()
    .argument("[flags...]", "replan flags")
    .action((flags: string[]) => {
      const result = runReplan(parseReplanArgv(flags));
      io.out(`${result.summary}\n`);
      setCode(EXIT.ok);
    });
}
