import { describe, expect, it } from "vitest";
import {
  checkArguments,
  checkSubmit,
  DagSyntaxError,
  formatArguments,
  formatSubmit,
  parseArguments,
  parseSubmit,
  type SubmitModel,
  submitDelete,
  submitGet,
  submitSet,
  submitValues,
  validateSubmit,
} from "../../src/dagman/index.js";

/** A proc submit file in the line order of formats.md §5.1. */
const PROC_SUB = `# proc_000041 of merge group 3
universe = vanilla
executable = ../wms2_proc.sh
arguments = --sandbox sandbox.tar.gz --input synthetic://gen/events_1_500 --node-index 41
output = proc_000041.out
error = proc_000041.err
log = proc_000041.log
request_cpus = 8
request_memory = 16000
environment = "WMS2_MODE=sim GLIDEIN_CMSSite=$$([GLIDEIN_CMSSite])"
should_transfer_files = YES
when_to_transfer_output = ON_EXIT
transfer_input_files = ../sandbox.tar.gz,output_info.json
transfer_output_files =
+DESIRED_Sites = "T2_CH_CERN,T1_US_FNAL"
+JOB_GLIDEIN_CMSSite = "$$(GLIDEIN_CMSSite:Unknown)"
MY.WMS2_QuickJob = True
periodic_release = (NumJobStarts < 5) && (HoldReasonCode == 13)
Requirements =
queue 1
`;

function syntaxError(fn: () => unknown): DagSyntaxError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DagSyntaxError);
    expect((e as Error).message).not.toContain("\n");
    return e as DagSyntaxError;
  }
  throw new Error("expected a DagSyntaxError");
}

describe("parseSubmit / formatSubmit", () => {
  it("reads a WMS2 proc submit file verbatim and writes it back byte for byte", () => {
    const m = parseSubmit(PROC_SUB, "proc_000041.sub");
    expect(m.header).toEqual([" proc_000041 of merge group 3"]);
    expect(m.entries).toHaveLength(18);
    expect(m.queue).toBe("1");
    expect(submitGet(m, "ENVIRONMENT")).toBe(
      '"WMS2_MODE=sim GLIDEIN_CMSSite=$$([GLIDEIN_CMSSite])"',
    );
    expect(submitGet(m, "+desired_sites")).toBe('"T2_CH_CERN,T1_US_FNAL"');
    expect(submitGet(m, "my.wms2_quickjob")).toBe("True");
    expect(submitGet(m, "transfer_output_files")).toBe("");
    expect(submitGet(m, "requirements")).toBe("");
    expect(formatSubmit(m)).toBe(PROC_SUB);
  });

  it("joins continued lines, skips comments and blank lines, keeps key spelling", () => {
    const m = parseSubmit(
      "Executable = /bin/true\n\n# a comment\nArguments = a \\\n# inside\n  b c\nrequirements = (A) && \\\n   (B)\nQueue\n# trailing\n",
      "x.sub",
    );
    expect(m.entries).toEqual([
      { key: "Executable", value: "/bin/true" },
      { key: "Arguments", value: "a   b c" },
      { key: "requirements", value: "(A) &&    (B)" },
    ]);
    expect(m.queue).toBe("");
    expect(parseSubmit(formatSubmit(m), "x.sub")).toStrictEqual(m);
    expect(formatSubmit(m)).toBe(
      "Executable = /bin/true\nArguments = a   b c\nrequirements = (A) &&    (B)\nqueue\n",
    );
  });

  it("round-trips models with varied keys, values and queue arguments", () => {
    const models: SubmitModel[] = [
      { header: [], entries: [{ key: "executable", value: "x" }], queue: "" },
      {
        header: ["", " two", "three "],
        entries: [
          { key: "+A", value: '"x = y"' },
          { key: "MY.B", value: "1 + 2" },
          { key: "environment", value: "\"A='1 2' B=3\"" },
          { key: "args", value: "" },
          { key: "executable", value: "y" },
          { key: "Executable", value: "z" },
        ],
        queue: "3 item in (a, b, c)",
      },
    ];
    for (const m of models) expect(parseSubmit(formatSubmit(m), "m.sub")).toStrictEqual(m);
  });

  it("sets and reads commands case-insensitively", () => {
    const m = submitSet(parseSubmit(PROC_SUB, "p.sub"), "REQUEST_MEMORY", "24000");
    expect(submitGet(m, "request_memory")).toBe("24000");
    expect(formatSubmit(m)).toContain("\nrequest_memory = 24000\n");
  });

  it.each([
    ["executable = x\n", 0, "no queue statement"],
    ["executable = x\nqueue\nqueue 2\n", 3, "second queue statement (the first is at line 2)"],
    ["executable = x\nqueue 1\nlog = a\n", 3, 'command "log" after the queue statement (line 2)'],
    ["executable x\nqueue\n", 1, 'expected "key = value" or "queue", got "executable x"'],
    ["bad key = 1\nqueue\n", 1, 'illegal command name "bad key"'],
    ["if defined X\nqueue\n", 1, '"if" is not supported in WMS2 submit files'],
    ["x = 1\nargs @=end\nqueue\n", 2, 'multi-line value "args @=..." is not supported'],
    ["error : stop\nqueue\n", 1, '"error" is not supported'],
  ])("rejects %j at line %i", (text, line, detail) => {
    const e = syntaxError(() => parseSubmit(text, "bad.sub"));
    expect(e.line).toBe(line);
    expect(e.detail).toContain(detail);
    expect(e.message.startsWith(line > 0 ? `bad.sub:${line}: ` : "bad.sub: ")).toBe(true);
  });

  it("refuses to write what would not read back", () => {
    const m = (key: string, value: string): SubmitModel => ({
      header: [],
      entries: [{ key, value }],
      queue: "1",
    });
    expect(() => formatSubmit(m("a b", "1"))).toThrow('illegal command name "a b"');
    expect(() => formatSubmit(m("queue", "1"))).toThrow("illegal command name");
    expect(() => formatSubmit(m("a", "1\n2"))).toThrow('value of "a"');
    expect(() => formatSubmit(m("a", " 1"))).toThrow('value of "a"');
  });
});

