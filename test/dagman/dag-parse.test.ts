import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DagSyntaxError, parseDag } from "../../src/dagman/index.js";
import { sharedFixtures } from "../helpers/shared-fixtures.js";

function syntaxError(text: string): DagSyntaxError {
  try {
    parseDag(text, "t.dag");
  } catch (e) {
    expect(e).toBeInstanceOf(DagSyntaxError);
    expect((e as Error).message).not.toContain("\n");
    return e as DagSyntaxError;
  }
  throw new Error("expected a DagSyntaxError");
}

describe("parseDag: the DAGMan input language", () => {
  it("reads keywords in any case, tabs, comments, blank lines and quoted files", () => {
    const m = parseDag(
      [
        "# first",
        "#second",
        "",
        'job\tA  "a dir/a.sub"  dir "/tmp/x y" noop',
        "Job B b.sub DONE",
        "# not header",
        "SubDag External S s.dag DIR sdir",
        "FINAL F f.sub DIR fin",
        "Script Defer 4 30 Pre A pre.sh $JOB $RETRY",
        "SCRIPT POST B post.sh $JOB $RETURN",
        "retry A 3 unless-exit 42",
        "Abort-dag-on B 43 return 1",
        'VARS A x="1" y = "two words" z="q\\"\\\\"',
        "PARENT A B CHILD S",
        "category A Proc",
        "MAXJOBS Proc 7",
        "PRIORITY S -5",
        "CONFIG dagman.config",
        "NODE_STATUS_FILE st 30 ALWAYS-UPDATE",
        "DONE S",
      ].join("\r\n"),
      "t.dag",
    );
    expect(m.header).toEqual([" first", "second"]);
    expect(m.config).toBe("dagman.config");
    expect(m.nodeStatusFile).toEqual({ file: "st", minUpdateSeconds: 30, alwaysUpdate: true });
    expect(m.nodes.map((n) => `${n.kind}:${n.name}`)).toEqual([
      "JOB:A",
      "JOB:B",
      "SUBDAG:S",
      "FINAL:F",
    ]);
    const [a, b, s, f] = m.nodes;
    expect(a).toEqual({
      name: "A",
      kind: "JOB",
      file: "a dir/a.sub",
      dir: "/tmp/x y",
      noop: true,
      pre: { executable: "pre.sh", args: ["$JOB", "$RETRY"], defer: { status: 4, time: 30 } },
      retry: { count: 3, unlessExit: 42 },
      vars: { x: "1", y: "two words", z: 'q"\\' },
      category: "Proc",
    });
    expect(b.done).toBe(true);
    expect(b.post).toEqual({ executable: "post.sh", args: ["$JOB", "$RETURN"] });
    expect(b.abortDagOn).toEqual({ value: 43, returnValue: 1 });
    expect(s).toMatchObject({ file: "s.dag", dir: "sdir", priority: -5, done: true });
    expect(f).toEqual({ name: "F", kind: "FINAL", file: "f.sub", dir: "fin" });
    expect(m.edges).toEqual([{ parents: ["A", "B"], children: ["S"] }]);
    expect(m.maxJobs).toEqual({ Proc: 7 });
  });

  it("marks a RETRY written among the node's own lines as retryWithNode", () => {
    const m = parseDag(
      "JOB a a.sub\nSCRIPT POST a p.sh\nRETRY a 2\nJOB b b.sub\nRETRY b 1\nRETRY a 4\nJOB c c.sub\nRETRY b 3\n",
      "t.dag",
    );
    expect(m.nodes[0].retry).toEqual({ count: 4 });
    expect(m.nodes[0].retryWithNode).toBeUndefined();
    expect(m.nodes[1].retryWithNode).toBeUndefined();
    expect(m.nodes[1].retry).toEqual({ count: 3 });
    const n = parseDag("JOB a a.sub\nSCRIPT POST a p.sh\nRETRY a 2\nJOB b b.sub\n", "t.dag");
    expect(n.nodes[0].retryWithNode).toBe(true);
  });

  it("applies ALL_NODES to every node but the FINAL one, in statement order", () => {
    const m = parseDag(
      'JOB a a.sub\nJOB b b.sub\nFINAL f f.sub\nRETRY b 5\nRETRY ALL_NODES 2\nRETRY a 1\nVARS all_nodes n="$(JOB)"\n',
      "t.dag",
    );
    expect(m.nodes.map((n) => n.retry?.count)).toEqual([1, 2, undefined]);
    expect(m.nodes.map((n) => n.vars?.n)).toEqual(["$(JOB)", "$(JOB)", undefined]);
  });

  it("lets statements name nodes defined further down", () => {
    const m = parseDag("PARENT a CHILD b\nRETRY b 1\nJOB a a.sub\nJOB b b.sub\n", "t.dag");
    expect(m.edges).toEqual([{ parents: ["a"], children: ["b"] }]);
    expect(m.nodes[1].retry).toEqual({ count: 1 });
  });

  it("keeps DOT, SET_JOB_ATTR, SERVICE, SPLICE and their kin verbatim in other", () => {
    const m = parseDag(
      [
        "JOB a a.sub",
        "DOT x.dot",
        'SET_JOB_ATTR bps_isjob= "True"',
        "SERVICE svc svc.sub",
        "SCRIPT PRE svc s.sh",
        "SPLICE sp inner.dag",
        "PARENT a CHILD sp",
        "JOBSTATE_LOG js.log",
        "REJECT",
        'VARS a PREPEND k="v"',
        "SCRIPT HOLD a hold.sh",
      ].join("\n"),
      "t.dag",
    );
    expect(m.other).toEqual([
      "DOT x.dot",
      'SET_JOB_ATTR bps_isjob= "True"',
      "SERVICE svc svc.sub",
      "SCRIPT PRE svc s.sh",
      "SPLICE sp inner.dag",
      "JOBSTATE_LOG js.log",
      "REJECT",
      'VARS a PREPEND k="v"',
      "SCRIPT HOLD a hold.sh",
    ]);
    expect(m.nodes).toHaveLength(1);
    expect(m.edges).toEqual([{ parents: ["a"], children: ["sp"] }]);
  });

  it("reads quoted tokens leniently and keeps odd other statements as written", () => {
    const m = parseDag('JOB a "a".sub\nSET_JOB_ATTR x = "unbalanced\n', "t.dag");
    expect(m.nodes[0].file).toBe("a.sub");
    expect(m.other).toEqual(['SET_JOB_ATTR x = "unbalanced']);
  });

  it("keeps the first NODE_STATUS_FILE, as DAGMan does", () => {
    const m = parseDag("NODE_STATUS_FILE a.status\nNODE_STATUS_FILE b.status 5\n", "t.dag");
    expect(m.nodeStatusFile).toEqual({ file: "a.status" });
  });

  it.each([
    ["JOB a a.sub\nJOB a b.sub", 2, 'node name "a" is already used at line 1'],
    ["JOB a a.sub\nRETRY b 2", 2, 'RETRY: unknown node "b"'],
    ["JOB a a.sub\nPARENT a CHILD x", 2, 'PARENT/CHILD: unknown node "x"'],
    ["JOB a a.sub\nRETRY a two", 2, 'RETRY count "two" is not an integer'],
    ["JOB a a.sub\nRETRY a 2.5", 2, 'RETRY count "2.5" is not an integer'],
    ["JOB a a.sub\nRETRY a -1", 2, "RETRY count must be >= 0, got -1"],
    ["JOB a a.sub\nRETRY a 2 UNLESS 3", 2, "RETRY needs: node count [UNLESS-EXIT value]"],
    ["JOB a a.sub\nRETRY a", 2, "RETRY needs: node count [UNLESS-EXIT value]"],
    ["JOB a", 1, "JOB needs: name file [DIR dir] [NOOP] [DONE]"],
    ["JOB a a.sub DIR", 1, "JOB a: DIR needs a directory"],
    ["JOB a a.sub FOO", 1, 'JOB a: unexpected "FOO" (expected DIR, NOOP or DONE)'],
    ["JOB a a.sub\nFROB a", 2, 'unknown keyword "FROB"'],
    ["SUBDAG s s.dag", 1, "SUBDAG must be followed by EXTERNAL"],
    ["JOB a a.sub\nPARENT a", 2, "PARENT statement has no CHILD"],
    ["JOB a a.sub\nPARENT CHILD a", 2, "PARENT needs at least one parent node"],
    ["JOB a a.sub\nPARENT a CHILD", 2, "CHILD needs at least one child node"],
    [
      "JOB a a.sub\nFINAL f f.sub\nPARENT a CHILD f",
      3,
      'FINAL node "f" cannot be a parent or child',
    ],
    ["FINAL f f.sub\nFINAL g g.sub", 2, "only one FINAL node is allowed (f is already FINAL)"],
    ["JOB parent p.sub", 1, '"parent" is a reserved word and cannot name a node'],
    ["JOB a a.sub\nSCRIPT POST a", 2, 'SCRIPT POST for node "a" has no executable'],
    ["JOB a a.sub\nSCRIPT MIDDLE a x.sh", 2, "SCRIPT needs:"],
    ["JOB a a.sub\nABORT-DAG-ON a 3 RETURN 256", 2, "ABORT-DAG-ON RETURN value must be 0..255"],
    ["JOB a a.sub\nVARS a k=v", 2, 'VARS value of "k" must be double-quoted'],
    ['JOB a a.sub\nVARS a k="v', 2, 'VARS value of "k" has no closing double quote'],
    ['JOB a a.sub\nVARS a queue_x="v"', 2, 'VARS macro name "queue_x" may not begin with "queue"'],
    ["JOB a a.sub\nMAXJOBS c x", 2, 'MAXJOBS limit "x" is not an integer'],
    ["JOB a a.sub\nCATEGORY a", 2, "CATEGORY needs: node category"],
    ["CONFIG a\nCONFIG b", 2, "CONFIG b conflicts with CONFIG a (line 1)"],
    [
      "NODE_STATUS_FILE s ALWAYS-UPDATE",
      1,
      'NODE_STATUS_FILE update time "ALWAYS-UPDATE" is not an integer',
    ],
    ['JOB a "a.sub', 1, "unterminated double-quoted string"],
    ['SERVICE s "s.sub', 1, "unterminated double-quoted string"],
    ["JOB a {", 1, "JOB a: inline submit descriptions are not supported"],
    ["SPLICE sp x.dag\nRETRY sp 1", 2, 'RETRY: "sp" is a splice; only PARENT/CHILD may name it'],
    [
      "SERVICE s s.sub\nJOB a a.sub\nPARENT s CHILD a",
      3,
      'SERVICE node "s" cannot be a parent or child',
    ],
    ["JOB a a.sub\nDOT", 2, "DOT needs at least 1 argument(s)"],
  ])("rejects %j at line %i", (text, line, detail) => {
    const e = syntaxError(text);
    expect(e.file).toBe("t.dag");
    expect(e.line).toBe(line);
    expect(e.detail).toContain(detail);
    expect(e.message).toBe(`t.dag:${line}: ${e.detail}`);
  });
});

