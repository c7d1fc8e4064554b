import { describe, expect, it } from "vitest";
import { renderAdaptive, throughputComparison } from "../../src/report/adaptive.js";
import {
  guidanceLines,
  planningLines,
  probeLine,
  roundTitle,
} from "../../src/report/adaptive-plan.js";
import { jobSplitPerf, jobSplitResult, perStepResult, round } from "./fixtures.js";

const RULE = "=".repeat(90);

describe("renderAdaptive, job-split run 4×8T → 8×4T → 8×4T (matrix.md §7.3)", () => {
  const text = renderAdaptive(jobSplitResult, { color: false });
  const lines = text.split("\n");

  it("starts with the header and the throughput comparison with Δ columns", () => {
    expect(lines.slice(0, 12)).toEqual([
      RULE,
      "Performance: 155.0 — Simulator adaptive job split 3-round",
      RULE,
      "",
      "  Throughput Comparison",
      "",
      "                               Round 1     Round 2     Round 3      Δ1→2      Δ2→3",
      "    Events                         800         800         800",
      "    Jobs × Cores                  4×8T        8×4T        8×4T",
      "    Core-hours                   22.22       20.00       19.20",
      "    Ev/core-hour                  36.0        40.0        41.7    +11.1%     +4.2%",
      "",
    ]);
  });

  it("prints the job-split planning lines with request_memory per round and its source", () => {
    expect(lines.slice(12, 18)).toEqual([
      "  Job split: 4 → 8 jobs (×2), 4T",
      "  Memory: 2000 MB/core (R1), max 3000 MB/core, min 2T",
      "  R1 request_memory: 16000 MB (8 cores, 2000 MB/core)  [baseline]",
      "  R2 request_memory: 8000 MB (4 cores, 2000 MB/core)  [prior_rss]",
      "  R3 request_memory: 8000 MB (4 cores, 2000 MB/core)  [prior_rss]",
      "",
    ]);
  });

  it("renders one table per round, titled from the decision that produced it", () => {
    const start = lines.indexOf("  Round 2 (8 jobs, 4T):");
    expect(lines.indexOf("  Round 1 (baseline, 8T, 4 jobs):")).toBe(18);
    expect(lines.slice(start, start + 10)).toEqual([
      "  Round 2 (8 jobs, 4T):",
      "    Step      nT   Wall(s)     ev/s       CPU   RSS(MB)    n  Name",
      "    ────────  ──  ────────  ───────  ────────  ────────  ───  ─────────",
      "    Step 1     4      1710     0.06       55%      3960    8  GEN-SIM",
      "    Step 2     4       625     0.16       70%      4480    8  DIGI-RECO",
      "    ────────      ────────  ───────  ────────  ────────",
      "    Total             2335     0.04       59%      4480",
      "",
      "    Memory: 4480 MB/job peak  |  35.0 GB machine total (8 jobs)",
      "    Time: processing 2400s  merge 55s  cleanup 5s",
    ]);
    expect(lines).toContain("  Round 3 (8 jobs, 4T):");
  });

  it("ends with efficiency, memory, convergence, time, output and CPU lines", () => {
    const start = lines.findIndex((l) => l.startsWith("  CPU efficiency per job:"));
    expect(lines.slice(start)).toEqual([
      "  CPU efficiency per job:  R1 34%  R2 59%  R3 63%  (+29pp)",
      "  Peak memory per job: R1 6100 MB (23.8 GB × 4 jobs)  R2 4480 MB (35.0 GB × 8 jobs)  R3 4420 MB (34.5 GB × 8 jobs)",
      "  Jobs over their memory request: R2 1 job",
      "",
      "  Convergence check (projected vs measured):",
      "    Round  Step  Quantity         Projected  Measured   Error",
      "    ─────  ────  ───────────────  ─────────  ────────  ──────",
      "    R2        1  memory (MB)           7320      5900  -19.4%",
      "    R3        1  effective cores        2.2       2.9  +31.8%  ** off by more than 20%",
      "",
      "  Time: processing 7280s  merge 165s  cleanup 15s  overhead 80s  total 7540s",
      "",
      "  Output: 3 merged files, 150.0 MB  (unmerged cleaned)",
      "",
      "  CPU: avg 13.7 cores  peak 20.2 cores  allocated 32 cores (43% busy)",
      "",
    ]);
  });

  it("colours only the flagged convergence line", () => {
    const colored = renderAdaptive(jobSplitResult, { color: true });
    expect(colored).toContain("  \u001b[33m  R3        1  effective cores");
    expect(colored).not.toContain("\u001b[33m  R2        1");
  });
});

