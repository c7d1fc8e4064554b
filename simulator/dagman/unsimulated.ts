import { type DagModel, DagSyntaxError } from "../../src/dagman/index.js";

/**
 * Statements that change which nodes run, kept by the parser but not carried out by the
 * simulated DAGMan: a DAG using one is refused rather than run without them. Other kept
 * statements (DOT, JOBSTATE_LOG, SET_JOB_ATTR, SERVICE and PROVISIONER nodes, ...) are
 * ignored.
 */
const REFUSED: Readonly<Record<string, string>> = {
  SPLICE: "splices are not simulated; run the spliced DAG as a SUBDAG EXTERNAL node",
  INCLUDE: "INCLUDE is not simulated; put the included statements in the DAG file",
  REJECT: "the DAG is marked REJECT, and DAGMan does not run it",
};

/** Throw a one-line error naming the DAG file and the first statement it cannot run. */
export function refuseUnsimulated(model: DagModel, file: string): void {
  for (const line of model.other) {
    const statement = line.trim();
    const why = REFUSED[statement.split(/\s+/, 1)[0].toUpperCase()];
    if (why !== undefined) throw new DagSyntaxError(file, 0, `"${statement}": ${why}`);
  }
}
