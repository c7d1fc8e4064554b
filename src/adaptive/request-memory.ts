/**
 * Validation of a request's memory against the per-core window the sites offer
 * (adaptive.md §19.1). The reference specified this check but never enforced it.
 */
import { InputError, inputErrorMessage } from "../model/errors.js";

export interface MemoryWindow {
  /** Memory per core most sites offer (MB). */
  defaultMemoryPerCore: number;
  /** Most memory per core the system may ask for (MB). */
  maxMemoryPerCore: number;
}

export interface FirstRoundMemory {
  /** Memory of the first round's jobs (MB). */
  memoryMb: number;
  /** The request's own memory per core (MB). */
  perCoreMb: number;
  /** `request` when the request asks for more per core than the default (fewer sites). */
  source: "request" | "default";
}

/** A request whose memory per core is above the maximum the sites can be asked for. */
export class MemoryPerCoreError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "MemoryPerCoreError";
  }
}

/**
 * First-round memory of a request with `memoryMb` over `multicore` cores: above the
 * maximum per core the request is rejected (`MemoryPerCoreError`); above the default per
 * core it keeps its own figure; otherwise it gets the default per core × cores.
 * `requestName` names the request in the error message.
 */
export function firstRoundMemory(
  memoryMb: number,
  multicore: number,
  window: MemoryWindow,
  requestName = "request",
): FirstRoundMemory {
  if (!(multicore > 0)) {
    throw new InputError(
      inputErrorMessage({
        entry: requestName,
        field: "Multicore",
        problem: `must be > 0 (got ${multicore})`,
      }),
    );
  }
  const perCore = memoryMb / multicore;
  if (perCore > window.maxMemoryPerCore) {
    throw new MemoryPerCoreError(
      inputErrorMessage({
        entry: requestName,
        field: "Memory",
        problem: `${memoryMb} MB over ${multicore} cores is ${perCore} MB per core, above the maximum of ${window.maxMemoryPerCore} MB per core`,
      }),
    );
  }
  if (perCore > window.defaultMemoryPerCore)
    return { memoryMb, perCoreMb: perCore, source: "request" };
  return {
    memoryMb: window.defaultMemoryPerCore * multicore,
    perCoreMb: perCore,
    source: "default",
  };
}
