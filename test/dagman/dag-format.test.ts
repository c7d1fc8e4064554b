import { readFileSync } from "node:fs";
import { join } from "node:path";
import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import {
  type DagModel,
  type DagNode,
  formatDag,
  parseDag,
  validateDag,
} from "../../src/dagman/index.js";
import { sharedFixtures } from "../helpers/shared-fixtures.js";

/** formats.md §4.1 with its blank lines between blocks put back. */
const GROUP_DAG = `# Merge group 0
NODE_STATUS_FILE group.dag.status

JOB landing landing.sub
SCRIPT POST landing elect_site.sh elected_site landing.log local
RETRY landing 3 UNLESS-EXIT 42
JOB proc_000000 proc_000000.sub
SCRIPT PRE proc_000000 pin_site.sh proc_000000.sub elected_site
SCRIPT POST proc_000000 post_script.sh $JOB $RETURN $RETRY $MAX_RETRIES
JOB proc_000001 proc_000001.sub
SCRIPT PRE proc_000001 pin_site.sh proc_000001.sub elected_site
SCRIPT POST proc_000001 post_script.sh $JOB $RETURN $RETRY $MAX_RETRIES
JOB merge merge.sub
SCRIPT PRE merge pin_site.sh merge.sub elected_site
SCRIPT POST merge post_script.sh $JOB $RETURN $RETRY $MAX_RETRIES
JOB cleanup cleanup.sub
SCRIPT PRE cleanup pin_site.sh cleanup.sub elected_site

RETRY proc_000000 5 UNLESS-EXIT 42
RETRY proc_000001 5 UNLESS-EXIT 42
RETRY merge 2 UNLESS-EXIT 42
RETRY cleanup 1

ABORT-DAG-ON proc_000000 43 RETURN 1
ABORT-DAG-ON proc_000001 43 RETURN 1
ABORT-DAG-ON merge 43 RETURN 1

PARENT landing CHILD proc_000000 proc_000001
PARENT proc_000000 proc_000001 CHILD merge
PARENT merge CHILD cleanup

CATEGORY proc_000000 Processing
CATEGORY proc_000001 Processing
CATEGORY merge Merge
CATEGORY cleanup Cleanup

MAXJOBS Processing 5000
MAXJOBS Merge 100
MAXJOBS Cleanup 50
`;

const post = { executable: "post_script.sh", args: ["$JOB", "$RETURN", "$RETRY", "$MAX_RETRIES"] };
const pin = (sub: string) => ({ executable: "pin_site.sh", args: [sub, "elected_site"] });
const proc = (name: string): DagNode => ({
  name,
  kind: "JOB",
  file: `${name}.sub`,
  pre: pin(`${name}.sub`),
  post,
  retry: { count: 5, unlessExit: 42 },
  abortDagOn: { value: 43, returnValue: 1 },
  category: "Processing",
});

const groupModel: DagModel = {
  header: [" Merge group 0"],
  nodeStatusFile: { file: "group.dag.status" },
  nodes: [
    {
      name: "landing",
      kind: "JOB",
      file: "landing.sub",
      post: { executable: "elect_site.sh", args: ["elected_site", "landing.log", "local"] },
      retry: { count: 3, unlessExit: 42 },
      retryWithNode: true,
    },
    proc("proc_000000"),
    proc("proc_000001"),
    {
      name: "merge",
      kind: "JOB",
      file: "merge.sub",
      pre: pin("merge.sub"),
      post,
      retry: { count: 2, unlessExit: 42 },
      abortDagOn: { value: 43, returnValue: 1 },
      category: "Merge",
    },
    {
      name: "cleanup",
      kind: "JOB",
      file: "cleanup.sub",
      pre: pin("cleanup.sub"),
      retry: { count: 1 },
      category: "Cleanup",
    },
  ],
  edges: [
    { parents: ["landing"], children: ["proc_000000", "proc_000001"] },
    { parents: ["proc_000000", "proc_000001"], children: ["merge"] },
    { parents: ["merge"], children: ["cleanup"] },
  ],
  maxJobs: { Processing: 5000, Merge: 100, Cleanup: 50 },
  other: [],
};