describe("validateSubmit", () => {
  it("accepts the proc file and requires an executable", () => {
    expect(() => validateSubmit(parseSubmit(PROC_SUB, "p.sub"), "p.sub")).not.toThrow();
    const e = syntaxError(() =>
      validateSubmit(parseSubmit("universe = vanilla\nqueue\n", "n.sub"), "n.sub"),
    );
    expect(e.message).toBe("n.sub: no executable command");
  });

  it("rejects an unknown universe and JSON in old-syntax arguments (pitfall 4)", () => {
    const bad = (extra: string) => parseSubmit(`executable = x\n${extra}\nqueue\n`, "b.sub");
    expect(() => validateSubmit(bad("universe = vanila"), "b.sub")).toThrow(
      'b.sub: unknown universe "vanila"',
    );
    expect(() => validateSubmit(bad('arguments = --info {"a": 1}'), "b.sub")).toThrow(
      'b.sub: arguments: illegal unescaped double-quote in: {"a":',
    );
    expect(() => validateSubmit(bad("universe = Scheduler"), "b.sub")).not.toThrow();
  });

  it("returns the argv condor_submit splits: of the arguments after VARS macros when given", () => {
    const sub = parseSubmit("executable = x\narguments = --node $(JOB) -v\nqueue\n", "v.sub");
    expect(validateSubmit(sub, "v.sub")).toEqual(["--node", "$(JOB)", "-v"]);
    expect(validateSubmit(sub, "v.sub", "--node proc_000003 -v")).toEqual([
      "--node",
      "proc_000003",
      "-v",
    ]);
    expect(validateSubmit(parseSubmit("executable = x\nqueue\n", "e.sub"), "e.sub")).toEqual([]);
    expect(() => validateSubmit(sub, "v.sub", '--node "a')).toThrow(
      'v.sub: arguments: illegal unescaped double-quote in: "a',
    );
  });
});

