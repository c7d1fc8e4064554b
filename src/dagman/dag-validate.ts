import { tokenize } from "./dag-syntax.js";
import { type DagModel, DagSyntaxError } from "./model.js";

export type OtherNodeKind = "SERVICE" | "PROVISIONER" | "SPLICE";

/** Names declared by SERVICE, PROVISIONER and SPLICE statements kept in `other`. */
export function declaredOtherNames(other: string[]): Map<string, OtherNodeKind> {
  const names = new Map<string, OtherNodeKind>();
  for (const line of other) {
    let tokens: string[];
    try {
      tokens = tokenize(line.trim());
    } catch {
      continue;
    }
    const kw = (tokens[0] ?? "").toUpperCase();
    if ((kw === "SERVICE" || kw === "PROVISIONER" || kw === "SPLICE") && tokens[1]) {
      names.set(tokens[1], kw);
    }
  }
  return names;
}

/**
 * The first reference problem of a model built in code (a parsed model never has one):
 * duplicate names, more than one FINAL node, or a PARENT/CHILD end that is not a node or
 * splice, or is a FINAL/SERVICE node.
 */
export function referenceProblem(model: DagModel): string | undefined {
  const other = declaredOtherNames(model.other);
  const kinds = new Map<string, string>();
  let finals = 0;
  for (const node of model.nodes) {
    if (kinds.has(node.name) || other.has(node.name))
      return `node name "${node.name}" is used twice`;
    kinds.set(node.name, node.kind);
    if (node.kind === "FINAL") finals++;
  }
  if (finals > 1) return "only one FINAL node is allowed";
  for (const edge of model.edges) {
    if (edge.parents.length === 0 || edge.children.length === 0) {
      return "a PARENT/CHILD edge needs at least one parent and one child";
    }
    const problem =
      endProblem(edge.parents, kinds, other) ?? endProblem(edge.children, kinds, other);
    if (problem) return problem;
  }
  return undefined;
}

/** The first end of a PARENT/CHILD edge that is no node or splice, or may not be an end. */
function endProblem(
  names: readonly string[],
  kinds: ReadonlyMap<string, string>,
  other: ReadonlyMap<string, OtherNodeKind>,
): string | undefined {
  for (const name of names) {
    const kind = kinds.get(name) ?? other.get(name);
    if (kind === undefined) return `PARENT/CHILD: unknown node "${name}"`;
    if (kind === "FINAL" || kind === "SERVICE" || kind === "PROVISIONER") {
      return `${kind} node "${name}" cannot be a parent or child`;
    }
  }
  return undefined;
}

/**
 * A dependency cycle as a list of node names (the first name repeated at the end), or
 * undefined when the DAG is acyclic. Splices take part as single vertices.
 */
export function findCycle(model: DagModel): string[] | undefined {
  // Vertices are numbered in order of first appearance; a PARENT/CHILD pair given twice is
  // two links, which Kahn's algorithm counts in and out alike.
  const index = new Map<string, number>();
  const names: string[] = [];
  const children: number[][] = [];
  const parents: number[][] = [];
  const vertex = (name: string): number => {
    let i = index.get(name);
    if (i === undefined) {
      i = names.length;
      index.set(name, i);
      names.push(name);
      children.push([]);
      parents.push([]);
    }
    return i;
  };
  for (const node of model.nodes) vertex(node.name);
  for (const edge of model.edges) {
    for (const p of edge.parents) {
      const pi = vertex(p);
      for (const c of edge.children) {
        const ci = vertex(c);
        children[pi].push(ci);
        parents[ci].push(pi);
      }
    }
  }
  // Kahn's algorithm: whatever cannot be ordered lies on or below a cycle.
  const indegree = parents.map((ps) => ps.length);
  const queue: number[] = [];
  for (let v = 0; v < indegree.length; v++) if (indegree[v] === 0) queue.push(v);
  for (let i = 0; i < queue.length; i++) {
    for (const c of children[queue[i]]) if (--indegree[c] === 0) queue.push(c);
  }
  if (queue.length === names.length) return undefined;
  // Every vertex left has a parent that is also left: walking up must come back.
  const seen = new Map<number, number>();
  const path: number[] = [];
  let at = indegree.findIndex((d) => d > 0);
  while (!seen.has(at)) {
    seen.set(at, path.length);
    path.push(at);
    at = parents[at].find((p) => indegree[p] > 0) as number;
  }
  const cycle = path
    .slice(seen.get(at))
    .reverse()
    .map((v) => names[v]);
  return [...cycle, cycle[0]];
}

/**
 * Check a DAG as DAGMan would before running it: references (for models built in code)
 * and dependency cycles. Throws a one-line DagSyntaxError naming the file.
 */
export function validateDag(model: DagModel, file: string): void {
  const problem = referenceProblem(model);
  if (problem) throw new DagSyntaxError(file, 0, problem);
  const cycle = findCycle(model);
  if (cycle) {
    throw new DagSyntaxError(
      file,
      0,
      `dependency cycle through node "${cycle[0]}": ${cycle.join(" -> ")}`,
    );
  }
}
