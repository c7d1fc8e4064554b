import { describe, expect, it } from "vitest";
import { computeThroughputOptimization } from "../../src/adaptive/index.js";
import { metricsOf } from "./metrics-builder.js";

const walls = (...steps: number[][]) => metricsOf(steps.map((wall) => ({ wall, eff: [0.5] })));

describe("computeThroughputOptimization (adaptive.md §13)", () => {
  it("medians 1300 + 200 at 1000 events: 1.5 s/event, 18800 clamped to 2000", () => {
    expect(
      computeThroughputOptimization(walls([1000, 1400, 1200, 5000], [300, 100, 200]), 1000, 28800),
    ).toEqual({
      tunedEventsPerJob: 2000,
      measuredWallPerEventSec: 1.5,
      estimatedTotalWallSec: 3600,
      totalMedianWallSec: 1500,
    });
  });

  it("11100.25 s at 500 events: 250 → round(2.5) × 100 = 200, total reported 11100.2", () => {
    expect(computeThroughputOptimization(walls([11000.25], [100]), 500, 6150)).toEqual({
      tunedEventsPerJob: 200,
      measuredWallPerEventSec: 22.2005,
      estimatedTotalWallSec: 5040.1,
      totalMedianWallSec: 11100.2,
    });
  });

  it("never goes below the minimum events per job", () => {
    expect(computeThroughputOptimization(walls([5000]), 150, 1000)?.tunedEventsPerJob).toBe(100);
  });

  it("returns null when there is nothing to compute from", () => {
    expect(computeThroughputOptimization(walls([100]), 0, 28800)).toBeNull();
    expect(computeThroughputOptimization(walls([100]), 100, 0)).toBeNull();
    expect(computeThroughputOptimization(walls([100]), 100, 600)).toBeNull();
    expect(computeThroughputOptimization(walls([]), 100, 28800)).toBeNull();
    expect(computeThroughputOptimization(metricsOf([]), 100, 28800)).toBeNull();
  });

  it("uses the measured events per job for the time per event (reference bug 12 fixed)", () => {
    // 1500 s measured at 1000 events per job; the split job now has 500 events.
    const r = computeThroughputOptimization(walls([1500]), 500, 2100, {
      measuredEventsPerJob: 1000,
    });
    expect(r).toEqual({
      tunedEventsPerJob: 1000,
      measuredWallPerEventSec: 1.5,
      estimatedTotalWallSec: 2100,
      totalMedianWallSec: 1500,
    });
    // Dividing by the post-split 500 events would double the time per event.
    expect(computeThroughputOptimization(walls([1500]), 500, 2100)?.tunedEventsPerJob).toBe(500);
  });
});
