import { describe, expect, it } from "vitest";
import { simulateDag } from "../../../simulator/dagman/simulate.js";
import { MemFs } from "../../../simulator/fs.js";
import { diskModels } from "../../../src/backends/sim.js";

/** Run a DAG in /w; the files the jobs wrote there (not the DAG's own or the submit files). */
function written(dag: string, subs: Record<string, string>) {
  const fs = new MemFs();
  fs.writeText("/w/t.dag", dag);
  for (const [name, text] of Object.entries(subs)) fs.writeText(`/w/${name}`, text);
  const r = simulateDag("/w/t.dag", { fs, models: diskModels(fs) });
  const files = fs.list("/w").filter((n) => !n.endsWith(".sub") && !n.startsWith("t.dag"));
  return { r, fs, files };
}

describe("a job's stdout and stderr", () => {
  it("go where the submit file says, and nowhere when it names no file or /dev/null", () => {
    const { r, fs, files } = written("JOB A a.sub\nJOB B b.sub\nJOB C c.sub\n", {
      "a.sub": "executable = /bin/true\nqueue\n",
      "b.sub": "executable = /bin/true\noutput = /dev/null\nerror = /dev/null\nqueue\n",
      "c.sub": "executable = /bin/true\noutput = c.out\nerror = logs/c.err\nqueue\n",
    });
    expect(r.status).toBe("success");
    expect(files).toEqual(["c.out", "logs"]);
    expect(fs.list("/w/logs")).toEqual(["c.err"]);
    expect(fs.exists("/dev/null")).toBe(false);
  });

  it("expand $(Cluster), $(Process), $(JOB) and the node's VARS, a retry getting its own cluster", () => {
    const { r, fs, files } = written(
      'JOB E e.sub\nRETRY E 1\nVARS E tag="run"\nJOB F f.sub\nPARENT E CHILD F\n',
      {
        "e.sub":
          "executable = /bin/false\noutput = $(tag)_$(JOB).$(Cluster).$(Process).out\nerror = $(ClusterId).$(ProcId).err\nlog = $(Cluster).log\nqueue\n",
        "f.sub": "executable = /bin/true\noutput = f.$(Cluster).out\nqueue\n",
      },
    );
    // E fails twice (clusters 1000 and 1001), so F never runs.
    expect(r.status).toBe("failed");
    expect(files).toEqual([
      "1000.0.err",
      "1000.log",
      "1001.0.err",
      "1001.log",
      "run_E.1000.0.out",
      "run_E.1001.0.out",
    ]);
    expect(fs.readText("/w/1001.log")).toMatch(/^000 \(1001\.000\.000\)/);
  });
});
