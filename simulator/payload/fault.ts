/**
 * Fault injection (matrix.md §6.1–6.2): the bash wrapper `<stem>_fault.sh` the runner
 * writes next to a submit file, the submit rewrite that points the node at it, and the
 * payload model that runs such a wrapper: an optional `sleep <delay>`, then `kill -<SIG> $$`
 * (a job killed by that signal), `exit <code>`, or nothing (exit 0 without any output).
 */
import { type SubmitModel, submitDelete, submitSet } from "../../src/dagman/model.js";
import { InputError, inputErrorMessage } from "../../src/model/errors.js";
import { writeStdio } from "./job-io.js";
import type { PayloadModel } from "./types.js";
import { steadyMemory } from "./usage.js";

export interface FaultAction {
  exitCode: number;
  /** Signal number; > 0 takes precedence over the exit code. */
  signal: number;
  delaySec: number;
}

/** Seconds a fault wrapper takes beyond its sleep (process start-up, file transfer). */
export const FAULT_OVERHEAD_SEC = 1;

/** File-name suffix of fault wrappers. */
export const FAULT_SUFFIX = "_fault.sh";

const SIGNALS: Record<string, number> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  ILL: 4,
  TRAP: 5,
  ABRT: 6,
  BUS: 7,
  FPE: 8,
  KILL: 9,
  USR1: 10,
  SEGV: 11,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  XCPU: 24,
  XFSZ: 25,
};

/** The wrapper text: the one definition shared by the runner (writing) and the model (reading). */
export function formatFaultScript(fault: Partial<FaultAction>): string {
  const exitCode = fault.exitCode ?? 0;
  const signal = fault.signal ?? 0;
  const delay = fault.delaySec ?? 0;
  const lines = ["#!/bin/bash", "# WMS2 fault injection: runs instead of the node's executable"];
  if (delay > 0) lines.push(`sleep ${delay}`);
  if (signal > 0) lines.push(`kill -${signal} $$`);
  else lines.push(`exit ${exitCode}`);
  return `${lines.join("\n")}\n`;
}

function signalNumber(token: string): number | undefined {
  const t = token.replace(/^-/, "").replace(/^s\s+/, "");
  if (/^\d+$/.test(t)) return Number(t);
  return SIGNALS[t.toUpperCase().replace(/^SIG/, "")];
}

/**
 * Read a fault wrapper: lines run in order; `sleep` adds to the delay; the first `kill` or
 * `exit` ends the script; no action means exit 0. Comments and blank lines are skipped;
 * any other command is an `InputError` naming the file and line.
 */
export function parseFaultScript(text: string, file: string): FaultAction {
  const action: FaultAction = { exitCode: 0, signal: 0, delaySec: 0 };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "" || line.startsWith("#")) continue;
    const fail = (problem: string): never => {
      throw new InputError(inputErrorMessage({ file, line: i + 1, problem }));
    };
    let m = /^sleep\s+(\d+(?:\.\d+)?)s?$/.exec(line);
    if (m) {
      action.delaySec += Number(m[1]);
      continue;
    }
    m = /^kill\s+(-s\s+\w+|-\w+)\s+("\$\$"|\$\$)$/.exec(line);
    if (m) {
      const signal = signalNumber(m[1]);
      if (signal === undefined || signal <= 0) return fail(`unknown signal "${m[1]}"`);
      action.signal = signal;
      return action;
    }
    m = /^exit(?:\s+(\d+))?$/.exec(line);
    if (m) {
      action.exitCode = Number(m[1] ?? 0) % 256;
      return action;
    }
    return fail(`a fault wrapper may only sleep, kill -SIG $$ or exit, got "${line}"`);
  }
  return action;
}

/**
 * The submit rewrite of matrix.md §6.1: `executable` becomes the wrapper, `arguments`
 * becomes empty, `transfer_input_files` is dropped; everything else is kept.
 */
export function applyFault(submit: SubmitModel, scriptName: string): SubmitModel {
  const withExe = submitSet(submit, "executable", scriptName);
  return submitDelete(submitSet(withExe, "arguments", ""), "transfer_input_files");
}

/** Payload model of a parsed fault wrapper: no artifacts besides empty stdout/stderr. */
export function faultModel(action: FaultAction): PayloadModel {
  return (ctx) => ({
    durationSec: action.delaySec + FAULT_OVERHEAD_SEC,
    ...(action.signal > 0 ? { signal: action.signal } : { exitCode: action.exitCode }),
    memory: steadyMemory(5),
    cpuSec: 0,
    complete: () => writeStdio(ctx, []),
  });
}