const S = "/data/submit/3f2a";
const OUTER_DAG = `# WMS2-generated DAG for workflow 3f2a
CONFIG ${S}/dagman.config
NODE_STATUS_FILE ${S}/workflow.dag.status

SUBDAG EXTERNAL mg_000000 ${S}/mg_000000/group.dag DIR ${S}/mg_000000
SCRIPT POST mg_000000 ${S}/wu_post.sh $JOB $RETURN ${S}/mg_000000
RETRY mg_000000 1 UNLESS-EXIT 42
SUBDAG EXTERNAL mg_000001 ${S}/mg_000001/group.dag DIR ${S}/mg_000001
SCRIPT POST mg_000001 ${S}/wu_post.sh $JOB $RETURN ${S}/mg_000001
RETRY mg_000001 1 UNLESS-EXIT 42
`;

const outerModel: DagModel = {
  header: [" WMS2-generated DAG for workflow 3f2a"],
  config: `${S}/dagman.config`,
  nodeStatusFile: { file: `${S}/workflow.dag.status` },
  nodes: [0, 1].map((i) => {
    const dir = `${S}/mg_00000${i}`;
    return {
      name: `mg_00000${i}`,
      kind: "SUBDAG",
      file: `${dir}/group.dag`,
      dir,
      post: { executable: `${S}/wu_post.sh`, args: ["$JOB", "$RETURN", dir] },
      retry: { count: 1, unlessExit: 42 },
      retryWithNode: true,
    };
  }),
  edges: [],
  maxJobs: {},
  other: [],
};

describe("formatDag", () => {
  it("writes the merge-group DAG of formats.md §4.1 exactly", () => {
    expect(formatDag(groupModel)).toBe(GROUP_DAG);
  });

  it("writes the outer workflow.dag of formats.md §2.1 exactly", () => {
    expect(formatDag(outerModel)).toBe(OUTER_DAG);
  });

  it("reproduces both texts from their parsed models, and the models from the texts", () => {
    expect(formatDag(parseDag(GROUP_DAG, "group.dag"))).toBe(GROUP_DAG);
    expect(formatDag(parseDag(OUTER_DAG, "workflow.dag"))).toBe(OUTER_DAG);
    expect(parseDag(GROUP_DAG, "group.dag")).toStrictEqual(groupModel);
    expect(parseDag(OUTER_DAG, "workflow.dag")).toStrictEqual(outerModel);
  });

  it("writes every optional feature and quotes paths with blanks", () => {
    const text = formatDag({
      header: [],
      nodes: [
        {
          name: "a",
          kind: "JOB",
          file: "my jobs/a.sub",
          dir: "d",
          noop: true,
          done: true,
          pre: { executable: "p.sh", args: [], defer: { status: 4, time: 30 } },
          preSkip: 3,
          vars: { k: 'say "hi" \\ bye' },
          priority: 7,
        },
        { name: "f", kind: "FINAL", file: "f.sub" },
      ],
      edges: [],
      maxJobs: {},
      other: ["DOT d.dot"],
    });
    expect(text).toBe(
      [
        'JOB a "my jobs/a.sub" DIR d NOOP DONE',
        "SCRIPT DEFER 4 30 PRE a p.sh",
        "PRE_SKIP a 3",
        'VARS a k="say \\"hi\\" \\\\ bye"',
        "PRIORITY a 7",
        "FINAL f f.sub",
        "",
        "DOT d.dot",
        "",
      ].join("\n"),
    );
  });

  it.each([
    ["a node name with a blank", { name: "a b" }, 'node "a b": bad node name'],
    ["a reserved node name", { name: "CHILD" }, "bad node name"],
    [
      "a script argument with a blank",
      { post: { executable: "x", args: ["a b"] } },
      "script words",
    ],
    ["a fractional retry", { retry: { count: 1.5 } }, "bad RETRY"],
    ["a quote in the file", { file: 'a"b' }, "bad file"],
    ["a VARS value with a newline", { vars: { k: "a\nb" } }, "contains a line break"],
  ])("refuses %s", (_what, patch, message) => {
    const model: DagModel = {
      header: [],
      nodes: [{ name: "a", kind: "JOB", file: "a.sub", ...patch } as DagNode],
      edges: [],
      maxJobs: {},
      other: [],
    };
    expect(() => formatDag(model)).toThrow(message);
  });

  it("refuses edges to unknown nodes and lines that would not come back as other", () => {
    const base: DagModel = {
      header: [],
      nodes: [{ name: "a", kind: "JOB", file: "a.sub" }],
      edges: [],
      maxJobs: {},
      other: [],
    };
    expect(() => formatDag({ ...base, edges: [{ parents: ["a"], children: ["z"] }] })).toThrow(
      'unknown node "z"',
    );
    expect(() => formatDag({ ...base, other: ["RETRY a 2"] })).toThrow(
      "is not a statement kept in other",
    );
    expect(formatDag({ ...base, other: ["SERVICE s s.sub", "RETRY s 2"] })).toContain("RETRY s 2");
  });
});

