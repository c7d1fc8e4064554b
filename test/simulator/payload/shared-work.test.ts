import { describe, expect, it } from "vitest";
import { PROC_OUTPUTS_FILE, STAND_IN_FILE } from "../../../simulator/file-codecs.js";
import { MemFs } from "../../../simulator/fs.js";
import { parseByContent, readSharedIn, unitInputPath } from "../../../simulator/payload/job-io.js";
import { readJobManifest } from "../../../simulator/payload/manifest.js";
import { procModel } from "../../../simulator/payload/proc.js";
import { parseProcArgs } from "../../../simulator/payload/proc-args.js";
import { stepsOutcome } from "../../../simulator/payload/proc-outcome.js";
import { InputError } from "../../../src/model/errors.js";
import {
  GROUP,
  jobCtx,
  outputInfo,
  rand,
  readJson,
  runJob,
  seedGroup,
  simManifest,
  step,
  unmergedDir,
  writeJson,
} from "./helpers.js";

describe("inputs every job of a work unit reads", () => {
  it("are parsed once while the file's text stays the same, and the result is frozen", () => {
    const fs = new MemFs();
    let parses = 0;
    const parse = (text: string) => {
      parses++;
      return { n: Number(JSON.parse(text).n), list: [1, 2] };
    };
    fs.writeText("/w/a.json", '{"n": 1}');
    const a = readSharedIn(fs, "/w/a.json", parse);
    expect(readSharedIn(fs, "/w/a.json", parse)).toBe(a);
    expect(parses).toBe(1);
    expect(Object.isFrozen(a.list)).toBe(true);
    fs.writeText("/w/a.json", '{"n": 2}');
    const a2 = readSharedIn(fs, "/w/a.json", parse);
    expect(a2.n).toBe(2);
    expect(parses).toBe(2);
    // Another file with the same text shares the result; one with another text does not.
    fs.writeText("/w/b.json", '{"n": 2}');
    expect(readSharedIn(fs, "/w/b.json", parse)).toBe(a2);
    expect(parses).toBe(2);
    fs.writeText("/w/c.json", '{"n": 3}');
    expect(readSharedIn(fs, "/w/c.json", parse).n).toBe(3);
    expect(() => readSharedIn(fs, "/w/missing.json", parse)).toThrow(InputError);
  });

  it("are found at paths made once per directory and name", () => {
    expect(unitInputPath("/w/a", "manifest.json")).toBe("/w/a/manifest.json");
    expect(unitInputPath("/w/b", "manifest.json")).toBe("/w/b/manifest.json");
    expect(unitInputPath("/w/a", "manifest.json")).toBe("/w/a/manifest.json");
    expect(unitInputPath("/w/a", "../x/output_info.json")).toBe("/w/x/output_info.json");
    expect(unitInputPath("/w/a", "/abs/manifest.json")).toBe("/abs/manifest.json");
  });

  it("side files with the same text are parsed once whatever their name; errors every time", () => {
    let parses = 0;
    const parse = (text: string, file: string) => {
      parses++;
      if (text === "bad") throw new InputError(`${file}: bad`);
      return { text };
    };
    const x = parseByContent("same", "/a", parse);
    expect(parseByContent("same", "/b", parse)).toBe(x);
    expect(parses).toBe(1);
    expect(() => parseByContent("bad", "/c", parse)).toThrow("/c: bad");
    expect(() => parseByContent("bad", "/d", parse)).toThrow("/d: bad");
    expect(parses).toBe(3);
  });
});

