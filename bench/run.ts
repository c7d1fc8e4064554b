import { benchMatrixFull } from "./matrix.bench.js";
import { benchPlanner } from "./planner.bench.js";
import { benchCore, benchDag } from "./simulator.bench.js";
import { Leftovers, peakRssMb } from "./util.js";

/** `npm run bench`: every benchmark, figures and targets, medians of repeated runs. */
function main(): void {
  const out: string[] = [];
  const section = (title: string, lines: string[]) => {
    out.push(`\n${title}`);
    out.push(...lines);
    process.stdout.write(`\n${title}\n${lines.join("\n")}\n`);
  };
  process.stdout.write(`WMS2 benchmarks (node ${process.version}, ${new Date().toISOString()})\n`);
  const leftovers = new Leftovers();
  try {
    section("Simulator: event core", benchCore());
    section(
      "Simulator: 10,000-job DAG end to end (each run in its own process)",
      benchDag(3, leftovers),
    );
    section("Matrix", benchMatrixFull(3, leftovers));
    section("Planner", benchPlanner());
  } finally {
    leftovers.removeAll();
  }
  process.stdout.write(`\npeak RSS of the benchmark process: ${peakRssMb().toFixed(0)} MB\n`);
}

main();
