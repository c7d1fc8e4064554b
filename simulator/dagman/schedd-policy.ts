import {
  type AdLookup,
  type ClassAdValue,
  type CompiledExpr,
  compileExpr,
  exprFacts,
} from "../pool/index.js";

/** How far past an age named in periodic_remove it is probed (its terms compare with `>`). */
const PAST = 0.5;

/**
 * The schedd's periodic policy for a job: its submit file's `periodic_release`,
 * `periodic_remove` and `periodic_hold`, evaluated against the job's ClassAd (with `time()`
 * the evaluation's time) on the grid of PERIODIC_EXPR_INTERVAL, so the action happens at
 * the first evaluation after the expression became true. While the job is held release and
 * removal are evaluated at every point of the grid, release first. While it is idle or
 * running, periodic_hold and then periodic_remove are evaluated only where they may have
 * turned true: after each age in the state that the expressions name or compare the age
 * with (`(time() - EnteredCurrentStatus) > 43200` turns at 43200 s, `>
 * MaxWallTimeMinsRun * 60` at the job's attribute times 60), the first such age at which
 * one holds being found when the job enters the state (once for all jobs alike, see
 * `removalClass`).
 * This assumes what WMS2's policies and most others are: terms that turn true for good once
 * an age named in them has passed, with the job's other attributes as they are when it
 * enters the state. `+PeriodicRemoveReason`, when the submit file sets it, is evaluated at
 * the removal: it is what the job's POST script is told. Jobs of one kind share one policy,
 * compiled when the first of them is submitted.
 */
/** The submit file's texts of the schedd's periodic policy for a job ("" when not given). */
export interface PolicyTexts {
  periodicRelease: string;
  periodicRemove: string;
  /** `+PeriodicRemoveReason`: the expression WMS2's POST script reads after a removal. */
  periodicRemoveReason: string;
  periodicHold: string;
  periodicHoldReason: string;
  periodicHoldSubCode: string;
}

/** A submit file with no periodic policy. */
export const NO_POLICY: PolicyTexts = Object.freeze({
  periodicRelease: "",
  periodicRemove: "",
  periodicRemoveReason: "",
  periodicHold: "",
  periodicHoldReason: "",
  periodicHoldSubCode: "",
});

export class HeldPolicy {
  private readonly release: CompiledExpr;
  private readonly remove: CompiledExpr;
  private readonly reason: CompiledExpr;
  private readonly hold: CompiledExpr;
  private readonly holdReason: CompiledExpr;
  private readonly holdSubCode: CompiledExpr;

  /** periodic_hold as written, quoted in the default hold reason. */
  private readonly periodicHold: string;

  constructor(
    t: PolicyTexts,
    /** The submit file, named in a syntax error (condor_submit refuses the file). */
    source: string,
  ) {
    this.release = compileExpr(t.periodicRelease, `${source}: periodic_release`);
    this.remove = compileExpr(t.periodicRemove, `${source}: periodic_remove`);
    this.reason = compileExpr(t.periodicRemoveReason, `${source}: +PeriodicRemoveReason`);
    this.hold = compileExpr(t.periodicHold, `${source}: periodic_hold`);
    this.holdReason = compileExpr(t.periodicHoldReason, `${source}: periodic_hold_reason`);
    this.holdSubCode = compileExpr(t.periodicHoldSubCode, `${source}: periodic_hold_subcode`);
    this.periodicHold = t.periodicHold.trim();
    this.hasRelease = t.periodicRelease.trim() !== "";
    this.hasRemove = t.periodicRemove.trim() !== "";
    this.hasReason = t.periodicRemoveReason.trim() !== "";
    this.hasHold = this.periodicHold !== "";
    this.hasHoldReason = t.periodicHoldReason.trim() !== "";
    this.hasHoldSubCode = t.periodicHoldSubCode.trim() !== "";
    const watched = [
      ...(this.hasHold ? [exprFacts(this.hold)] : []),
      ...(this.hasRemove ? [exprFacts(this.remove)] : []),
    ];
    this.onlyAge = watched.every((f) => f.onlyAge);
    const reads = new Set(watched.flatMap((f) => f.reads));
    this.otherReads = [...reads].filter((n) => n !== "jobstatus" && n !== "enteredcurrentstatus");
    this.numbers = [...new Set(watched.flatMap((f) => f.numbers))].sort((a, b) => a - b);
    this.ageLimits = watched.flatMap((f) => f.ageLimits);
  }

