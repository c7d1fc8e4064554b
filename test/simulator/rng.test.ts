import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { RngStreams } from "../../simulator/core/rng.js";

describe("named random streams", () => {
  it("draw the generator seeded from (seed, name), seeded at the first draw, one state per name", () => {
    const rng = new RngStreams(7);
    const s = rng.stream("job:a:0");
    rng.stream("never:drawn");
    const ref = seedrandom.alea("7\u0000job:a:0");
    expect([s.next(), s.next()]).toEqual([ref(), ref()]);
    expect(rng.stream("job:a:0").next()).toBe(ref()); // the same stream, state kept
    expect(rng.names()).toEqual(["job:a:0", "never:drawn"]);
    const other = new RngStreams(7).stream("job:a:0");
    expect(other.uniform()).toBe(seedrandom.alea("7\u0000job:a:0")());
  });

  it("gives a once-only stream the draws of the named stream, without remembering it", () => {
    const rng = new RngStreams(7);
    const once = rng.once("job:b:0");
    const named = new RngStreams(7).stream("job:b:0");
    expect([once.uniform(), once.normal(1, 2), once.next()]).toEqual([
      named.uniform(),
      named.normal(1, 2),
      named.next(),
    ]);
    expect(rng.names()).toEqual([]);
    expect(rng.once("job:b:0").next()).toBe(new RngStreams(7).stream("job:b:0").next());
  });
});