/** The message of what `f` throws; undefined when it returns. */
function thrown(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

describe("checkSubmit", () => {
  it("refuses what validateSubmit refuses, with the same message", () => {
    const cases = [
      "universe = vanilla",
      "executable = x\nuniverse = vanila",
      'executable = x\narguments = --info {"a": 1}',
      'executable = x\nargs = "a b',
      "executable = x\narguments = --a 1",
      "executable = x\narguments = \"a 'b c' d\"",
    ];
    for (const text of cases) {
      const sub = parseSubmit(`${text}\nqueue\n`, "c.sub");
      const refusal = thrown(() => validateSubmit(sub, "c.sub"));
      expect(thrown(() => checkSubmit(sub, "c.sub"))).toBe(refusal);
      const expanded = thrown(() => validateSubmit(sub, "c.sub", '--x "y'));
      expect(expanded).toBeDefined();
      expect(thrown(() => checkSubmit(sub, "c.sub", '--x "y'))).toBe(expanded);
    }
    expect(
      cases.filter((t) =>
        thrown(() => checkSubmit(parseSubmit(`${t}\nqueue\n`, "c.sub"), "c.sub")),
      ),
    ).toHaveLength(4);
  });
});

describe("parseArguments / formatArguments", () => {
  it("splits the old syntax at runs of any blank, as split(/\\s+/) does", () => {
    const values = [
      "a",
      "a\u00a0b\u2003c",
      "x\n\ty\r\n z\u000b\u000cw",
      "\u3000lead trail\ufeff",
      "--k v\u2028--l\u2029w",
      "é ü\u0085ñ",
    ];
    for (const v of values) expect(parseArguments(v)).toEqual(v.trim().split(/\s+/));
  });

  it("checks without splitting what it would split, and refuses what it would refuse", () => {
    for (const v of ["", "a b", 'a \\"b\\"', "\"a 'b c'\"", "it's"]) {
      expect(() => parseArguments(v)).not.toThrow();
      expect(() => checkArguments(v)).not.toThrow();
    }
    for (const v of ['{"a": 1}', '"a b', '"a" b', '"a \'b"', 'x\u00a0"y']) {
      const refusal = thrown(() => parseArguments(v));
      expect(refusal).toBeDefined();
      expect(thrown(() => checkArguments(v))).toBe(refusal);
    }
  });

  it.each([
    ["", []],
    ["--sandbox s.tgz --node-index 41", ["--sandbox", "s.tgz", "--node-index", "41"]],
    ["  a\tb  ", ["a", "b"]],
    ['a \\"quoted\\" b', ["a", '"quoted"', "b"]],
    ["it's", ["it's"]],
    ['"a b c"', ["a", "b", "c"]],
    ["\"one 'two three' four\"", ["one", "two three", "four"]],
    ["\"'it''s' x''y ''\"", ["it's", "xy", ""]],
    ['"say ""hi"""', ["say", '"hi"']],
    ["\"a'b c'd\"", ["ab cd"]],
    ['""', []],
  ])("reads %j", (value, argv) => {
    expect(parseArguments(value)).toEqual(argv);
  });

  it.each([
    ['{"a": 1}', 'illegal unescaped double-quote in: {"a":'],
    ['"a b', "no closing double quote"],
    ['"a" b', "unexpected text after the closing double quote: b"],
    ['"a \'b"', "unbalanced single quote starting at: 'b"],
  ])("rejects %j", (value, message) => {
    expect(() => parseArguments(value)).toThrow(message);
  });

  it("writes plain words when it can and the quoted syntax otherwise, and reads both back", () => {
    expect(formatArguments(["--a", "1", "$JOB"])).toBe("--a 1 $JOB");
    expect(formatArguments(["two words", "it's", 'q"', ""])).toBe(`"'two words' 'it''s' q"" ''"`);
    const cases = [
      [],
      ["x"],
      ["a b", "c"],
      ["'", '"', "''", "\\", 'a\\"b'],
      ["", ""],
      ['{"json": [1, 2]}'],
    ];
    for (const argv of cases) expect(parseArguments(formatArguments(argv))).toEqual(argv);
  });
});

describe("submitValues", () => {
  const model = (pairs: [string, string][]): SubmitModel => ({
    header: [],
    entries: pairs.map(([key, value]) => ({ key, value })),
    queue: "1",
  });
  const keys = ["executable", "arguments", "request_memory", "+desired_sites", "log", "absent"];

  it("answers what submitGet answers, for models of one shape and of others", () => {
    const models = [
      model([
        ["executable", "a.sh"],
        ["Arguments", "--x 1"],
        ["request_memory", "2000"],
        ["+DESIRED_Sites", '"T2_CH_CERN"'],
        ["REQUEST_MEMORY", "4000"],
      ]),
      // Same command names in the same order, other values: the shape is shared.
      model([
        ["executable", "b.sh"],
        ["Arguments", "--x 2"],
        ["request_memory", "1"],
        ["+DESIRED_Sites", '"T1_US_FNAL"'],
        ["REQUEST_MEMORY", "3"],
      ]),
      // Same length, other names.
      model([
        ["executable", "c.sh"],
        ["log", "c.log"],
        ["request_memory", "5"],
        ["arguments", ""],
        ["Executable", "d.sh"],
      ]),
      model([["universe", "local"]]),
      model([]),
    ];
    for (let round = 0; round < 2; round++) {
      for (const m of models) {
        const values = submitValues(m);
        for (const k of keys)
          expect(values.get(k), `${k} of ${m.entries.length}`).toBe(submitGet(m, k));
      }
    }
    expect(submitValues(models[0]).get("request_memory")).toBe("4000");
    expect(submitValues(models[1]).get("executable")).toBe("b.sh");
    expect(submitValues(models[2]).get("executable")).toBe("d.sh");
  });

  it("follows submitSet and submitDelete, which make new models", () => {
    const base = model([
      ["executable", "a.sh"],
      ["request_memory", "2000"],
    ]);
    const set = submitSet(base, "Request_Memory", "3000");
    const added = submitSet(base, "+DESIRED_Sites", '"X"');
    const removed = submitDelete(added, "executable");
    expect(submitValues(base).get("request_memory")).toBe("2000");
    expect(submitValues(set).get("request_memory")).toBe("3000");
    expect(submitValues(added).get("+desired_sites")).toBe('"X"');
    expect(submitValues(removed).get("executable")).toBeUndefined();
    expect(submitValues(removed).get("+desired_sites")).toBe('"X"');
  });

  it("keeps the header and queue of the model it rewrites, fields in the parser's order", () => {
    const base = parseSubmit("# proc 3\nexecutable = a.sh\nqueue 2\n", "a.sub");
    for (const m of [submitSet(base, "executable", "b.sh"), submitDelete(base, "executable")]) {
      expect(Object.keys(m)).toEqual(Object.keys(base));
      expect(m.header).toBe(base.header);
      expect(m.queue).toBe("2");
      expect(m.entries).not.toBe(base.entries);
    }
    expect(Object.keys(base)).toEqual(["header", "entries", "queue"]);
  });
});
