/**
 * The DAG monitor reading files written by a real DAGMan (shared fixtures, LSST's
 * ctrl_bps_htcondor runs on HTCondor 23.0.3) and by the simulator, through the same
 * functions the matrix runner polls with.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SIM_EPOCH, simulateDag } from "../../simulator/dagman/simulate.js";
import { DiskFs } from "../../simulator/fs.js";
import { diskModels } from "../../src/backends/sim.js";
import { findRescueDags, readDagOutcome, readDagProgress } from "../../src/control/dag-monitor.js";
import { parseRescueDag } from "../../src/dagman/index.js";
import { loadCatalog } from "../../src/matrix/catalog.js";
import { prepareWorkflow } from "../../src/matrix/run-workflow.js";
import { repoRoot, sharedFixtures } from "../helpers/shared-fixtures.js";

const real = sharedFixtures("real", "dagman");
const root = mkdtempSync(join(tmpdir(), "wms2-monitor-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const fx = (...p: string[]) => join(real ?? "", ...p);
const TINY = () => fx("lsst_tiny_problems", "tiny_problems.node_status");
const GROUP = () => fx("lsst_group_failed_1", "group_failed_1.node_status");

function place(src: string, ...dst: string[]): string {
  const p = join(root, ...dst);
  mkdirSync(join(p, ".."), { recursive: true });
  copyFileSync(src, p);
  return p;
}

describe.skipIf(!real)("monitor on real DAGMan files", () => {
  it("readDagProgress: outer and per-work-unit node status files", () => {
    place(TINY(), "prog", "workflow.dag.status");
    place(GROUP(), "prog", "mg_000000", "group.dag.status");
    place(TINY(), "prog", "mg_000001", "group.dag.status");
    mkdirSync(join(root, "prog", "mg_000002")); // not started: no status file yet
    writeFileSync(join(root, "prog", "mg_000003"), "a file, not a work unit");
    mkdirSync(join(root, "prog", "mg_12"));
    const p = readDagProgress(join(root, "prog"));
    const tiny = { total: 6, done: 3, failed: 2, futile: 1, held: 0, running: 0, idle: 0 };
    const group = { total: 26, done: 22, failed: 2, futile: 2, held: 0, running: 0, idle: 0 };
    expect(p.outer).toEqual(tiny);
    expect(p.workUnits).toEqual([
      { name: "mg_000000", status: undefined, inner: group },
      { name: "mg_000001", status: undefined, inner: tiny },
      { name: "mg_000002", status: undefined, inner: undefined },
    ]);
    expect(p.inner).toEqual({
      total: 32,
      done: 25,
      failed: 4,
      futile: 3,
      held: 0,
      running: 0,
      idle: 0,
    });
  });

  it("readDagProgress: a status file caught half-written counts as not there yet", () => {
    const text = readFileSync(GROUP(), "utf8");
    const dir = join(root, "half");
    mkdirSync(join(dir, "mg_000000"), { recursive: true });
    mkdirSync(join(dir, "mg_000001"), { recursive: true });
    writeFileSync(join(dir, "mg_000000", "group.dag.status"), text.slice(0, text.length / 2));
    copyFileSync(TINY(), join(dir, "mg_000001", "group.dag.status"));
    const p = readDagProgress(dir);
    expect(p.outer).toBeUndefined();
    expect(p.workUnits[0].inner).toBeUndefined();
    expect(p.inner).toMatchObject({ total: 6, done: 3, failed: 2, futile: 1 });
  });

  it("readDagOutcome: the .metrics files of a failed and a successful run", () => {
    place(fx("lsst_tiny_problems", "tiny_problems.dag.metrics"), "out", "tiny.dag.metrics");
    place(fx("lsst_tiny_success", "tiny_success.dag.metrics"), "out", "ok.dag.metrics");
    expect(readDagOutcome(join(root, "out", "tiny.dag"))).toEqual({
      exitCode: 1,
      dagStatus: 2,
      startTime: 1739469586.22,
      endTime: 1739469649.054,
    });
    expect(readDagOutcome(join(root, "out", "ok.dag"))).toEqual({
      exitCode: 0,
      dagStatus: 0,
      startTime: 1739465078.42,
      endTime: 1739465206.297,
    });
  });

  it("readDagOutcome: the EXITING line of dagman.out when there is no usable .metrics", () => {
    const tail = fx("lsst_tiny_problems", "tiny_problems.dag.dagman.out.tail-excerpt");
    place(tail, "out", "tail.dag.dagman.out");
    // The line's clock is read as UTC; this DAGMan wrote local time (UTC-6), so the
    // fallback end is 6 h before the .metrics end_time of the same run (1739469649.054).
    const exited = { exitCode: 1, endTime: Date.UTC(2025, 1, 13, 12, 0, 49) / 1000 };
    expect(readDagOutcome(join(root, "out", "tail.dag"))).toEqual(exited);
    expect(1739469649 - exited.endTime).toBe(6 * 3600);
    place(tail, "out", "damaged.dag.dagman.out");
    writeFileSync(join(root, "out", "damaged.dag.metrics"), '{"client": "condor_dag');
    expect(readDagOutcome(join(root, "out", "damaged.dag"))).toEqual(exited);
    // The head of the same file: DAGMan still running.
    place(
      fx("lsst_tiny_problems", "tiny_problems.dag.dagman.out.head-excerpt"),
      "out",
      "run.dag.dagman.out",
    );
    expect(readDagOutcome(join(root, "out", "run.dag"))).toBeUndefined();
    expect(readDagOutcome(join(root, "out", "none.dag"))).toBeUndefined();
  });

  it("findRescueDags: the monitor's own rescue names at any depth, and their content", () => {
    const top = place(
      fx("lsst_tiny_problems", "tiny_problems.dag.rescue001"),
      "resc",
      "workflow.dag.rescue001",
    );
    const inner = place(
      fx("lsst_group_failed_1", "group_failed_1.dag.rescue001"),
      "resc",
      "mg_000000",
      "group.dag.rescue002",
    );
    place(
      fx("lsst_tiny_problems", "tiny_problems.dag.rescue001"),
      "resc",
      "tiny_problems.dag.rescue001",
    );
    writeFileSync(join(root, "resc", "workflow.dag.rescue1"), "");
    expect(findRescueDags(join(root, "resc"))).toEqual([inner, top]);
    expect(findRescueDags(join(root, "no-such-dir"))).toEqual([]);
    const t = parseRescueDag(readFileSync(top, "utf8"), top);
    expect(t).toMatchObject({ totalNodes: 6, premarkedDone: 3, failedCount: 2 });
    expect(t.doneNodes).toHaveLength(3);
    expect(t.failedNodes).toEqual([
      "057c8caf-66f6-4612-abf7-cdea5b666b1b_label1_val1a_val2b",
      "finalJob",
    ]);
    const g = parseRescueDag(readFileSync(inner, "utf8"), inner);
    expect(g).toMatchObject({ totalNodes: 26, premarkedDone: 22, failedCount: 2 });
    expect(g.doneNodes).toHaveLength(22);
  });
});

describe("monitor on the simulator's own files", () => {
  const catalog = loadCatalog(join(repoRoot, "catalog"));
  const run = (id: number) => {
    const { submitDir } = prepareWorkflow(catalog.workflows.get(id)!, {
      catalog,
      workDir: join(root, "sim"),
      wms2Command: "matrix",
    });
    const fs = new DiskFs();
    const dag = join(submitDir, "workflow.dag");
    return { submitDir, dag, r: simulateDag(dag, { seed: 1, fs, models: diskModels(fs) }) };
  };

  it("a failed run (500.0, proc exits 1): status, metrics, EXITING line and rescue DAGs", () => {
    const { submitDir, dag, r } = run(500.0);
    const p = readDagProgress(submitDir);
    expect(p.outer).toEqual({
      total: 1,
      done: 0,
      failed: 1,
      futile: 0,
      held: 0,
      running: 0,
      idle: 0,
    });
    const inner = { total: 4, done: 1, failed: 1, futile: 0, held: 0, running: 0, idle: 2 };
    expect(p.workUnits).toEqual([{ name: "mg_000000", status: 6, inner }]);
    expect(p.inner).toEqual(inner);

    const outcome = readDagOutcome(dag);
    expect(outcome).toEqual({
      exitCode: 1,
      dagStatus: 2,
      startTime: SIM_EPOCH,
      endTime: SIM_EPOCH + 1640,
    });
    expect([r.exitCode, r.dagStatus, r.endTime]).toEqual([1, 2, SIM_EPOCH + 1640]);
    // The simulator writes UTC, so dagman.out alone gives the same end.
    place(`${dag}.dagman.out`, "simout", "w.dag.dagman.out");
    expect(readDagOutcome(join(root, "simout", "w.dag"))).toEqual({
      exitCode: 1,
      endTime: SIM_EPOCH + 1640,
    });

    const rescues = findRescueDags(submitDir);
    expect(rescues).toEqual([
      join(submitDir, "mg_000000", "group.dag.rescue001"),
      join(submitDir, "workflow.dag.rescue001"),
    ]);
    expect(r.rescueFile).toBe(rescues[1]);
    const top = parseRescueDag(readFileSync(rescues[1], "utf8"), rescues[1]);
    expect(top).toMatchObject({ totalNodes: 1, premarkedDone: 0, failedCount: 1 });
    expect(top.failedNodes).toEqual(["mg_000000"]);
    const wu = parseRescueDag(readFileSync(rescues[0], "utf8"), rescues[0]);
    expect(wu).toMatchObject({ totalNodes: 4, premarkedDone: 1, failedCount: 1 });
    expect(wu.doneNodes).toEqual(["landing"]);
    expect(wu.failedNodes).toEqual(["proc_000000"]);
  });

  it("a successful run (100.1): everything done, exit 0, no rescue DAG", () => {
    const { submitDir, dag, r } = run(100.1);
    const p = readDagProgress(submitDir);
    expect(p.outer).toMatchObject({ total: 1, done: 1, failed: 0 });
    expect(p.workUnits).toEqual([
      {
        name: "mg_000000",
        status: 5,
        inner: { total: 11, done: 11, failed: 0, futile: 0, held: 0, running: 0, idle: 0 },
      },
    ]);
    expect(readDagOutcome(dag)).toEqual({
      exitCode: 0,
      dagStatus: 0,
      startTime: SIM_EPOCH,
      endTime: SIM_EPOCH + 95,
    });
    expect(r.durationSec).toBe(95);
    expect(findRescueDags(submitDir)).toEqual([]);
  });
});
