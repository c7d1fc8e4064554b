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
import {
  appendFileValue,
  copyFile,
  copyFiles,
  DiskFs,
  fileAppender,
  hasPrefix,
  MemFs,
  readFileValue,
  readFileValueIfFile,
  readFileValueIfFileIn,
  readTextIfFileIn,
  writeFileValue,
  writeFileValueIn,
  writeTextIn,
} from "../../simulator/fs.js";

const tmp = mkdtempSync(join(tmpdir(), "wms2-simfs-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("DiskFs", () => {
  it("takes a file by directory and name through the named-file functions (by its path)", () => {
    const dir = join(tmp, "named");
    const fs = new DiskFs();
    const codec = { format: (v: number) => `${v}\n`, parse: (t: string) => Number(t) };
    writeFileValueIn(fs, dir, "v.json", codec, 3);
    const objects = {
      format: (v: { n: number }) => JSON.stringify(v),
      parse: (t: string) => JSON.parse(t) as { n: number },
    };
    const kept = { n: 1 };
    writeFileValueIn(fs, dir, "o.json", objects, kept);
    // Held until the flush: the value itself, not its text parsed again.
    expect(readFileValueIfFileIn(fs, dir, "o.json", objects)).toBe(kept);
    writeTextIn(fs, dir, "t.out", "text");
    writeTextIn(fs, dir, "logs/a.log", "a");
    fs.flush();
    expect(readFileSync(join(dir, "v.json"), "utf8")).toBe("3\n");
    expect(readFileValueIfFileIn(fs, dir, "v.json", codec)).toBe(3);
    expect(readTextIfFileIn(fs, dir, "t.out")).toBe("text");
    expect(readFileSync(join(dir, "logs", "a.log"), "utf8")).toBe("a");
    expect(readTextIfFileIn(fs, dir, "none")).toBeUndefined();
  });

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

describe("DiskFs values", () => {
  it("holds values as they are, answers readers through the codec, and writes their text out", () => {
    const dir = join(tmp, "values");
    const fs = new DiskFs();
    let formatted = 0;
    const codec = {
      format: (v: { n: number }) => {
        formatted++;
        return `n=${v.n}\n`;
      },
      parse: (t: string) => ({ n: Number(t.slice(2)) }),
    };
    const status = join(dir, "g", "status");
    for (let n = 1; n <= 5; n++) writeFileValue(fs, status, codec, { n }); // rewritten often
    const last = readFileValue(fs, status, codec);
    expect(last).toEqual({ n: 5 });
    const copied = join(dir, "g", "copy");
    copyFile(fs, status, copied);
    expect(fs.storedValue(copied, codec)).toBe(last); // a copy of a value stays that value
    expect(fs.storedValue(status, { ...codec })).toBeUndefined(); // another codec: no value
    expect(formatted).toBe(0);
    expect(fs.exists(status)).toBe(true);
    expect(existsSync(status)).toBe(false);
    expect(fs.list(join(dir, "g"))).toEqual(["copy", "status"]);
    fs.flush();
    expect(readFileSync(status, "utf8")).toBe("n=5\n");
    expect(readFileSync(copied, "utf8")).toBe("n=5\n");
    expect(formatted).toBe(2); // only the last value reached the disk, and its copy
    expect(fs.storedValue(status, codec)).toBeUndefined(); // handed over: read from disk again
    expect(readFileValue(fs, status, codec)).toEqual({ n: 5 });

    const log = join(dir, "g", "x.log");
    appendFileValue(fs, log, (r: { k: string }) => `${r.k}\n`, { k: "a" });
    appendFileValue(fs, log, (r: { k: string }) => `${r.k}\n`, { k: "b" });
    expect(fs.readText(log)).toBe("a\nb\n");
    writeFileValue(fs, join(dir, "g", "gone"), codec, { n: 1 });
    fs.remove(join(dir, "g"));
    expect(fs.exists(join(dir, "g", "gone"))).toBe(false);
    fs.flush();
    expect(existsSync(join(dir, "g"))).toBe(false);

    const v = join(dir, "h", "v");
    writeFileValue(fs, v, codec, { n: 2 });
    fs.appendText(v, "tail\n"); // appending makes it text
    expect(fs.storedValue(v, codec)).toBeUndefined();
    expect(fs.size(v)).toBe(9);
    fs.flush();
    expect(readFileSync(v, "utf8")).toBe("n=2\ntail\n");
  });
});

describe("hasPrefix", () => {
  it("tells a prefix from a path that differs anywhere in it", () => {
    const dir = "/store/unmerged/Era/Bench/NANOAODSIM/Proc-v1/000012";
    expect(hasPrefix(`${dir}/proc_3_metrics.json`, dir)).toBe(true);
    expect(hasPrefix(dir, dir)).toBe(true);
    expect(hasPrefix("/store/unmerged/Era/Bench/NANOAODSIM/Proc-v1/000013/x", dir)).toBe(false);
    expect(hasPrefix("/Store/unmerged/Era/Bench/NANOAODSIM/Proc-v1/000012/x", dir)).toBe(false);
    expect(hasPrefix("/store", dir)).toBe(false);
    expect(hasPrefix("anything", "")).toBe(true);
  });
});

describe("MemFs", () => {
  it("keeps the files of sibling directories apart when they are written in turn", () => {
    // Directories that differ only at their end: the remembered directories are compared.
    const fs = new MemFs();
    const a = "/s/unmerged/Era/Proc-v1/000010";
    const b = "/s/unmerged/Era/Proc-v1/000011";
    const c = "/s/unmerged/Era/Proc-v1/000012";
    for (let i = 0; i < 3; i++) {
      fs.writeText(`${a}/f${i}`, `a${i}`);
      fs.writeText(`${b}/f${i}`, `b${i}`);
      fs.writeText(`${c}/f${i}`, `c${i}`);
    }
    expect(fs.list(a)).toEqual(["f0", "f1", "f2"]);
    expect(fs.list(c)).toEqual(["f0", "f1", "f2"]);
    expect([0, 1, 2].map((i) => fs.readText(`${b}/f${i}`))).toEqual(["b0", "b1", "b2"]);
    expect(fs.readTextIfFile(`${a}/f2`)).toBe("a2");
    expect(fs.readTextIfFile("/s/unmerged/Era/Proc-v1/000013/f0")).toBeUndefined();
  });

  it("finds a file by directory and name as by its path, in whatever order directories come", () => {
    const fs = new MemFs();
    const codec = { format: (v: number) => `${v}\n`, parse: (t: string) => Number(t) };
    const iwd = "/wf/mg_000000";
    const block = "/st/unmerged/GEN-SIM/v1/000000";
    fs.writeText(`${iwd}/proc_1.sub`, "sub");
    // The block, then the iwd again (the directory before last), then a third, then back.
    writeFileValueIn(fs, block, "proc_1_metrics.json", codec, 7);
    writeTextIn(fs, iwd, "proc_1.out", "out");
    writeTextIn(fs, "/wf/mg_000001", "proc_2.out", "other");
    writeTextIn(fs, block, "proc_1.keep", "k");
    expect(fs.list(iwd)).toEqual(["proc_1.out", "proc_1.sub"]);
    expect(fs.list(block)).toEqual(["proc_1.keep", "proc_1_metrics.json"]);
    expect(fs.readText(`${block}/proc_1_metrics.json`)).toBe("7\n");
    expect(readFileValueIfFileIn(fs, block, "proc_1_metrics.json", codec)).toBe(7);
    expect(readTextIfFileIn(fs, iwd, "proc_1.sub")).toBe("sub");
    expect(readTextIfFileIn(fs, "/wf/mg_000001", "proc_2.out")).toBe("other");
    expect(readTextIfFileIn(fs, "/wf/mg_000009", "proc_2.out")).toBeUndefined();
    expect(readTextIfFileIn(fs, iwd, "missing")).toBeUndefined();
    // Names that are not plain, and directories not in normal form, go by their paths.
    writeTextIn(fs, iwd, "logs/a.log", "a");
    writeTextIn(fs, iwd, "/abs/b.log", "b");
    writeTextIn(fs, "/wf//mg_000000/", "c.log", "c");
    expect(fs.readText(`${iwd}/logs/a.log`)).toBe("a");
    expect(fs.readText("/abs/b.log")).toBe("b");
    expect(readTextIfFileIn(fs, iwd, "c.log")).toBe("c");
    expect(readTextIfFileIn(fs, `${iwd}/logs/..`, "proc_1.out")).toBe("out");
  });

  it("normalises paths, lists sorted entries and keeps listings current", () => {
    const fs = new MemFs();
    fs.writeText("/w/g/b.txt", "b");
    fs.writeText("/w/g/../g/./a.txt", "a");
    expect(fs.list("/w/g/")).toEqual(["a.txt", "b.txt"]);
    const listed = fs.list("/w/g");
    fs.writeText("/w/g/d.txt", "d");
    expect(listed).toEqual(["a.txt", "b.txt"]); // a listing is a snapshot
    fs.appendText("/w//g/c.log", "1");
    fs.appendText("/w/g/c.log", "2");
    expect(fs.list("/w/g")).toEqual(["a.txt", "b.txt", "c.log", "d.txt"]);
    expect(fs.readText("/w/g/c.log")).toBe("12");
    fs.remove("/w/g/a.txt");
    expect(fs.list("/w/g")).toEqual(["b.txt", "c.log", "d.txt"]);
    fs.writeText("/w/h/y", "y");
    fs.mkdirp("/w/h/sub");
    fs.writeText("/w/h/x", "x");
    expect([...fs.unsortedList("/w/h")].sort()).toEqual(["sub", "x", "y"]); // never listed
    expect(fs.list("/w/h")).toEqual(["sub", "x", "y"]);
    fs.remove("/w");
    expect(fs.list("/")).toEqual([]);
    expect(fs.exists("/w/g/b.txt")).toBe(false);
  });

  it("keeps listings sorted through many additions and removals between listings", () => {
    const fs = new MemFs();
    const expected = new Set<string>();
    let x = 12345;
    const next = () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x;
    };
    for (let round = 0; round < 50; round++) {
      for (let k = 0; k < 20; k++) {
        const name = `f${next() % 300}.${["out", "err", "json"][next() % 3]}`;
        fs.writeText(`/d/${name}`, name);
        expected.add(name);
      }
      if (round % 7 === 3) {
        const victim = [...expected][next() % expected.size];
        fs.remove(`/d/${victim}`);
        expected.delete(victim);
      }
      expect(fs.list("/d")).toEqual([...expected].sort());
      for (let k = 0; k < 5; k++) fs.writeText(`/d/g${next() % 300}`, "late");
      for (const n of fs.list("/d")) expected.add(n);
      expect([...fs.unsortedList("/d")].sort()).toEqual([...expected].sort());
    }
    fs.mkdirp("/d/sub");
    fs.writeText("/d/sub/x", "x");
    fs.remove("/d");
    expect(fs.list("/")).toEqual([]);
    fs.writeText("/d/again", "a");
    expect(fs.list("/d")).toEqual(["again"]);
  });

  it("hands a value back to a reader with the same codec, and its text to any other", () => {
    const fs = new MemFs();
    const codec = {
      format: (v: { n: number }) => `n=${v.n}\n`,
      parse: (t: string) => ({ n: Number(t.slice(2)) }),
    };
    const other = { ...codec };
    const value = { n: 7 };
    writeFileValue(fs, "/v/a", codec, value);
    expect(readFileValue(fs, "/v/a", codec)).toBe(value); // the very object
    expect(readFileValue(fs, "/v/a", other)).toEqual({ n: 7 }); // parsed from the text
    expect(fs.readText("/v/a")).toBe("n=7\n");
    expect(fs.size("/v/a")).toBe(4);
    copyFile(fs, "/v/a", "/v/b");
    expect(readFileValue(fs, "/v/b", codec)).toBe(value);
    fs.appendText("/v/a", "more\n"); // appending makes it text
    expect(fs.storedValue("/v/a", codec)).toBeUndefined();
    expect(fs.readText("/v/a")).toBe("n=7\nmore\n");
    const log: string[] = [];
    const fmt = (r: { k: string }) => {
      log.push(r.k);
      return `${r.k}\n`;
    };
    appendFileValue(fs, "/v/log", fmt, { k: "one" });
    appendFileValue(fs, "/v/log", fmt, { k: "two" });
    expect(log).toEqual([]); // nothing formatted until read
    expect(fs.readText("/v/log")).toBe("one\ntwo\n");
    appendFileValue(fs, "/v/log", fmt, { k: "three" });
    expect(fs.readText("/v/log")).toBe("one\ntwo\nthree\n");
    expect(log).toEqual(["one", "two", "three"]); // each record formatted once
  });

  it("keeps files and directories apart and counts the files it holds", () => {
    const fs = new MemFs();
    fs.writeText("/a/b/f", "1");
    fs.writeText("/a/g", "2");
    fs.appendText("/a/b/log", "x");
    expect(fs.fileCount()).toBe(3);
    expect(() => fs.writeText("/a/b", "file over a directory")).toThrow(/EISDIR/);
    expect(() => fs.writeText("/a/g/h", "below a file")).toThrow(/ENOTDIR/);
    expect(fs.exists("/a/b")).toBe(true);
    expect(fs.isDir("/a/b")).toBe(true);
    expect(fs.readTextIfFile("/a/b")).toBeUndefined();
    expect(fs.readTextIfFile("/a/./b/../b/f")).toBe("1");
    expect(fs.list("/a")).toEqual(["b", "g"]);
    fs.remove("/a/b");
    expect(fs.fileCount()).toBe(1);
    expect(fs.list("/a")).toEqual(["g"]);
    expect(fs.exists("/a/b/f")).toBe(false);
    fs.writeText("/a/b/f", "again");
    expect(fs.readText("/a/b/f")).toBe("again");
    expect(fs.fileCount()).toBe(2);
  });

  it("answers exists, isDir and reads like the disk, for plain and odd paths", () => {
    const root = mkdtempSync(join(tmp, "same-"));
    const disk = new DiskFs();
    const mem = new MemFs();
    for (const fs of [disk, mem]) {
      fs.writeText(join(root, "w", "g", "f.txt"), "f");
      fs.writeText(join(root, "w", "h.txt"), "h");
      fs.mkdirp(join(root, "w", "empty"));
    }
    const paths = [
      "/",
      "//",
      root,
      `${root}/`,
      `${root}/w`,
      `${root}/w/`,
      `${root}/w/g/f.txt`,
      `${root}/w/./g/f.txt`,
      `${root}/w/x/../g/f.txt`,
      `${root}/w//g/f.txt`,
      `${root}/w/g/f.txt/`,
      `${root}/w/h.txt`,
      `${root}/w/empty`,
      `${root}/w/missing`,
      `${root}/w/missing/f.txt`,
      `${root}/w/h.txt/below`,
      `${root}/w/g/..`,
      `${root}/w/g/.`,
    ];
    // Alternate between directories, as jobs do, so remembered directories are exercised.
    for (const p of [...paths, ...paths.reverse()]) {
      const answer = (fs: DiskFs | MemFs) => [
        fs.exists(p),
        fs.isDir(p),
        p.endsWith("/") ? "-" : fs.readTextIfFile(p),
      ];
      expect(answer(mem), p).toEqual(answer(disk));
    }
  });

  it("appends through an appender like through appendValue, also after the file was replaced or removed", () => {
    const root = mkdtempSync(join(tmp, "appender-"));
    const line = (v: { n: number }) => `event ${v.n}\n`;
    const results = [new MemFs(), new DiskFs()].map((fs) => {
      const log = join(root, fs instanceof MemFs ? "m" : "d", "u", "job.log");
      const append = fileAppender(fs, log, line);
      append({ n: 1 });
      appendFileValue(fs, log, line, { n: 2 });
      append({ n: 3 });
      const first = fs.readText(log);
      fs.writeText(log, "replaced\n");
      append({ n: 4 });
      const second = fs.readText(log);
      fs.remove(log);
      append({ n: 5 });
      const third = fs.readText(log);
      fs.remove(join(log, "..", ".."));
      append({ n: 6 });
      if (fs instanceof DiskFs) fs.flush();
      return [first, second, third, fs.readText(log)];
    });
    expect(results[0]).toEqual([
      "event 1\nevent 2\nevent 3\n",
      "replaced\nevent 4\n",
      "event 5\n",
      "event 6\n",
    ]);
    expect(results[1]).toEqual(results[0]);
  });

  it("copies files of a directory into another like file by file, values staying values", () => {
    const root = mkdtempSync(join(tmp, "copy-each-"));
    const codec = {
      format: (v: { n: number }) => `n=${v.n}\n`,
      parse: (t: string) => ({ n: Number(t.slice(2)) }),
    };
    const results = [new MemFs(), new DiskFs()].map((fs) => {
      const base = join(root, fs instanceof MemFs ? "m" : "d");
      writeFileValue(fs, join(base, "se", "a.json"), codec, { n: 1 });
      fs.writeText(join(base, "se", "b.txt"), "b");
      fs.appendText(join(base, "se", "c.log"), "c1\n");
      copyFiles(fs, join(base, "se"), join(base, "wu"), ["a.json", "b.txt", "c.log"]);
      fs.appendText(join(base, "se", "c.log"), "c2\n");
      expect(() => copyFiles(fs, join(base, "se"), join(base, "wu"), ["gone"])).toThrow(/ENOENT/);
      if (fs instanceof DiskFs) fs.flush();
      return {
        list: fs.list(join(base, "wu")),
        texts: ["a.json", "b.txt", "c.log"].map((n) => fs.readText(join(base, "wu", n))),
        value: readFileValue(fs, join(base, "wu", "a.json"), codec),
      };
    });
    expect(results[0]).toEqual({
      list: ["a.json", "b.txt", "c.log"],
      texts: ["n=1\n", "b", "c1\n"],
      value: { n: 1 },
    });
    expect(results[1]).toEqual(results[0]);
  });

  it("reads a value if there is a file: stored, parsed from text, or undefined", () => {
    const root = mkdtempSync(join(tmp, "if-file-"));
    const codec = {
      format: (v: { n: number }) => `n=${v.n}\n`,
      parse: (t: string) => ({ n: Number(t.trim().slice(2)) }),
    };
    for (const fs of [new MemFs(), new DiskFs()]) {
      const base = join(root, fs instanceof MemFs ? "m" : "d");
      writeFileValue(fs, join(base, "v"), codec, { n: 1 });
      fs.writeText(join(base, "t"), "n=2\n");
      fs.mkdirp(join(base, "dir"));
      expect(readFileValueIfFile(fs, join(base, "v"), codec)).toEqual({ n: 1 });
      expect(readFileValueIfFile(fs, join(base, "t"), codec)).toEqual({ n: 2 });
      expect(readFileValueIfFile(fs, join(base, "missing"), codec)).toBeUndefined();
      expect(readFileValueIfFile(fs, join(base, "dir"), codec)).toBeUndefined();
    }
  });
});
