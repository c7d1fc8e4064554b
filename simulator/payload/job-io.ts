/**
 * File access of the payload and script models, always through `SimFs` so the same models
 * run with artifacts on disk or in memory: files read through their codecs with one-line
 * errors, inputs shared by a unit's jobs parsed once, stdout and stderr files, and the small
 * text files standing in for ROOT files.
 */
import { InputError, inputErrorMessage } from "../../src/model/errors.js";
import {
  type FileCodec,
  readFileValueIfFile,
  readFileValueIfFileIn,
  resolveIn,
  type SimFs,
  writeTextIn,
} from "../fs.js";
import type { JobContext, Rand } from "./types.js";

export { resolveIn };

/** The error of a file that is not there. */
function notFound(file: string): InputError {
  return new InputError(inputErrorMessage({ file, problem: "file not found" }));
}

/** Read a text file; a missing file is an `InputError` naming it. */
export function readTextIn(fs: SimFs, file: string): string {
  const text = fs.readTextIfFile(file);
  if (text === undefined) throw notFound(file);
  return text;
}

/**
 * Read a file through its codec: the value a writer stored with the same codec (see
 * `writeFileValue`), else the text parsed; a missing file is an `InputError` naming it.
 */
export function readValueIn<T>(fs: SimFs, file: FileRef, codec: FileCodec<T>): T {
  if (typeof file !== "string") {
    const value = readFileValueIfFileIn(fs, file.dir, file.name, codec);
    if (value === undefined) throw notFound(resolveIn(file.dir, file.name));
    return value;
  }
  const value = readFileValueIfFile(fs, file, codec);
  if (value === undefined) throw notFound(file);
  return value;
}

/**
 * A file by its path, or by a directory and the name in it (a listed proc file): the second
 * is found without its path being taken apart again (see `SimFs.storedValueIn`).
 */
export type FileRef = string | { readonly dir: string; readonly name: string };

type Parser<T> = (text: string, file: string) => T;

/** Per directory: the paths of the inputs its jobs read, by the name they give. */
const inputPaths = new Map<string, Map<string, string>>();
/** Directories remembered, at most (then the memory starts over). */
const MAX_INPUT_DIRS = 4096;

/**
 * `resolveIn(dir, name)` for an input every job of a work unit names the same way
 * (`manifest.json`, `output_info.json`): made once per directory, not once per job.
 */
export function unitInputPath(dir: string, name: string): string {
  let byName = inputPaths.get(dir);
  if (!byName) {
    if (inputPaths.size >= MAX_INPUT_DIRS) inputPaths.clear();
    byName = new Map();
    inputPaths.set(dir, byName);
  }
  let path = byName.get(name);
  if (path === undefined) {
    path = resolveIn(dir, name);
    byName.set(name, path);
  }
  return path;
}

/** Per parser, per file: the text last parsed and its (frozen) result. */
const sharedInputs = new WeakMap<Parser<unknown>, Map<string, { text: string; value: unknown }>>();

/**
 * Read and parse an input that every job of a work unit reads unchanged (`manifest.json`,
 * `output_info.json`): while the file's text is the one parsed last time, that result is
 * reused, and files with the same text (the units of a workflow mostly have one manifest)
 * share one result, so the parser's result must depend on the text alone (see
 * `parseByContent`). It is shared, so it is deep-frozen. A missing file is an
 * `InputError`; a parse error is thrown each time, as without the reuse.
 */
export function readSharedIn<T>(fs: SimFs, file: string, parse: Parser<T>): T {
  const value = readSharedIfFile(fs, file, parse);
  if (value === undefined) throw notFound(file);
  return value;
}

/** `readSharedIn`, or undefined when there is no such file (one look-up either way). */
export function readSharedIfFile<T>(fs: SimFs, file: string, parse: Parser<T>): T | undefined {
  const text = fs.readTextIfFile(file);
  if (text === undefined) return undefined;
  let byFile = sharedInputs.get(parse);
  if (!byFile) {
    byFile = new Map();
    sharedInputs.set(parse, byFile);
  }
  const hit = byFile.get(file);
  if (hit && hit.text === text) return hit.value as T;
  const value = parseByContent(text, file, parse);
  byFile.set(file, { text, value });
  return value;
}

