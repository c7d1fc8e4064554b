import type { ModelRegistry } from "../../../simulator/dagman/context.js";
import { SimSession } from "../../../simulator/dagman/simulate.js";
import { MemFs } from "../../../simulator/fs.js";
import type { PayloadModel, ScriptModel } from "../../../simulator/payload/types.js";
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
      return {
        durationSec: opt("sec", 100),
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
