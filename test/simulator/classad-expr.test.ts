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
