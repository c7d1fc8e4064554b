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
    for (const name of [...edge.parents, ...edge.children]) {
      const kind = kinds.get(name) ?? other.get(name);
      if (kind === undefined) return `PARENT/CHILD: unknown node "${name}"`;
      if (kind === "FINAL" || kind === "SERVICE" || kind === "PROVISIONER") {
        return `${kind} node "${name}" cannot be a parent or child`;
      }
    }
  }
  return undefined;
}

/**
 * A dependency cycle as a list of node names (the first name repeated at the end), or
 * undefined when the DAG is acyclic. Splices take part as single vertices.
 */
export function findCycle(model: DagModel): string[] | undefined {
  const children = new Map<string, Set<string>>();
  const parents = new Map<string, Set<string>>();
  const vertex = (name: string) => {
    if (!children.has(name)) {
      children.set(name, new Set());
      parents.set(name, new Set());
    }
  };
  for (const node of model.nodes) vertex(node.name);
  for (const edge of model.edges) {
    for (const p of edge.parents) {
      vertex(p);
      for (const c of edge.children) {
        vertex(c);
        children.get(p)!.add(c);
        parents.get(c)!.add(p);
      }
    }
  }
  // Kahn's algorithm: whatever cannot be ordered lies on or below a cycle.
  const indegree = new Map<string, number>();
  for (const [name, ps] of parents) indegree.set(name, ps.size);
  const queue = [...indegree].filter(([, d]) => d === 0).map(([n]) => n);
  for (let i = 0; i < queue.length; i++) {
    for (const c of children.get(queue[i])!) {
      const d = indegree.get(c)! - 1;
      indegree.set(c, d);
      if (d === 0) queue.push(c);
    }
  }
  const left = new Set([...indegree].filter(([, d]) => d > 0).map(([n]) => n));
  if (left.size === 0) return undefined;
  // Every vertex left has a parent that is also left: walking up must come back.
  const seen = new Map<string, number>();
  const path: string[] = [];
  let at = [...left][0];
  while (!seen.has(at)) {
    seen.set(at, path.length);
    path.push(at);
    at = [...parents.get(at)!].find((p) => left.has(p))!;
  }
  const cycle = path.slice(seen.get(at)!).reverse();
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
