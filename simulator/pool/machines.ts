import type { AdLookup, ClassAdValue } from "./classad-expr.js";
import type { MachineSpec } from "./types.js";

/** A dynamic slot carved from a machine's partitionable slot for one job. */
export interface Slot {
  readonly machine: Machine;
  /** Dynamic slot number (the `N` of `slot1_N@machine`). */
  readonly index: number;
  readonly name: string;
  readonly cpus: number;
  readonly memoryMb: number;
  readonly diskKb: number;
  readonly jobId: number;
}

/**
 * One execute machine with a single partitionable slot (`slot1@name`). Claims carve
 * dynamic slots out of the free cpus, memory and disk; releasing a claim returns them.
 * A claim that does not fit throws, so the machine can never be over-committed.
 */
export class Machine {
  freeCpus: number;
  freeMemoryMb: number;
  freeDiskKb: number;
  private readonly slots: (Slot | undefined)[] = [];
  /** The machine's ClassAd as seen by a job's Requirements (current free resources). */
  readonly ad: AdLookup;
  /** The same ad for the empty machine (to decide whether a job could ever match). */
  readonly emptyAd: AdLookup;

  constructor(
    readonly name: string,
    readonly site: string,
    readonly cores: number,
    readonly memoryMb: number,
    readonly diskKb: number,
  ) {
    this.freeCpus = cores;
    this.freeMemoryMb = memoryMb;
    this.freeDiskKb = diskKb;
    this.ad = (attr) => this.attr(attr, false);
    this.emptyAd = (attr) => this.attr(attr, true);
  }

  fits(cpus: number, memoryMb: number, diskKb: number): boolean {
    return cpus <= this.freeCpus && memoryMb <= this.freeMemoryMb && diskKb <= this.freeDiskKb;
  }

  /** Whether the job could run here if the machine were empty. */
  couldFit(cpus: number, memoryMb: number, diskKb: number): boolean {
    return cpus <= this.cores && memoryMb <= this.memoryMb && diskKb <= this.diskKb;
  }

  claim(jobId: number, cpus: number, memoryMb: number, diskKb: number): Slot {
    if (!this.fits(cpus, memoryMb, diskKb)) {
      throw new Error(
        `machine ${this.name}: claim of job ${jobId} does not fit the free resources`,
      );
    }
    let index = 1;
    while (this.slots[index] !== undefined) index++;
    const slot: Slot = {
      machine: this,
      index,
      name: `slot1_${index}@${this.name}`,
      cpus,
      memoryMb,
      diskKb,
      jobId,
    };
    this.slots[index] = slot;
    this.freeCpus -= cpus;
    this.freeMemoryMb -= memoryMb;
    this.freeDiskKb -= diskKb;
    return slot;
  }

  release(slot: Slot): void {
    if (this.slots[slot.index] !== slot) {
      throw new Error(`machine ${this.name}: ${slot.name} is not claimed`);
    }
    this.slots[slot.index] = undefined;
    this.freeCpus += slot.cpus;
    this.freeMemoryMb += slot.memoryMb;
    this.freeDiskKb += slot.diskKb;
  }

  /** Dynamic slots currently claimed, by slot number. */
  claimedSlots(): Slot[] {
    return this.slots.filter((s): s is Slot => s !== undefined);
  }

  private attr(lowerName: string, empty: boolean): ClassAdValue {
    switch (lowerName) {
      case "glidein_cmssite":
        return this.site;
      case "machine":
        return this.name;
      case "name":
        return `slot1@${this.name}`;
      case "cpus":
        return empty ? this.cores : this.freeCpus;
      case "memory":
        return empty ? this.memoryMb : this.freeMemoryMb;
      case "disk":
        return empty ? this.diskKb : this.freeDiskKb;
      case "totalcpus":
        return this.cores;
      case "totalmemory":
        return this.memoryMb;
      case "totaldisk":
        return this.diskKb;
      case "partitionableslot":
        return true;
      default:
        return undefined;
    }
  }
}

/**
 * Builds the machines of a pool description in order. A spec with `count` 1 keeps its
 * name; otherwise machines are named `<name>-<i>` with i from 1, zero-padded to the
 * width of `count` (e.g. `wn-01` .. `wn-16`).
 */
export function buildMachines(specs: readonly MachineSpec[]): Machine[] {
  const out: Machine[] = [];
  const seen = new Set<string>();
  for (const s of specs) {
    const width = String(s.count).length;
    for (let i = 1; i <= s.count; i++) {
      const name = s.count === 1 ? s.name : `${s.name}-${String(i).padStart(width, "0")}`;
      if (seen.has(name)) throw new Error(`pool: duplicate machine name ${name}`);
      seen.add(name);
      out.push(new Machine(name, s.site, s.cores, s.memoryMb, s.diskKb));
    }
  }
  return out;
}

/** A machine and its claimed dynamic slots (a snapshot). */
export interface MachineState {
  name: string;
  site: string;
  cores: number;
  memoryMb: number;
  diskKb: number;
  freeCpus: number;
  freeMemoryMb: number;
  freeDiskKb: number;
  slots: { name: string; jobId: number; cpus: number; memoryMb: number; diskKb: number }[];
}

export function machineState(m: Machine): MachineState {
  return {
    name: m.name,
    site: m.site,
    cores: m.cores,
    memoryMb: m.memoryMb,
    diskKb: m.diskKb,
    freeCpus: m.freeCpus,
    freeMemoryMb: m.freeMemoryMb,
    freeDiskKb: m.freeDiskKb,
    slots: m.claimedSlots().map((s) => ({
      name: s.name,
      jobId: s.jobId,
      cpus: s.cpus,
      memoryMb: s.memoryMb,
      diskKb: s.diskKb,
    })),
  };
}
