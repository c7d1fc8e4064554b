#!/usr/bin/env node
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Command, CommanderError } from "commander";
import { EXIT, reportError } from "./errors.js";
import { registerCommands } from "./program.js";

/** Run the `matrix` CLI with argv (without node and script) and return the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo(argv)): Promise<number> {
  const program = new Command("matrix");
  program.exitOverride();
  program.configureOutput({
    writeOut: (s) => io.out(s),
    writeErr: (s) => io.err(s),
  });
  let code: number = EXIT.ok;
  registerCommands(program, io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version")
        return EXIT.ok;
      return EXIT.usage;
    }
    return reportError(err, io.err);
  }
  return code;
}

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  isTTY: boolean;
  /** Command line that runs this CLI again (used by generated POST scripts and replan nodes). */
  selfCommand: string;
  /** The arguments the command was started with (recorded with runs). */
  argv: string[];
}

function defaultIo(argv: string[]): CliIo {
  const self = fileURLToPath(import.meta.url);
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    isTTY: Boolean(process.stderr.isTTY),
    selfCommand: `${process.execPath} ${self}`,
    argv,
  };
}

function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.exitCode = reportError(err);
    },
  );
}
