import { DagSyntaxError, type SubmitEntry, type SubmitModel } from "./model.js";

/** Command names: letters, digits, `_` and `.` (as in `MY.Attr`), optionally a leading `+`. */
export const SUBMIT_KEY = /^\+?[A-Za-z_][A-Za-z0-9_.]*$/;

/** Directives (not commands: `error = x` is a command) that WMS2 does not read. */
const UNSUPPORTED = /^(if|elif|else|endif|include|error|warning)(\s*$|\s*:|\s+(?!=[^=]))/i;

/** Lower-cased first letters of the directives in UNSUPPORTED: i(f/nclude), e(l/rror), w. */
const DIRECTIVE_INITIALS = new Set([0x69, 0x65, 0x77]);

/**
 * Parse an HTCondor submit description.
 *
 * `key = value` commands (keys keep their spelling; lookups through `submitGet` are
 * case-insensitive), `+Attr` and `MY.Attr` custom attributes, `#` comments, blank lines,
 * and lines continued by a trailing backslash (joined; comment lines inside a
 * continuation are skipped). Values are kept verbatim, trimmed. Exactly one `queue`
 * statement is required and must come last, as in every WMS2 node job; conditionals,
 * `include` and `@=` multi-line values are not supported. Comments before the first
 * command form the header; later comments are dropped. Errors name the file and line.
 */
export function parseSubmit(text: string, file: string): SubmitModel {
  const header: string[] = [];
  const entries: SubmitEntry[] = [];
  let queue: string | undefined;
  let queueLine = 0;
  const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    let logical = lines[i];
    const isComment = logical.trim().startsWith("#");
    while (!isComment && logical.trimEnd().endsWith("\\") && i + 1 < lines.length) {
      logical = logical.trimEnd().slice(0, -1);
      i++;
      while (i < lines.length - 1 && lines[i].trim().startsWith("#")) i++;
      logical += lines[i];
    }
    const trimmed = logical.trim();
    const fail = (detail: string): never => {
      throw new DagSyntaxError(file, lineNo, detail);
    };
    if (trimmed === "") continue;
    if (trimmed.startsWith("#")) {
      if (entries.length === 0 && queue === undefined) header.push(logical.replace(/^\s*#/, ""));
      continue;
    }
    const first = trimmed.charCodeAt(0) | 0x20; // lower-cased first letter
    if (first === 0x71 /* q */ && /^queue(\s|$)/i.test(trimmed)) {
      if (queue !== undefined) fail(`second queue statement (the first is at line ${queueLine})`);
      queue = trimmed.slice(5).trim();
      queueLine = lineNo;
      continue;
    }
    const multi = trimmed.includes("@=") ? /^(\S+)\s*@=/.exec(trimmed) : null;
    if (multi) fail(`multi-line value "${multi[1]} @=..." is not supported`);
    if (DIRECTIVE_INITIALS.has(first) && UNSUPPORTED.test(trimmed))
      fail(`"${trimmed.split(/\s/)[0]}" is not supported in WMS2 submit files`);
    const eq = trimmed.indexOf("=");
    if (eq < 0) fail(`expected "key = value" or "queue", got "${trimmed}"`);
    const key = trimmed.slice(0, eq).trim();
    const value = trimmed.slice(eq + 1).trim();
    if (!SUBMIT_KEY.test(key)) fail(`illegal command name "${key}"`);
    if (queue !== undefined) fail(`command "${key}" after the queue statement (line ${queueLine})`);
    entries.push({ key, value });
  }
  if (queue === undefined) throw new DagSyntaxError(file, 0, "no queue statement");
  return { header, entries, queue };
}