/** Per parser: results by text, for parsers whose result does not depend on the file name. */
const byContent = new WeakMap<Parser<unknown>, Map<string, unknown>>();
/** Texts remembered per parser, at most (then the memory starts over). */
const MAX_CONTENTS = 256;

/**
 * Parse the text of a job's side file with a parser whose result depends on the text alone
 * (not on the file name): jobs that did the same thing write the same text, and it is
 * parsed once. The result is shared, so it is deep-frozen. A parse error is thrown each
 * time, as without the memory.
 */
export function parseByContent<T>(text: string, file: string, parse: Parser<T>): T {
  let byText = byContent.get(parse);
  if (!byText) {
    byText = new Map();
    byContent.set(parse, byText);
  }
  const hit = byText.get(text);
  if (hit !== undefined) return hit as T;
  const value = deepFreeze(parse(text, file));
  if (byText.size >= MAX_CONTENTS) byText.clear();
  byText.set(text, value);
  return value;
}

/** Freeze a value and everything it holds (values shared between jobs). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** A value as indented JSON with a trailing newline (the artifacts' layout). */
export function jsonFileText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Lines as the text of a file: joined, with a trailing newline when there are any. */
export function linesText(lines: readonly string[]): string {
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

/** Write the job's stdout and stderr files (lines joined, trailing newline when non-empty). */
export function writeStdio(ctx: JobContext, stdout: string[], stderr: string[] = []): void {
  writeStdioText(ctx, linesText(stdout), linesText(stderr));
}

/** Write the job's stdout and stderr files as the texts given (nothing for a stream discarded). */
export function writeStdioText(ctx: JobContext, stdout: string, stderr: string): void {
  if (ctx.output !== undefined) writeTextIn(ctx.fs, ctx.iwd, ctx.output, stdout);
  if (ctx.error !== undefined) writeTextIn(ctx.fs, ctx.iwd, ctx.error, stderr);
}

/** The submit file named in messages: as the DAG names it, else `<node>.sub`. */
export function submitFileOf(ctx: JobContext): string {
  return ctx.submitFile ?? `${ctx.nodeName}.sub`;
}

/** What a stand-in file records about the ROOT file it replaces. */
export interface StandIn {
  /** Nominal size of the real file, bytes. */
  sizeBytes: number;
  events: number;
  tier: string;
}

const STANDIN_HEADER = "# WMS2 simulated file: stands in for a ROOT file";

/** The few lines of text written in place of a ROOT file. */
export function formatStandIn(s: StandIn): string {
  return `${STANDIN_HEADER}\nsize_bytes=${s.sizeBytes}\nevents=${s.events}\ntier=${s.tier}\n`;
}

/** Read a stand-in file back; any other text is an `InputError` naming the file and line. */
export function parseStandIn(text: string, file: string): StandIn {
  const values = new Map<string, string>();
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const m = /^(\w+)=(.*)$/.exec(line);
    if (!m) {
      const problem = `expected key=value in a simulated file, got "${line}"`;
      throw new InputError(inputErrorMessage({ file, line: i + 1, problem }));
    }
    values.set(m[1], m[2]);
  });
  const num = (key: string): number => {
    const v = Number(values.get(key));
    if (!values.has(key) || !Number.isFinite(v) || v < 0) {
      const problem = `missing or invalid ${key} in a simulated file`;
      throw new InputError(inputErrorMessage({ file, field: key, problem }));
    }
    return v;
  };
  return { sizeBytes: num("size_bytes"), events: num("events"), tier: values.get("tier") ?? "" };
}

/** A uuid4-like name (8-4-4-4-12 lowercase hex) drawn from a seeded source. */
export function uuidFrom(rand: Rand): string {
  const hex: string[] = [];
  for (let i = 0; i < 32; i++) hex.push(Math.floor(rand.uniform() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Split a comma-separated submit list (`transfer_input_files`), trimming blanks. */
export function submitList(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
