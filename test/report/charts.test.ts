import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  cpuTimelineSpec,
  phaseBands,
  renderSvg,
  rollingMean,
  roundThroughputSpec,
} from "../../src/report/charts.js";
import { escapeHtml, writeHtmlReport } from "../../src/report/html.js";
import {
  failedResult,
  jobSplitResult,
  runRecord,
  standardPerf,
  standardResult,
} from "./fixtures.js";

const tmp = mkdtempSync(join(tmpdir(), "wms2-charts-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Layer {
  data?: { values: Record<string, unknown>[] };
  mark?: { type: string };
  layer?: Layer[];
}

describe("chart data", () => {
  it("rolling mean over a window", () => {
    expect(rollingMean([2, 4, 6, 8], 2)).toEqual([3, 5, 7, 8]);
    expect(rollingMean([0, 3, 6, 3, 0], 3)).toEqual([3, 3, 4, 3, 1.5]);
    expect(rollingMean([1, 2], 1)).toEqual([1, 2]);
  });

  it("phase bands per round from round times", () => {
    expect(phaseBands(jobSplitResult.perf!).slice(0, 4)).toEqual([
      { phase: "Processing", start: 0, end: 2570 },
      { phase: "Merge", start: 2570, end: 2630 },
      { phase: "Cleanup", start: 2630, end: 2635 },
      { phase: "Processing", start: 2650, end: 4985 },
    ]);
  });

  it("phase bands end to end from the time breakdown when rounds carry no times", () => {
    const perf = {
      ...standardPerf,
      rounds: standardPerf.rounds.map((r) => ({ ...r, startSec: null, endSec: null })),
    };
    expect(phaseBands(perf)).toEqual([
      { phase: "Processing", start: 0, end: 620 },
      { phase: "Merge", start: 651.3, end: 696.8 },
      { phase: "Cleanup", start: 696.8, end: 700 },
    ]);
  });

  it("CPU timeline spec: samples in seconds, allocated line, round marks", () => {
    const spec = cpuTimelineSpec(jobSplitResult) as unknown as { title: string; layer: Layer[] };
    expect(spec.title).toBe("155.0 — Simulator adaptive job split 3-round");
    const points = spec.layer[1].data!.values;
    expect(points).toHaveLength(25);
    expect(points[2]).toMatchObject({ t: 600, cores: 11.0 });
    expect(spec.layer[3].data!.values).toEqual([{ y: 32, label: "Allocated (32 cores)" }]);
    expect(spec.layer[4].data!.values).toEqual([
      { t: 2610, label: "R1→R2" },
      { t: 5022.5, label: "R2→R3" },
    ]);
    expect(cpuTimelineSpec(failedResult)).toBeNull();
  });

  it("round throughput spec: one bar per round in round order", () => {
    const spec = roundThroughputSpec(jobSplitResult) as unknown as {
      data: { values: { round: string; label: string }[] };
    };
    expect(spec.data.values.map((v) => `${v.round}=${v.label}`)).toEqual([
      "Round 1=36.0",
      "Round 2=40.0",
      "Round 3=41.7",
    ]);
    expect(roundThroughputSpec(failedResult)).toBeNull();
  });
});

describe("SVG and HTML rendering", () => {
  it("renders the CPU timeline to SVG with axis titles", async () => {
    const svg = await renderSvg(cpuTimelineSpec(standardResult)!);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("Time (s)");
    expect(svg).toContain("CPU cores");
    expect(svg).toContain("Allocated (64 cores)");
  });

  it("writes one self-contained HTML file with the text report and inline charts", async () => {
    const file = join(tmp, "reports", "run_3.html");
    await writeHtmlReport(file, runRecord, [standardResult, jobSplitResult, failedResult]);
    const html = readFileSync(file, "utf8");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain("<pre>======");
    expect(html).toContain(
      "Performance: 100.0 — Simulator GEN-SIM → DIGI-RECO → NANO, 8 jobs × 8T",
    );
    // Two CPU timelines and one per-round throughput chart.
    expect(html.match(/<svg/g)).toHaveLength(3);
    expect(html).toContain("Events per core-hour");
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    expect(readdirSync(join(tmp, "reports"))).toEqual(["run_3.html"]);
    expect(existsSync(`${file}.tmp-${process.pid}`)).toBe(false);
  });

  it("escapes HTML", () => {
    expect(escapeHtml('<a href="x">&</a>')).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
  });
});
