import { DagNodeDefs, NAMED_OTHER, NODE_KEYWORDS } from "./dag-parse-nodes.js";
import { readScriptStatement, type ScriptStatement } from "./dag-parse-script.js";
import {
  DagLexError,
  OTHER_STATEMENTS,
  parseInteger,
  parseVarPairs,
  restAfterWords,
  tokenize,
} from "./dag-syntax.js";
import { type DagModel, type DagNode, type DagScript, DagSyntaxError } from "./model.js";

/** Statements the formatter writes among a node's own lines (see formatDag). */
const BLOCK_KEYWORDS = new Set(["SCRIPT", "PRE_SKIP", "VARS", "PRIORITY", "RETRY"]);

/** One statement line: its 1-based line number, original text and tokens. */
interface Statement {
  line: number;
  raw: string;
  tokens: string[];
  keyword: string;
  /** A blank or comment line came before it (this ends a node block). */
  afterGap: boolean;
}

/**
 * Parse a DAGMan input file into a DagModel.
 *
 * Node definitions (JOB, SUBDAG EXTERNAL, FINAL, and the SERVICE/SPLICE/PROVISIONER
 * names kept in `other`) are collected first, so other statements may name a node that
 * is defined further down. `ALL_NODES` is expanded to every non-FINAL node at the point
 * of the statement, so later statements for one node override it. Any violation throws
 * a DagSyntaxError naming the file and line.
 */
export function parseDag(text: string, file: string): DagModel {
  const { header, statements } = lex(text, file);
  const defs = new DagNodeDefs(file);
  for (const st of statements) defs.define(st.line, st.tokens, st.keyword);
  return new StatementReader(file, defs, header).read(statements);
}

