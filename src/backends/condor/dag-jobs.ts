/**
 * The payload jobs of a DAG: the query chain of the DAGMan job ClassAds. Jobs whose
 * `DAGManJobId` is the outer cluster are either sub-DAGMans (scheduler universe, 7) or
 * payload jobs; the sub-DAGMans' own children are found the same way, level by level.
 */
import type { CondorContext } from "./command.js";
import { condorQ } from "./condor-cli.js";
import { adNumber, type ClassAd } from "./condor-parse.js";
import { SCHEDULER_UNIVERSE } from "./job-state.js";

/** Sub-DAG nesting followed at most (the planner nests one level). */
export const MAX_DAG_DEPTH = 4;

/** ClassAd constraint: jobs whose DAGMan is one of the given clusters. */
export function dagChildrenConstraint(clusters: readonly string[]): string {
  const terms = clusters.map((c) => `DAGManJobId == ${c}`);
  return terms.length === 1 ? terms[0] : `(${terms.join(" || ")})`;
}

/** `CLUSTER.PROC` of a job ad (undefined without a ClusterId). */
export function jobKey(ad: ClassAd): string | undefined {
  const c = adNumber(ad, "ClusterId");
  return c === undefined ? undefined : `${c}.${adNumber(ad, "ProcId") ?? 0}`;
}

/**
 * Every payload job (universe other than 7) below the DAGMan cluster, in the queue now,
 * with the requested attributes (ClusterId, ProcId and JobUniverse are always asked for).
 */
export async function dagPayloadJobs(
  clusterId: string,
  attrs: readonly string[],
  ctx: CondorContext = {},
): Promise<ClassAd[]> {
  const ask = [...new Set(["ClusterId", "ProcId", "JobUniverse", ...attrs])];
  const payload: ClassAd[] = [];
  let level = [clusterId];
  const seen = new Set(level);
  for (let depth = 0; depth < MAX_DAG_DEPTH && level.length > 0; depth++) {
    const ads = await condorQ(dagChildrenConstraint(level), ask, ctx);
    const next: string[] = [];
    for (const ad of ads) {
      if (adNumber(ad, "JobUniverse") === SCHEDULER_UNIVERSE) {
        const c = adNumber(ad, "ClusterId");
        if (c !== undefined && !seen.has(String(c))) {
          seen.add(String(c));
          next.push(String(c));
        }
      } else {
        payload.push(ad);
      }
    }
    level = next;
  }
  return payload;
}
