import { describe, expect, it } from "vitest";
import { readBack, readBackDirect } from "../../../simulator/payload/fjr-read-back.js";
import { stepProfileOf } from "../../../simulator/payload/manifest.js";
import { runReport, runReports } from "../../../simulator/payload/proc-reports.js";
import { planSteps } from "../../../simulator/payload/proc-steps.js";
import { type FjrReport, parseFjr } from "../../../src/artifacts/fjr.js";
import { formatFjr } from "../../../src/artifacts/fjr-format.js";
import { rand, step } from "./helpers.js";

/** What the XML path gives, as JSON text (so key order counts too). */
function viaXml(r: FjrReport): string {
  return JSON.stringify(parseFjr(formatFjr(r), "report.xml"));
}

function specsOf(kinds: ("GEN" | "DIGI" | "RECO")[], threads: number, noise: number, nPar = 1) {
  return kinds.map((k, i) => ({
    profile: stepProfileOf(
      step(k, { noise, filter_efficiency: i === 0 ? 0.37 : 1 }) as Parameters<
        typeof stepProfileOf
      >[0],
      "manifest.json",
    ),
    threads,
    nParallel: i === 0 ? nPar : 1,
    keepOutput: i === kinds.length - 1,
  }));
}

describe("FJR read-back without the XML", () => {
  it("equals parse(format(report)) for simulated runs of every shape", () => {
    let checked = 0;
    const inputs = [
      { lfn: "/store/data/Run3/ZeroBias/RAW/v1/000/a1.root", events: 333 },
      { lfn: "/store/data/Run3/ZeroBias/RAW/v1/000/b2.root", events: 1 },
    ];
    for (const [seed, kinds, threads, noise, nPar, pipes, events] of [
      [1, ["GEN"], 1, 0, 1, 1, 10],
      [2, ["GEN", "DIGI", "RECO"], 8, 0, 1, 1, 1000],
      [3, ["GEN", "DIGI", "RECO"], 4, 0.2, 3, 1, 777],
      [4, ["GEN", "RECO"], 2, 0.05, 1, 3, 50],
      [5, ["DIGI", "RECO"], 16, 0.5, 2, 1, 3],
      [6, ["GEN", "DIGI"], 3, 0.3, 1, 2, 0],
    ] as const) {
      const specs = specsOf([...kinds], threads, noise, nPar);
      const plan = planSteps({
        steps: specs,
        events,
        nPipelines: pipes,
        splitTmpfs: false,
        rand: rand(seed),
      });
      for (const first of [[], inputs]) {
        for (const run of plan.runs) {
          const r = runReport(run, specs[run.step - 1], first);
          const direct = readBackDirect(r);
          expect(direct).toBeDefined();
          expect(JSON.stringify(direct)).toBe(viaXml(r));
          checked++;
        }
        for (const rep of runReports(plan.runs, specs, first)) {
          expect(rep.parsed.report).toEqual(parseFjr(rep.xml, rep.fileName));
        }
      }
    }
    expect(checked).toBe(40);
  });

  it("reads numbers back as the parser does (NaN and infinities become text, -0 becomes 0)", () => {
    const r: FjrReport = {
      inputFiles: [{ lfn: "", pfn: "file:a.root", eventsRead: null, moduleLabel: "source" }],
      outputFiles: [
        {
          lfn: "",
          pfn: "file:b.root",
          moduleLabel: "Xoutput",
          outputModuleClass: "PoolOutputModule",
          totalEvents: -0,
        },
      ],
      skippedFiles: [],
      performance: {
        Timing: { A: Number.NaN, B: Number.POSITIVE_INFINITY, C: -0, D: 1e21, E: 1e-7, F: "007" },
      },
      modules: [],
      errors: [],
      step: { name: "S1", exitCode: null },
    };
    const back = readBack(r, "x.xml");
    expect(readBackDirect(r)).toBeDefined();
    expect(JSON.stringify(back)).toBe(viaXml(r));
    expect(back.performance.Timing).toEqual({
      A: "NaN",
      B: "Infinity",
      C: 0,
      D: 1e21,
      E: 1e-7,
      F: 7,
    });
    expect(back.step).toEqual({ name: "S1", exitCode: null });
  });

  it("takes the XML path for text the writer escapes or the parser trims", () => {
    const r: FjrReport = {
      inputFiles: [],
      outputFiles: [
        {
          lfn: " /store/a b.root ",
          pfn: 'file:"x"&<y>.root',
          moduleLabel: "M",
          outputModuleClass: "P",
          totalEvents: 5,
        },
      ],
      skippedFiles: [{ lfn: "/s", pfn: "/p" }],
      performance: { Timing: { Note: "two words" } },
      modules: [],
      errors: [{ exitStatus: 8001, type: "Fatal", message: "bad ]]> thing" }],
    };
    expect(readBackDirect(r)).toBeUndefined();
    const back = readBack(r, "x.xml");
    expect(JSON.stringify(back)).toBe(viaXml(r));
    expect(back.outputFiles[0].lfn).toBe("/store/a b.root");
    expect(back.errors[0].exitStatus).toBe(8001);
  });
});
