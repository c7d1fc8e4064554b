/**
 * Running HTCondor command-line tools. Every call goes through a `CommandRunner`, so tests
 * can feed recorded output; the real runner starts the process with execa (argument
 * array, no shell, a time limit, stdin closed, stdout and stderr captured).
 */
import { execa } from "execa";

export interface RunOptions {
  /** Hard limit; the process is killed when it is exceeded. */
  timeoutMs: number;
  /** Working directory of the process (default: the current one). */
  cwd?: string;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs one command. Resolves with the exit code and output of a process that ran to its
 * end (whatever its exit code); rejects with a `CommandError` when the process could not
 * start, timed out or was killed by a signal.
 */
export type CommandRunner = (cmd: string, args: string[], opts: RunOptions) => Promise<RunResult>;

export type CommandFailure = "not-found" | "timeout" | "failed";

/** A command that failed; the message is one line naming the command. */
export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly kind: CommandFailure,
    readonly detail: string,
  ) {
    super(`${command}: ${detail}`);
    this.name = "CommandError";
  }
}

/** Default time limit of one HTCondor command. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** Shared by every command of the backend: which runner and which time limit. */
export interface CondorContext {
  runner?: CommandRunner;
  timeoutMs?: number;
}

/** First non-blank line of a text, trimmed ("" when none). */
export function firstLine(text: string): string {
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (t !== "") return t;
  }
  return "";
}

/** The real runner: execa with `reject: false`, so exit codes are read, not thrown. */
export const execaRunner: CommandRunner = async (cmd, args, opts) => {
  const r = await execa(cmd, args, {
    timeout: opts.timeoutMs,
    cwd: opts.cwd,
    reject: false,
    stdin: "ignore",
    stripFinalNewline: false,
  });
  const stdout = typeof r.stdout === "string" ? r.stdout : "";
  const stderr = typeof r.stderr === "string" ? r.stderr : "";
  if (r.timedOut) {
    throw new CommandError(cmd, "timeout", `timed out after ${opts.timeoutMs / 1000} s`);
  }
  if ("code" in r && r.code === "ENOENT") {
    throw new CommandError(cmd, "not-found", "not found on PATH");
  }
  if (r.exitCode === undefined) {
    const why = r.signal ? `killed by ${r.signal}` : firstLine(r.shortMessage ?? "") || "failed";
    throw new CommandError(cmd, "failed", why);
  }
  return { exitCode: r.exitCode, stdout, stderr };
};

/** Why a finished command failed: stderr's first line, else an ERROR line of stdout. */
function failureLine(r: RunResult): string {
  const err = firstLine(r.stderr);
  if (err) return err;
  const errorLine = r.stdout.split("\n").find((l) => /^\s*ERROR/i.test(l));
  return errorLine?.trim() || firstLine(r.stdout) || `exit code ${r.exitCode}`;
}

/**
 * Run a command and insist on exit code 0. Every failure (cannot start, timeout, non-zero
 * exit, an exception of an injected runner) becomes a `CommandError` with one line.
 */
export async function runChecked(
  cmd: string,
  args: string[],
  ctx: CondorContext & { cwd?: string },
): Promise<RunResult> {
  const runner = ctx.runner ?? execaRunner;
  const timeoutMs = ctx.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let r: RunResult;
  try {
    r = await runner(cmd, args, { timeoutMs, cwd: ctx.cwd });
  } catch (e) {
    if (e instanceof CommandError) throw e;
    throw new CommandError(cmd, "failed", firstLine(e instanceof Error ? e.message : String(e)));
  }
  if (r.exitCode !== 0) throw new CommandError(cmd, "failed", failureLine(r));
  return r;
}
