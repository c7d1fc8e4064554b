import { describe, expect, it } from "vitest";
import { fullNodeDef, newNodeRun, substituteMacros } from "../../simulator/dagman/node.js";
import type { DagNode } from "../../src/dagman/model.js";

describe("node definitions in one shape", () => {
  const given: DagNode = {
    kind: "JOB",
    name: "proc_000001",
    file: "proc_000001.sub",
    post: { args: ["proc_000001", "$RETURN"], executable: "post_script.sh" },
    retry: { count: 5 },
    abortDagOn: { returnValue: 2, value: 3 },
  };

  it("gives every field, nested ones too, with the values given", () => {
    const full = fullNodeDef(given);
    expect(full).toEqual(given);
    expect(Object.keys(full.post ?? {})).toEqual(["executable", "args", "defer", "debug"]);
    expect(Object.keys(full.retry ?? {})).toEqual(["count", "unlessExit"]);
    expect(Object.keys(full.abortDagOn ?? {})).toEqual(["value", "returnValue"]);
    expect(full.pre).toBeUndefined();
    const other = fullNodeDef({
      name: "b",
      kind: "JOB",
      file: "b.sub",
      retry: { unlessExit: 42, count: 3 },
    });
    expect(Object.keys(other)).toEqual(Object.keys(full));
    expect(other.retry).toEqual({ count: 3, unlessExit: 42 });
  });

  it("leaves the definition it copies alone; nodes sharing a script or RETRY share its copy", () => {
    const first = fullNodeDef(given);
    expect(Object.isFrozen(first.retry) && Object.isFrozen(first.post)).toBe(true);
    expect(() => {
      first.retry!.count = 9;
    }).toThrow(TypeError);
    expect(given.retry).toEqual({ count: 5 });
    const second = fullNodeDef({ ...given, name: "proc_000002" });
    expect(second.post).toBe(first.post);
    expect(second.retry).toBe(first.retry);
    expect(second.abortDagOn).toBe(first.abortDagOn);
    const own = fullNodeDef({ ...given, retry: { count: 5 } });
    expect(own.retry).not.toBe(first.retry);
    expect(own.retry).toEqual(first.retry);
  });
});

describe("substituteMacros", () => {
  it("replaces whole-argument macros and keeps the rest, in a new array", () => {
    const n = newNodeRun(
      { ...{ name: "a", kind: "JOB", file: "a.sub" }, retry: { count: 4 } },
      "/d",
      0,
    );
    n.retry = 2;
    const args = ["$JOB", "x$JOB", "$RETRY", "$MAX_RETRIES", "$RETURN", "$OTHER", "plain"];
    const out = substituteMacros(args, n, (m) => (m === "$RETURN" ? "-9" : undefined));
    expect(out).toEqual(["a", "x$JOB", "2", "4", "-9", "$OTHER", "plain"]);
    expect(out).not.toBe(args);
    expect(substituteMacros([], n, () => undefined)).toEqual([]);
  });
});
