import { readsTargetOnly } from "./classad-expr.js";
import type { JobRecord } from "./job-record.js";
import type { Machine } from "./machines.js";
import { unmatchableReason } from "./matching.js";

/** What the unmatchable reason of a job whose Requirements read only the machine ad follows from. */
type PlainRequest = Pick<
  JobRecord,
  "requirements" | "desiredSites" | "requestCpus" | "requestMemoryMb" | "requestDiskKb"
>;

/**
 * Why a job can never match any machine of the pool (undefined when some machine could
 * take it), judged at submission. The machines never change, so for a job whose
 * Requirements read only the machine ad (or that has none) the verdict follows from those
 * Requirements, its sites and its request alone: found once per such combination. Jobs of
 * one kind come in a row, so the last combination is compared first, before a key is made.
 */
export class UnmatchableVerdicts {
  private readonly byRequest = new Map<string, string | undefined>();
  private last?: { job: PlainRequest; reason: string | undefined };

  constructor(private readonly machines: readonly Machine[]) {}

  reason(job: JobRecord): string | undefined {
    if (!readsTargetOnly(job.compiledRequirements)) return unmatchableReason(job, this.machines);
    const last = this.last;
    if (last !== undefined && sameRequest(last.job, job)) return last.reason;
    const key = `${job.requirements}\u0000${job.desiredSites.join("\u0000")}\u0000${job.requestCpus}|${job.requestMemoryMb}|${job.requestDiskKb}`;
    let reason: string | undefined;
    if (this.byRequest.has(key)) {
      reason = this.byRequest.get(key);
    } else {
      reason = unmatchableReason(job, this.machines);
      this.byRequest.set(key, reason);
    }
    this.last = { job: requestOf(job), reason };
    return reason;
  }
}

/** A copy of the request (a job's own fields change with condor_qedit). */
function requestOf(job: PlainRequest): PlainRequest {
  return {
    requirements: job.requirements,
    desiredSites: job.desiredSites,
    requestCpus: job.requestCpus,
    requestMemoryMb: job.requestMemoryMb,
    requestDiskKb: job.requestDiskKb,
  };
}

function sameRequest(a: PlainRequest, b: PlainRequest): boolean {
  return (
    a.requirements === b.requirements &&
    a.requestCpus === b.requestCpus &&
    a.requestMemoryMb === b.requestMemoryMb &&
    a.requestDiskKb === b.requestDiskKb &&
    sameList(a.desiredSites, b.desiredSites)
  );
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
