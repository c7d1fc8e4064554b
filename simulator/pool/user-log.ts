import type { JobLogEvent, LogValue, ResourceRow, Rusage } from "../../src/dagman/event-log.js";
import type { PoolJob, PoolListener } from "./types.js";

export interface UserLogOptions {
  /** Added to virtual time to get epoch seconds (default 0: the clock counts epoch seconds). */
  epochOffsetSec?: number;
  /** Shown in `Job submitted from host:` (default `<127.0.0.1:9618?sock=schedd>`). */
  submitHost?: string;
  /** Receives each event when the pool produces it (e.g. appends it to the job's log file). */
  write(event: JobLogEvent, job: PoolJob): void;
}

/** The job id fields of an event. */
function ids(job: PoolJob): { cluster: number; proc: number; subproc: number } {
  return { cluster: job.cluster, proc: job.proc, subproc: 0 };
}

/**
 * Parts of events that jobs have alike, shared (frozen) while they repeat: a job log keeps
 * its events, and jobs of one kind run on alike slots with the same figures. A part is made
 * anew when a figure differs from the last one's.
 */
class SharedParts {
  private readonly hosts = new Map<string, string>();
  private lastAttrs?: Readonly<Record<string, LogValue>>;
  private lastUsage?: Rusage;
  private lastResources?: Readonly<Record<string, ResourceRow>>;
  private readonly resourceFigures = new Float64Array(9);

  /** The `<machine:9618>` address of a machine. */
  host(machine: string): string {
    let h = this.hosts.get(machine);
    if (h === undefined) {
      h = `<${machine}:9618>`;
      this.hosts.set(machine, h);
    }
    return h;
  }

  attrs(cpus: number, diskKb: number, memoryMb: number): Readonly<Record<string, LogValue>> {
    const a = this.lastAttrs;
    if (a !== undefined && a.Cpus === cpus && a.Disk === diskKb && a.Memory === memoryMb) return a;
    this.lastAttrs = Object.freeze({ Cpus: cpus, Disk: diskKb, Memory: memoryMb });
    return this.lastAttrs;
  }

  usage(userSec: number): Rusage {
    const u = this.lastUsage;
    if (u !== undefined && u.userSec === userSec) return u;
    this.lastUsage = Object.freeze({ userSec, sysSec: 0 });
    return this.lastUsage;
  }

  /** The resource table of a terminated event: its rows' figures, row by row. */
  resources(
    cpuUsage: number,
    reqCpus: number,
    cpus: number,
    reqDisk: number,
    disk: number,
    memUsage: number,
    reqMem: number,
    mem: number,
    wall: number,
  ): Readonly<Record<string, ResourceRow>> {
    const last = this.resourceFigures;
    const figures = [cpuUsage, reqCpus, cpus, reqDisk, disk, memUsage, reqMem, mem, wall];
    let same = this.lastResources !== undefined;
    for (let i = 0; i < 9; i++) {
      if (last[i] !== figures[i]) same = false;
      last[i] = figures[i];
    }
    if (same) return this.lastResources as Readonly<Record<string, ResourceRow>>;
    const row = (r: ResourceRow) => Object.freeze(r);
    this.lastResources = Object.freeze({
      Cpus: row({ usage: cpuUsage, request: reqCpus, allocated: cpus }),
      "Disk (KB)": row({ request: reqDisk, allocated: disk }),
      "Memory (MB)": row({ usage: memUsage, request: reqMem, allocated: mem }),
      "TimeExecute (s)": row({ usage: wall }),
    });
    return this.lastResources;
  }
}

/**
 * A pool listener that turns what happens to jobs into HTCondor job-log events (000
 * submitted, 001 executing, 006 image size, 005 terminated, 012 held, 013 released,
 * 009 aborted). The `DAG Node:` line comes from the job's `DAGNodeName` attribute.
 * Format the events with `formatEvent` from src/dagman/event-log.ts.
 */
export function userLogListener(
  clock: { readonly now: number },
  options: UserLogOptions,
): PoolListener {
  const offset = options.epochOffsetSec ?? 0;
  const host = options.submitHost ?? "<127.0.0.1:9618?sock=schedd>";
  const time = () => Math.floor(clock.now + offset);
  const emit = (job: PoolJob, ev: JobLogEvent) => options.write(ev, job);
  const shared = new SharedParts();
  return {
    onSubmit(job) {
      const node = job.attr("dagnodename");
      const ev: JobLogEvent = {
        kind: "submit",
        cluster: job.cluster,
        proc: job.proc,
        subproc: 0,
        time: time(),
        host,
      };
      if (node !== undefined) ev.dagNode = String(node);
      emit(job, ev);
    },
    onExecute(job) {
      const run = job.lastRun!;
      emit(job, {
        kind: "execute",
        cluster: job.cluster,
        proc: job.proc,
        subproc: 0,
        time: time(),
        host: shared.host(run.machine),
        slotName: run.slotName,
        attrs: shared.attrs(run.cpus, run.diskKb, run.memoryMb),
      });
    },
    onImageSize(job, usage) {
      emit(job, {
        kind: "imageSize",
        cluster: job.cluster,
        proc: job.proc,
        subproc: 0,
        time: time(),
        imageSizeKb: Math.round(usage.memoryUsageMb * 1024),
        memoryUsageMb: Math.ceil(usage.memoryUsageMb),
        residentSetSizeKb: usage.residentSetSizeKb,
      });
    },
    onTerminate(job, exit) {
      const run = job.lastRun!;
      const wall = (run.end ?? clock.now) - run.start;
      const resources = shared.resources(
        wall > 0 ? Math.round((run.cpuSec / wall) * 100) / 100 : 0,
        job.requestCpus,
        run.cpus,
        job.requestDiskKb,
        run.diskKb,
        Math.ceil(run.memoryPeakMb),
        job.requestMemoryMb,
        run.memoryMb,
        Math.round(wall),
      );
      const runRemoteUsage = shared.usage(run.cpuSec);
      const t = time();
      const { cluster, proc } = job;
      emit(
        job,
        exit.signal !== undefined
          ? {
              kind: "terminated",
              cluster,
              proc,
              subproc: 0,
              time: t,
              normal: false,
              signal: exit.signal,
              runRemoteUsage,
              resources,
            }
          : {
              kind: "terminated",
              cluster,
              proc,
              subproc: 0,
              time: t,
              normal: true,
              returnValue: exit.exitCode,
              runRemoteUsage,
              resources,
            },
      );
    },
    onHold(job, hold) {
      emit(job, {
        kind: "held",
        ...ids(job),
        time: time(),
        reason: hold.reason,
        reasonCode: hold.code,
        reasonSubcode: hold.subCode,
      });
    },
    onRelease(job) {
      const reason = "via condor_release (by user wms2)";
      emit(job, { kind: "released", ...ids(job), time: time(), reason });
    },
    onRemove(job, info) {
      emit(job, { kind: "aborted", ...ids(job), time: time(), reason: info.reason });
    },
  };
}
