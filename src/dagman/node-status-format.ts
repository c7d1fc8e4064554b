import { classAdString } from "./classad-records.js";
import { formatCtime } from "./dagman-time.js";
import { NODE_STATUS_NAMES, type NodeStatusSnapshot } from "./node-status.js";

/** The note DAGMan adds to the DagStatus name: success, failed, or nothing while running. */
function dagStatusNote(code: number): string {
  if (code === 5) return "success";
  if (code === 6) return "failed";
  return "";
}

function statusName(code: number): string {
  const name = NODE_STATUS_NAMES[code];
  if (name === undefined) throw new Error(`formatNodeStatus: node status code ${code} is not 0..7`);
  return name;
}

const when = (t: number) => (t === 0 ? "none" : formatCtime(t));

function int(name: string, v: number): string {
  if (!Number.isSafeInteger(v))
    throw new Error(`formatNodeStatus: ${name} must be an integer, got ${v}`);
  return `  ${name} = ${v};`;
}

/**
 * Write a node status file exactly as DAGMan lays it out: one attribute per line, the
 * status names and dates in comments (dates in UTC `ctime()` form, "none" for 0).
 */
export function formatNodeStatus(snapshot: NodeStatusSnapshot): string {
  const d = snapshot.dag;
  const out: string[] = ["[", '  Type = "DagStatus";', "  DagFiles = {"];
  d.dagFiles.forEach((f, i) => {
    out.push(`    ${classAdString(f)}${i < d.dagFiles.length - 1 ? "," : ""}`);
  });
  out.push("  };");
  out.push(`${int("Timestamp", d.timestamp)} /* "${when(d.timestamp)}" */`);
  out.push(
    `${int("DagStatus", d.dagStatus)} /* "${statusName(d.dagStatus)} (${dagStatusNote(d.dagStatus)})" */`,
  );
  out.push(
    int("NodesTotal", d.nodesTotal),
    int("NodesDone", d.nodesDone),
    int("NodesPre", d.nodesPre),
  );
  out.push(
    int("NodesQueued", d.nodesQueued),
    int("NodesPost", d.nodesPost),
    int("NodesReady", d.nodesReady),
  );
  out.push(int("NodesUnready", d.nodesUnready));
  if (d.nodesFutile !== undefined) out.push(int("NodesFutile", d.nodesFutile));
  out.push(int("NodesFailed", d.nodesFailed), int("JobProcsHeld", d.jobProcsHeld));
  out.push(`${int("JobProcsIdle", d.jobProcsIdle)} /* includes held */`, "]");
  for (const n of snapshot.nodes) {
    out.push("[", '  Type = "NodeStatus";', `  Node = ${classAdString(n.node)};`);
    out.push(`${int("NodeStatus", n.nodeStatus)} /* "${statusName(n.nodeStatus)}" */`);
    out.push(`  StatusDetails = ${classAdString(n.statusDetails)};`);
    out.push(int("RetryCount", n.retryCount), int("JobProcsQueued", n.jobProcsQueued));
    out.push(int("JobProcsHeld", n.jobProcsHeld), "]");
  }
  const e = snapshot.end;
  out.push("[", '  Type = "StatusEnd";');
  out.push(`${int("EndTime", e.endTime)} /* "${when(e.endTime)}" */`);
  out.push(`${int("NextUpdate", e.nextUpdate)} /* "${when(e.nextUpdate)}" */`, "]");
  return `${out.join("\n")}\n`;
}
