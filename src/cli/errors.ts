import { InputError } from "../model/errors.js";

/** Exit codes of every `matrix` command. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * Print an error the way the CLI promises: bad input is one line on stderr and exit 2;
 * anything else is a bug and keeps its stack trace (exit 1).
 */
export function reportError(
  err: unknown,
  write: (s: string) => void = (s) => process.stderr.write(s),
): number {
  if (err instanceof InputError) {
    write(`matrix: ${err.message}\n`);
    return EXIT.usage;
  }
  const e = err as NodeJS.ErrnoException;
  if (e && (e.code === "ENOENT" || e.code === "EACCES" || e.code === "ENOTDIR") && e.path) {
    write(`matrix: ${e.path}: ${e.code === "ENOENT" ? "no such file or directory" : e.message}\n`);
    return EXIT.usage;
  }
  write(`${e?.stack ?? String(err)}\n`);
  return EXIT.failed;
}
