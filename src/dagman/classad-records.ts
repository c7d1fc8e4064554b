import { InputError, inputErrorMessage } from "../model/errors.js";

/**
 * A reader for files made of literal new-ClassAd records, such as DAGMan's node status
 * file: `[ Name = value; ... ]` repeated, with `/* *\/` and `//` comments. Values are
 * literals only: integers, reals, strings, booleans, `undefined`, and `{ ... }` lists.
 */

export type ClassAdValue = number | string | boolean | null | ClassAdValue[];

export interface ClassAdAttr {
  name: string;
  value: ClassAdValue;
  line: number;
}

export interface ClassAdRecord {
  /** Line of the opening `[`. */
  line: number;
  /** Attributes by lower-cased name (ClassAd names are case-insensitive). */
  attrs: Map<string, ClassAdAttr>;
}

interface Token {
  kind: "punct" | "name" | "number" | "string";
  text: string;
  value?: number | string;
  line: number;
}

export function readClassAdRecords(text: string, file: string): ClassAdRecord[] {
  const tokens = lexClassAd(text, file);
  const records: ClassAdRecord[] = [];
  let i = 0;
  const fail = (line: number, problem: string): never => {
    throw new InputError(inputErrorMessage({ file, line, problem }));
  };
  const lastLine = () => (tokens.length > 0 ? tokens[tokens.length - 1].line : 1);
  const expect = (text: string) => {
    const t = tokens[i];
    if (!t || t.text !== text)
      fail(t?.line ?? lastLine(), `expected "${text}", found ${t ? `"${t.text}"` : "end of file"}`);
    i++;
  };
  const value = (): ClassAdValue => {
    const t = tokens[i++];
    if (!t) return fail(lastLine(), "value expected, found end of file");
    if (t.kind === "number" || t.kind === "string") return t.value!;
    if (t.text === "-" && tokens[i]?.kind === "number") return -(tokens[i++].value as number);
    if (t.kind === "name") {
      const word = t.text.toLowerCase();
      if (word === "true" || word === "false") return word === "true";
      if (word === "undefined" || word === "error") return null;
    }
    if (t.text === "{") {
      const list: ClassAdValue[] = [];
      if (tokens[i]?.text === "}") {
        i++;
        return list;
      }
      for (;;) {
        list.push(value());
        if (tokens[i]?.text === ",") i++;
        else break;
      }
      expect("}");
      return list;
    }
    return fail(t.line, `unsupported value "${t.text}" (only literals are read)`);
  };
  while (i < tokens.length) {
    const open = tokens[i];
    expect("[");
    const record: ClassAdRecord = { line: open.line, attrs: new Map() };
    while (tokens[i] && tokens[i].text !== "]") {
      const name = tokens[i];
      if (name.kind !== "name") fail(name.line, `attribute name expected, found "${name.text}"`);
      i++;
      expect("=");
      record.attrs.set(name.text.toLowerCase(), {
        name: name.text,
        value: value(),
        line: name.line,
      });
      if (tokens[i]?.text === ";") i++;
      else if (tokens[i]?.text !== "]")
        fail(tokens[i]?.line ?? lastLine(), `expected ";" after ${name.text}`);
    }
    expect("]");
    if (tokens[i]?.text === ";") i++;
    records.push(record);
  }
  return records;
}

function lexClassAd(text: string, file: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  const fail = (problem: string): never => {
    throw new InputError(inputErrorMessage({ file, line, problem }));
  };
  while (i < text.length) {
    const c = text[i];
    if (c === "\n") {
      line++;
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (text.startsWith("/*", i)) {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) fail("unterminated /* comment");
      for (let k = i; k < end; k++) if (text[k] === "\n") line++;
      i = end + 2;
    } else if (text.startsWith("//", i)) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === '"') {
      let s = "";
      i++;
      for (;;) {
        if (i >= text.length || text[i] === "\n") fail("unterminated string");
        const ch = text[i];
        if (ch === '"') break;
        if (ch === "\\" && i + 1 < text.length) {
          const e = text[i + 1];
          s += e === "n" ? "\n" : e === "t" ? "\t" : e;
          i += 2;
        } else {
          s += ch;
          i++;
        }
      }
      i++;
      tokens.push({ kind: "string", text: s, value: s, line });
    } else if (/[0-9.]/.test(c)) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
      if (!m) fail(`bad number at "${text.slice(i, i + 10)}"`);
      tokens.push({ kind: "number", text: m![0], value: Number(m![0]), line });
      i += m![0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 256))!;
      tokens.push({ kind: "name", text: m[0], line });
      i += m[0].length;
    } else if ("[]{};,=-".includes(c)) {
      tokens.push({ kind: "punct", text: c, line });
      i++;
    } else {
      fail(`unexpected character "${c}"`);
    }
  }
  return tokens;
}

/** Escape a string for a ClassAd string literal. */
export function classAdString(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}