/** A random but valid model, built from a seeded stream. */
function randomModel(seed: string): DagModel {
  const rnd = seedrandom(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const words = ["x", "$JOB", "$RETURN", "a=b", "--flag", "/abs/path", "'q'"];
  const n = int(1, 8);
  const nodes: DagNode[] = [];
  for (let i = 0; i < n; i++) {
    const node: DagNode = {
      name: `n${i}_${pick(["p", "m", "c"])}`,
      kind: i === n - 1 && rnd() < 0.3 ? "FINAL" : pick(["JOB", "SUBDAG"]),
      file: pick(["a.sub", "sub dir/b.sub", "/abs/c.dag"]),
    };
    if (rnd() < 0.4) node.dir = pick(["d", "dir with space"]);
    if (rnd() < 0.2) node.noop = true;
    if (rnd() < 0.2) node.done = true;
    if (rnd() < 0.5) node.pre = { executable: "pre.sh", args: words.slice(0, int(0, 4)) };
    if (rnd() < 0.5)
      node.post = {
        executable: "post.sh",
        args: [pick(words)],
        defer: { status: int(0, 9), time: int(0, 99) },
      };
    if (rnd() < 0.6) {
      node.retry =
        rnd() < 0.5 ? { count: int(0, 5) } : { count: int(0, 5), unlessExit: int(-3, 99) };
      if (rnd() < 0.5) node.retryWithNode = true;
    }
    if (rnd() < 0.4)
      node.abortDagOn =
        rnd() < 0.5 ? { value: int(0, 50) } : { value: int(0, 50), returnValue: int(0, 255) };
    if (rnd() < 0.4) node.category = pick(["Processing", "Merge", "+global"]);
    if (rnd() < 0.3) node.priority = int(-10, 10);
    if (rnd() < 0.2) node.preSkip = int(0, 5);
    if (rnd() < 0.3)
      node.vars = { k1: pick(["", "v", 'q"uote', "back\\slash", "two words"]), k2: "x" };
    nodes.push(node);
  }
  const plain = nodes.filter((x) => x.kind !== "FINAL").map((x) => x.name);
  const edges = [];
  for (let i = 1; i < plain.length; i++) {
    if (rnd() < 0.6)
      edges.push({
        parents: plain
          .slice(0, i)
          .filter(() => rnd() < 0.5)
          .concat(plain[i - 1]),
        children: [plain[i]],
      });
  }
  return {
    header: rnd() < 0.5 ? [` model ${seed}`, ""] : [],
    config: rnd() < 0.5 ? "dagman.config" : undefined,
    nodeStatusFile:
      rnd() < 0.5
        ? { file: "s.status", minUpdateSeconds: 30, alwaysUpdate: true }
        : { file: "s.status" },
    nodes,
    edges,
    maxJobs: rnd() < 0.5 ? { Processing: int(1, 5000), Merge: 0 } : {},
    other: rnd() < 0.5 ? ["DOT g.dot", 'SET_JOB_ATTR a = "b"'] : [],
  };
}

describe("parseDag(formatDag(m)) deep-equals m", () => {
  it.each(Array.from({ length: 40 }, (_, i) => `seed-${i}`))("for the random model %s", (seed) => {
    const model = randomModel(seed);
    if (model.config === undefined) delete model.config;
    const text = formatDag(model);
    expect(parseDag(text, "r.dag")).toStrictEqual(model);
    expect(formatDag(parseDag(text, "r.dag"))).toBe(text);
  });
});

describe("validateDag", () => {
  it("accepts the §4.1 DAG and names a node on a cycle", () => {
    expect(() => validateDag(groupModel, "group.dag")).not.toThrow();
    const cyclic = parseDag(
      "JOB a a.sub\nJOB b b.sub\nJOB c c.sub\nJOB d d.sub\nPARENT a CHILD b\nPARENT b CHILD c\nPARENT c CHILD b d\n",
      "c.dag",
    );
    expect(() => validateDag(cyclic, "c.dag")).toThrow(
      /^c\.dag: dependency cycle through node "(b|c)": (b -> c -> b|c -> b -> c)$/,
    );
    const self = parseDag("JOB a a.sub\nPARENT a CHILD a\n", "s.dag");
    expect(() => validateDag(self, "s.dag")).toThrow(
      's.dag: dependency cycle through node "a": a -> a',
    );
  });

  it("counts a PARENT/CHILD pair given twice as no cycle, and walks a cycle below ordered nodes", () => {
    const twice = parseDag(
      "JOB a a.sub\nJOB b b.sub\nPARENT a CHILD b\nPARENT a CHILD b\nPARENT a CHILD b\n",
      "t.dag",
    );
    expect(() => validateDag(twice, "t.dag")).not.toThrow();
    const below = parseDag(
      [
        "JOB top t.sub",
        "JOB x x.sub",
        "JOB y y.sub",
        "JOB z z.sub",
        "JOB tail l.sub",
        "PARENT top CHILD x",
        "PARENT top CHILD x",
        "PARENT x CHILD y",
        "PARENT y CHILD z",
        "PARENT z CHILD x tail",
        "",
      ].join("\n"),
      "b.dag",
    );
    expect(() => validateDag(below, "b.dag")).toThrow(
      'b.dag: dependency cycle through node "y": y -> z -> x -> y',
    );
  });

  it("rejects models built in code with bad references", () => {
    const model: DagModel = {
      header: [],
      nodes: [
        { name: "a", kind: "JOB", file: "a" },
        { name: "a", kind: "JOB", file: "b" },
      ],
      edges: [],
      maxJobs: {},
      other: [],
    };
    expect(() => validateDag(model, "m.dag")).toThrow('m.dag: node name "a" is used twice');
  });
});

const real = sharedFixtures("real", "dagman");

describe.skipIf(!real)("formatDag on real DAG files", () => {
  it.each([
    ["lsst_tiny_problems", "tiny_problems.dag"],
    ["lsst_group_failed_1", "group_failed_1.dag"],
    ["htcondor_tests", "job_dagman_prepost.dag"],
    ["htcondor_tests", "job_dagman_splice-cat.dag"],
    ["htcondor_tests", "job_dagman_node_status.dag"],
  ])("keeps %s/%s identical through format and parse", (dir, name) => {
    const model = parseDag(readFileSync(join(real!, dir, name), "utf8"), name);
    expect(parseDag(formatDag(model), name)).toStrictEqual(model);
    expect(() => validateDag(model, name)).not.toThrow();
  });
});
