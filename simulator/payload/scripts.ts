/**
 * Script models of the landing and pinning scripts (formats.md §4.2) and of trivial
 * scripts: `elect_site.sh <site_file> <landing_log> <pool>` (POST of landing) and
 * `pin_site.sh <sub_file> <site_file>` (PRE of proc, merge, cleanup).
 */

import { submitSet } from "../../src/dagman/model.js";
import { SUBMIT_FILE } from "../file-codecs.js";
import { readFileValueIfFileIn, readTextIfFileIn, writeFileValueIn } from "../fs.js";
import { resolveIn } from "./job-io.js";
import type { ScriptContext, ScriptModel, ScriptResult } from "./types.js";

/** Seconds any script takes besides its sleeps (interpreter start, file access). */
export const SCRIPT_BASE_SEC = 0.5;
/** elect_site.sh asks condor_history this many times, this many seconds apart. */
export const ELECT_TRIES = 5;
export const ELECT_RETRY_SEC = 10;

/** A script that always exits with `exitCode` after `durationSec`. */
export function fixedScript(exitCode: number, durationSec = SCRIPT_BASE_SEC): ScriptModel {
  return () => ({ exitCode, durationSec });
}

/**
 * elect_site.sh: pool `local` ⇒ writes `local`; otherwise writes the site the landing
 * job matched (`ctx.matchedSite`); without one it tries 5 times 10 s apart and exits 1.
 */
export function electSite(ctx: ScriptContext): ScriptResult {
  const siteFile = resolveIn(ctx.iwd, ctx.args[0] ?? "elected_site");
  const pool = ctx.args[2] ?? "local";
  if (pool === "local") {
    ctx.fs.writeText(siteFile, "local\n");
    return { exitCode: 0, durationSec: SCRIPT_BASE_SEC };
  }
  const site = ctx.matchedSite;
  if (site && site !== "undefined") {
    ctx.fs.writeText(siteFile, `${site}\n`);
    return { exitCode: 0, durationSec: SCRIPT_BASE_SEC };
  }
  return { exitCode: 1, durationSec: SCRIPT_BASE_SEC + ELECT_TRIES * ELECT_RETRY_SEC };
}

/**
 * The elected site in the site file `file` of `dir` (first line, trimmed); undefined when
 * missing or empty.
 */
export function readSiteFile(ctx: ScriptContext, dir: string, file: string): string | undefined {
  const text = readTextIfFileIn(ctx.fs, dir, file);
  if (text === undefined) return undefined;
  const nl = text.indexOf("\n");
  const site = (nl < 0 ? text : text.slice(0, nl)).trim();
  return site === "" ? undefined : site;
}

/**
 * pin_site.sh: when the elected site is neither missing nor `local`, sets
 * `+DESIRED_Sites = "<site>"` and `Requirements = (TARGET.GLIDEIN_CMSSite == "<site>")` in
 * the submit file. Always exits 0.
 */
export function pinSite(ctx: ScriptContext): ScriptResult {
  const done = { exitCode: 0, durationSec: SCRIPT_BASE_SEC };
  const [subName, siteName] = ctx.args;
  if (!subName || !siteName) return done;
  const site = readSiteFile(ctx, ctx.iwd, siteName);
  if (!site || site === "local") return done;
  let model = readFileValueIfFileIn(ctx.fs, ctx.iwd, subName, SUBMIT_FILE);
  if (!model) return done;
  model = submitSet(model, "+DESIRED_Sites", `"${site}"`);
  model = submitSet(model, "Requirements", `(TARGET.GLIDEIN_CMSSite == "${site}")`);
  writeFileValueIn(ctx.fs, ctx.iwd, subName, SUBMIT_FILE, model);
  return done;
}
