import { describe, expect, it } from "vitest";
import { MemFs } from "../../../simulator/fs.js";
import { postScript, wuPost } from "../../../simulator/payload/post-scripts.js";
import { electSite, pinSite } from "../../../simulator/payload/scripts.js";
import { submitGet } from "../../../src/dagman/model.js";
import { parseSubmit } from "../../../src/dagman/submit-parse.js";
import { GROUP, readJson, scriptCtx, seedGroup, writeJson } from "./helpers.js";

type Json = Record<string, unknown>;

describe("elect_site.sh", () => {
  it("writes local for the local pool, else the matched site; exits 1 after 5 tries without one", () => {
    const fs = new MemFs();
    const args = (pool: string) => ["elected_site", "landing.log", pool];
    expect(electSite(scriptCtx(fs, { args: args("local"), matchedSite: "T2_X" }))).toEqual({
      exitCode: 0,
      durationSec: 0.5,
    });
    expect(fs.readText(`${GROUP}/elected_site`)).toBe("local\n");
    expect(
      electSite(scriptCtx(fs, { args: args("global"), matchedSite: "T2_DE_DESY" })).exitCode,
    ).toBe(0);
    expect(fs.readText(`${GROUP}/elected_site`)).toBe("T2_DE_DESY\n");
    expect(electSite(scriptCtx(fs, { args: args("global") }))).toEqual({
      exitCode: 1,
      durationSec: 50.5,
    });
  });
});

describe("pin_site.sh", () => {
  it("pins the submit file to the elected site, leaves it alone for local", () => {
    const fs = seedGroup({ procs: 1 });
    const sub = `${GROUP}/proc_000000.sub`;
    const before = fs.readText(sub);
    const ctx = scriptCtx(fs, { kind: "PRE", args: ["proc_000000.sub", "elected_site"] });
    fs.writeText(`${GROUP}/elected_site`, "local\n");
    expect(pinSite(ctx).exitCode).toBe(0);
    expect(fs.readText(sub)).toBe(before);
    fs.writeText(`${GROUP}/elected_site`, "T2_US_MIT\n");
    expect(pinSite(ctx).exitCode).toBe(0);
    const model = parseSubmit(fs.readText(sub), sub);
    expect(submitGet(model, "+DESIRED_Sites")).toBe('"T2_US_MIT"');
    expect(submitGet(model, "Requirements")).toBe('(TARGET.GLIDEIN_CMSSite == "T2_US_MIT")');
    expect(submitGet(model, "request_memory")).toBe("8192");
    expect(fs.readText(sub).trimEnd().endsWith("queue 1")).toBe(true);
  });

  it("reads the site from the first line of the site file, trimmed, with or without a newline", () => {
    for (const [text, site] of [
      ["  T2_CH_CERN \nT1_US_FNAL\n", "T2_CH_CERN"],
      ["T2_IT_Pisa", "T2_IT_Pisa"],
    ]) {
      const fs = seedGroup({ procs: 1 });
      const sub = `${GROUP}/proc_000000.sub`;
      fs.writeText(`${GROUP}/elected_site`, text);
      pinSite(scriptCtx(fs, { kind: "PRE", args: ["proc_000000.sub", "elected_site"] }));
      expect(submitGet(parseSubmit(fs.readText(sub), sub), "+DESIRED_Sites")).toBe(`"${site}"`);
    }
    const fs = seedGroup({ procs: 1 });
    const sub = `${GROUP}/proc_000000.sub`;
    const before = fs.readText(sub);
    fs.writeText(`${GROUP}/elected_site`, " \nT2_CH_CERN\n"); // an empty first line: no site
    pinSite(scriptCtx(fs, { kind: "PRE", args: ["proc_000000.sub", "elected_site"] }));
    expect(fs.readText(sub)).toBe(before);
  });
});

function post(fs: MemFs, node: string, ret: number, retry: number, extra: Json = {}) {
  return postScript(
    scriptCtx(fs, {
      node,
      args: [node, String(ret), String(retry), "5"],
      jobReturn: ret,
      attempt: retry,
      ...extra,
    }),
  );
}

