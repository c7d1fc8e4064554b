import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./dag-workload.js";
import { Leftovers, line, median } from "./util.js";

/**
 * The matrix `full` set on the embedded simulator, run by the built CLI from the
 * repository root in a child process: median wall time of `runs` runs.
 */
export function benchMatrixFull(runs = 3, leftovers = new Leftovers()): string[] {
  const root = repoRoot();
  const cli = join(root, "dist", "src", "cli", "main.js");
  const times: number[] = [];
  let failed = 0;
  for (let i = 0; i < runs; i++) {
    const dir = leftovers.dir("wms2-bench-matrix-");
    const t0 = performance.now();
    try {
      execFileSync(
        process.execPath,
        [cli, "-l", "full", "--work-dir", join(dir, "work"), "--results", join(dir, "results")],
        { cwd: root, stdio: "ignore" },
      );
    } catch {
      failed++;
    }
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  return [
    line(
      "matrix `full` set on sim (CLI, wall)",
      `${ms.toFixed(0)} ms`,
      "<= 10000 ms",
      ms <= 10000,
    ) + `   x${(10000 / ms).toFixed(2)}`,
    `    runs ${times.map((t) => t.toFixed(0)).join("/")} ms${failed > 0 ? `, ${failed} run(s) exited non-zero` : ""}`,
  ];
}