function lex(text: string, file: string): { header: string[]; statements: Statement[] } {
  const header: string[] = [];
  const statements: Statement[] = [];
  let gap = false;
  text.split("\n").forEach((rawLine, index) => {
    const raw = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) gap = true;
    if (trimmed === "") return;
    if (trimmed.startsWith("#")) {
      if (statements.length === 0) header.push(raw.replace(/^\s*#/, ""));
      return;
    }
    let tokens: string[];
    try {
      tokens = tokenize(trimmed);
    } catch (e) {
      // Statements kept verbatim are only counted, not interpreted: split them at blanks.
      const first = trimmed.split(/\s/)[0].toUpperCase();
      if (!(first in OTHER_STATEMENTS) || NAMED_OTHER.has(first)) {
        throw new DagSyntaxError(file, index + 1, (e as Error).message);
      }
      tokens = trimmed.split(/\s+/);
    }
    statements.push({
      line: index + 1,
      raw,
      tokens,
      keyword: tokens[0].toUpperCase(),
      afterGap: gap,
    });
    gap = false;
  });
  return { header, statements };
}

/** The second pass: every statement in order, applied to the nodes defined in the first. */
class StatementReader {
  private readonly model: DagModel;
  /** Node whose JOB line (and only its own lines) came last: RETRY here is "with node". */
  private block: string | undefined;
  private configLine = 0;

  constructor(
    private readonly file: string,
    private readonly defs: DagNodeDefs,
    header: string[],
  ) {
    this.model = { header, nodes: defs.nodes, edges: [], maxJobs: {}, other: [] };
  }

  read(statements: Statement[]): DagModel {
    for (const st of statements) {
      if (st.afterGap) this.block = undefined;
      const stay = this.statement(st);
      if (!stay) this.block = undefined;
    }
    return this.model;
  }

  private fail(line: number, detail: string): never {
    throw new DagSyntaxError(this.file, line, detail);
  }

  /** Handle one statement; returns true when it belongs to the current node block. */
  private statement(st: Statement): boolean {
    const { keyword: kw, tokens: t, line } = st;
    if (NODE_KEYWORDS.has(kw)) {
      this.block = this.defs.nameOf(t, kw);
      return true;
    }
    switch (kw) {
      case "SCRIPT":
        return this.script(st);
      case "RETRY": {
        const usage = "RETRY needs: node count [UNLESS-EXIT value]";
        if (t.length !== 3 && !(t.length === 5 && t[3].toUpperCase() === "UNLESS-EXIT")) {
          this.fail(line, usage);
        }
        const count = this.int(line, t[2], "RETRY count", 0);
        const unless = t.length === 5 ? this.int(line, t[4], "UNLESS-EXIT value") : undefined;
        const inBlock = t[1] === this.block;
        return this.apply(st, t[1], (node) => {
          node.retry = unless === undefined ? { count } : { count, unlessExit: unless };
          if (inBlock) node.retryWithNode = true;
          else delete node.retryWithNode;
        });
      }
      case "ABORT-DAG-ON": {
        if (t.length !== 3 && !(t.length === 5 && t[3].toUpperCase() === "RETURN")) {
          this.fail(line, "ABORT-DAG-ON needs: node value [RETURN value]");
        }
        const value = this.int(line, t[2], "ABORT-DAG-ON value");
        const ret =
          t.length === 5 ? this.int(line, t[4], "ABORT-DAG-ON RETURN value", 0) : undefined;
        if (ret !== undefined && ret > 255)
          this.fail(line, "ABORT-DAG-ON RETURN value must be 0..255");
        return this.apply(st, t[1], (node) => {
          node.abortDagOn = ret === undefined ? { value } : { value, returnValue: ret };
        });
      }
      case "VARS":
        return this.vars(st);
      case "PRIORITY": {
        this.arity(st, 3, "PRIORITY needs: node value");
        const p = this.int(line, t[2], "PRIORITY value");
        return this.apply(st, t[1], (node) => {
          node.priority = p;
        });
      }
      case "PRE_SKIP": {
        this.arity(st, 3, "PRE_SKIP needs: node exit-value");
        const v = this.int(line, t[2], "PRE_SKIP exit value");
        return this.apply(st, t[1], (node) => {
          node.preSkip = v;
        });
      }
      case "CATEGORY": {
        this.arity(st, 3, "CATEGORY needs: node category");
        return this.apply(st, t[1], (node) => {
          node.category = t[2];
        });
      }
      case "MAXJOBS":
        this.arity(st, 3, "MAXJOBS needs: category limit");
        this.model.maxJobs[t[1]] = this.int(line, t[2], "MAXJOBS limit", 0);
        return false;
      case "DONE":
        this.arity(st, 2, "DONE needs: node");
        return this.apply(st, t[1], (node) => {
          node.done = true;
        });
      case "PARENT":
        this.parentChild(st);
        return false;
      case "CONFIG":
        this.arity(st, 2, "CONFIG needs: file");
        if (this.model.config !== undefined && this.model.config !== t[1]) {
          this.fail(
            line,
            `CONFIG ${t[1]} conflicts with CONFIG ${this.model.config} (line ${this.configLine})`,
          );
        }
        this.model.config = t[1];
        this.configLine = line;
        return false;
      case "NODE_STATUS_FILE":
        this.nodeStatusFile(st);
        return false;
      default:
        if (kw in OTHER_STATEMENTS) {
          if (t.length - 1 < OTHER_STATEMENTS[kw])
            this.fail(line, `${kw} needs at least ${OTHER_STATEMENTS[kw]} argument(s)`);
          if (kw === "SET_JOB_ATTR" && !st.raw.includes("="))
            this.fail(line, "SET_JOB_ATTR needs: name = value");
          if (kw === "SAVE_POINT_FILE") this.defs.resolve(line, t[1], kw, true);
          this.model.other.push(st.raw);
          return false;
        }
        return this.fail(line, `unknown keyword "${t[0]}"`);
    }
  }

  private arity(st: Statement, n: number, usage: string): void {
    if (st.tokens.length !== n) this.fail(st.line, usage);
  }

  private int(line: number, text: string, what: string, min?: number): number {
    const v = parseInteger(text);
    if (v === undefined) this.fail(line, `${what} "${text}" is not an integer`);
    if (min !== undefined && v < min) this.fail(line, `${what} must be >= ${min}, got ${v}`);
    return v;
  }

  /**
   * Apply a node statement to its target(s). A statement about a SERVICE node is kept
   * in `other`. Returns whether the statement continues the current node block.
   */
  private apply(st: Statement, name: string, set: (n: DagNode) => void): boolean {
    const target = this.defs.resolve(st.line, name, st.keyword, false);
    if (target === "service") {
      this.model.other.push(st.raw);
      return false;
    }
    for (const node of target) set(node);
    return BLOCK_KEYWORDS.has(st.keyword) && name === this.block;
  }

  private script(st: Statement): boolean {
    let parsed: ScriptStatement;
    try {
      parsed = readScriptStatement(st.raw);
    } catch (e) {
      if (e instanceof DagLexError) this.fail(st.line, e.message);
      throw e;
    }
    const { when, node: name, script } = parsed;
    if (when === "HOLD") {
      this.defs.resolve(st.line, name, "SCRIPT", true);
      this.model.other.push(st.raw);
      return false;
    }
    const set = (node: DagNode) => {
      const copy: DagScript = { ...script, args: [...script.args] };
      if (when === "PRE") node.pre = copy;
      else node.post = copy;
    };
    return this.apply(st, name, set);
  }

  private vars(st: Statement): boolean {
    const words = st.raw.trim().split(/\s+/);
    if (words.length < 3) this.fail(st.line, 'VARS needs: node name="value" ...');
    const nodeName = words[1];
    const mode = words[2].toUpperCase();
    const placed = mode === "PREPEND" || mode === "APPEND";
    let pairs: Array<[string, string]>;
    try {
      pairs = parseVarPairs(restAfterWords(st.raw, placed ? 3 : 2));
    } catch (e) {
      if (e instanceof DagLexError) this.fail(st.line, e.message);
      throw e;
    }
    if (pairs.length === 0) this.fail(st.line, 'VARS needs at least one name="value" pair');
    if (placed) {
      // PREPEND/APPEND placement is not modelled: keep the statement as written.
      this.defs.resolve(st.line, nodeName, "VARS", true);
      this.model.other.push(st.raw);
      return false;
    }
    return this.apply(st, nodeName, (node) => {
      const vars = { ...(node.vars ?? {}) };
      for (const [k, v] of pairs) vars[k] = v;
      node.vars = vars;
    });
  }

  private parentChild(st: Statement): void {
    const t = st.tokens;
    const childAt = t.findIndex((w, i) => i > 0 && w.toUpperCase() === "CHILD");
    if (childAt < 0) this.fail(st.line, "PARENT statement has no CHILD");
    const parents = t.slice(1, childAt);
    const children = t.slice(childAt + 1);
    if (parents.length === 0) this.fail(st.line, "PARENT needs at least one parent node");
    if (children.length === 0) this.fail(st.line, "CHILD needs at least one child node");
    for (const name of [...parents, ...children]) this.defs.checkEdgeEnd(st.line, name);
    this.model.edges.push({ parents, children });
  }

  private nodeStatusFile(st: Statement): void {
    const t = st.tokens;
    const usage = "NODE_STATUS_FILE needs: file [min-update-seconds] [ALWAYS-UPDATE]";
    if (t.length < 2 || t.length > 4) this.fail(st.line, usage);
    const min =
      t.length >= 3 ? this.int(st.line, t[2], "NODE_STATUS_FILE update time", 0) : undefined;
    if (t.length === 4 && t[3].toUpperCase() !== "ALWAYS-UPDATE") this.fail(st.line, usage);
    // As in DAGMan, a second NODE_STATUS_FILE does not override the first.
    if (this.model.nodeStatusFile !== undefined) return;
    this.model.nodeStatusFile = { file: t[1] };
    if (min !== undefined) this.model.nodeStatusFile.minUpdateSeconds = min;
    if (t.length === 4) this.model.nodeStatusFile.alwaysUpdate = true;
  }
}