  /** Which of the texts the submit file gives (empty text compiles to `true`). */
  private readonly hasRelease: boolean;
  private readonly hasRemove: boolean;
  private readonly hasReason: boolean;
  private readonly hasHold: boolean;
  private readonly hasHoldReason: boolean;
  private readonly hasHoldSubCode: boolean;
  /** periodic_hold and periodic_remove read time() only as the age in the state (see `ExprFacts`). */
  private readonly onlyAge: boolean;
  /** What else they read than the status and the time it was entered. */
  private readonly otherReads: readonly string[];
  /** The numbers they name, and what they compare the age with (see `ExprFacts`). */
  private readonly numbers: readonly number[];
  private readonly ageLimits: readonly CompiledExpr[];

  /** Whether idle and running jobs are watched: the submit file gives periodic_hold or periodic_remove. */
  get watchesJobs(): boolean {
    return this.hasHold || this.hasRemove;
  }

  get acts(): boolean {
    return this.hasRelease || this.hasRemove;
  }

  /** Classes of jobs found by `removalClass`, by the values of what the expression reads. */
  private readonly classes = new Map<number | string, RemovalClass>();

  /**
   * The class of the job whose ad is `ad`, entering a state now: jobs of one class find
   * periodic_remove holding first at the same age in the state. Undefined when the policy
   * has no periodic_remove, or when its expression reads time() other than as that age
   * (then `firingAge` answers for the job alone).
   */
  removalClass(ad: AdLookup): RemovalClass | undefined {
    if (!this.watchesJobs || !this.onlyAge) return undefined;
    // The job's status, and the other values it reads when the job has any of them.
    let key: number | string = Number(ad("jobstatus"));
    for (const name of this.otherReads) {
      const v = ad(name);
      if (v !== undefined) key = `${key}|${name}=${String(v)}`;
    }
    let c = this.classes.get(key);
    if (c === undefined) {
      const since = ad("enteredcurrentstatus");
      c = { age: typeof since === "number" ? this.firingAge(ad, since) : undefined };
      if (this.classes.size >= 256) this.classes.clear();
      this.classes.set(key, c);
    }
    return c;
  }

  /**
   * The first age in its state, from `now` on, at which periodic_remove holds for the job
   * whose ad is `ad` (its other attributes as they are); undefined when none of the ages the
   * expression names makes it hold.
   */
  firingAge(ad: AdLookup, now: number): number | undefined {
    const since = ad("enteredcurrentstatus");
    if (!this.watchesJobs || typeof since !== "number") return undefined;
    const from = now - since;
    for (const age of [from, ...this.turningAges(ad, now)]) {
      if (age >= from && this.fires(atTime(ad, since + age + PAST))) return age;
    }
    return undefined;
  }

  /** Whether periodic_hold or periodic_remove holds for the (idle or running) job's ad. */
  private fires(at: AdLookup): boolean {
    return (
      (this.hasHold && this.hold(at, none) === true) ||
      (this.hasRemove && this.remove(at, none) === true)
    );
  }

  /**
   * The ages at which periodic_remove may turn for the job, in order: the numbers it names
   * and what the age is compared with, evaluated against the job's ad (`2 * 3600`,
   * `MaxWallTimeMinsRun * 60`).
   */
  private turningAges(ad: AdLookup, now: number): readonly number[] {
    if (this.ageLimits.length === 0) return this.numbers;
    const ages = new Set(this.numbers);
    const at = atTime(ad, now);
    for (const limit of this.ageLimits) {
      const v = limit(at, none);
      if (typeof v === "number" && v > 0) ages.add(v);
    }
    return [...ages].sort((a, b) => a - b);
  }

