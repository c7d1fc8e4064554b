/**
 * Every recorded case of fixtures/adaptive-golden/cases.json through the port. Where a
 * reference bug (adaptive.md §20) acts, the test asserts the corrected value and names the
 * bug; everything else must match the recording.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sharedFixtures } from "../helpers/shared-fixtures.js";
import {
  camelize,
  differences,
  type FileSpec,
  type GoldenCase,
  makeTree,
  readTree,
  removeTree,
  replaceInStrings,
  treeDifferences,
} from "./golden-harness.js";
import { NOT_PORTED_HERE, RUNNERS } from "./golden-runners.js";

const dir = sharedFixtures("adaptive-golden");
const cases: GoldenCase[] = dir ? JSON.parse(readFileSync(join(dir, "cases.json"), "utf8")) : [];

type Json = Record<string, unknown>;
/** The object at a key of a parsed expectation. */
const at = (v: unknown, key: string) => (v as Json)[key] as Json;

/** Expected values where a reference bug acts (applied to the camelized expectation). */
interface Correction {
  bug: string;
  fix: (expected: Json) => void;
}

const BUG_2 = "bug 2: merging rounds counted the latest entry's RSS twice";
const BUG_10 = "bug 10: inline summaries kept 1-based step keys";
const BUG_13 = "bug 13: the DAG rewrite dropped the trailing events";

const CORRECTIONS: Record<string, Correction> = {
  "wma-00": {
    bug: BUG_10,
    fix: (e) => {
      e.steps = { "0": at(e, "steps")["1"], "1": at(e, "steps")["2"] };
    },
  },
  "mrg-03": {
    bug: BUG_2,
    fix: (e) => {
      // Each entry's RSS once, oldest entry first.
      at(at(e, "steps"), "0").peakRssMb = [2500, 2300, 2350, 1500, 1520, 1480];
      at(at(e, "steps"), "1").peakRssMb = [2900, 2950, 2000];
      at(at(e, "steps"), "2").peakRssMb = [900];
      at(at(e, "steps"), "3").peakRssMb = [700];
    },
  },
  "rop-00": {
    // With step 0 present the adaptive.md §16.1 trace applies: split to 4 cores × 2.
    bug: BUG_10,
    fix: (e) => {
      Object.assign(e, {
        tunedNthreads: 4,
        tunedMemoryMb: 8000,
        tunedRequestCpus: 4,
        jobMultiplier: 2,
        memorySource: "prior_rss",
        measuredMemoryMb: 5200,
        tunedEventsPerJob: 2500,
      });
      e.perStep = {
        "0": {
          tunedNthreads: 8,
          nParallel: 1,
          cpuEff: 0.535,
          effectiveCores: 4.28,
          overcommitApplied: false,
          projectedRssMb: null,
          idealNParallel: 1,
          idealMemoryMb: 12000,
          memorySource: "theoretical",
          instanceMemMb: 6210,
        },
        "1": at(e, "perStep")["2"],
      };
    },
  },
  "rop-04": {
    // Step 0 RSS [3000, 3100, 3050, 3200] → mean 3087.5 × 1.2 (reference: 3100 × 1.2).
    bug: BUG_2,
    fix: (e) => {
      at(at(e, "perStep"), "0").instanceMemMb = 3705;
    },
  },
  "rop-06": {
    // Step 0 RSS [2600, 2650, 1900] → mean 2383.33 × 1.2 (reference: 2262.5 × 1.2).
    bug: BUG_2,
    fix: (e) => {
      at(at(e, "perStep"), "0").instanceMemMb = 2860;
    },
  },
  "rwj-00": {
    // Old range 11–20 in 8 jobs of 1 event: the last job takes 18–20.
    bug: BUG_13,
    fix: (e) => {
      const spec = at(at(e, "files_after"), "mg_000002/proc_000007.sub");
      spec.text = (spec.text as string)
        .replace("events_18_18", "events_18_20")
        .replace("--last-event 18 --events-per-job 1", "--last-event 20 --events-per-job 3");
    },
  },
};

function expectedOf(c: GoldenCase): Json {
  const raw = c.expected_output as Json;
  const isFsOutput = raw !== null && typeof raw === "object" && "files_after" in raw;
  const expected: Json = isFsOutput
    ? { result: camelize(raw.result), files_after: structuredClone(raw.files_after) }
    : { value: camelize(raw) };
  const correction = CORRECTIONS[c.id];
  if (correction) {
    if (isFsOutput) correction.fix(expected);
    else correction.fix(expected.value as Json);
  }
  return expected;
}

function runCase(c: GoldenCase): string[] {
  const files = (c.inputs.files ?? {}) as FileSpec;
  const root = makeTree(files);
  try {
    const inputs = replaceInStrings(c.inputs, "{ROOT}", root) as Record<string, unknown>;
    const expected = expectedOf(c);
    if (c.expected_error) {
      expect(() => RUNNERS[c.function](inputs, root)).toThrow();
      return [];
    }
    const actual = replaceInStrings(RUNNERS[c.function](inputs, root), root, "{ROOT}") as Json;
    if (!("files_after" in expected)) return differences(actual, expected.value);
    const tree = readTree(root);
    const wanted = Object.fromEntries(
      Object.entries(expected.files_after as Record<string, { text: string }>).map(([p, s]) => [
        p,
        s.text,
      ]),
    );
    return [
      ...differences(actual.result, expected.result, "$.result"),
      ...treeDifferences(tree, wanted),
    ];
  } finally {
    removeTree(root);
  }
}

describe.skipIf(!dir)("adaptive golden cases", () => {
  it("loads the recorded cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(33);
  });

  for (const c of cases) {
    const notHere = NOT_PORTED_HERE[c.function];
    if (notHere) {
      it.skip(`${c.id} ${c.function}: ${notHere}`, () => {});
      continue;
    }
    const correction = CORRECTIONS[c.id];
    const title = correction
      ? `${c.id} ${c.function} (corrected, ${correction.bug})`
      : `${c.id} ${c.function}`;
    it(title, () => {
      expect(RUNNERS[c.function], `no runner for ${c.function}`).toBeDefined();
      expect(runCase(c)).toEqual([]);
    });
  }

  it("every correction names a case that exists", () => {
    const ids = new Set(cases.map((c) => c.id));
    expect(Object.keys(CORRECTIONS).filter((id) => !ids.has(id))).toEqual([]);
  });
});
