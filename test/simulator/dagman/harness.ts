import type { ModelRegistry } from "../../../simulator/dagman/context.js";
import { SIM_EPOCH, SimSession, simulateDag } from "../../../simulator/dagman/simulate.js";
import { MemFs } from "../../../simulator/fs.js";
import type { PayloadModel, ScriptContext, ScriptModel } from "../../../simulator/payload/types.js";
import type { PoolConfig } from "../../../simulator/pool/types.js";
import { parseEventLog } from "../../../src/dagman/event-log.js";
import type { DagThrottles } from "../../../src/dagman/submit-dag-flags.js";
import { InputError } from "../../../src/model/errors.js";

/**
 * Test payload `job.sh` driven by its arguments: `exit=N signal=K sec=S mem=MB`.
 * Scripts: `exit.sh N` exits N; `echo_return.sh $RETURN` exits with the job's return
 * (0 when it is negative); `pass.sh` exits 0.
 */
export const testModels: ModelRegistry = {
  payloadFor(executable: string, submitFile: string): PayloadModel {
    if (!executable.endsWith("job.sh")) {
      throw new InputError(
        `${submitFile}: executable "${executable}" is not a payload the simulator knows`,
      );
    }
    return (ctx) => {
      const opt = (k: string, d: number) => {
        const a = ctx.argv.find((x) => x.startsWith(`${k}=`));
        return a ? Number(a.slice(k.length + 1)) : d;
      };
      const signal = opt("signal", 0);
      // `cores=N`: N cores busy from `cpufrom=S` seconds (0 by default) to the end; else no CPU.
      const cores = opt("cores", 0);
      const sec = opt("sec", 100);
      return {
        durationSec: sec,
        cpu: cores > 0 ? [{ start: opt("cpufrom", 0), end: sec, cores }] : undefined,
        exitCode: opt("exit", 0),
        signal: signal > 0 ? signal : undefined,
        memory: { peakMb: opt("mem", 50), atSec: 1 },
        complete: () => {
          ctx.fs.appendText(`${ctx.iwd}/${ctx.nodeName}.ran`, `${ctx.attempt}\n`);
        },
      };
    };
  },
  scriptFor(executable: string): ScriptModel {
    if (executable === "exit.sh")
      return (c) => ({ exitCode: Number(c.args[0] ?? 0), durationSec: 1 });
    if (executable === "pass.sh") return () => ({ exitCode: 0, durationSec: 1 });
    if (executable === "echo_return.sh") {
      return (c) => ({ exitCode: Math.max(0, Number(c.args[0] ?? 0)), durationSec: 1 });
    }
    throw new InputError(`script "${executable}" is not a script the simulator knows`);
  },
};

export function sub(args: string, extra = ""): string {
  return `executable = job.sh\narguments = ${args}\nrequest_cpus = 1\nrequest_memory = 100\nlog = job.log\n${extra}queue\n`;
}

export function fsWith(files: Record<string, string>): MemFs {
  const fs = new MemFs();
  for (const [p, t] of Object.entries(files)) fs.writeText(p, t);
  return fs;
}

export function run(fs: MemFs, dag = "/w/test.dag", seed = 1): SimSession {
  const s = new SimSession(dag, { fs, models: testModels, seed });
  s.runToEnd();
  return s;
}

/** Lines of dagman.out saying a node was submitted. */
export function submissions(fs: MemFs, node: string, dag = "/w/test.dag"): number {
  return fs
    .readText(`${dag}.dagman.out`)
    .split("\n")
    .filter((l) => l.endsWith(`Submitting HTCondor Node ${node} job(s)...`)).length;
}

/** One 2-core machine: two jobs run at a time, the others wait idle. */
export const SMALL_POOL: PoolConfig = {
  negotiationIntervalSec: 20,
  firstClusterId: 100,
  machines: [{ name: "wn", count: 1, cores: 2, memoryMb: 8000, diskKb: 10_000_000, site: "T2_X" }],
};

/** `nodes` independent nodes (each with a PRE when `pre`), jobs of `sec` seconds, a CONFIG file. */
export function flatDag(nodes: number, config: string, { pre = false, sec = 100 } = {}): MemFs {
  const lines = Array.from(
    { length: nodes },
    (_, i) => `JOB N${i} n.sub\n${pre ? `SCRIPT PRE N${i} pre.sh\n` : ""}`,
  ).join("");
  return fsWith({
    "/w/test.dag": `CONFIG /w/dagman.config\n${lines}`,
    "/w/dagman.config": config,
    "/w/n.sub": sub(`sec=${sec}`),
  });
}

