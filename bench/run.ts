import { benchPlanner } from "./planner.bench.js";
import { peakRssMb } from "./util.js";

/** `npm run bench`: every benchmark, figures and targets, medians of repeated runs. */
function main(): void {
  const out: string[] = [];
  const section = (title: string, lines: string[]) => {
    out.push(`\n${title}`);
    out.push(...lines);
    process.stdout.write(`\n${title}\n${lines.join("\n")}\n`);
  };
  process.stdout.write(`WMS2 benchmarks (node ${process.version}, ${new Date().toISOString()})\n`);
  section("Planner", benchPlanner());
  process.stdout.write(`\npeak RSS of the benchmark process: ${peakRssMb().toFixed(0)} MB\n`);
}

main();
