import seedrandom from "seedrandom";

/**
 * Named, seeded random streams. Each stream is its own generator seeded from
 * (seed, name) alone, so its draws do not depend on event order, on how many other
 * streams exist, or on how many numbers other streams have drawn. Asking for the same
 * name twice returns the same (stateful) stream.
 *
 * Naming convention: slash-separated, most general first, e.g. `pool/latency` or
 * `payload/<workflow>/<node>/wall`.
 */
export class RngStreams {
  private readonly streams = new Map<string, RngStream>();

  constructor(readonly seed: string | number) {}

  stream(name: string): RngStream {
    let s = this.streams.get(name);
    if (!s) {
      s = new RngStream(name, `${this.seed}\u0000${name}`);
      this.streams.set(name, s);
    }
    return s;
  }

  /**
   * A stream for a name that is asked for once only (a job attempt's, a script run's): the
   * same draws as `stream(name)`, but not remembered, so a long run does not keep one per
   * job. Asking again starts the sequence again.
   */
  once(name: string): RngStream {
    return new RngStream(name, `${this.seed}\u0000${name}`);
  }

  /** Names of the streams created so far by `stream`, sorted. */
  names(): string[] {
    return [...this.streams.keys()].sort();
  }
}

/**
 * One deterministic generator, seeded when it is first drawn from (many streams, e.g. one
 * per job attempt, are never drawn from; seeding is most of the cost of one that is).
 */
export class RngStream {
  private spare = 0;
  private hasSpare = false;
  private gen: (() => number) | undefined;

  constructor(
    readonly name: string,
    private readonly seedText: string,
  ) {}

  private prng(): number {
    this.gen ??= seedrandom.alea(this.seedText);
    return this.gen();
  }

  /** A uniform number in [0, 1). */
  next(): number {
    return this.prng();
  }

  /** A uniform number in [min, max). */
  uniform(min = 0, max = 1): number {
    return min + (max - min) * this.prng();
  }

  /** A normally distributed number (Box-Muller; the second value of each pair is kept). */
  normal(mean = 0, sd = 1): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return mean + sd * this.spare;
    }
    let u1 = this.prng();
    while (u1 === 0) u1 = this.prng();
    const u2 = this.prng();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return mean + sd * r * Math.cos(theta);
  }

  /** A uniform integer in [min, max], both ends included. */
  integer(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`integer(${min}, ${max}): need integers with min <= max`);
    }
    return min + Math.floor(this.prng() * (max - min + 1));
  }

  /** An exponentially distributed number with the given mean (e.g. a waiting time). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.prng());
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.prng() < p;
  }
}
