import { describe, expect, it } from "vitest";
import { type ClassAdValue, compileExpr } from "../../simulator/pool/classad-expr.js";
import { InputError } from "../../src/model/errors.js";

const ad =
  (attrs: Record<string, ClassAdValue>) =>
  (lower: string): ClassAdValue =>
    Object.entries(attrs).find(([k]) => k.toLowerCase() === lower)?.[1];

const job = ad({ RequestCpus: 8, RequestMemory: 16000, WMS2_QuickJob: true });
const cern = ad({ GLIDEIN_CMSSite: "T2_CH_CERN", Cpus: 16, Memory: 64000 });
const fnal = ad({ GLIDEIN_CMSSite: "T1_US_FNAL", Cpus: 4, Memory: 8000 });
const bare = ad({});

const ev = (text: string, target = cern) => compileExpr(text, "x.sub")(job, target);

describe("ClassAd expression subset", () => {
  it("treats empty text as true", () => {
    expect(ev("")).toBe(true);
    expect(ev("   ")).toBe(true);
  });

  it("evaluates the site terms the planner writes", () => {
    const allowed =
      '(TARGET.GLIDEIN_CMSSite == "T2_CH_CERN" || TARGET.GLIDEIN_CMSSite == "T2_DE_DESY")';
    expect(ev(allowed, cern)).toBe(true);
    expect(ev(allowed, fnal)).toBe(false);
    expect(ev('TARGET.GLIDEIN_CMSSite =!= "T2_CH_CERN"', cern)).toBe(false);
    expect(ev('TARGET.GLIDEIN_CMSSite =!= "T2_CH_CERN"', fnal)).toBe(true);
    expect(ev(`${allowed} && TARGET.GLIDEIN_CMSSite =!= "T2_DE_DESY"`, cern)).toBe(true);
    expect(ev('(TARGET.GLIDEIN_CMSSite == "t2_ch_cern")', cern)).toBe(true); // == ignores case
    expect(ev('TARGET.GLIDEIN_CMSSite =?= "t2_ch_cern"', cern)).toBe(false); // =?= does not
  });

  it("uses three-valued logic for missing attributes", () => {
    expect(ev('TARGET.GLIDEIN_CMSSite == "T2_CH_CERN"', bare)).toBeUndefined();
    expect(ev('TARGET.GLIDEIN_CMSSite =!= "T2_CH_CERN"', bare)).toBe(true);
    expect(ev('TARGET.GLIDEIN_CMSSite == "X" || true', bare)).toBe(true);
    expect(ev('TARGET.GLIDEIN_CMSSite == "X" && false', bare)).toBe(false);
    expect(ev("!(TARGET.Nope == 1)", bare)).toBeUndefined();
  });

  it("resolves MY., TARGET. and unqualified names and compares numbers", () => {
    expect(ev("TARGET.Memory >= MY.RequestMemory", cern)).toBe(true);
    expect(ev("TARGET.Memory >= RequestMemory", fnal)).toBe(false);
    expect(ev("Cpus > 4 && WMS2_QuickJob", cern)).toBe(true);
    expect(ev("Cpus <= 4", fnal)).toBe(true);
    expect(ev("RequestCpus != 8")).toBe(false);
  });

  it("does arithmetic on numbers, with ClassAd's precedence", () => {
    expect(ev("1 + 2 * 3 == 7")).toBe(true);
    expect(ev("(1 + 2) * 3")).toBe(9);
    expect(ev("RequestCpus - 10")).toBe(-2);
    expect(ev("-RequestCpus + 1")).toBe(-7);
    expect(ev("Cpus * 1000 >= RequestMemory", cern)).toBe(true);
    // UNDEFINED, a string or a boolean in arithmetic gives UNDEFINED.
    expect(ev("Nope + 1")).toBeUndefined();
    expect(ev("GLIDEIN_CMSSite + 1", cern)).toBeUndefined();
    expect(ev("(Nope + 1) > 0 || true")).toBe(true);
  });

  it("has time() (the ad's CurrentTime), strcat, ifThenElse and isUndefined", () => {
    const held = ad({ JobStatus: 5, EnteredCurrentStatus: 1000, CurrentTime: 1500 });
    const on = (text: string) => compileExpr(text)(held, bare);
    expect(on("(time() - EnteredCurrentStatus) > 420")).toBe(true);
    expect(on("(time() - EnteredCurrentStatus) > 500")).toBe(false);
    expect(compileExpr("time()")(bare, bare)).toBeUndefined();
    expect(on('strcat("WMS2: ", "held ", JobStatus)')).toBe("WMS2: held 5");
    expect(on('strcat("a", Nope)')).toBeUndefined();
    expect(on('ifThenElse(JobStatus == 5, "held", "not held")')).toBe("held");
    expect(on('ifThenElse(JobStatus == 2, "running", ifThenElse(true, "other", "x"))')).toBe(
      "other",
    );
    expect(on('ifThenElse(Nope == 1, "a", "b")')).toBeUndefined();
    expect(on("isUndefined(Nope) && !isUndefined(JobStatus)")).toBe(true);
    expect(on("IFTHENELSE(TRUE, 1, 2)")).toBe(1); // names are case-insensitive
  });

  it("refuses division, unknown functions and wrong argument counts in one line", () => {
    expect(() => compileExpr("A / 2", "s")).toThrow(/^s: unexpected character "\/" at column 3/);
    expect(() => compileExpr("floor(A)", "s")).toThrow(/^s: unknown function "floor" at column 1/);
    expect(() => compileExpr("ifThenElse(A, 1)", "s")).toThrow(
      /^s: ifThenElse\(\) takes 3 arguments at column 1/,
    );
    expect(() => compileExpr("time(1)", "s")).toThrow(/time\(\) takes 0 arguments/);
    expect(() => compileExpr("strcat(A, ", "s")).toThrow(/unexpected end of expression/);
  });

  it("reports syntax errors as one-line InputErrors with source and column", () => {
    expect(() => compileExpr('GLIDEIN_CMSSite == "T2', "proc_1.sub")).toThrow(InputError);
    expect(() => compileExpr('GLIDEIN_CMSSite == "T2', "proc_1.sub")).toThrow(
      'proc_1.sub: unterminated string at column 20 of "GLIDEIN_CMSSite == "T2"',
    );
    expect(() => compileExpr("(A == 1", "s")).toThrow(/^s: expected "\)" at column 8/);
    expect(() => compileExpr("A == 1 B", "s")).toThrow(/^s: unexpected "B" at column 8/);
    expect(() => compileExpr("A == ", "s")).toThrow(/unexpected end of expression/);
    expect(() => compileExpr("A # 1", "s")).toThrow(/unexpected character "#" at column 3/);
  });
});
