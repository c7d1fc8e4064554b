/**
 * The job limits every submit file carries: which held jobs the schedd releases, when it
 * removes a job (periodic_remove and the reason it records), and the measured wall limit.
 */

export type JobKind = "landing" | "proc" | "merge" | "cleanup";

/**
 * Release jobs held for transient infrastructure reasons, at most 5 starts: hold code 6
 * (the starter could not start the executable) and 13 (input file transfer failed). The
 * reference also listed 28 and 30, which are not input-side transients in HTCondor's table.
 */
export const PERIODIC_RELEASE =
  "(NumJobStarts < 5) && (HoldReasonCode == 6 || HoldReasonCode == 13)";

/** Disk usage above which a job is removed (KiB, 20 GiB). */
const DISK_LIMIT_KB = 20971520;

/**
 * periodic_remove: zombie (running, < 60 s CPU after 1800 s), hard wall time (running >
 * 172800 s), held > 420 s, idle beyond the idle timeout, disk above 20 GiB, plus the
 * measured wall limit when known. The reason names the first term that fired.
 */
export function periodicRemove(c: {
  kind: JobKind;
  idleTimeoutSec: number;
  wallLimitMin?: number;
}): {
  expr: string;
  reason: string;
} {
  const key = `${c.kind}|${c.idleTimeoutSec}|${c.wallLimitMin ?? ""}`;
  let hit = removeCache.get(key);
  if (!hit) {
    hit = periodicRemoveUncached(c);
    removeCache.set(key, hit);
  }
  return hit;
}

const removeCache = new Map<string, { expr: string; reason: string }>();

function periodicRemoveUncached(c: {
  kind: JobKind;
  idleTimeoutSec: number;
  wallLimitMin?: number;
}): {
  expr: string;
  reason: string;
} {
  const age = "(time() - EnteredCurrentStatus)";
  const terms: [string, string][] = [];
  if (c.kind === "proc" || c.kind === "merge") {
    terms.push([
      `(JobStatus == 2 && (RemoteUserCpu + RemoteSysCpu) < 60 && ${age} > 1800)`,
      "zombie job (no CPU used in 1800 s)",
    ]);
    terms.push([`(JobStatus == 2 && ${age} > 172800)`, "hard wall time exceeded (172800 s)"]);
  }
  if (c.wallLimitMin !== undefined) {
    terms.push([
      `(JobStatus == 2 && ${age} > ${c.wallLimitMin * 60})`,
      `wall time limit exceeded (${c.wallLimitMin} min)`,
    ]);
  }
  terms.push([`(JobStatus == 5 && ${age} > 420)`, "held for more than 420 s"]);
  terms.push([
    `(JobStatus == 1 && ${age} > ${c.idleTimeoutSec})`,
    `idle for more than ${c.idleTimeoutSec} s`,
  ]);
  terms.push([`(DiskUsage > ${DISK_LIMIT_KB})`, `disk usage above ${DISK_LIMIT_KB} KiB`]);
  const expr = terms.map((t) => t[0]).join(" || ");
  let reason = '"unknown"';
  for (let i = terms.length - 1; i >= 0; i--) {
    reason = `ifThenElse(${terms[i][0]}, "${terms[i][1]}", ${reason})`;
  }
  return { expr, reason: `strcat("WMS2: ", ${reason})` };
}

/** Measured wall limit (minutes) = max(120, floor((wpe*epj + 600)*1.5/60) + 1). */
export function measuredWallLimitMin(wallPerEvent: number, eventsPerJob: number): number {
  return Math.max(120, Math.floor(((wallPerEvent * eventsPerJob + 600) * 1.5) / 60) + 1);
}