describe("steps of processing jobs of one shape", () => {
  it("are worked out once when nothing is drawn, and each job still writes its own files", () => {
    const fs = seedGroup({ events: 100, procs: 3 });
    const ctx0 = jobCtx(fs, "proc_000000");
    const ctx1 = jobCtx(fs, "proc_000001");
    const jm0 = readJobManifest(ctx0)!;
    const jm1 = readJobManifest(ctx1)!;
    expect(jm1.manifest).toBe(jm0.manifest); // shared, frozen
    const a0 = parseProcArgs(ctx0.argv, "proc_000000.sub");
    const a1 = parseProcArgs(ctx1.argv, "proc_000001.sub");
    const o = stepsOutcome(jm0, a0, 100, ctx0.rand);
    expect(stepsOutcome(jm1, a1, 100, ctx1.rand)).toBe(o);
    const o50 = stepsOutcome(jm1, a1, 50, ctx1.rand);
    expect(o50).not.toBe(o);
    expect(stepsOutcome(jm0, a0, 100, ctx0.rand)).toBe(o);
    expect(stepsOutcome(jm1, a1, 50, ctx1.rand)).toBe(o50);
    expect(stepsOutcome(jm0, { ...a0, ncpus: 4 }, 100, ctx0.rand)).not.toBe(o);
    // Another unit's manifest of the same text: the same outcome; another name: not.
    expect(stepsOutcome({ ...jm0, file: "/wf/mg_000001/manifest.json" }, a0, 100, rand())).toBe(o);
    const tunedName = { ...jm0, file: `${GROUP}/manifest_tuned.json`, name: "manifest_tuned.json" };
    expect(stepsOutcome(tunedName, a0, 100, ctx0.rand)).not.toBe(o);
    const reading = (...inputs: string[]) => ({ ...a0, inputs });
    const a = stepsOutcome(jm0, reading("/store/a.root"), 100, ctx0.rand);
    expect(a).not.toBe(o);
    expect(stepsOutcome(jm0, reading("/store/b.root"), 100, ctx0.rand)).not.toBe(a);
    expect(stepsOutcome(jm0, reading("/store/a.root"), 100, ctx0.rand)).toBe(a);
    const p0 = runJob(procModel(), ctx0);
    const p1 = runJob(procModel(), jobCtx(fs, "proc_000001"));
    expect(p1.memory).toBe(p0.memory);
    expect(Object.isFrozen(p0.cpu)).toBe(true);
    expect(fs.readText(`${GROUP}/proc_000000.out`)).toContain("wms2_proc: node 0, 100 events");
    expect(fs.readText(`${GROUP}/proc_000001.out`)).toContain("wms2_proc: node 1, 100 events");
    const side = (n: number, kind: string) => `${unmergedDir("GEN-SIM")}/proc_${n}_${kind}.json`;
    expect(fs.readText(side(1, "metrics"))).toBe(fs.readText(side(0, "metrics")));
    const outputs = Object.keys(readJson(fs, side(1, "outputs")));
    expect(outputs).toEqual(["proc_1_step3_RECO.root"]);
  });

  it("are shared by units whose manifests have the same text, each staging to its own datasets", () => {
    const fs = seedGroup({ events: 100 });
    const unit1 = "/wf/mg_000001";
    fs.writeText(`${unit1}/manifest.json`, fs.readText(`${GROUP}/manifest.json`));
    writeJson(fs, `${unit1}/output_info.json`, outputInfo(undefined, { group_index: 1 }));
    const ctx0 = jobCtx(fs, "proc_000000");
    const ctx1 = jobCtx(fs, "proc_000001", { iwd: unit1 });
    expect(readJobManifest(ctx1)?.manifest).toBe(readJobManifest(ctx0)?.manifest);
    const p0 = runJob(procModel(), ctx0);
    const p1 = runJob(procModel(), ctx1);
    expect(p1.memory).toBe(p0.memory);
    const unit1Dir = unmergedDir("RECO").replace(/000000$/, "000001");
    expect(fs.list(unmergedDir("RECO"))).toEqual(["proc_0_step3_RECO.root"]);
    expect(fs.list(unit1Dir)).toEqual(["proc_1_step3_RECO.root"]);
    expect(fs.exists(`${unit1Dir.replace("RECO", "GEN-SIM")}/proc_1_outputs.json`)).toBe(true);
    expect(fs.readText(`${unit1}/proc_000001.out`)).toMatch(
      /^wms2_proc: node 1, 100 events, simulator mode, manifest\.json\nStep 1: /,
    );
  });

  it("are worked out per job when a step has noise (each job draws its own)", () => {
    const fs = seedGroup({
      events: 100,
      manifest: simManifest([step("GEN", { noise: 0.2 }), step("RECO")]),
    });
    const ctx0 = jobCtx(fs, "proc_000000");
    const jm = readJobManifest(ctx0)!;
    const args = parseProcArgs(ctx0.argv, "proc_000000.sub");
    const a = stepsOutcome(jm, args, 100, rand("a"));
    const b = stepsOutcome(jm, args, 100, rand("b"));
    expect(b).not.toBe(a);
    expect(b.durationSec).not.toBe(a.durationSec);
  });

  it("stage the same frozen files for each job of a unit, worked out anew when the datasets change", () => {
    const fs = seedGroup({ events: 100, procs: 3 });
    runJob(procModel(), jobCtx(fs, "proc_000000"));
    runJob(procModel(), jobCtx(fs, "proc_000001"));
    const staged = (n: number) => `${unmergedDir("RECO")}/proc_${n}_step3_RECO.root`;
    const standIn = fs.storedValue(staged(0), STAND_IN_FILE);
    expect(fs.storedValue(staged(1), STAND_IN_FILE)).toBe(standIn);
    expect(Object.isFrozen(standIn)).toBe(true);
    const side = (n: number) => `${unmergedDir("GEN-SIM")}/proc_${n}_outputs.json`;
    const [[name0, entry0]] = fs.storedValue(side(0), PROC_OUTPUTS_FILE) ?? [];
    const [[name1, entry1]] = fs.storedValue(side(1), PROC_OUTPUTS_FILE) ?? [];
    expect([name0, name1]).toEqual(["proc_0_step3_RECO.root", "proc_1_step3_RECO.root"]);
    expect(entry1).toBe(entry0);
    expect(Object.isFrozen(entry0)).toBe(true);
    expect(fs.readText(`${GROUP}/proc_000001.out`)).toBe(
      [
        "wms2_proc: node 1, 100 events, simulator mode, manifest.json",
        "Step 1: wall=0.85s cpu_eff=0.7375 rss=3500MB events=100",
        "Step 2: wall=0.41s cpu_eff=0.9125 rss=4200MB events=100",
        "Step 3: wall=0.41s cpu_eff=0.9125 rss=4200MB events=100",
        "",
      ].join("\n"),
    );
    // The same outcome with other datasets: RECO is no longer one, so nothing is staged.
    writeJson(fs, `${GROUP}/output_info.json`, outputInfo(["GEN-SIM", "DIGI"]));
    runJob(procModel(), jobCtx(fs, "proc_000002"));
    expect(fs.exists(staged(2))).toBe(false);
    expect(fs.readText(side(2))).toBe("{}\n");
    expect(fs.readText(`${GROUP}/proc_000002.err`)).toBe(
      "wms2_proc: step3_RECO.root matches no output dataset tier: not staged\n",
    );
  });

  it("say on stderr why nothing was staged", () => {
    const fs = seedGroup({ events: 100, info: null });
    runJob(procModel(), jobCtx(fs, "proc_000000"));
    expect(fs.readText(`${GROUP}/proc_000000.err`)).toBe(
      "wms2_proc: no output datasets (output_info.json): nothing staged out\n",
    );
    const none = seedGroup({
      events: 100,
      manifest: simManifest([step("GEN", { filter_efficiency: 0 }), step("RECO")]),
    });
    const plan = runJob(procModel(), jobCtx(none, "proc_000000"));
    expect(plan.exitCode).toBe(80);
    expect(none.readText(`${GROUP}/proc_000000.out`)).toMatch(/^wms2_proc: node 0, 100 events/);
    expect(none.readText(`${GROUP}/proc_000000.err`)).toBe(
      "wms2_proc: step 1 wrote 0 events, stopping (exit 80)\n",
    );
  });
});