describe("renderAdaptive, per-step run with a 2-instance step", () => {
  const lines = renderAdaptive(perStepResult, { color: false }).split("\n");

  it("prints tuning, memory guidance and probe lines", () => {
    const start = lines.indexOf("  Tuning: 8T baseline, per-step: [2×4, 8]");
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start, start + 6)).toEqual([
      "  Tuning: 8T baseline, per-step: [2×4, 8]",
      "  Memory: 2000 MB/core (R1), max 2500 MB/core",
      "  Memory needed: 24000 MB (3000 MB/core) — capped at 20000 MB",
      "  Step 1 split: 2 instances (ideal: 4, memory-constrained)",
      "  To split 4×: need 3000 MB/core (current max: 2500 MB/core)",
      "  Probe: 2 instances, 5000 MB/instance peak, 4200 MB/instance RSS [probe_cgroup]",
    ]);
  });

  it("guidance can be switched off", () => {
    const text = renderAdaptive(perStepResult, { color: false, guidance: false });
    expect(text).not.toContain("Memory needed");
    expect(text).toContain("  Probe: 2 instances");
  });

  it("counts the 8 jobs of the split round, not its 16 samples", () => {
    expect(lines).toContain("  Round 2 (per-step tuned):");
    expect(lines).toContain(
      "    Step 1     4       900     0.11       75%      8600   16  GEN-SIM",
    );
    expect(lines).toContain("    Memory: 8600 MB/job peak  |  67.2 GB machine total (8 jobs)");
  });

  it("leaves out a round's time line when it has no phase times", () => {
    expect(lines.filter((l) => l.startsWith("    Time:"))).toEqual([]);
  });
});

describe("adaptive building blocks", () => {
  it("a single round with data gives the one-line throughput form", () => {
    const r1 = jobSplitPerf.rounds[0];
    const r2 = round({ round: 2, events: 0, coreHours: 0, evPerCoreHour: 0 });
    expect(throughputComparison([r2, r1])).toEqual([
      "Throughput (Round 1): 36.0 ev/core-hour  |  800 events, 22.22 core-hours",
    ]);
  });

  it("titles rounds from pipeline and uniform decisions", () => {
    const r2 = round({ round: 2, jobs: 8, threadsLabel: "4T" });
    const pipelines = {
      n_pipelines: 2,
      per_step: { "0": { tuned_nthreads: 4 }, "1": { tuned_nthreads: 4 } },
    };
    expect(roundTitle(r2, [pipelines])).toBe("Round 2 (2 pipelines, 4T):");
    const uniform = {
      n_pipelines: 1,
      per_step: { "0": { tuned_nthreads: 4 }, "1": { tuned_nthreads: 4 } },
    };
    expect(roundTitle(r2, [uniform])).toBe("Round 2 (4T):");
    expect(roundTitle(r2, [])).toBe("Round 2 (8 jobs, 4T):");
    expect(planningLines([], [{ original_nthreads: 8, ...pipelines }])).toEqual([
      "Tuning: 8T baseline → 2 pipelines × 4T (uniform)",
    ]);
  });

  it("numbers tuning lines by round when there are several decisions, sorting steps numerically", () => {
    const d = (t: number) => ({
      original_nthreads: 8,
      per_step: {
        "10": { tuned_nthreads: 1 },
        "2": { tuned_nthreads: t },
        "0": { tuned_nthreads: 8 },
      },
    });
    expect(planningLines([], [d(4), d(2)])).toEqual([
      "Tuning (R2): 8T baseline, per-step: [8, 4, 1]",
      "Tuning (R3): 8T baseline, per-step: [8, 2, 1]",
    ]);
  });

  it("gridpack line, with tmpfs note when too large", () => {
    const rounds = jobSplitPerf.rounds;
    const d = { ...jobSplitResult.adaptive!.decisions[0], gridpack_disk_mb: 5200 };
    expect(planningLines(rounds, [d])).toContain(
      "Gridpack extraction: 5200 MB on disk  (tmpfs disabled — too large)",
    );
  });

  it("probe without a job peak falls back to RSS; no probe data, no line", () => {
    expect(probeLine([{ probe_num_instances: 2, probe_rss_mb: 4200 }])).toBe(
      "Probe: 2 instances, 4200 MB/instance RSS [probe_rss]",
    );
    expect(probeLine(jobSplitResult.adaptive!.decisions)).toBeNull();
    expect(guidanceLines(jobSplitResult.adaptive!.decisions)).toEqual([]);
  });
});
