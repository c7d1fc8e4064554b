/** The tokens of the ClassAd subset `classad-expr.ts` compiles. */

export type Token =
  | { t: "str"; v: string; at: number }
  | { t: "num"; v: number; at: number }
  | { t: "id"; v: string; at: number }
  | { t: "op"; v: string; at: number };

const OPS = [
  "=?=",
  "=!=",
  "||",
  "&&",
  "==",
  "!=",
  "<=",
  ">=",
  "<",
  ">",
  "!",
  "(",
  ")",
  ",",
  "+",
  "-",
  "*",
];

/** The tokens of `text`; `fail` reports a character that starts none, with its offset. */
export function tokenize(text: string, fail: (at: number, what: string) => never): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      let v = "";
      while (j < text.length && text[j] !== '"') {
        if (text[j] === "\\" && j + 1 < text.length) j++;
        v += text[j++];
      }
      if (j >= text.length) fail(i, "unterminated string");
      out.push({ t: "str", v, at: i });
      i = j + 1;
    } else if (/[0-9]/.test(c) || (c === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i))!;
      out.push({ t: "num", v: Number(m[0]), at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i))!;
      out.push({ t: "id", v: m[0], at: i });
      i += m[0].length;
    } else {
      const op = OPS.find((o) => text.startsWith(o, i));
      if (!op) fail(i, `unexpected character "${c}"`);
      out.push({ t: "op", v: op, at: i });
      i += op.length;
    }
  }
  return out;
}
