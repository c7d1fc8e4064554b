import { DagLexError, parseInteger } from "./dag-syntax.js";
import type { DagScript } from "./model.js";

export interface ScriptStatement {
  when: "PRE" | "POST" | "HOLD";
  node: string;
  script: DagScript;
}

const USAGE =
  "SCRIPT needs: [DEFER status time] [DEBUG file type] PRE|POST|HOLD node executable [args]";

/**
 * Read `SCRIPT [DEFER status time] [DEBUG file STDOUT|STDERR|ALL] PRE|POST|HOLD node
 * executable args...`. The command is split at blanks and kept verbatim (DAGMan
 * substitutes `$JOB`, `$RETURN`, ... only as whole words). Throws DagLexError.
 */
export function readScriptStatement(raw: string): ScriptStatement {
  const words = raw.trim().split(/\s+/);
  const int = (text: string | undefined, what: string, min?: number): number => {
    const v = parseInteger(text ?? "");
    if (v === undefined) throw new DagLexError(`${what} "${text ?? ""}" is not an integer`);
    if (min !== undefined && v < min) throw new DagLexError(`${what} must be >= ${min}, got ${v}`);
    return v;
  };
  let i = 1;
  const options: Pick<DagScript, "defer" | "debug"> = {};
  for (;;) {
    const w = (words[i] ?? "").toUpperCase();
    if (w === "DEFER") {
      const status = int(words[i + 1], "SCRIPT DEFER status");
      const time = int(words[i + 2], "SCRIPT DEFER time", 0);
      options.defer = { status, time };
    } else if (w === "DEBUG") {
      const type = (words[i + 2] ?? "").toUpperCase();
      if (type !== "STDOUT" && type !== "STDERR" && type !== "ALL") {
        throw new DagLexError("SCRIPT DEBUG needs: file STDOUT|STDERR|ALL");
      }
      options.debug = { file: words[i + 1], type };
    } else break;
    i += 3;
  }
  const when = (words[i] ?? "").toUpperCase();
  if (when !== "PRE" && when !== "POST" && when !== "HOLD") throw new DagLexError(USAGE);
  const node = words[i + 1];
  if (node === undefined) throw new DagLexError(USAGE);
  if (words.length < i + 3)
    throw new DagLexError(`SCRIPT ${when} for node "${node}" has no executable`);
  return { when, node, script: { executable: words[i + 2], args: words.slice(i + 3), ...options } };
}
