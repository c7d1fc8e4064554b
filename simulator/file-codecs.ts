/**
 * The kinds of file the simulated DAGMan and payloads write and read back during a run, each
 * as its text format and parser (`FileCodec`). Written through `writeFileValue` and read
 * through `readFileValue`, a file system that keeps values (MemFs) hands the reader the
 * writer's value and makes the text only when somebody reads it as text; on disk the text
 * is written and parsed as always. Every parser here returns what its formatter was given
 * (test/simulator/file-codecs.test.ts checks it on the files of whole simulated runs).
 */
import { type CgroupRecord, parseCgroupRecord } from "../src/artifacts/cgroup.js";
import {
  type CleanupManifest,
  type MergeOutput,
  parseCleanupManifest,
  parseMergeOutput,
} from "../src/artifacts/merge-files.js";
import {
  type ProcOutputList,
  type ProcOutputs,
  parseProcOutputs,
} from "../src/artifacts/outputs.js";
import { type PostRecord, parsePostRecord } from "../src/artifacts/post-record.js";
import { type ProcStepMetrics, parseProcMetrics } from "../src/artifacts/proc-metrics.js";
import { parseWuMetrics, type WuMetrics } from "../src/artifacts/wu-metrics.js";
import { formatDag } from "../src/dagman/dag-format.js";
import { parseDag } from "../src/dagman/dag-parse.js";
import type { DagModel, SubmitModel } from "../src/dagman/model.js";
import type { NodeStatusSnapshot } from "../src/dagman/node-status.js";
import { formatNodeStatus } from "../src/dagman/node-status-format.js";
import { parseNodeStatus } from "../src/dagman/node-status-parse.js";
import { formatSubmit } from "../src/dagman/submit-format.js";
import { parseSubmit } from "../src/dagman/submit-parse.js";
import type { FileCodec } from "./fs.js";
import {
  formatStandIn,
  jsonFileText,
  parseByContent,
  parseStandIn,
  type StandIn,
} from "./payload/job-io.js";

/** An artifact written as indented JSON with a trailing newline. */
function jsonCodec<T>(parse: (text: string, file: string) => T): FileCodec<T> {
  return { format: jsonFileText, parse };
}

/** A DAG input file, read when its DAGMan starts. */
export const DAG_FILE: FileCodec<DagModel> = { format: formatDag, parse: parseDag };

/** A submit description (`*.sub`), patched by the PRE and POST scripts, read at submission. */
export const SUBMIT_FILE: FileCodec<SubmitModel> = { format: formatSubmit, parse: parseSubmit };

/** The node status file (NODE_STATUS_FILE). */
export const NODE_STATUS_FILE: FileCodec<NodeStatusSnapshot> = {
  format: formatNodeStatus,
  parse: parseNodeStatus,
};

/** `proc_<N>_metrics.json`: jobs that did the same thing share one parsed value. */
export const PROC_METRICS_FILE = jsonCodec<readonly ProcStepMetrics[]>((text, file) =>
  parseByContent(text, file, parseProcMetrics),
);

/** `proc_<N>_cgroup.json`: jobs that did the same thing share one parsed value. */
export const CGROUP_FILE: FileCodec<CgroupRecord> = jsonCodec((text, file) =>
  parseByContent(text, file, parseCgroupRecord),
);

/**
 * `proc_<N>_outputs.json`, held as its entries in order (the file is the object they make;
 * a name given twice keeps its first place and its last entry, as in an object).
 */
export const PROC_OUTPUTS_FILE: FileCodec<ProcOutputList> = {
  format: (list) => {
    const outputs: ProcOutputs = {};
    for (const [name, entry] of list) outputs[name] = entry;
    return jsonFileText(outputs);
  },
  parse: (text, file) => Object.entries(parseProcOutputs(text, file)),
};

/** `<node>.post.json`, the POST collector's record. */
export const POST_RECORD_FILE: FileCodec<PostRecord> = jsonCodec(parsePostRecord);

/** `merge_output.json`. */
export const MERGE_OUTPUT_FILE: FileCodec<MergeOutput> = jsonCodec(parseMergeOutput);

/** `work_unit_metrics.json`. */
export const WU_METRICS_FILE: FileCodec<WuMetrics> = jsonCodec(parseWuMetrics);

/** `cleanup_manifest.json`. */
export const CLEANUP_MANIFEST_FILE: FileCodec<CleanupManifest> = jsonCodec(parseCleanupManifest);

/** The small text file standing in for a ROOT file. */
export const STAND_IN_FILE: FileCodec<StandIn> = { format: formatStandIn, parse: parseStandIn };
