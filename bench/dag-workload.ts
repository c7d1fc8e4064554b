import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { PoolConfig } from "../simulator/pool/types.js";
import { loadProfiles } from "../src/matrix/profiles.js";
import { profileManifestFields } from "../src/matrix/sandbox-manifest.js";
import type { PlanRequest } from "../src/planner/types.js";
import { bigRequest } from "./planner.bench.js";

/** The repository root, from this file's place (bench/ or dist/bench/). */
export function repoRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith(join("dist", "bench")) ? join(here, "..", "..") : join(here, "..");
}

/** The five reference steps (GEN .. NANO); only the last keeps its output. */
const STEPS = [
  { name: "GEN-SIM", profile: "GEN", tier: "GEN-SIM" },
  { name: "DIGI", profile: "DIGI", tier: "DIGI" },
  { name: "RECO", profile: "RECO", tier: "RECO" },
  { name: "MINIAODSIM", profile: "MINI", tier: "MINIAODSIM" },
  { name: "NANOAODSIM", profile: "NANO", tier: "NANOAODSIM" },
];

/** Simulator-mode manifest of 5 steps with 8 threads, built from the reference profiles. */
export function fiveStepManifest(): Record<string, unknown> {
  const profiles = loadProfiles(join(repoRoot(), "catalog", "profiles"));
  const steps = STEPS.map((s, i) => {
    const p = profiles.get(s.profile);
    if (!p) throw new Error(`reference profile ${s.profile} is missing`);
    return {
      name: s.name,
      multicore: 8,
      data_tier: s.tier,
      output_module: `${s.tier}output`,
      keep_output: i === STEPS.length - 1,
      ...profileManifestFields(p),
    };
  });
  return { mode: "simulator", steps };
}

/**
 * The simulator benchmark's request: `units` work units of `jobsPerUnit` five-step jobs
 * (8 cores, 100 events each), otherwise like the planner benchmark's request.
 */
export function dagRequest(submitDir: string, units = 100, jobsPerUnit = 100): PlanRequest {
  const base = bigRequest(submitDir);
  const eventsPerJob = 100;
  return {
    ...base,
    workflowId: "bench-sim",
    requestName: "bench_sim",
    splitting: { algo: "EventBased", eventsPerJob },
    targetEvents: units * jobsPerUnit * eventsPerJob,
    jobsPerWorkUnit: jobsPerUnit,
    outputDatasets: [
      {
        datasetName: "/Bench/Era-Proc-v1/NANOAODSIM",
        dataTier: "NANOAODSIM",
        mergedLfnBase: "/store/mc/Era/Bench/NANOAODSIM/Proc-v1",
        unmergedLfnBase: "/store/unmerged/Era/Bench/NANOAODSIM/Proc-v1",
      },
    ],
    manifest: fiveStepManifest(),
  };
}

/** 125 machines of 8 cores (1,000 cores), one site. */
export const BENCH_POOL: PoolConfig = {
  negotiationIntervalSec: 10,
  firstClusterId: 1000,
  machines: [
    { name: "wn", count: 125, cores: 8, memoryMb: 32000, diskKb: 500_000_000, site: "T2_CH_CERN" },
  ],
};
