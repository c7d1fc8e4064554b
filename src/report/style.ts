/**
 * Colour of the text reports. Every renderer takes `{ color }`; the caller decides (the
 * CLI: only on a terminal). Without colour every style is the identity, so the text is
 * byte-identical whatever the environment.
 */
import { Chalk } from "chalk";
import type { ResultStatus } from "../model/results.js";

export interface ColorOption {
  color: boolean;
}

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  good(s: string): string;
  bad(s: string): string;
  warn(s: string): string;
  status(status: ResultStatus, s: string): string;
}

const plain: Style = {
  bold: (s) => s,
  dim: (s) => s,
  good: (s) => s,
  bad: (s) => s,
  warn: (s) => s,
  status: (_status, s) => s,
};

export function makeStyle(opts: ColorOption): Style {
  if (!opts.color) return plain;
  const c = new Chalk({ level: 1 });
  const byStatus: Record<ResultStatus, (s: string) => string> = {
    passed: c.green,
    failed: c.red,
    error: c.red,
    skipped: c.yellow,
    timeout: c.yellow,
  };
  return {
    bold: (s) => c.bold(s),
    dim: (s) => c.dim(s),
    good: (s) => c.green(s),
    bad: (s) => c.red(s),
    warn: (s) => c.yellow(s),
    status: (status, s) => byStatus[status](s),
  };
}