  /** Whether periodic_remove removes the job now, and the reason told. */
  removes(ad: AdLookup, now: number): { remove: boolean; reason?: string } {
    const at = atTime(ad, now);
    if (!this.hasRemove || this.remove(at, none) !== true) return { remove: false };
    const reason = this.hasReason ? this.reason(at, none) : undefined;
    return { remove: true, reason: typeof reason === "string" ? reason : undefined };
  }

  /**
   * What the schedd does with the idle or running job whose ad is `ad` at time `now`:
   * periodic_hold first, then periodic_remove. A hold has HTCondor's code 3 (JobPolicy),
   * the subcode and reason of periodic_hold_subcode and periodic_hold_reason when given.
   */
  act(ad: AdLookup, now: number): QueuedJobAction {
    const at = atTime(ad, now);
    if (this.hasHold && this.hold(at, none) === true) {
      const reason = this.hasHoldReason ? this.holdReason(at, none) : undefined;
      const sub = this.hasHoldSubCode ? this.holdSubCode(at, none) : undefined;
      return {
        action: "hold",
        reason:
          typeof reason === "string"
            ? reason
            : `The job attribute PeriodicHold expression '${this.periodicHold}' evaluated to TRUE`,
        subCode: typeof sub === "number" && Number.isInteger(sub) ? sub : 0,
      };
    }
    const { remove, reason } = this.removes(ad, now);
    return remove ? { action: "remove", reason } : { action: "none" };
  }

  /** What the schedd does with the held job whose ad is `ad` at time `now`. */
  decide(ad: AdLookup, now: number): { action: "release" | "remove" | "none"; reason?: string } {
    const at = atTime(ad, now);
    if (this.hasRelease && this.release(at, none) === true) {
      return { action: "release" };
    }
    if (this.hasRemove) {
      const { remove, reason } = this.removes(ad, now);
      if (remove) return { action: "remove", reason };
    }
    return { action: "none" };
  }
}

/** What the schedd's periodic policy does with an idle or running job. */
export type QueuedJobAction =
  | { action: "hold"; reason: string; subCode: number }
  | { action: "remove"; reason?: string }
  | { action: "none" };

/** Jobs alike in a state (see `HeldPolicy.removalClass`). */
export interface RemovalClass {
  /** The age in the state at which periodic_remove first holds for them; undefined: never. */
  readonly age: number | undefined;
}

/** The empty target ad: a policy reads the job's own ad. */
const none: AdLookup = () => undefined;

/** The job's ad with `CurrentTime` (what `time()` reads) set to `now`. */
function atTime(ad: AdLookup, now: number): AdLookup {
  return (lower: string): ClassAdValue => (lower === "currenttime" ? now : ad(lower));
}

/** Policies by their texts (jobs of one kind share theirs; at most 256 at each level). */
const policies = new Map<string, Map<string, Map<string, Map<string, HeldPolicy>>>>();

function level<V>(map: Map<string, V>, key: string, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    if (map.size >= 256) map.clear();
    v = make();
    map.set(key, v);
  }
  return v;
}

/** The policy a submit file's texts give (`source` names the file in a syntax error). */
export function heldPolicy(t: PolicyTexts, source: string): HeldPolicy {
  const byRemove = level(policies, t.periodicRelease, () => new Map());
  const byReason = level(byRemove, t.periodicRemove, () => new Map());
  const byHold = level(byReason, t.periodicRemoveReason, () => new Map<string, HeldPolicy>());
  // Few submit files give a periodic_hold: the key of the others is made without a join.
  const holdKey =
    t.periodicHold === "" && t.periodicHoldReason === "" && t.periodicHoldSubCode === ""
      ? ""
      : `${t.periodicHold}\u0000${t.periodicHoldReason}\u0000${t.periodicHoldSubCode}`;
  return level(byHold, holdKey, () => new HeldPolicy(t, source));
}

/** First periodic evaluation strictly after `t` on the schedd's grid. */
export function nextEvaluation(t: number, intervalSec: number): number {
  return (Math.floor(t / intervalSec) + 1) * intervalSec;
}
