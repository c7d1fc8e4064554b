import {
  isPlainWord,
  isWritablePath,
  OTHER_STATEMENTS,
  quoteIfNeeded,
  quoteVarValue,
  RESERVED_NODE_NAMES,
  varNameProblem,
} from "./dag-syntax.js";
import { declaredOtherNames, type OtherNodeKind, referenceProblem } from "./dag-validate.js";
import type { DagModel, DagNode, DagScript } from "./model.js";

/**
 * Write a DagModel as DAGMan input text, in WMS2's block order (formats.md §4.1):
 *
 *   1. header comments, CONFIG, NODE_STATUS_FILE
 *   2. per node: its JOB / SUBDAG EXTERNAL / FINAL line, SCRIPT PRE, SCRIPT POST,
 *      PRE_SKIP, VARS, PRIORITY, and its RETRY when `retryWithNode` is set
 *   3. the other RETRY lines   4. ABORT-DAG-ON   5. PARENT/CHILD   6. CATEGORY
 *   7. MAXJOBS   8. `other` statements, verbatim
 *
 * with one blank line between non-empty blocks and a final newline. The output is
 * deterministic and `parseDag(formatDag(m))` gives `m` back; `false` flags and empty
 * `vars`/`maxJobs` records are written as absent, so they come back absent. A model
 * that could not be read back identically (a name with blanks, an unknown node in an
 * edge, a line break in a value, ...) throws an Error naming the problem.
 */
export function formatDag(model: DagModel): string {
  const problem = modelProblem(model);
  if (problem) throw new Error(`formatDag: ${problem}`);
  const preamble = model.header.map((h) => `#${h}`);
  if (model.config !== undefined) preamble.push(`CONFIG ${quoteIfNeeded(model.config)}`);
  const nsf = model.nodeStatusFile;
  if (nsf) {
    let line = `NODE_STATUS_FILE ${quoteIfNeeded(nsf.file)}`;
    if (nsf.minUpdateSeconds !== undefined) line += ` ${nsf.minUpdateSeconds}`;
    if (nsf.alwaysUpdate) line += " ALWAYS-UPDATE";
    preamble.push(line);
  }
  const nodes = model.nodes.flatMap(nodeLines);
  const retries = model.nodes.filter((n) => n.retry && !n.retryWithNode).map(retryLine);
  const aborts = model.nodes.flatMap((n) =>
    n.abortDagOn
      ? [
          `ABORT-DAG-ON ${n.name} ${n.abortDagOn.value}` +
            (n.abortDagOn.returnValue === undefined ? "" : ` RETURN ${n.abortDagOn.returnValue}`),
        ]
      : [],
  );
  const edges = model.edges.map(
    (e) => `PARENT ${e.parents.join(" ")} CHILD ${e.children.join(" ")}`,
  );
  const categories = model.nodes.flatMap((n) =>
    n.category ? [`CATEGORY ${n.name} ${n.category}`] : [],
  );
  const maxJobs = Object.entries(model.maxJobs).map(([cat, n]) => `MAXJOBS ${cat} ${n}`);
  const blocks = [preamble, nodes, retries, aborts, edges, categories, maxJobs, model.other];
  return `${blocks
    .filter((b) => b.length > 0)
    .map((b) => b.join("\n"))
    .join("\n\n")}\n`;
}

function nodeLines(node: DagNode): string[] {
  const keyword = node.kind === "SUBDAG" ? "SUBDAG EXTERNAL" : node.kind;
  let def = `${keyword} ${node.name} ${quoteIfNeeded(node.file)}`;
  if (node.dir !== undefined) def += ` DIR ${quoteIfNeeded(node.dir)}`;
  if (node.noop) def += " NOOP";
  if (node.done) def += " DONE";
  const lines = [def];
  if (node.pre) lines.push(scriptLine("PRE", node.name, node.pre));
  if (node.post) lines.push(scriptLine("POST", node.name, node.post));
  if (node.preSkip !== undefined) lines.push(`PRE_SKIP ${node.name} ${node.preSkip}`);
  const vars = Object.entries(node.vars ?? {});
  if (vars.length > 0) {
    lines.push(`VARS ${node.name} ${vars.map(([k, v]) => `${k}=${quoteVarValue(v)}`).join(" ")}`);
  }
  if (node.priority !== undefined) lines.push(`PRIORITY ${node.name} ${node.priority}`);
  if (node.retry && node.retryWithNode) lines.push(retryLine(node));
  return lines;
}

function scriptLine(when: "PRE" | "POST", node: string, s: DagScript): string {
  const opts: string[] = [];
  if (s.defer) opts.push(`DEFER ${s.defer.status} ${s.defer.time}`);
  if (s.debug) opts.push(`DEBUG ${s.debug.file} ${s.debug.type}`);
  return ["SCRIPT", ...opts, when, node, s.executable, ...s.args].join(" ");
}

