/**
 * The schedd's periodic policy for held jobs, for the forms WMS2 writes:
 * - periodic_release `(NumJobStarts < N) && (HoldReasonCode == a || HoldReasonCode == b ...)`
 *   releases a held job whose hold code is listed while it has started fewer than N times;
 * - a periodic_remove term `(JobStatus == 5 && (time() - EnteredCurrentStatus) > T)` removes
 *   a job that stayed held for more than T seconds.
 * The schedd evaluates both every PERIODIC_EXPR_INTERVAL seconds, so the action happens at
 * the first evaluation after the condition became true.
 */
export interface HeldPolicy {
  releaseCodes: number[];
  maxStarts: number;
  heldTimeoutSec?: number;
}

/** Policies by periodic_release, then periodic_remove expression. */
const policies = new Map<string, Map<string, HeldPolicy>>();

/** The policy of a job's expressions (jobs of one kind share them: read once per pair). */
export function heldPolicy(periodicRelease: string, periodicRemove: string): HeldPolicy {
  let byRemove = policies.get(periodicRelease);
  if (!byRemove) {
    if (policies.size >= 256) policies.clear();
    byRemove = new Map();
    policies.set(periodicRelease, byRemove);
  }
  let p = byRemove.get(periodicRemove);
  if (!p) {
    p = Object.freeze(readPolicy(periodicRelease, periodicRemove));
    if (byRemove.size >= 256) byRemove.clear();
    byRemove.set(periodicRemove, p);
  }
  return p;
}

function readPolicy(periodicRelease: string, periodicRemove: string): HeldPolicy {
  const releaseCodes = [...periodicRelease.matchAll(/HoldReasonCode\s*==\s*(\d+)/g)].map((m) =>
    Number(m[1]),
  );
  const starts = /NumJobStarts\s*<\s*(\d+)/.exec(periodicRelease);
  const held =
    /JobStatus\s*==\s*5\s*&&\s*\(\s*time\(\)\s*-\s*EnteredCurrentStatus\s*\)\s*>\s*(\d+)/.exec(
      periodicRemove,
    );
  return {
    releaseCodes,
    maxStarts: starts ? Number(starts[1]) : Number.POSITIVE_INFINITY,
    heldTimeoutSec: held ? Number(held[1]) : undefined,
  };
}

/** First periodic evaluation strictly after `t` on the schedd's grid. */
export function nextEvaluation(t: number, intervalSec: number): number {
  return (Math.floor(t / intervalSec) + 1) * intervalSec;
}
