import { readFileSync } from "node:fs";
import type { CommandRunner, RunOptions, RunResult } from "../../../src/backends/condor/index.js";

export interface Call {
  cmd: string;
  args: string[];
  opts: RunOptions;
}

/** Recorded output of the fixtures folder. */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
}

export const ok = (stdout = "", stderr = ""): RunResult => ({ exitCode: 0, stdout, stderr });

/** A runner answering from `handler` (which may throw) and recording every call. */
export function fakeRunner(handler: (call: Call) => RunResult): {
  runner: CommandRunner;
  calls: Call[];
} {
  const calls: Call[] = [];
  const runner: CommandRunner = async (cmd, args, opts) => {
    const call = { cmd, args, opts };
    calls.push(call);
    return handler(call);
  };
  return { runner, calls };
}

/** A runner answering calls in order from a list; throws when the list runs out. */
export function sequenceRunner(answers: (RunResult | Error)[]) {
  let i = 0;
  return fakeRunner(() => {
    const a = answers[i++];
    if (a === undefined) throw new Error(`unexpected call #${i}`);
    if (a instanceof Error) throw a;
    return a;
  });
}
