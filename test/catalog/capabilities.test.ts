import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type CommandRunner,
  detectCapabilities,
  onPath,
  runnableOn,
  totalSlots,
} from "../../src/matrix/capabilities.js";
import { loadCatalog } from "../../src/matrix/catalog.js";
import type { WorkflowDef } from "../../src/model/workflow.js";
import { repoRoot } from "../helpers/shared-fixtures.js";

const catalog = loadCatalog(join(repoRoot, "catalog"));
const wf = (id: number) => catalog.workflows.get(id)!;
const ok = { ok: true, detail: "" };

describe("runnableOn", () => {
  it("runs synthetic, simulator and cached workflows on sim", () => {
    for (const w of catalog.workflows.values())
      expect(runnableOn(w, catalog, "sim", {})).toEqual({ ok: true, reason: "" });
  });

  it("needs a profile on every simulated step", () => {
    const base = wf(151.0);
    const noProfile: WorkflowDef = {
      ...base,
      request: { ...base.request, steps: [base.request.steps[0], { name: "DIGI" }] },
    };
    expect(runnableOn(noProfile, catalog, "sim", {})).toEqual({
      ok: false,
      reason: "step DIGI has no simulator profile",
    });
    const unknown: WorkflowDef = {
      ...base,
      request: { ...base.request, steps: [{ name: "RECO", profile: "XX" }] },
    };
    expect(runnableOn(unknown, catalog, "sim", {})).toEqual({
      ok: false,
      reason: 'step RECO: unknown profile "XX"',
    });
    const cmssw: WorkflowDef = { ...base, mode: "cmssw" };
    expect(runnableOn(cmssw, catalog, "sim", {}).ok).toBe(false);
    // A synthetic payload ignores profiles.
    expect(runnableOn({ ...noProfile, mode: "synthetic" }, catalog, "sim", {}).ok).toBe(true);
  });

  it("needs every required capability on condor", () => {
    expect(runnableOn(wf(300.0), catalog, "condor", { condor: ok, apptainer: ok })).toEqual({
      ok: false,
      reason: "missing capabilities: cvmfs, siteconf",
    });
    expect(
      runnableOn(wf(300.0), catalog, "condor", {
        condor: ok,
        cvmfs: ok,
        siteconf: ok,
        apptainer: ok,
      }).ok,
    ).toBe(true);
    expect(runnableOn(wf(160.0), catalog, "condor", { condor: ok })).toEqual({
      ok: true,
      reason: "",
    });
    expect(
      runnableOn(wf(100.0), catalog, "condor", { condor: { ok: false, detail: "x" } }),
    ).toEqual({
      ok: false,
      reason: "missing capabilities: condor",
    });
  });
});

describe("detectCapabilities", () => {
  const root = mkdtempSync(join(tmpdir(), "wms2-caps-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const bin = join(root, "bin");
  mkdirSync(bin);
  for (const tool of ["condor_status", "condor_submit", "condor_q", "condor_submit_dag"]) {
    writeFileSync(join(bin, tool), "#!/bin/sh\nexit 0\n");
    chmodSync(join(bin, tool), 0o755);
  }
  const setup = join(root, "cmsset_default.sh");
  writeFileSync(setup, "# setup\n");
  const siteconf = join(root, "SITECONF");
  mkdirSync(join(siteconf, "JobConfig"), { recursive: true });
  writeFileSync(join(siteconf, "JobConfig", "site-local-config.xml"), "<site-local-config/>\n");
  const proxy = join(root, "x509up");
  writeFileSync(proxy, "PROXY");

  const STATUS = [
    "               Machines Owner Claimed Unclaimed Matched Preempting  Drain",
    "",
    "  X86_64/LINUX        3     0       1         2       0          0      0",
    "",
    "         Total        3     0       1         2       0          0      0",
  ].join("\n");

  it("reads the slot count from the Total line", () => {
    expect(totalSlots(STATUS)).toBe(3);
    expect(totalSlots("Total Owner Claimed\n")).toBeUndefined();
    expect(onPath("condor_q", { PATH: bin })).toBe(join(bin, "condor_q"));
    expect(onPath("condor_q", { PATH: root })).toBeUndefined();
  });

  it("reports every capability from the environment and the commands", async () => {
    const calls: string[] = [];
    const run: CommandRunner = async (cmd, args, timeoutMs) => {
      calls.push(`${cmd} ${args.join(" ")} ${timeoutMs}`);
      if (cmd === "condor_status") return { ok: true, stdout: STATUS };
      if (cmd === "apptainer") return { ok: false, stdout: "", error: "spawn apptainer ENOENT" };
      if (cmd === "singularity") return { ok: true, stdout: "singularity-ce version 4.1.0\n" };
      return { ok: false, stdout: "", error: "unexpected" };
    };
    const env = {
      PATH: bin,
      WMS2_CVMFS_SETUP: setup,
      WMS2_SITECONF: siteconf,
      X509_USER_PROXY: proxy,
    };
    const caps = await detectCapabilities({ env, run });
    expect(caps.condor).toEqual({ ok: true, detail: "3 slots" });
    expect(caps.cvmfs).toEqual({ ok: true, detail: `setup script ${setup}` });
    expect(caps.siteconf.ok).toBe(true);
    expect(caps.apptainer).toEqual({ ok: true, detail: "singularity-ce version 4.1.0" });
    expect(caps.x509).toEqual({ ok: true, detail: `proxy ${proxy}` });
    expect(caps.postgres).toEqual({ ok: false, detail: "pg_isready not on PATH" });
    expect(caps.reqmgr2.ok).toBe(false);
    expect(caps.dbs.ok).toBe(false);
    expect(Object.keys(caps).sort()).toEqual([
      "apptainer",
      "condor",
      "cvmfs",
      "dbs",
      "postgres",
      "reqmgr2",
      "siteconf",
      "x509",
    ]);
    expect(calls).toContain("condor_status -total 5000");
  });

  it("counts missing tools, an empty pool and failing commands as missing", async () => {
    const empty: CommandRunner = async () => ({ ok: true, stdout: STATUS.replace(/ 3 /g, " 0 ") });
    const env = {
      PATH: bin,
      WMS2_CVMFS_SETUP: join(root, "none.sh"),
      SITECONFIG_PATH: root,
      X509_USER_PROXY: join(root, "nope"),
    };
    const caps = await detectCapabilities({ env, run: empty });
    expect(caps.condor).toEqual({ ok: false, detail: "pool has 0 slots" });
    expect(caps.cvmfs).toEqual({
      ok: false,
      detail: `setup script not found: ${join(root, "none.sh")}`,
    });
    expect(caps.siteconf.ok).toBe(false);
    expect(caps.x509.ok).toBe(false);
    const noTools = await detectCapabilities({ env: { ...env, PATH: root }, run: empty });
    expect(noTools.condor).toEqual({
      ok: false,
      detail: "not on PATH: condor_status, condor_submit, condor_q, condor_submit_dag",
    });
  });

  it("treats commands that cannot start as missing (real process runner)", async () => {
    const caps = await detectCapabilities({ env: { PATH: root } });
    expect(caps.apptainer.ok).toBe(false);
    expect(caps.apptainer.detail).toMatch(/^apptainer: .*; singularity: /);
    expect(caps.condor.ok).toBe(false);
  });
});