const real = sharedFixtures("real", "dagman");

describe.skipIf(!real)("parseDag on real DAG files", () => {
  const read = (...p: string[]) => {
    const file = join(real!, ...p);
    return parseDag(readFileSync(file, "utf8"), file);
  };

  it("reads the ctrl_bps_htcondor tiny_problems DAG", () => {
    const m = read("lsst_tiny_problems", "tiny_problems.dag");
    expect(m.nodes).toHaveLength(6);
    expect(m.nodes[1].file).toBe(
      "jobs/label1/val1/4a7f478b-2e9b-435c-a730-afac3f621658_label1_val1_val2a.sub",
    );
    expect(m.edges).toHaveLength(4);
    expect(m.edges[0]).toEqual({
      parents: ["pipetaskInit"],
      children: ["4a7f478b-2e9b-435c-a730-afac3f621658_label1_val1_val2a"],
    });
    expect(m.nodeStatusFile).toEqual({ file: "u_testuser_tiny_20250213T175935Z.node_status" });
    const final = m.nodes.find((n) => n.kind === "FINAL")!;
    expect(final.name).toBe("finalJob");
    expect(final.post?.args).toEqual(["finalJob", "$DAG_STATUS", "$RETURN"]);
    expect(m.other).toHaveLength(14);
    expect(m.other[0]).toBe("DOT u_testuser_tiny_20250213T175935Z.dot");
    expect(m.other[13]).toBe("SERVICE provisioningJob jobs/provisioningJob/provisioningJob.sub");
  });

  it("reads the group_failed_1 DAG with SUBDAG EXTERNAL, DIR and VARS", () => {
    const m = read("lsst_group_failed_1", "group_failed_1.dag");
    expect(m.nodes).toHaveLength(26);
    expect(m.nodes.filter((n) => n.kind === "SUBDAG")).toHaveLength(3);
    const sub = m.nodes.find((n) => n.name === "wms_group_order1_val1b")!;
    expect(sub).toMatchObject({
      kind: "SUBDAG",
      file: "group_order1_val1b.dag",
      dir: "subdags/wms_group_order1_val1b",
    });
    expect(sub.post?.args).toEqual(["wms_group_order1_val1b", "$RETURN"]);
    const job = m.nodes.find((n) => n.name === "label1_val1c_val2a")!;
    expect(job).toMatchObject({ file: "label1_val1c_val2a.sub", dir: "jobs/label1/val1c" });
    const check = m.nodes.find((n) => n.name === "wms_check_status_wms_group_order1_val1a")!;
    expect(check.vars).toEqual({ group_job_name: "wms_group_order1_val1a" });
    expect(m.edges).toHaveLength(29);
    expect(m.nodes.find((n) => n.kind === "FINAL")?.dir).toBe("jobs/finalJob");
  });

  it("reads HTCondor's own test DAGs", () => {
    const unless = read("htcondor_tests", "job_dagman_unlessexit.dag");
    expect(unless.nodes[0]).toMatchObject({
      name: "NODERET",
      retry: { count: 1, unlessExit: 3 },
      post: { executable: "./x_dagman_retry-monitor.pl", args: ["$RETURN"] },
      retryWithNode: true,
    });
    const prepost = read("htcondor_tests", "job_dagman_prepost.dag");
    expect(prepost.nodes).toHaveLength(21);
    expect(prepost.nodes[20]).toMatchObject({ name: "FINAL", kind: "JOB" });
    expect(prepost.nodes[3].pre).toEqual({
      executable: "./job_dagman_prepost-prehello.pl",
      args: [],
    });
    expect(prepost.edges[0].parents).toHaveLength(20);
    const cat = read("htcondor_tests", "job_dagman_splice-cat.dag");
    expect(cat.maxJobs).toEqual({ cat0: 10, "+catS": 2 });
    expect(cat.nodes.find((n) => n.name === "E0")?.category).toBe("+catS");
    expect(cat.nodes[0].vars).toEqual({ racer: "Eddy Merckx" });
    expect(cat.other).toEqual(["splice D0 job_dagman_splice-cat-splice1.dag"]);
    const abort = read("htcondor_tests", "job_dagman_abort-A.dag");
    expect(abort.nodeStatusFile).toEqual({
      file: "job_dagman_abort-A.status",
      minUpdateSeconds: 600,
    });
    expect(abort.nodes[2]).toMatchObject({
      abortDagOn: { value: 5, returnValue: 0 },
      retry: { count: 3 },
    });
    const retry = read("htcondor_tests", "job_dagman_condor_retry.dag");
    expect(retry.header).toEqual([
      " Test jobs that get retried at the HTCondor level.",
      " This job will succeed with an exit code of 3.",
    ]);
    expect(retry.nodes.map((n) => n.vars)).toEqual([
      { name: "$(JOB)" },
      { name: "$(JOB)" },
      { name: "$(JOB)" },
    ]);
    const status = read("htcondor_tests", "job_dagman_node_status.dag");
    expect(status.nodes).toHaveLength(12);
    expect(status.edges).toHaveLength(20);
  });
});
