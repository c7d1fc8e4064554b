/** A throw-away workspace (copies of catalog/ and sets/) and an in-process `matrix` runner. */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { repoRoot } from "../helpers/shared-fixtures.js";

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Run the CLI in this process with captured output (not a terminal). */
export async function runCli(args: string[]): Promise<CliRun> {
  let out = "";
  let err = "";
  const code = await main(args, {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    isTTY: false,
    selfCommand: "matrix",
    argv: args,
  });
  return { code, out, err };
}

export interface Workspace {
  dir: string;
  catalog: string;
  sets: string;
  work: string;
  results: string;
  /** --catalog, --sets-dir, --work-dir and --results of this workspace. */
  args: string[];
  remove(): void;
}

/** A temp folder holding copies of the repository's catalog/ and sets/. */
export function makeWorkspace(prefix: string): Workspace {
  const dir = mkdtempSync(join(tmpdir(), `wms2-${prefix}-`));
  const catalog = join(dir, "catalog");
  const sets = join(dir, "sets");
  cpSync(join(repoRoot, "catalog"), catalog, { recursive: true });
  cpSync(join(repoRoot, "sets"), sets, { recursive: true });
  const work = join(dir, "work");
  const results = join(dir, "results");
  return {
    dir,
    catalog,
    sets,
    work,
    results,
    args: ["--catalog", catalog, "--sets-dir", sets, "--work-dir", work, "--results", results],
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The one line a bad-input error prints: exactly one newline, at the end. */
export function oneLine(text: string): string {
  const lines = text.split("\n");
  if (lines.length !== 2 || lines[1] !== "")
    throw new Error(`expected exactly one line, got ${JSON.stringify(text)}`);
  return lines[0];
}
