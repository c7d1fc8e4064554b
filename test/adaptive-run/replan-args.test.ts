import { describe, expect, it } from "vitest";
import {
  formatReplanArgv,
  parseReplanArgv,
  type ReplanOptions,
} from "../../src/adaptive/replan-args.js";
import { runCli } from "../cli/support.js";

const BASE = [
  "--wu-dir",
  "/s/mg_000001",
  "--prior-wu-dirs",
  "/s/mg_000000",
  "--replan-index",
  "0",
  "--ncores",
  "8",
  "--mem-per-core",
  "2000",
  "--max-mem-per-core",
  "2500",
];

describe("replan command line", () => {
  it("parses the required flags and applies the defaults", () => {
    expect(parseReplanArgv(BASE)).toEqual({
      wuDir: "/s/mg_000001",
      priorWuDirs: ["/s/mg_000000"],
      replanIndex: 0,
      ncores: 8,
      memPerCoreMb: 2000,
      maxMemPerCoreMb: 2500,
      safetyMargin: 0.2,
      overcommitMax: 1,
      split: true,
      splitAllSteps: false,
      uniformThreads: false,
      splitTmpfs: false,
      jobSplit: false,
      eventsPerJob: 0,
      numJobs: 0,
      minThreads: 2,
      tmpfs: false,
    });
  });

  it("round-trips every option through formatReplanArgv", () => {
    const o: ReplanOptions = {
      ...parseReplanArgv(BASE),
      priorWuDirs: ["/s/mg_000000", "/s/mg_000001"],
      wuDir: "/s/mg_000002",
      replanIndex: 1,
      safetyMargin: 0.1,
      split: false,
      splitTmpfs: true,
      jobSplit: true,
      eventsPerJob: 400,
      numJobs: 4,
      minThreads: 3,
      probeNode: "proc_000003",
      memoryMb: 6000,
      tmpfs: true,
      submitDir: "/s",
    };
    const argv = formatReplanArgv(o);
    expect(argv).toContain("--prior-wu-dirs");
    expect(argv[argv.indexOf("--prior-wu-dirs") + 1]).toBe("/s/mg_000000,/s/mg_000001");
    expect(parseReplanArgv(argv)).toEqual(o);
  });

  it.each([
    [["--ncores", "8"], "replan: missing --prior-wu-dirs"],
    [[...BASE, "--bogus"], "replan: unknown option --bogus"],
    [[...BASE, "--safety-margin"], "replan: --safety-margin needs a value"],
    [
      [...BASE.slice(0, 7), "eight", ...BASE.slice(8)],
      'replan: --ncores: expected a number, got "eight"',
    ],
    [
      [...BASE, "--split-all-steps", "--job-split"],
      "replan: --job-split and --split-all-steps exclude each other",
    ],
    [[...BASE, "--uniform-threads"], "replan: --uniform-threads needs --split-all-steps"],
    [
      [...BASE, "--probe-node", "merge"],
      'replan: --probe-node: expected a proc node name (proc_NNNNNN), got "merge"',
    ],
    [
      [...BASE.slice(0, 9), "2500", "--max-mem-per-core", "2000"],
      "replan: --max-mem-per-core must be at least --mem-per-core",
    ],
  ])("rejects %j with one line", (argv, message) => {
    expect(() => parseReplanArgv(argv)).toThrow(message);
  });

  it("exits 2 with one line on a usage error, from the matrix CLI", async () => {
    const r = await runCli(["replan", ...BASE.slice(2)]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("matrix: replan: missing --wu-dir\n");
  });

  it("exits 2 when the next work unit does not exist", async () => {
    const r = await runCli(["replan", ...BASE]);
    expect(r.code).toBe(2);
    expect(r.err).toBe("matrix: /s/mg_000001: work unit directory not found\n");
  });
});
