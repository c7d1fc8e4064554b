import { InputError, inputErrorMessage } from "../model/errors.js";
import { type ClassAdRecord, type ClassAdValue, readClassAdRecords } from "./classad-records.js";
import type { DagStatusAd, NodeStatusAd, NodeStatusSnapshot, StatusEndAd } from "./node-status.js";

class Reader {
  constructor(
    private readonly file: string,
    private readonly record: ClassAdRecord,
    private readonly type: string,
  ) {}

  private fail(line: number, problem: string): never {
    throw new InputError(inputErrorMessage({ file: this.file, line, entry: this.type, problem }));
  }

  private raw(name: string): { value: ClassAdValue; line: number } | undefined {
    return this.record.attrs.get(name.toLowerCase());
  }

  int(name: string): number {
    const a = this.raw(name);
    if (a === undefined) return this.fail(this.record.line, `attribute ${name} is missing`);
    if (typeof a.value !== "number" || !Number.isInteger(a.value))
      this.fail(a.line, `${name} is not an integer`);
    return a.value as number;
  }

  optInt(name: string): number | undefined {
    return this.raw(name) === undefined ? undefined : this.int(name);
  }

  str(name: string): string {
    const a = this.raw(name);
    if (a === undefined) return this.fail(this.record.line, `attribute ${name} is missing`);
    if (typeof a.value !== "string") this.fail(a.line, `${name} is not a string`);
    return a.value as string;
  }

  strList(name: string): string[] {
    const a = this.raw(name);
    if (a === undefined) return [];
    if (!Array.isArray(a.value) || !a.value.every((v) => typeof v === "string")) {
      this.fail(a.line, `${name} is not a list of strings`);
    }
    return a.value as string[];
  }
}

/**
 * Read a DAGMan node status file into typed records. Unknown attributes and record
 * types are ignored (versions differ); a missing or mistyped attribute, or a file without exactly one
 * DagStatus and one StatusEnd record, throws a one-line InputError naming the line.
 */
export function parseNodeStatus(text: string, file: string): NodeStatusSnapshot {
  let dag: DagStatusAd | undefined;
  let end: StatusEndAd | undefined;
  const nodes: NodeStatusAd[] = [];
  const fail = (line: number, problem: string): never => {
    throw new InputError(inputErrorMessage({ file, line, problem }));
  };
  for (const rec of readClassAdRecords(text, file)) {
    const typeAttr = rec.attrs.get("type");
    if (typeAttr === undefined || typeof typeAttr.value !== "string")
      fail(rec.line, "record without a Type string");
    const type = typeAttr!.value as string;
    const r = new Reader(file, rec, type);
    if (type === "DagStatus") {
      if (dag) fail(rec.line, "second DagStatus record");
      dag = {
        dagFiles: r.strList("DagFiles"),
        timestamp: r.int("Timestamp"),
        dagStatus: r.int("DagStatus"),
        nodesTotal: r.int("NodesTotal"),
        nodesDone: r.int("NodesDone"),
        nodesPre: r.int("NodesPre"),
        nodesQueued: r.int("NodesQueued"),
        nodesPost: r.int("NodesPost"),
        nodesReady: r.int("NodesReady"),
        nodesUnready: r.int("NodesUnready"),
        nodesFailed: r.int("NodesFailed"),
        jobProcsHeld: r.int("JobProcsHeld"),
        jobProcsIdle: r.int("JobProcsIdle"),
      };
      const futile = r.optInt("NodesFutile");
      if (futile !== undefined) dag.nodesFutile = futile;
    } else if (type === "NodeStatus") {
      nodes.push({
        node: r.str("Node"),
        nodeStatus: r.int("NodeStatus"),
        statusDetails: r.str("StatusDetails"),
        retryCount: r.int("RetryCount"),
        jobProcsQueued: r.int("JobProcsQueued"),
        jobProcsHeld: r.int("JobProcsHeld"),
      });
    } else if (type === "StatusEnd") {
      if (end) fail(rec.line, "second StatusEnd record");
      end = { endTime: r.int("EndTime"), nextUpdate: r.int("NextUpdate") };
    }
    // Other record types (none today) are ignored, as are unknown attributes.
  }
  if (!dag) throw new InputError(inputErrorMessage({ file, problem: "no DagStatus record" }));
  if (!end)
    throw new InputError(
      inputErrorMessage({ file, problem: "no StatusEnd record (file incomplete)" }),
    );
  return { dag, nodes, end };
}
