/**
 * Lexical rules of the DAGMan input language shared by the parser and the formatter:
 * tokens, reserved words, integers, and the quoted values of VARS.
 */

/** Statements kept verbatim in `DagModel.other`, with their minimum argument count. */
export const OTHER_STATEMENTS: Readonly<Record<string, number>> = {
  DOT: 1,
  SET_JOB_ATTR: 1,
  SERVICE: 2,
  SPLICE: 2,
  PROVISIONER: 2,
  JOBSTATE_LOG: 1,
  REJECT: 0,
  INCLUDE: 1,
  ENV: 2,
  CONNECT: 2,
  PIN_IN: 2,
  PIN_OUT: 2,
  SAVE_POINT_FILE: 1,
};

/** Words that cannot be node names (they would make PARENT/CHILD and ALL_NODES ambiguous). */
export const RESERVED_NODE_NAMES = new Set(["PARENT", "CHILD", "ALL_NODES"]);

/** The ALL_NODES pseudo node name (applies a statement to every node except FINAL ones). */
export const ALL_NODES = "ALL_NODES";

export class DagLexError extends Error {}

/**
 * Split a statement into whitespace-separated tokens. A token that starts with a double
 * quote runs to the next double quote (the quotes are removed, text right after the
 * closing quote stays in the token), so file names and DIR values may be quoted as
 * ctrl_bps_htcondor writes them.
 */
export function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) break;
    if (line[i] === '"') {
      const end = line.indexOf('"', i + 1);
      if (end < 0) throw new DagLexError("unterminated double-quoted string");
      let token = line.slice(i + 1, end);
      i = end + 1;
      while (i < n && !isSpace(line[i])) token += line[i++];
      tokens.push(token);
    } else {
      const start = i;
      while (i < n && !isSpace(line[i])) i++;
      tokens.push(line.slice(start, i));
    }
  }
  return tokens;
}

/**
 * The raw text after the first `count` whitespace-separated words of a line (used for
 * SCRIPT commands and VARS, whose text is interpreted by other rules).
 */
export function restAfterWords(line: string, count: number): string {
  let i = 0;
  for (let w = 0; w < count; w++) {
    while (i < line.length && isSpace(line[i])) i++;
    while (i < line.length && !isSpace(line[i])) i++;
  }
  return line.slice(i).trim();
}

export function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n" || c === "\f" || c === "\v";
}

/** A decimal integer as DAGMan's strtol-based checks accept it (optional sign, digits only). */
export function parseInteger(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const v = Number(text);
  return Number.isSafeInteger(v) ? v : undefined;
}

/** A word usable as a node or category name: non-empty, no whitespace, no double quote. */
export function isPlainWord(text: string): boolean {
  return text.length > 0 && !/[\s"]/.test(text);
}

/** A file or directory operand: written bare, or double-quoted when it contains blanks. */
export function isWritablePath(text: string): boolean {
  return text.length > 0 && !/["\r\n]/.test(text);
}

export function quoteIfNeeded(path: string): string {
  return /\s/.test(path) ? `"${path}"` : path;
}

/** VARS macro names: letters, digits, `_` and `.`, optionally a leading `+`; not `queue*`. */
export function varNameProblem(name: string): string | undefined {
  if (!/^\+?[A-Za-z_][A-Za-z0-9_.]*$/.test(name)) return `illegal VARS macro name "${name}"`;
  if (/^queue/i.test(name)) return `VARS macro name "${name}" may not begin with "queue"`;
  return undefined;
}

/**
 * Parse the `name="value" name2 = "value2"` pairs of a VARS statement. Inside the
 * quotes `\"` is a double quote and `\\` a backslash; any other backslash is literal.
 */
export function parseVarPairs(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let i = 0;
  const n = text.length;
  const skip = () => {
    while (i < n && isSpace(text[i])) i++;
  };
  skip();
  while (i < n) {
    const start = i;
    while (i < n && text[i] !== "=" && !isSpace(text[i])) i++;
    const name = text.slice(start, i);
    skip();
    if (text[i] !== "=") throw new DagLexError(`VARS macro "${name}" has no "=" and value`);
    i++;
    skip();
    if (text[i] !== '"') throw new DagLexError(`VARS value of "${name}" must be double-quoted`);
    i++;
    let value = "";
    let closed = false;
    while (i < n) {
      const c = text[i];
      if (c === "\\" && (text[i + 1] === '"' || text[i + 1] === "\\")) {
        value += text[i + 1];
        i += 2;
      } else if (c === '"') {
        closed = true;
        i++;
        break;
      } else {
        value += c;
        i++;
      }
    }
    if (!closed) throw new DagLexError(`VARS value of "${name}" has no closing double quote`);
    const problem = varNameProblem(name);
    if (problem) throw new DagLexError(problem);
    pairs.push([name, value]);
    if (i < n && !isSpace(text[i])) {
      throw new DagLexError(`VARS: unexpected text after the value of "${name}"`);
    }
    skip();
  }
  return pairs;
}

/** Quote a VARS value so that `parseVarPairs` gives it back unchanged. */
export function quoteVarValue(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
