import { type AdLookup, type ClassAdValue, type CompiledExpr, compileExpr } from "../pool/index.js";

/**
 * The schedd's periodic policy for a held job: its submit file's `periodic_release` and
 * `periodic_remove`, evaluated against the job's ClassAd (with `time()` the evaluation's
 * time) every PERIODIC_EXPR_INTERVAL seconds while the job is held, so the action happens
 * at the first evaluation after the expression became true; release is tried before
 * removal. `+PeriodicRemoveReason`, when the submit file sets it, is evaluated at the
 * removal: it is what the job's POST script is told. Jobs of one kind share one policy,
 * compiled when the first of them is submitted.
 */
export class HeldPolicy {
  private readonly release: CompiledExpr;
  private readonly remove: CompiledExpr;
  private readonly reason: CompiledExpr;

  constructor(
    readonly periodicRelease: string,
    readonly periodicRemove: string,
    readonly removeReason: string,
    /** The submit file, named in a syntax error (condor_submit refuses the file). */
    source: string,
  ) {
    this.release = compileExpr(periodicRelease, `${source}: periodic_release`);
    this.remove = compileExpr(periodicRemove, `${source}: periodic_remove`);
    this.reason = compileExpr(removeReason, `${source}: +PeriodicRemoveReason`);
  }

  /** Whether the policy can ever act: without both expressions a held job stays held. */
  get acts(): boolean {
    return this.periodicRelease.trim() !== "" || this.periodicRemove.trim() !== "";
  }

  /** What the schedd does with the held job whose ad is `ad` at time `now`. */
  decide(ad: AdLookup, now: number): { action: "release" | "remove" | "none"; reason?: string } {
    const at = atTime(ad, now);
    if (this.periodicRelease.trim() !== "" && this.release(at, none) === true) {
      return { action: "release" };
    }
    if (this.periodicRemove.trim() !== "" && this.remove(at, none) === true) {
      const reason = this.removeReason.trim() !== "" ? this.reason(at, none) : undefined;
      return { action: "remove", reason: typeof reason === "string" ? reason : undefined };
    }
    return { action: "none" };
  }
}

/** The empty target ad: a policy reads the job's own ad. */
const none: AdLookup = () => undefined;

/** The job's ad with `CurrentTime` (what `time()` reads) set to `now`. */
function atTime(ad: AdLookup, now: number): AdLookup {
  return (lower: string): ClassAdValue => (lower === "currenttime" ? now : ad(lower));
}

/** Policies by their three texts (jobs of one kind share theirs; at most 256 of each). */
const policies = new Map<string, Map<string, Map<string, HeldPolicy>>>();

function level<V>(map: Map<string, V>, key: string, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    if (map.size >= 256) map.clear();
    v = make();
    map.set(key, v);
  }
  return v;
}

/** The policy of a job's periodic_release, periodic_remove and +PeriodicRemoveReason. */
export function heldPolicy(
  periodicRelease: string,
  periodicRemove: string,
  removeReason: string,
  source: string,
): HeldPolicy {
  const byRemove = level(policies, periodicRelease, () => new Map());
  const byReason = level(byRemove, periodicRemove, () => new Map<string, HeldPolicy>());
  return level(
    byReason,
    removeReason,
    () => new HeldPolicy(periodicRelease, periodicRemove, removeReason, source),
  );
}

/** First periodic evaluation strictly after `t` on the schedd's grid. */
export function nextEvaluation(t: number, intervalSec: number): number {
  return (Math.floor(t / intervalSec) + 1) * intervalSec;
}
