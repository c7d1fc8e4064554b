import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DiskFs, MemFs } from "../../simulator/fs.js";

const tmp = mkdtempSync(join(tmpdir(), "wms2-simfs-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("DiskFs", () => {
  it("gathers appends, answers through them, and writes them out on flush", () => {
    const dir = join(tmp, "a");
    const fs = new DiskFs();
    const log = join(dir, "sub", "x.log");
    fs.appendText(log, "one\n");
    fs.appendText(log, "two\n");
    expect(existsSync(join(dir, "sub"))).toBe(true); // the directory is made at once
    expect(existsSync(log)).toBe(false); // the text is held back
    expect(fs.exists(log)).toBe(true);
    expect(fs.isDir(log)).toBe(false);
    expect(fs.list(join(dir, "sub"))).toEqual(["x.log"]); // listed as it will be
    expect(existsSync(log)).toBe(false);
    expect(fs.size(log)).toBe(8); // sizing writes it out
    expect(readFileSync(log, "utf8")).toBe("one\ntwo\n");
    fs.appendText(log, "three\n");
    expect(fs.size(log)).toBe(14);
    expect(fs.readText(log)).toBe("one\ntwo\nthree\n");
    fs.appendText(log, "four\n");
    fs.flush();
    expect(readFileSync(log, "utf8")).toBe("one\ntwo\nthree\nfour\n");
  });

  it("holds writes back until handed over, then writes each file once", () => {
    const dir = join(tmp, "b");
    const fs = new DiskFs();
    const f = join(dir, "deep", "f.json");
    fs.writeText(f, "{}\n");
    expect(existsSync(join(dir, "deep"))).toBe(true); // directories are made at once
    expect(existsSync(f)).toBe(false);
    expect(fs.readText(f)).toBe("{}\n");
    fs.writeText(f, '{"a": 1}\n');
    fs.appendText(f, "more\n");
    expect(fs.size(f)).toBe(14);
    fs.flush();
    expect(readFileSync(f, "utf8")).toBe('{"a": 1}\nmore\n');
    fs.writeText(f, "replaced\n"); // an existing file: replaced through a rename
    fs.writeText(join(dir, "deep", "e.json"), "e");
    expect(fs.list(join(dir, "deep"))).toEqual(["e.json", "f.json"]);
    fs.flush();
    expect(readFileSync(f, "utf8")).toBe("replaced\n");
    expect(readdirSync(join(dir, "deep")).sort()).toEqual(["e.json", "f.json"]);
  });

  it("sees changes made behind its back once it has handed over (flush)", () => {
    const dir = join(tmp, "c");
    mkdirSync(dir, { recursive: true });
    const f = join(dir, "m.json");
    writeFileSync(f, "old");
    const fs = new DiskFs();
    expect(fs.readText(f)).toBe("old");
    writeFileSync(f, "new"); // e.g. a program on the access point
    fs.flush();
    expect(fs.readText(f)).toBe("new");
    expect(fs.size(f)).toBe(3);
  });

  it("never writes what is removed before it is handed over, and makes directories again", () => {
    const dir = join(tmp, "d");
    const fs = new DiskFs();
    fs.writeText(join(dir, "keep.txt"), "k");
    fs.writeText(join(dir, "g", "a.txt"), "a");
    fs.appendText(join(dir, "g", "b.log"), "b");
    fs.remove(join(dir, "g"));
    expect(fs.exists(join(dir, "g", "a.txt"))).toBe(false);
    expect(fs.exists(join(dir, "g", "b.log"))).toBe(false);
    fs.flush();
    expect(readdirSync(dir)).toEqual(["keep.txt"]);
    fs.appendText(join(dir, "g", "b.log"), "again");
    fs.flush();
    expect(readFileSync(join(dir, "g", "b.log"), "utf8")).toBe("again");
    rmSync(join(dir, "g"), { recursive: true }); // behind its back
    fs.writeText(join(dir, "g", "c.txt"), "c");
    fs.flush();
    expect(readFileSync(join(dir, "g", "c.txt"), "utf8")).toBe("c");
  });
});

describe("MemFs", () => {
  it("normalises paths, lists sorted entries and keeps listings current", () => {
    const fs = new MemFs();
    fs.writeText("/w/g/b.txt", "b");
    fs.writeText("/w/g/../g/./a.txt", "a");
    expect(fs.list("/w/g/")).toEqual(["a.txt", "b.txt"]);
    const listed = fs.list("/w/g");
    expect(() => (listed as string[]).push("mutated")).toThrow(TypeError); // shared, frozen
    fs.appendText("/w//g/c.log", "1");
    fs.appendText("/w/g/c.log", "2");
    expect(fs.list("/w/g")).toEqual(["a.txt", "b.txt", "c.log"]);
    expect(fs.readText("/w/g/c.log")).toBe("12");
    fs.remove("/w/g/a.txt");
    expect(fs.list("/w/g")).toEqual(["b.txt", "c.log"]);
    fs.remove("/w");
    expect(fs.list("/")).toEqual([]);
    expect(fs.exists("/w/g/b.txt")).toBe(false);
  });
});
