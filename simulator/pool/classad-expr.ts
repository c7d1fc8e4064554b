import { InputError } from "../../src/model/errors.js";
import { tokenize } from "./classad-lex.js";

/**
 * A small subset of the ClassAd expression language, enough for the Requirements and
 * policy expressions WMS2 writes: literals (strings, numbers, true/false/undefined),
 * attribute references (`X`, `MY.X`, `TARGET.X`, case-insensitive), comparisons
 * (`== != < <= > >=` and the meta-comparisons `=?= =!=`), `!`, `&&`, `||`, the
 * arithmetic `+ - *` and unary minus on numbers, parentheses, and the functions `time()`
 * (the ad's `CurrentTime`, which whoever evaluates a policy supplies), `strcat(...)`,
 * `ifThenElse(c, a, b)` and `isUndefined(x)`, with ClassAd's three-valued logic
 * (UNDEFINED propagates through `==` and arithmetic, `false && UNDEFINED` is false,
 * `true || UNDEFINED` is true; an ERROR, such as arithmetic on a string, is UNDEFINED
 * here). Division is refused: ClassAd divides integers as integers, which plain numbers
 * cannot tell apart. A job matches a machine only when its Requirements evaluate to exactly
 * `true`.
 */

export type ClassAdValue = string | number | boolean | undefined;

/** Looks up an attribute by its lower-cased name; undefined means UNDEFINED. */
export type AdLookup = (lowerName: string) => ClassAdValue;

export type CompiledExpr = (my: AdLookup, target: AdLookup) => ClassAdValue;

/** Functions by lower-cased name, with their number of arguments (-1: any). */
const FUNCTIONS: Record<string, number> = { time: 0, strcat: -1, ifthenelse: 3, isundefined: 1 };

/**
 * What an expression's text tells about its dependence on time: the positive numbers it
 * names (the ages at which a term such as `(time() - EnteredCurrentStatus) > 420` turns),
 * the attributes it reads (lower-cased), and whether `time()` and `EnteredCurrentStatus`
 * appear only as the difference `time() - EnteredCurrentStatus` (then its value depends on
 * the time in a state only through the age in that state).
 */
export interface ExprFacts {
  numbers: readonly number[];
  /**
   * What the age `time() - EnteredCurrentStatus` is compared with, as expressions (`420`,
   * `2 * 3600`, `MaxWallTimeMinsRun * 60`): evaluated against a job's ad, the ages at which
   * its terms turn.
   */
  ageLimits: readonly CompiledExpr[];
  reads: readonly string[];
  onlyAge: boolean;
}

const factsOf = new WeakMap<CompiledExpr, ExprFacts>();
const NO_FACTS: ExprFacts = Object.freeze({
  numbers: [],
  ageLimits: [],
  reads: [],
  onlyAge: true,
});

/** The facts of a compiled expression (see `ExprFacts`). */
export function exprFacts(expr: CompiledExpr): ExprFacts {
  return factsOf.get(expr) ?? NO_FACTS;
}

const compiled = new Map<string, CompiledExpr>();
/** Compiled expressions that read only the target ad (no `MY.X`, no bare name). */
const targetOnly = new WeakSet<CompiledExpr>();

/**
 * Whether a compiled expression reads only the target ad: its value against a machine then
 * does not depend on the job that carries it.
 */
export function readsTargetOnly(expr: CompiledExpr): boolean {
  return targetOnly.has(expr);
}
/** Distinct expression texts remembered, at most (then the memory starts over). */
const MAX_COMPILED = 1024;

/**
 * Compiles an expression; empty text compiles to `true`. A syntax error throws an
 * InputError naming `source` (e.g. the submit file) and the column.
 */
export function compileExpr(text: string, source = "expression"): CompiledExpr {
  // Jobs of one kind carry the same expressions: compile each text once (the compiled
  // form depends on the text alone; `source` only names it in syntax errors).
  const hit = compiled.get(text);
  if (hit) return hit;
  const expr = compileUncached(text, source);
  if (compiled.size >= MAX_COMPILED) compiled.clear();
  compiled.set(text, expr);
  return expr;
}

