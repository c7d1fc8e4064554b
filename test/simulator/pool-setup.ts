import { Simulation } from "../../simulator/core/simulation.js";
import { Pool } from "../../simulator/pool/pool.js";
import type {
  JobRunPlan,
  JobSubmit,
  MachineSpec,
  PoolConfig,
  PoolListener,
} from "../../simulator/pool/types.js";

export function machine(over: Partial<MachineSpec> = {}): MachineSpec {
  return {
    name: "wn",
    count: 1,
    cores: 8,
    memoryMb: 16000,
    diskKb: 10_000_000,
    site: "T2_CH_CERN",
    ...over,
  };
}

export function makePool(machines: MachineSpec[], over: Partial<PoolConfig> = {}) {
  const sim = new Simulation();
  const pool = new Pool(sim, {
    negotiationIntervalSec: 10,
    firstClusterId: 1000,
    machines,
    ...over,
  });
  const log: string[] = [];
  const listener: PoolListener = {
    onSubmit: (j) => log.push(`${sim.now} submit ${j.id}`),
    onExecute: (j) => log.push(`${sim.now} execute ${j.id} ${j.lastRun?.slotName}`),
    onImageSize: (j, u) => log.push(`${sim.now} image ${j.id} ${u.memoryUsageMb}`),
    onTerminate: (j, e) =>
      log.push(
        `${sim.now} terminate ${j.id} ${e.signal !== undefined ? `sig${e.signal}` : e.exitCode}`,
      ),
    onHold: (j, h) => log.push(`${sim.now} hold ${j.id} ${h.code}/${h.subCode}`),
    onRelease: (j) => log.push(`${sim.now} release ${j.id}`),
    onRemove: (j, i) =>
      log.push(`${sim.now} remove ${j.id} ${i.wasRunning ? "running" : "queued"}`),
  };
  pool.listen(listener);
  return { sim, pool, log };
}

/** A job spec whose every run follows `plan` (default: 100 s, exit 0). */
export function job(over: Partial<JobSubmit> = {}, plan: Partial<JobRunPlan> = {}): JobSubmit {
  return {
    requestCpus: 1,
    requestMemoryMb: 1000,
    requestDiskKb: 1000,
    driver: () => ({ durationSec: 100, ...plan }),
    ...over,
  };
}
