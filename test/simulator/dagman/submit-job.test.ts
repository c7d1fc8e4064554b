import { describe, expect, it } from "vitest";
import {
  checkSimulated,
  customAttrValue,
  DEFAULT_DISK_KB,
  DEFAULT_MEMORY_MB,
  expandMacros,
  quantity,
  submitRequest,
} from "../../../simulator/dagman/submit-job.js";
import { parseSubmit } from "../../../src/dagman/index.js";

/** The quantity grammar condor_submit's request_memory/request_disk take, as a pattern. */
function byPattern(value: string, unitKb: number): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)B?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const suffix = m[2].toUpperCase();
  if (!suffix) return Math.ceil(n);
  const kb = n * { K: 1, M: 1024, G: 1024 ** 2, T: 1024 ** 3 }[suffix as "K" | "M" | "G" | "T"];
  return Math.ceil(kb / unitKb);
}

describe("quantity", () => {
  const values = [
    "16000",
    " 2000 ",
    "1.5G",
    "1.5 gb",
    "2Mb",
    "3 T",
    "4k",
    "7B",
    "0.25",
    "12\u00a0M",
    "1.",
    ".5",
    "1.5.2",
    "G",
    "1 K B",
    "1KBB",
    "1X",
    "-1",
    "1e3",
    "\u212a",
    "2\u212a",
  ];

  it.each(values)("reads %j as the pattern does", (value) => {
    for (const unit of [1, 1024]) {
      const expected = byPattern(value, unit);
      if (expected === undefined) {
        expect(() => quantity(value, unit, "q.sub", "request_disk")).toThrow(
          `q.sub: request_disk: expected a number with an optional K/M/G/T suffix, got "${value}"`,
        );
      } else {
        expect(quantity(value, unit, "q.sub", "request_disk")).toBe(expected);
      }
    }
  });
});

describe("submitRequest", () => {
  const sub = (text: string) => parseSubmit(`executable = run.sh\n${text}queue\n`, "n.sub");

  it("substitutes $(JOB) and the node's VARS, case-insensitively, a VARS name winning", () => {
    const model = sub(
      "arguments = --node $(job) --x $(X) --y $(Y) --z $(unknown)\nlog = $(Job).log\n" +
        "request_memory = $(MEM)\n",
    );
    const req = submitRequest(model, "n.sub", "proc_7", { x: "1", Y: "2", mem: "2G" });
    expect(req.arguments).toBe("--node proc_7 --x 1 --y 2 --z $(unknown)");
    expect(req.log).toBe("proc_7.log");
    expect(req.requestMemoryMb).toBe(2048);
    const renamed = submitRequest(model, "n.sub", "proc_7", {
      JOB: "other",
      x: "",
      y: "",
      MEM: "1",
    });
    expect(renamed.arguments).toBe("--node other --x  --y  --z $(unknown)");
    expect(renamed.log).toBe("other.log");
    expect(expandMacros("$(a)$(B)$(c)", { A: "1", b: "2" })).toBe("12$(c)");
  });

  it("gives the submitted +attributes as the job's ClassAd holds them", () => {
    const req = submitRequest(
      sub(
        '+MaxWallTimeMinsRun = 30\n+CMS_JobType = "Processing"\n+WMS2_QuickJob = True\n' +
          'MY.Node = "$(JOB)"\n+Twice = RequestCpus * 2\n+Ratio = RequestCpus / 2\n' +
          "+A = B\n+B = A\n",
      ),
      "n.sub",
      "proc_3",
    );
    const ad = (name: string): string | number | boolean | undefined =>
      name === "requestcpus" ? 8 : customAttrValue(req.customAttr(name), ad);
    expect(ad("maxwalltimeminsrun")).toBe(30);
    expect(ad("cms_jobtype")).toBe("Processing");
    expect(ad("wms2_quickjob")).toBe(true);
    expect(ad("node")).toBe("proc_3");
    expect(ad("twice")).toBe(16);
    // What the simulator's ClassAd subset cannot read, and a circle, are UNDEFINED.
    expect(ad("ratio")).toBeUndefined();
    expect(ad("a")).toBeUndefined();
    expect(ad("missing")).toBeUndefined();
  });

  it("refuses on_exit_remove and on_exit_hold other than their defaults, in one line", () => {
    for (const ok of ["", "on_exit_remove = True\non_exit_hold = false\n"]) {
      expect(() => checkSimulated(sub(ok), "n.sub")).not.toThrow();
    }
    expect(() => checkSimulated(sub("on_exit_remove = ExitCode == 0\n"), "n.sub")).toThrow(
      "n.sub: on_exit_remove = ExitCode == 0: the simulator ends a job that exits, as with on_exit_remove = true; another on_exit_remove is not simulated",
    );
    expect(() => checkSimulated(sub("On_Exit_Hold = ExitCode != 0\n"), "n.sub")).toThrow(
      "n.sub: on_exit_hold = ExitCode != 0: the simulator ends a job that exits",
    );
  });

  it("gives the defaults, and the sites and numbers as written", () => {
    const plain = submitRequest(sub(""), "n.sub", "a");
    expect(plain).toMatchObject({
      universe: "vanilla",
      requestCpus: 1,
      requestMemoryMb: DEFAULT_MEMORY_MB,
      requestDiskKb: DEFAULT_DISK_KB,
      desiredSites: [],
      priority: 0,
    });
    const req = submitRequest(
      sub(
        'universe = Local\nrequest_cpus = 8\nrequest_disk = 2M\npriority = 4.6\n+DESIRED_Sites = " T2_A, ,T2_B "\n',
      ),
      "n.sub",
      "a",
    );
    expect(req).toMatchObject({
      universe: "local",
      requestCpus: 8,
      requestDiskKb: 2048,
      priority: 5,
      desiredSites: ["T2_A", "T2_B"],
    });
    // Jobs pinned to one site share one frozen list; another value gets its own.
    const pinned = (sites: string) =>
      submitRequest(sub(`+DESIRED_Sites = "${sites}"\n`), "n.sub", "a").desiredSites;
    const one = pinned("T2_CH_CERN");
    expect(pinned("T2_CH_CERN")).toBe(one);
    expect(Object.isFrozen(one)).toBe(true);
    expect(pinned("T1_US_FNAL,T2_CH_CERN")).toEqual(["T1_US_FNAL", "T2_CH_CERN"]);
    expect(pinned("T2_CH_CERN")).toEqual(["T2_CH_CERN"]);
    expect(() => submitRequest(sub("priority = high\n"), "n.sub", "a")).toThrow(
      'n.sub: priority: expected a number, got "high"',
    );
  });
});
