import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** The commit of the checkout the command runs in ("" outside git). */
export function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short=12", "HEAD"], {
      stdio: ["ignore", "pipe", "ignore"],
    })
      .toString()
      .trim();
  } catch {
    return "";
  }
}

/** Versions recorded with every run. */
export function versions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const pkgVersion = (name: string) => {
    try {
      const p = require.resolve(`${name}/package.json`);
      return (JSON.parse(readFileSync(p, "utf8")) as { version: string }).version;
    } catch {
      return "?";
    }
  };
  let own = "?";
  try {
    own = (
      JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
        version: string;
      }
    ).version;
  } catch {
    try {
      own = (
        JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
          version: string;
        }
      ).version;
    } catch {
      own = "?";
    }
  }
  return { node: process.version, wms2: own, "better-sqlite3": pkgVersion("better-sqlite3") };
}
