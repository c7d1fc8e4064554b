import { describe, expect, it } from "vitest";
import { jobsPerWuFromWriteMb } from "../../src/adaptive/index.js";

const wu = (perStep: Record<string, number>) => ({
  per_step: Object.fromEntries(
    Object.entries(perStep).map(([k, v]) => [k, { write_mb: { mean: v } }]),
  ),
});

describe("jobsPerWuFromWriteMb (adaptive.md §17)", () => {
  it("at test fraction 0.01: target 40.96 MB, smallest mergeable tier 25 MB → round(1.638) = 2", () => {
    const history = {
      rounds: { "1": { wu_metrics: [wu({ "1": 20, "2": 35 }), wu({ "1": 30 })] } },
    };
    expect(jobsPerWuFromWriteMb(history, 4194304, 100, { testFraction: 0.01 })).toEqual([2, 83886]);
  });

  it("at full scale: round(163.84) = 164, capped at 100", () => {
    const history = { rounds: { "0": { wu_metrics: [wu({ "1": 25 })] } } };
    expect(jobsPerWuFromWriteMb(history, 4194304, 100)).toEqual([100, 8388608]);
  });

  it("uses the newest round with data and the smallest tier when all are oversized", () => {
    const history = {
      rounds: {
        "2": { wu_metrics: [wu({ "1": 0 })] },
        "1": { wu_metrics: [wu({ "1": 3500, "2": 3200 })] },
      },
    };
    expect(jobsPerWuFromWriteMb(history, 4194304, 100)).toEqual([1, 8388608]);
  });

  it("rescales a pilot round's sizes to the current events per job", () => {
    // Round 0 ran at 1 % of 1000 events = 10 events, writing 0.5 MB → 50 MB at 1000 events.
    const history = {
      rounds: { "0": { effective_events_per_job: 0, wu_metrics: [wu({ "1": 0.5 })] } },
    };
    expect(jobsPerWuFromWriteMb(history, 4194304, 100, { currentEventsPerJob: 1000 })).toEqual([
      82, 8388608,
    ]);
  });

  it("returns null without any write size", () => {
    expect(
      jobsPerWuFromWriteMb({ rounds: { "0": { wu_metrics: [wu({ "1": 0 })] } } }, 4194304, 100),
    ).toBeNull();
    expect(jobsPerWuFromWriteMb({}, 4194304, 100)).toBeNull();
  });
});