/** Most jobs queued at once, and most queued but not yet running, from the DAG's job log. */
export function peaks(fs: MemFs): { queued: number; idle: number; submitted: number } {
  const events = parseEventLog(fs.readText("/w/test.dag.nodes.log"), "nodes.log");
  let queued = 0;
  let idle = 0;
  const peak = { queued: 0, idle: 0, submitted: 0 };
  for (const e of events) {
    if (e.kind === "submit") {
      queued++;
      idle++;
      peak.submitted++;
    }
    if (e.kind === "execute") idle--;
    if (e.kind === "terminated") queued--;
    peak.queued = Math.max(peak.queued, queued);
    peak.idle = Math.max(peak.idle, idle);
  }
  return peak;
}

export function notes(fs: MemFs): string[] {
  return fs
    .readText("/w/test.dag.dagman.out")
    .split("\n")
    .filter((l) => l.includes(" Note: "))
    .map((l) => l.slice(l.indexOf("Note: ")));
}

/** Run `/w/test.dag` on SMALL_POOL, with other scripts or condor_submit_dag's throttles. */
export function runWith(
  fs: MemFs,
  scripts?: (executable: string) => ScriptModel,
  throttles?: DagThrottles,
): SimSession {
  const models = scripts ? { ...testModels, scriptFor: scripts } : testModels;
  const s = new SimSession("/w/test.dag", { fs, models, seed: 1, pool: SMALL_POOL, throttles });
  s.runToEnd();
  return s;
}

/** Scripts of `sec` seconds exiting 0, each run's [start, end) kept by kind. */
export function timedScripts(sec: number) {
  const runs: Record<"PRE" | "POST", [number, number][]> = { PRE: [], POST: [] };
  const model: ScriptModel = (c) => {
    runs[c.kind].push([c.now, c.now + sec]);
    return { exitCode: 0, durationSec: sec };
  };
  return { runs, scripts: () => model };
}

/** Most intervals open at one time. */
export function mostAtOnce(intervals: [number, number][]): number {
  const edges = intervals.flatMap(([a, b]) => [
    [a, 1],
    [b, -1],
  ]);
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let open = 0;
  let most = 0;
  for (const [, d] of edges) {
    open += d;
    most = Math.max(most, open);
  }
  return most;
}

/** `nodes` independent nodes with a PRE and a POST script, jobs of 10 s, a CONFIG file. */
export function scriptedDag(nodes: number, config: string): MemFs {
  const lines = Array.from(
    { length: nodes },
    (_, i) => `JOB N${i} n.sub\nSCRIPT PRE N${i} pre.sh\nSCRIPT POST N${i} post.sh\n`,
  ).join("");
  return fsWith({
    "/w/test.dag": `CONFIG /w/dagman.config\n${lines}`,
    "/w/dagman.config": config,
    "/w/n.sub": sub("sec=10"),
  });
}

/** Run on the default pool (enough cores for every job at once). */
export function runOnBigPool(fs: MemFs, scripts: () => ScriptModel, throttles?: DagThrottles) {
  const s = new SimSession("/w/test.dag", {
    fs,
    models: { ...testModels, scriptFor: scripts },
    seed: 1,
    throttles,
  });
  s.runToEnd();
  return s;
}

/** Seconds after the start at which dagman.out says a node was submitted. */
export function submitTimes(fs: MemFs): number[] {
  return parseEventLog(fs.readText("/w/test.dag.nodes.log"), "nodes.log")
    .filter((e) => e.kind === "submit")
    .map((e) => e.time - SIM_EPOCH);
}

/**
 * Simulate `/w/test.dag` with POST scripts that record what they are told and exit 1
 * unless the job succeeded; `times(kind)` are the nodes log's events of a kind, in seconds
 * after the start.
 */
export function runWatchingPosts(fs: MemFs, pool?: PoolConfig) {
  const posts: ScriptContext[] = [];
  const r = simulateDag("/w/test.dag", {
    fs,
    seed: 1,
    pool,
    models: {
      ...testModels,
      scriptFor: () => (c) => {
        posts.push(c);
        return { exitCode: c.jobReturn === 0 ? 0 : 1, durationSec: 1 };
      },
    },
  });
  const events = parseEventLog(fs.readText("/w/test.dag.nodes.log"), "nodes.log");
  const times = (kind: string) =>
    events.filter((e) => e.kind === kind).map((e) => e.time - SIM_EPOCH);
  return { r, posts, times };
}
