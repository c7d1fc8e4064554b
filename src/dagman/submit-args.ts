/**
 * The `arguments` value of a submit description, read into an argv and written from one,
 * following HTCondor's two syntaxes:
 *
 * - new (V2): the whole value is double-quoted; blanks separate arguments; single quotes
 *   group text containing blanks, `''` inside them is a literal single quote; `""` is a
 *   literal double quote.
 * - old (V1): blanks separate arguments, no grouping; a double quote must be written
 *   `\"` — a bare one is the "illegal unescaped double-quote" condor_submit rejects.
 */

export class ArgumentsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ArgumentsError";
  }
}

const BLANK = /\s/;

/** Split an `arguments` value into argv. Throws ArgumentsError with a one-line reason. */
export function parseArguments(value: string): string[] {
  const text = value.trim();
  return text.startsWith('"') ? parseV2(unquoteV2(text)) : parseV1(text);
}

function unquoteV2(text: string): string {
  let raw = "";
  for (let i = 1; i < text.length; i++) {
    if (text[i] !== '"') {
      raw += text[i];
    } else if (text[i + 1] === '"') {
      raw += '"';
      i++;
    } else {
      if (text.slice(i + 1).trim() !== "") {
        throw new ArgumentsError(
          `unexpected text after the closing double quote: ${text.slice(i + 1).trim()}`,
        );
      }
      return raw;
    }
  }
  throw new ArgumentsError("the double-quoted arguments have no closing double quote");
}

function parseV2(raw: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < raw.length) {
    while (i < raw.length && BLANK.test(raw[i])) i++;
    if (i >= raw.length) break;
    let arg = "";
    while (i < raw.length && !BLANK.test(raw[i])) {
      if (raw[i] !== "'") {
        arg += raw[i++];
        continue;
      }
      const start = i++;
      for (;;) {
        if (i >= raw.length)
          throw new ArgumentsError(`unbalanced single quote starting at: ${raw.slice(start)}`);
        if (raw[i] === "'" && raw[i + 1] === "'") {
          arg += "'";
          i += 2;
        } else if (raw[i] === "'") {
          i++;
          break;
        } else {
          arg += raw[i++];
        }
      }
    }
    args.push(arg);
  }
  return args;
}

/** A code unit `\s` matches (the set `trim` strips), without a pattern for the ASCII ones. */
export function isBlankCode(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return BLANK.test(String.fromCharCode(code));
}

function isBlank(text: string, i: number): boolean {
  return isBlankCode(text.charCodeAt(i));
}

/** `text` (trimmed) split at runs of blanks, as `split(/\s+/)`, each word unescaped. */
function parseV1(text: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    while (i < text.length && !isBlank(text, i)) i++;
    args.push(v1Word(text.slice(start, i)));
    while (i < text.length && isBlank(text, i)) i++;
  }
  return args;
}

function v1Word(word: string): string {
  if (!word.includes('"')) return word;
  let out = "";
  for (let i = 0; i < word.length; i++) {
    if (word[i] === "\\" && word[i + 1] === '"') {
      out += '"';
      i++;
    } else if (word[i] === '"') {
      throw new ArgumentsError(`illegal unescaped double-quote in: ${word}`);
    } else {
      out += word[i];
    }
  }
  return out;
}

/**
 * Throws the ArgumentsError `parseArguments` would, without building the argv when the
 * value holds no double quote: such a value is in the old syntax, which splits always.
 */
export function checkArguments(value: string): void {
  if (value.includes('"')) parseArguments(value);
}

/**
 * Write argv as an `arguments` value: plain words when every argument is a plain word
 * (the form WMS2's wrappers use), otherwise the new double-quoted syntax.
 */
export function formatArguments(argv: string[]): string {
  if (argv.every((a) => /^[^\s"']+$/.test(a))) return argv.join(" ");
  const raw = argv
    .map((a) => (a === "" || /[\s']/.test(a) ? `'${a.replace(/'/g, "''")}'` : a))
    .join(" ");
  return `"${raw.replace(/"/g, '""')}"`;
}
