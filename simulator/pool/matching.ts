import type { JobRecord } from "./job-record.js";
import type { Machine } from "./machines.js";

/**
 * Matchmaking rules of the simulated negotiator:
 *  - the job's request_cpus, request_memory (MiB) and request_disk (KiB) must fit the
 *    machine's free resources (HTCondor adds these terms to every job's Requirements);
 *  - when `+DESIRED_Sites` is non-empty, the machine's site must be one of them;
 *  - the job's Requirements must evaluate to exactly true against the machine ad
 *    (GLIDEIN_CMSSite, Machine, Name, Cpus/Memory/Disk = free, Total* = whole machine).
 */
export function matchesNow(job: JobRecord, m: Machine): boolean {
  return (
    m.fits(job.requestCpus, job.requestMemoryMb, job.requestDiskKb) &&
    siteAllowed(job, m) &&
    job.compiledRequirements(job.ad, m.ad) === true
  );
}

function siteAllowed(job: JobRecord, m: Machine): boolean {
  return job.desiredSites.length === 0 || job.desiredSites.includes(m.site);
}

/**
 * Why a job can never match, even on an empty pool; undefined when some machine could
 * run it. Messages name the request and the largest matching machine.
 */
export function unmatchableReason(
  job: JobRecord,
  machines: readonly Machine[],
): string | undefined {
  const atSite = machines.filter((m) => siteAllowed(job, m));
  if (atSite.length === 0) {
    const sites = [...new Set(machines.map((m) => m.site))].sort().join(",");
    return `DESIRED_Sites "${job.desiredSites.join(",")}" names no site of the pool (pool sites: ${sites})`;
  }
  const eligible = atSite.filter((m) => job.compiledRequirements(job.ad, m.emptyAd) === true);
  if (eligible.length === 0) {
    return `Requirements (${job.requirements}) match no machine of the pool`;
  }
  if (eligible.some((m) => m.couldFit(job.requestCpus, job.requestMemoryMb, job.requestDiskKb))) {
    return undefined;
  }
  const maxCores = Math.max(...eligible.map((m) => m.cores));
  const maxMem = Math.max(...eligible.map((m) => m.memoryMb));
  const maxDisk = Math.max(...eligible.map((m) => m.diskKb));
  const over: string[] = [];
  if (job.requestCpus > maxCores) {
    over.push(`request_cpus ${job.requestCpus} > ${maxCores} cores`);
  }
  if (job.requestMemoryMb > maxMem) {
    over.push(`request_memory ${job.requestMemoryMb} MiB > ${maxMem} MB`);
  }
  if (job.requestDiskKb > maxDisk) {
    over.push(`request_disk ${job.requestDiskKb} KiB > ${maxDisk} KB`);
  }
  if (over.length > 0) return `too large for every matching machine: ${over.join(", ")}`;
  return (
    `no single matching machine has request_cpus ${job.requestCpus}, ` +
    `request_memory ${job.requestMemoryMb} MiB and request_disk ${job.requestDiskKb} KiB together`
  );
}