function compileUncached(text: string, source: string): CompiledExpr {
  const fail = (at: number, what: string): never => {
    throw new InputError(`${source}: ${what} at column ${at + 1} of "${text}"`);
  };
  const toks = tokenize(text, fail);
  if (toks.length === 0) {
    const always: CompiledExpr = () => true;
    targetOnly.add(always);
    return always;
  }
  let pos = 0;
  let readsMy = false;
  const numbers = new Set<number>();
  const reads = new Set<string>();
  const timeCalls = new WeakSet<CompiledExpr>();
  const ecsRefs = new WeakSet<CompiledExpr>();
  let uses = 0; // time() calls and EnteredCurrentStatus references
  let ages = 0; // differences time() - EnteredCurrentStatus
  const ageExprs = new WeakSet<CompiledExpr>(); // those differences
  const ageLimits: CompiledExpr[] = []; // what they are compared with
  const peekOp = (...ops: string[]): string | undefined => {
    const tk = toks[pos];
    return tk && tk.t === "op" && ops.includes(tk.v) ? tk.v : undefined;
  };
  const endAt = (): number => (pos < toks.length ? toks[pos].at : text.length);

  /** A left-associative run of `next` operands joined by `ops`. */
  function leftAssoc(
    next: () => CompiledExpr,
    ops: string[],
    join: (op: string, l: CompiledExpr, r: CompiledExpr) => CompiledExpr,
  ): CompiledExpr {
    let left = next();
    for (let op = peekOp(...ops); op; op = peekOp(...ops)) {
      pos++;
      left = join(op, left, next());
    }
    return left;
  }
  function parseOr(): CompiledExpr {
    return leftAssoc(
      parseAnd,
      ["||"],
      (_, l, r) => (my, tg) => or(truth(l(my, tg)), truth(r(my, tg))),
    );
  }
  function parseAnd(): CompiledExpr {
    return leftAssoc(
      parseNot,
      ["&&"],
      (_, l, r) => (my, tg) => and(truth(l(my, tg)), truth(r(my, tg))),
    );
  }
  function parseNot(): CompiledExpr {
    if (peekOp("!")) {
      pos++;
      const e = parseNot();
      return (my, tg) => {
        const v = truth(e(my, tg));
        return v === undefined ? undefined : !v;
      };
    }
    return parseCmp();
  }
  function parseCmp(): CompiledExpr {
    const left = parseSum();
    const op = peekOp("==", "!=", "=?=", "=!=", "<", "<=", ">", ">=");
    if (!op) return left;
    pos++;
    const right = parseSum();
    if (ageExprs.has(left)) ageLimits.push(right);
    else if (ageExprs.has(right)) ageLimits.push(left);
    return (my, tg) => compare(op, left(my, tg), right(my, tg));
  }
  function parseSum(): CompiledExpr {
    return leftAssoc(parseProduct, ["+", "-"], (op, l, r) => {
      const f = op === "+" ? plus : minus;
      const sum: CompiledExpr = (my, tg) => arith(l(my, tg), r(my, tg), f);
      if (op === "-" && timeCalls.has(l) && ecsRefs.has(r)) {
        ages++;
        ageExprs.add(sum);
      }
      return sum;
    });
  }
  function parseProduct(): CompiledExpr {
    return leftAssoc(
      parseUnary,
      ["*"],
      (_, l, r) => (my, tg) => arith(l(my, tg), r(my, tg), times),
    );
  }
  function parseUnary(): CompiledExpr {
    if (peekOp("-")) {
      pos++;
      const e = parseUnary();
      return (my, tg) => arith(0, e(my, tg), minus);
    }
    return parsePrimary();
  }
  function parseCall(name: string, at: number): CompiledExpr {
    const lower = name.toLowerCase();
    const arity = FUNCTIONS[lower];
    if (arity === undefined) return fail(at, `unknown function "${name}"`);
    pos++; // the "("
    const args: CompiledExpr[] = [];
    if (!peekOp(")")) {
      args.push(parseOr());
      while (peekOp(",")) {
        pos++;
        args.push(parseOr());
      }
    }
    if (!peekOp(")")) return fail(endAt(), 'expected ")"');
    pos++;
    if (arity >= 0 && args.length !== arity) {
      return fail(at, `${name}() takes ${arity} argument${arity === 1 ? "" : "s"}`);
    }
    if (lower === "time") {
      readsMy = true;
      uses++;
      const call: CompiledExpr = (my, tg) => {
        const v = my("currenttime");
        return v === undefined ? tg("currenttime") : v;
      };
      timeCalls.add(call);
      return call;
    }
    if (lower === "isundefined") {
      const [x] = args;
      return (my, tg) => x(my, tg) === undefined;
    }
    if (lower === "ifthenelse") {
      const [c, a, b] = args;
      return (my, tg) => {
        const v = truth(c(my, tg));
        return v === undefined ? undefined : v ? a(my, tg) : b(my, tg);
      };
    }
    return (my, tg) => {
      let out = "";
      for (const arg of args) {
        const v = arg(my, tg);
        if (v === undefined) return undefined;
        out += String(v);
      }
      return out;
    };
  }
  function parsePrimary(): CompiledExpr {
    const tk = toks[pos];
    if (!tk) return fail(text.length, "unexpected end of expression");
    pos++;
    if (tk.t === "str" || tk.t === "num") {
      const v = tk.v;
      if (typeof v === "number" && v > 0) numbers.add(v);
      return () => v;
    }
    if (tk.t === "id" && peekOp("(")) return parseCall(tk.v, tk.at);
    if (tk.t === "op") {
      if (tk.v !== "(") return fail(tk.at, `unexpected "${tk.v}"`);
      const inner = parseOr();
      if (!peekOp(")")) return fail(endAt(), 'expected ")"');
      pos++;
      return inner;
    }
    const lower = tk.v.toLowerCase();
    if (lower === "true") return () => true;
    if (lower === "false") return () => false;
    if (lower === "undefined") return () => undefined;
    const name = lower.startsWith("my.")
      ? lower.slice(3)
      : lower.startsWith("target.")
        ? lower.slice(7)
        : lower;
    reads.add(name);
    let ref: CompiledExpr;
    if (lower.startsWith("target.")) ref = (_my, tg) => tg(name);
    else {
      readsMy = true;
      ref = lower.startsWith("my.")
        ? (my) => my(name)
        : (my, tg) => {
            const v = my(lower);
            return v === undefined ? tg(lower) : v;
          };
    }
    if (name === "enteredcurrentstatus") {
      uses++;
      ecsRefs.add(ref);
    }
    return ref;
  }

  const expr = parseOr();
  if (pos < toks.length) fail(toks[pos].at, `unexpected "${String(toks[pos].v)}"`);
  if (!readsMy) targetOnly.add(expr);
  factsOf.set(expr, {
    numbers: [...numbers].sort((a, b) => a - b),
    ageLimits,
    reads: [...reads].sort(),
    onlyAge: uses === 2 * ages,
  });
  return expr;
}

