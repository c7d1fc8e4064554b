import { describe, expect, it } from "vitest";
import { jobEvents, parseProcArgs, realInputs } from "../../../simulator/payload/proc-args.js";
import { InputError } from "../../../src/model/errors.js";

const parse = (line: string) => parseProcArgs(line.split(" "), "proc_000001.sub");

describe("the processing wrapper's arguments", () => {
  it("are read by option, the last one given winning; options not given are undefined", () => {
    const args = parse(
      "--sandbox s.tar.gz --input synthetic://gen/events_1_100 --node-index 3 --ncpus 2 --ncpus 4",
    );
    expect(args).toEqual({ nodeIndex: 3, inputs: ["synthetic://gen/events_1_100"], ncpus: 4 });
    expect(args.outputInfo).toBeUndefined();
    expect(args.eventsPerJob).toBeUndefined();
    expect(jobEvents(args, "f")).toBe(100);
    expect(realInputs(args)).toEqual([]);
  });

  it("split the inputs on commas, dropping blanks, and tell real files from generation", () => {
    const args = parse(
      "--node-index 0 --input /store/a.root,,synthetic://gen/events_1_5,/store/b.root,",
    );
    expect(args.inputs).toEqual(["/store/a.root", "synthetic://gen/events_1_5", "/store/b.root"]);
    expect(realInputs(args)).toEqual(["/store/a.root", "/store/b.root"]);
    expect(parse("--node-index 0 --input ,").inputs).toEqual([]);
    expect(parse("--node-index 0").inputs).toEqual([]);
  });

  it("name the submit file and the option in errors, in the order of the checks", () => {
    const message = (line: string) => {
      try {
        parse(line);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      return "";
    };
    expect(message("--node-index 0 --input")).toMatch(/proc_000001\.sub.*--input needs a value/);
    expect(message("--input x --ncpus 0")).toMatch(/needs --node-index/);
    expect(message("--node-index -1 --ncpus 0")).toMatch(/--node-index expects an integer >= 0/);
    expect(message("--node-index 1 --first-event x --ncpus 0")).toMatch(
      /--first-event expects an integer >= 0, got "x"/,
    );
    expect(message("--node-index 1 --ncpus 0")).toMatch(/--ncpus expects an integer >= 1/);
  });
});