describe("post_script.sh", () => {
  it("success: exit 0 and a success record", () => {
    const fs = seedGroup();
    expect(post(fs, "proc_000000", 0, 0, { matchedSite: "T2_CH_CERN" })).toEqual({
      exitCode: 0,
      durationSec: 0.5,
    });
    const rec = readJson<{ final: boolean; job: Json; classification: Json }>(
      fs,
      `${GROUP}/proc_000000.post.json`,
    );
    expect(rec.final).toBe(true);
    expect(rec.job).toMatchObject({ exit_code: 0, site: "T2_CH_CERN" });
    expect(rec.classification.category).toBe("success");
  });

  it("transient: retry after 60·2^RETRY s, capped at 600 s", () => {
    const fs = seedGroup();
    expect(post(fs, "proc_000000", 1, 0)).toEqual({ exitCode: 1, durationSec: 60.5 });
    expect(post(fs, "proc_000000", 1, 3)).toEqual({ exitCode: 1, durationSec: 480.5 });
    expect(post(fs, "proc_000000", 1, 4)).toEqual({ exitCode: 1, durationSec: 600.5 });
  });

  it("memory hold: request_memory × 3/2 in the node's submit file, sleep 60, retry", () => {
    const fs = seedGroup();
    const r = post(fs, "proc_000001", -1002, 0, { holdReasonCode: 34, holdReasonSubCode: 102 });
    expect(r).toEqual({ exitCode: 1, durationSec: 60.5 });
    const sub = fs.readText(`${GROUP}/proc_000001.sub`);
    expect(submitGet(parseSubmit(sub, "s"), "request_memory")).toBe("12288");
    const rec = readJson<{ classification: Json }>(fs, `${GROUP}/proc_000001.post.json`);
    expect(rec.classification).toMatchObject({
      category: "infrastructure_memory",
      memory_exceeded: true,
    });
  });

  it("exit 80 is permanent: 42; a stage-out failure in stderr is infrastructure: 42", () => {
    const fs = seedGroup();
    expect(post(fs, "proc_000000", 80, 0).exitCode).toBe(42);
    fs.writeText(`${GROUP}/merge.err`, "gfal-copy failed: Permission denied\n");
    expect(post(fs, "merge", 1, 0).exitCode).toBe(42);
    expect(readJson<{ log_tail: string }>(fs, `${GROUP}/merge.post.json`).log_tail).toContain(
      "gfal-copy",
    );
  });

  it("aborts (43) when min(#proc, 3) proc records are final with the same exit code", () => {
    const fs = seedGroup({ procs: 2 });
    // proc_000000 used up its retries with exit 7: one final record, 2 needed.
    expect(post(fs, "proc_000000", 7, 5).exitCode).toBe(1);
    expect(readJson<{ final: boolean }>(fs, `${GROUP}/proc_000000.post.json`).final).toBe(true);
    expect(post(fs, "proc_000001", 7, 5).exitCode).toBe(43);
    // A different exit code does not count.
    const other = seedGroup({ procs: 2 });
    post(other, "proc_000000", 7, 5);
    expect(post(other, "proc_000001", 9, 5).exitCode).toBe(1);
    // With five proc jobs three are needed.
    const five = seedGroup({ procs: 5 });
    expect([0, 1, 2].map((n) => post(five, `proc_00000${n}`, 7, 5).exitCode)).toEqual([1, 1, 43]);
  });
});

function postRecord(site: string, category: string): Json {
  return {
    node_name: "proc_000000",
    timestamp: "2026-01-01T00:00:00.000Z",
    attempt: 5,
    max_retries: 5,
    final: true,
    job: { exit_code: 1, site },
    classification: { category, retryable: true, action: "retry" },
  };
}

describe("wu_post.sh", () => {
  const args = ["mg_000000", "1", GROUP];

  it("0 on success, 42 with a permanent failure", () => {
    const fs = seedGroup();
    expect(wuPost(scriptCtx(fs, { args: ["mg_000000", "0", GROUP], iwd: "/wf" })).exitCode).toBe(0);
    writeJson(fs, `${GROUP}/proc_000000.post.json`, postRecord("T2_A", "permanent"));
    expect(wuPost(scriptCtx(fs, { args, iwd: "/wf" }))).toEqual({ exitCode: 42, durationSec: 0.5 });
    expect(fs.exists(`${GROUP}/proc_000000.post.json`)).toBe(true);
  });

  it("no records: deletes the rescue DAGs, elected site and POST records, retries", () => {
    const fs = seedGroup();
    for (const f of [
      "group.dag.rescue001",
      "group.dag.rescue002",
      "elected_site",
      "merge.post.json",
    ]) {
      fs.writeText(`${GROUP}/${f}`, "x\n");
    }
    expect(wuPost(scriptCtx(fs, { args, iwd: "/wf" })).exitCode).toBe(1);
    expect(fs.list(GROUP)).toEqual([
      "manifest.json",
      "output_info.json",
      "proc_000000.sub",
      "proc_000001.sub",
    ]);
  });

  it("bans a dominant failing site from the landing job", () => {
    const fs = seedGroup();
    fs.writeText(
      `${GROUP}/landing.sub`,
      'executable = /bin/true\n+DESIRED_Sites = "T2_A,T2_B"\nRequirements = (GLIDEIN_CMSSite == "T2_A" || GLIDEIN_CMSSite == "T2_B")\nqueue 1\n',
    );
    writeJson(fs, `${GROUP}/proc_000000.post.json`, postRecord("T2_A", "infrastructure"));
    writeJson(fs, `${GROUP}/proc_000001.post.json`, postRecord("T2_A", "infrastructure_memory"));
    expect(wuPost(scriptCtx(fs, { args, iwd: "/wf" })).exitCode).toBe(1);
    const landing = parseSubmit(fs.readText(`${GROUP}/landing.sub`), "landing.sub");
    expect(submitGet(landing, "+DESIRED_Sites")).toBe('"T2_B"');
    expect(submitGet(landing, "Requirements")).toBe(
      '((GLIDEIN_CMSSite == "T2_A" || GLIDEIN_CMSSite == "T2_B")) && TARGET.GLIDEIN_CMSSite =!= "T2_A"',
    );
    expect(fs.exists(`${GROUP}/proc_000000.post.json`)).toBe(false);
  });

  it("rejects a non-numeric $RETURN naming the DAG and node", () => {
    const fs = seedGroup();
    const ctx = scriptCtx(fs, {
      node: "mg_000000",
      args: ["mg_000000", "$RETURN", GROUP],
      dagFile: "/wf/workflow.dag",
    });
    expect(() => wuPost(ctx)).toThrow(
      '/wf/workflow.dag: entry mg_000000: POST script argument $RETURN must be an integer, got "$RETURN"',
    );
  });
});