const plus = (a: number, b: number) => a + b;
const minus = (a: number, b: number) => a - b;
const times = (a: number, b: number) => a * b;

/** Arithmetic on two numbers; anything else (a string, a boolean, UNDEFINED) is UNDEFINED. */
function arith(
  a: ClassAdValue,
  b: ClassAdValue,
  f: (a: number, b: number) => number,
): ClassAdValue {
  return typeof a === "number" && typeof b === "number" ? f(a, b) : undefined;
}

/** Boolean view of a value: numbers are true when non-zero; strings are UNDEFINED (error). */
function truth(v: ClassAdValue): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v !== 0;
  return undefined;
}

function and(a: boolean | undefined, b: boolean | undefined): boolean | undefined {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : undefined;
}

function or(a: boolean | undefined, b: boolean | undefined): boolean | undefined {
  if (a === true || b === true) return true;
  return a === false && b === false ? false : undefined;
}

function compare(op: string, a: ClassAdValue, b: ClassAdValue): ClassAdValue {
  if (op === "=?=" || op === "=!=") {
    const same = typeof a === typeof b && a === b;
    return op === "=?=" ? same : !same;
  }
  if (a === undefined || b === undefined) return undefined;
  if (typeof a === "string" && typeof b === "string") {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return cmp(op, x < y ? -1 : x > y ? 1 : 0);
  }
  if (typeof a === "number" && typeof b === "number") return cmp(op, a < b ? -1 : a > b ? 1 : 0);
  if (typeof a === "boolean" && typeof b === "boolean" && (op === "==" || op === "!=")) {
    return op === "==" ? a === b : a !== b;
  }
  return undefined;
}

function cmp(op: string, c: number): boolean {
  switch (op) {
    case "==":
      return c === 0;
    case "!=":
      return c !== 0;
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    default:
      return c >= 0;
  }
}
