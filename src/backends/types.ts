/**
 * What the matrix runner needs from a place that runs DAGs: the embedded simulator
 * (`sim`) or a live HTCondor pool (`condor`). Control loops only ever wait through
 * `clock.sleep`, so the same runner and monitor code drive both: on `sim` a sleep
 * advances virtual time, on a live pool it waits.
 */
import type { DagmanZone } from "../dagman/dagman-time.js";

export interface Clock {
  /** Epoch seconds (virtual on sim). */
  now(): number;
  sleep(sec: number): Promise<void>;
}

export interface DagHandle {
  /** Cluster id of the DAGMan job (as a string, e.g. "4500"). */
  clusterId: string;
  dagFile: string;
}

export type DagJobState =
  | { state: "queued" | "running" }
  | { state: "completed"; exitCode: number }
  | { state: "removed" }
  | { state: "unknown"; detail: string };

export interface CpuSample {
  /** Epoch seconds of the sample. */
  time: number;
  /** Cores busy on behalf of the workflow's jobs. */
  cores: number;
}

export interface Backend {
  readonly name: "sim" | "condor";
  readonly clock: Clock;
  /** The zone DAGMan writes `.dagman.out` times in: the simulator's UTC, a live pool's local. */
  readonly dagmanZone: DagmanZone;
  /** Submit a DAG (never with -force, so rescue DAGs are honoured). */
  submitDag(dagFile: string): Promise<DagHandle>;
  /** State of the DAGMan job in the queue, or its exit from history. */
  dagJobState(h: DagHandle): Promise<DagJobState>;
  /** condor_rm of the DAGMan job (writes a rescue DAG). */
  remove(h: DagHandle): Promise<void>;
  /** Cores busy by the workflow's jobs right now. */
  cpuSample(h: DagHandle): Promise<CpuSample | undefined>;
  /** Release resources (sessions, child processes). */
  close(): Promise<void>;
}
