import type { JobLogEvent, ResourceRow } from "../../src/dagman/event-log.js";
import type { PoolJob, PoolListener } from "./types.js";

export interface UserLogOptions {
  /** Added to virtual time to get epoch seconds (default 0: the clock counts epoch seconds). */
  epochOffsetSec?: number;
  /** Shown in `Job submitted from host:` (default `<127.0.0.1:9618?sock=schedd>`). */
  submitHost?: string;
  /** Receives each event when the pool produces it (e.g. appends it to the job's log file). */
  write(event: JobLogEvent, job: PoolJob): void;
}

/**
 * A pool listener that turns what happens to jobs into HTCondor job-log events (000
 * submitted, 001 executing, 006 image size, 005 terminated, 012 held, 013 released,
 * 009 aborted). The `DAG Node:` line comes from the job's `DAGNodeName` attribute.
 * Format the events with `formatEvent` from src/dagman/event-log.ts.
 */
/** The job id fields of an event. */
function ids(job: PoolJob): { cluster: number; proc: number; subproc: number } {
  return { cluster: job.cluster, proc: job.proc, subproc: 0 };
}

export function userLogListener(
  clock: { readonly now: number },
  options: UserLogOptions,
): PoolListener {
  const offset = options.epochOffsetSec ?? 0;
  const host = options.submitHost ?? "<127.0.0.1:9618?sock=schedd>";
  const time = () => Math.floor(clock.now + offset);
  const emit = (job: PoolJob, ev: JobLogEvent) => options.write(ev, job);
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
        host: `<${run.machine}:9618>`,
        slotName: run.slotName,
        attrs: { Cpus: run.cpus, Disk: run.diskKb, Memory: run.memoryMb },
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
      const resources: Record<string, ResourceRow> = {
        Cpus: {
          usage: wall > 0 ? Math.round((run.cpuSec / wall) * 100) / 100 : 0,
          request: job.requestCpus,
          allocated: run.cpus,
        },
        "Disk (KB)": { request: job.requestDiskKb, allocated: run.diskKb },
        "Memory (MB)": {
          usage: Math.ceil(run.memoryPeakMb),
          request: job.requestMemoryMb,
          allocated: run.memoryMb,
        },
        "TimeExecute (s)": { usage: Math.round(wall) },
      };
      const usage = { userSec: run.cpuSec, sysSec: 0 };
      const at = { cluster: job.cluster, proc: job.proc, subproc: 0, time: time() };
      emit(
        job,
        exit.signal !== undefined
          ? {
              kind: "terminated",
              ...at,
              normal: false,
              signal: exit.signal,
              runRemoteUsage: usage,
              resources,
            }
          : {
              kind: "terminated",
              ...at,
              normal: true,
              returnValue: exit.exitCode,
              runRemoteUsage: usage,
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
