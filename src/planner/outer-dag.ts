import type { DagModel, DagNode } from "../dagman/model.js";
import { NO_RETRY_EXIT } from "./group-dag.js";
import { workUnitName } from "./lfn.js";

/** dagman.config the planner writes: non-strict, at most 10 rescue files, 5 s log scan. */
export const DAGMAN_CONFIG: Record<string, string> = {
  DAGMAN_USE_STRICT: "0",
  DAGMAN_MAX_RESCUE_NUM: "10",
  DAGMAN_USER_LOG_SCAN_INTERVAL: "5",
};

export function formatDagmanConfig(cfg: Record<string, string>): string {
  return `${Object.entries(cfg)
    .map(([k, v]) => `${k} = ${v}`)
    .join("\n")}\n`;
}

/**
 * The outer workflow.dag: one SUBDAG EXTERNAL per work unit WITH its DIR (so relative
 * paths of the inner DAG resolve in the group directory), a WU-level POST and
 * RETRY ... UNLESS-EXIT 42. No edges: all work units may start at once.
 */
export function outerDag(
  workflowId: string,
  submitDir: string,
  groupCount: number,
  wuRetryCount: number,
): DagModel {
  const nodes: DagNode[] = [];
  for (let i = 0; i < groupCount; i++) {
    const name = workUnitName(i);
    const dir = `${submitDir}/${name}`;
    const node: DagNode = {
      name,
      kind: "SUBDAG",
      file: `${dir}/group.dag`,
      dir,
      post: { executable: `${submitDir}/wu_post.sh`, args: ["$JOB", "$RETURN", dir] },
    };
    if (wuRetryCount > 0) {
      node.retry = { count: wuRetryCount, unlessExit: NO_RETRY_EXIT };
      node.retryWithNode = true;
    }
    nodes.push(node);
  }
  return {
    header: [` WMS2-generated DAG for workflow ${workflowId}`],
    config: `${submitDir}/dagman.config`,
    nodeStatusFile: { file: `${submitDir}/workflow.dag.status` },
    nodes,
    edges: [],
    maxJobs: {},
    other: [],
  };
}