function retryLine(node: DagNode): string {
  const r = node.retry!;
  return (
    `RETRY ${node.name} ${r.count}` +
    (r.unlessExit === undefined ? "" : ` UNLESS-EXIT ${r.unlessExit}`)
  );
}

const isInt = (v: number | undefined, min = Number.MIN_SAFE_INTEGER) =>
  v === undefined || (Number.isSafeInteger(v) && v >= min);
const isArg = (s: string) => /^\S+$/.test(s);
const NODE_STATEMENTS = new Set([
  "SCRIPT",
  "RETRY",
  "ABORT-DAG-ON",
  "VARS",
  "PRIORITY",
  "PRE_SKIP",
  "CATEGORY",
  "DONE",
]);

/** Why the model cannot be written so that it reads back identically, if it cannot. */
function modelProblem(model: DagModel): string | undefined {
  if (model.header.some((h) => /[\r\n]/.test(h))) return "a header line contains a line break";
  if (model.config !== undefined && !isWritablePath(model.config))
    return `bad CONFIG file "${model.config}"`;
  const nsf = model.nodeStatusFile;
  if (nsf && (!isWritablePath(nsf.file) || !isInt(nsf.minUpdateSeconds, 0)))
    return "bad NODE_STATUS_FILE";
  if (nsf?.alwaysUpdate && nsf.minUpdateSeconds === undefined) {
    return "NODE_STATUS_FILE ALWAYS-UPDATE needs minUpdateSeconds (DAGMan's syntax has it first)";
  }
  for (const node of model.nodes) {
    const p = nodeProblem(node);
    if (p) return `node "${node.name}": ${p}`;
  }
  for (const [cat, n] of Object.entries(model.maxJobs)) {
    if (!isPlainWord(cat) || !isInt(n, 0)) return `bad MAXJOBS ${cat} ${n}`;
  }
  const others = declaredOtherNames(model.other);
  for (const line of model.other) {
    if (!isOtherLine(line, others)) return `"${line}" is not a statement kept in other`;
  }
  return referenceProblem(model);
}

function nodeProblem(node: DagNode): string | undefined {
  if (!isPlainWord(node.name) || RESERVED_NODE_NAMES.has(node.name.toUpperCase()))
    return "bad node name";
  if (!["JOB", "SUBDAG", "FINAL"].includes(node.kind)) return `unknown kind ${node.kind}`;
  if (!isWritablePath(node.file) || node.file === "{") return `bad file "${node.file}"`;
  if (node.dir !== undefined && !isWritablePath(node.dir)) return `bad DIR "${node.dir}"`;
  for (const s of [node.pre, node.post]) {
    if (!s) continue;
    if (!isArg(s.executable) || !s.args.every(isArg))
      return "script words must be non-empty without blanks";
    if (s.defer && (!isInt(s.defer.status) || !isInt(s.defer.time, 0))) return "bad SCRIPT DEFER";
    if (s.debug && !isArg(s.debug.file)) return "bad SCRIPT DEBUG file";
  }
  if (node.retry && (!isInt(node.retry.count, 0) || !isInt(node.retry.unlessExit)))
    return "bad RETRY";
  const a = node.abortDagOn;
  if (a && (!isInt(a.value) || !isInt(a.returnValue, 0) || (a.returnValue ?? 0) > 255))
    return "bad ABORT-DAG-ON";
  if (!isInt(node.priority) || !isInt(node.preSkip))
    return "PRIORITY and PRE_SKIP must be integers";
  if (node.category !== undefined && !isPlainWord(node.category))
    return `bad CATEGORY "${node.category}"`;
  for (const [k, v] of Object.entries(node.vars ?? {})) {
    const p = varNameProblem(k);
    if (p) return p;
    if (/[\r\n]/.test(v)) return `VARS value of "${k}" contains a line break`;
  }
  return undefined;
}

/** True when parsing this line puts it back into `other`. */
function isOtherLine(line: string, others: Map<string, OtherNodeKind>): boolean {
  if (/[\r\n]/.test(line)) return false;
  const words = line.trim().split(/\s+/);
  const kw = words[0].toUpperCase();
  if (kw in OTHER_STATEMENTS) return true;
  if (!NODE_STATEMENTS.has(kw)) return false;
  if (kw === "VARS" && /^(PREPEND|APPEND)$/i.test(words[2] ?? "")) return true;
  let i = 1;
  if (kw === "SCRIPT") {
    while (/^(DEFER|DEBUG)$/i.test(words[i] ?? "")) i += 3;
    if ((words[i] ?? "").toUpperCase() === "HOLD") return true;
    i++;
  }
  const kind = others.get(words[i] ?? "");
  return kind === "SERVICE" || kind === "PROVISIONER";
}
