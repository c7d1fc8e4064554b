import type { DagModel, DagNode } from "../../src/dagman/model.js";
import { type NodeRun, newNodeRun, S } from "./node.js";
import type { NodeBook } from "./node-book.js";

/** A DAG's nodes in file order, and by name. */
export interface NodeGraph {
  readonly nodes: NodeRun[];
  readonly byName: Map<string, NodeRun>;
}

/**
 * The nodes of a parsed DAG with their parent/child links, in file order, added to `into`
 * (empty lists by default).
 */
export function buildGraph(
  model: DagModel,
  dirOf: (def: DagNode) => string,
  into: NodeGraph = { nodes: [], byName: new Map() },
): NodeGraph {
  const { nodes, byName } = into;
  for (const def of model.nodes) {
    const n = newNodeRun(def, dirOf(def), nodes.length);
    nodes.push(n);
    byName.set(def.name, n);
  }
  for (const e of model.edges) {
    for (const p of e.parents) {
      for (const c of e.children) {
        const pn = byName.get(p)!;
        const cn = byName.get(c)!;
        pn.children.push(cn);
        cn.parents.push(pn);
      }
    }
  }
  // Lists grown by push keep spare room (17 places for one link): a node keeps its lists
  // while its DAG runs, so each gets an exact copy.
  for (const n of nodes) {
    if (n.parents.length > 0) n.parents = n.parents.slice();
    if (n.children.length > 0) n.children = n.children.slice();
  }
  return into;
}

/**
 * Initial states when DAGMan starts: nodes marked DONE (in the DAG or by the rescue DAG)
 * are done; a node whose parents are all done is READY (a FINAL node waits for the end).
 */
export function initialStates(nodes: NodeRun[]): void {
  for (const n of nodes) if (n.def.done) n.state = S.DONE;
  for (const n of nodes) {
    n.waiting = n.parents.filter((p) => p.state !== S.DONE).length;
    if (n.state === S.NOT_READY && n.waiting === 0 && n.def.kind !== "FINAL") n.state = S.READY;
  }
}

/** A node is done: children whose parents are now all done become READY. */
export function releaseChildren(book: NodeBook, n: NodeRun): void {
  for (const c of n.children) {
    c.waiting--;
    if (c.waiting === 0 && c.state === S.NOT_READY) book.setState(c, S.READY);
  }
}

/** A node failed for good: every descendant not yet started becomes FUTILE. */
export function markFutile(book: NodeBook, n: NodeRun): void {
  for (const c of n.children) {
    if (c.state === S.NOT_READY || c.state === S.READY) {
      book.setState(c, S.FUTILE);
      c.details = "Had an ancestor node fail";
      markFutile(book, c);
    }
  }
}
