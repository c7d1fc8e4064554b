import { ALL_NODES, RESERVED_NODE_NAMES } from "./dag-syntax.js";
import { type DagNode, type DagNodeKind, DagSyntaxError } from "./model.js";

/** Keywords that define a modelled node. */
export const NODE_KEYWORDS: ReadonlySet<string> = new Set(["JOB", "SUBDAG", "FINAL"]);

/** Node-like statements kept in `other` whose names other statements may still use. */
export const NAMED_OTHER: ReadonlySet<string> = new Set(["SERVICE", "PROVISIONER", "SPLICE"]);

/**
 * The node names of one DAG file, gathered in a first pass over its statements, and the
 * rules for what a statement may name: modelled nodes, SERVICE/PROVISIONER nodes (kept
 * in `other`), splices (only in PARENT/CHILD), and ALL_NODES.
 */
export class DagNodeDefs {
  readonly nodes: DagNode[] = [];
  private readonly byName = new Map<string, DagNode>();
  private readonly definedAt = new Map<string, number>();
  private readonly special = new Map<string, "SERVICE" | "PROVISIONER" | "SPLICE">();
  private finalNode: string | undefined;

  constructor(private readonly file: string) {}

  private fail(line: number, detail: string): never {
    throw new DagSyntaxError(this.file, line, detail);
  }

  /** Index of the node name among the tokens of a JOB/SUBDAG/FINAL line. */
  nameOf(tokens: string[], keyword: string): string {
    return tokens[keyword === "SUBDAG" ? 2 : 1];
  }

  /** First pass: record a node definition (other statements are ignored here). */
  define(line: number, tokens: string[], keyword: string): void {
    if (NAMED_OTHER.has(keyword)) {
      if (tokens.length < 3) this.fail(line, `${keyword} needs: name file`);
      this.claim(line, tokens[1]);
      this.special.set(tokens[1], keyword as "SERVICE" | "PROVISIONER" | "SPLICE");
      return;
    }
    if (!NODE_KEYWORDS.has(keyword)) return;
    let at = 1;
    let kind: DagNodeKind = keyword as DagNodeKind;
    if (keyword === "SUBDAG") {
      if ((tokens[1] ?? "").toUpperCase() !== "EXTERNAL")
        this.fail(line, "SUBDAG must be followed by EXTERNAL");
      at = 2;
      kind = "SUBDAG";
    }
    const shown = keyword === "SUBDAG" ? "SUBDAG EXTERNAL" : keyword;
    const name = tokens[at];
    const file = tokens[at + 1];
    if (name === undefined || file === undefined) {
      this.fail(line, `${shown} needs: name file [DIR dir] [NOOP] [DONE]`);
    }
    if (file === "{")
      this.fail(line, `${shown} ${name}: inline submit descriptions are not supported`);
    this.claim(line, name);
    const node: DagNode = { name, kind, file };
    for (let i = at + 2; i < tokens.length; i++) {
      const opt = tokens[i].toUpperCase();
      if (opt === "DIR") {
        if (i + 1 >= tokens.length) this.fail(line, `${shown} ${name}: DIR needs a directory`);
        node.dir = tokens[++i];
      } else if (opt === "NOOP") node.noop = true;
      else if (opt === "DONE") node.done = true;
      else
        this.fail(line, `${shown} ${name}: unexpected "${tokens[i]}" (expected DIR, NOOP or DONE)`);
    }
    if (kind === "FINAL") {
      if (this.finalNode !== undefined) {
        this.fail(line, `only one FINAL node is allowed (${this.finalNode} is already FINAL)`);
      }
      this.finalNode = name;
    }
    this.nodes.push(node);
    this.byName.set(name, node);
  }

  private claim(line: number, name: string): void {
    if (RESERVED_NODE_NAMES.has(name.toUpperCase()))
      this.fail(line, `"${name}" is a reserved word and cannot name a node`);
    const first = this.definedAt.get(name);
    if (first !== undefined)
      this.fail(line, `node name "${name}" is already used at line ${first}`);
    this.definedAt.set(name, line);
  }

  /**
   * The nodes a statement applies to: one node, every non-FINAL node for ALL_NODES, or
   * "service" for a SERVICE/PROVISIONER node (whose statements are kept in `other`).
   * With `anyNode` the name is only checked (used for statements kept verbatim).
   */
  resolve(line: number, name: string, keyword: string, anyNode: boolean): DagNode[] | "service" {
    if (name.toUpperCase() === ALL_NODES) {
      return anyNode ? [] : this.nodes.filter((n) => n.kind !== "FINAL");
    }
    const node = this.byName.get(name);
    if (node) return [node];
    const special = this.special.get(name);
    if (special === "SPLICE")
      this.fail(line, `${keyword}: "${name}" is a splice; only PARENT/CHILD may name it`);
    if (special !== undefined) return "service";
    return this.fail(line, `${keyword}: unknown node "${name}"`);
  }

  /** Check one name of a PARENT/CHILD statement. */
  checkEdgeEnd(line: number, name: string): void {
    const node = this.byName.get(name);
    if (node?.kind === "FINAL") this.fail(line, `FINAL node "${name}" cannot be a parent or child`);
    if (node) return;
    const special = this.special.get(name);
    if (special === "SPLICE") return;
    if (special !== undefined)
      this.fail(line, `${special} node "${name}" cannot be a parent or child`);
    this.fail(line, `PARENT/CHILD: unknown node "${name}"`);
  }
}
