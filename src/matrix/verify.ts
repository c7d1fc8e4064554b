import type { DatasetOutput } from "../model/results.js";
import type { VerifySpec } from "../model/workflow.js";

/** What the runner observed about a finished (or timed-out) workflow. */
export interface Observed {
  /** completed: DAGMan exited; removed; timeout: the runner gave up and removed it. */
  dagState: "completed" | "removed" | "timeout";
  exitCode: number | null;
  /** DAG_Status from the metrics file, when known. */
  dagStatus: number | null;
  rescueDags: string[];
  datasets: DatasetOutput[];
  /** Jobs held for memory (HoldReasonCode 34), by work-unit index. */
  memoryHolds?: Record<number, number>;
}

/**
 * Check a VerifySpec against what happened. Success means DAGMan completed with exit
 * code 0 AND no rescue DAG anywhere (completion alone is not success). Returns the
 * reasons for failure, empty when the expectation holds.
 */
export function verifyOutcome(spec: VerifySpec, obs: Observed): string[] {
  const reasons: string[] = [];
  const succeeded =
    obs.dagState === "completed" && obs.exitCode === 0 && obs.rescueDags.length === 0;
  const rescueNames = obs.rescueDags.map((p) => p.split("/").slice(-2).join("/"));
  if (spec.expectSuccess && !succeeded) {
    if (obs.dagState === "timeout") reasons.push("DAG timed out");
    else if (obs.dagState === "removed") reasons.push("DAG was removed");
    else if (obs.rescueDags.length > 0)
      reasons.push(`DAG completed but ${obs.rescueDags.length} rescue DAG(s) generated`);
    else reasons.push(`expected success but DAGMan exited with status ${obs.exitCode}`);
  }
  if (!spec.expectSuccess && succeeded)
    reasons.push("expected failure but DAG completed with all nodes successful");
  if (!spec.expectSuccess && obs.dagState === "timeout")
    reasons.push("expected failure but DAG timed out instead");
  if (spec.expectRescueDag && obs.rescueDags.length === 0)
    reasons.push("expected rescue DAG but none found");
  if (!spec.expectRescueDag && obs.rescueDags.length > 0 && !(spec.expectSuccess && !succeeded)) {
    reasons.push(`unexpected rescue DAG(s): [${rescueNames.join(", ")}]`);
  }
  if (spec.expectDagStatus !== undefined && obs.dagStatus !== spec.expectDagStatus) {
    reasons.push(`expected DAG_Status ${spec.expectDagStatus} but got ${obs.dagStatus ?? "none"}`);
  }
  if (spec.expectMemoryHolds) {
    const held = Object.entries(obs.memoryHolds ?? {})
      .filter(([, n]) => n > 0)
      .map(([wu]) => Number(wu))
      .sort((a, b) => a - b);
    const want = [...spec.expectMemoryHolds].sort((a, b) => a - b);
    if (held.join(",") !== want.join(",")) {
      reasons.push(
        `expected memory holds in work unit(s) [${want.join(", ")}] but they happened in [${held.join(", ")}]`,
      );
    }
  }
  const withFiles = obs.datasets.filter((d) => d.mergedFiles > 0);
  if (spec.expectMergedOutputs) {
    const missing = obs.datasets
      .filter((d) => d.kept !== false && d.mergedFiles === 0)
      .map((d) => d.datasetName);
    if (missing.length > 0) reasons.push(`no merged output for ${missing.join(", ")}`);
  } else if (withFiles.length > 0) {
    reasons.push(
      `expected no merged outputs but found ${withFiles.reduce((s, d) => s + d.mergedFiles, 0)} file(s)`,
    );
  }
  if (spec.expectCleanupRan) {
    const left = obs.datasets.filter((d) => d.unmergedLeft > 0);
    if (left.length > 0) {
      reasons.push(
        `expected cleanup but unmerged files still exist (${left.map((d) => `${d.datasetName}: ${d.unmergedLeft}`).join(", ")})`,
      );
    }
  }
  return reasons;
}
