/**
 * End to end on a live HTCondor pool: plan 100.0 with the real planner, submit it, poll
 * until the DAGMan job leaves the queue, and require success. Without a pool (or without
 * the built CLI the POST scripts call) the whole block is skipped, with the reason in its
 * name.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CondorBackend, findPool } from "../../../src/backends/condor/index.js";
import type { DagJobState } from "../../../src/backends/types.js";
import { loadCatalog } from "../../../src/matrix/catalog.js";
import { matrixPlanRequest } from "../../../src/matrix/plan-request.js";
import { planWorkflow } from "../../../src/planner/plan.js";
import { writeBundle } from "../../../src/planner/write.js";
import { repoRoot } from "../../helpers/shared-fixtures.js";

const TIMEOUT_SEC = 600;
const POLL_SEC = 5;
const cli = join(repoRoot, "dist", "src", "cli", "main.js");

const pool = await findPool();
const reason = !pool.ok
  ? pool.reason
  : existsSync(cli)
    ? ""
    : "the built CLI dist/src/cli/main.js is missing (npm run build)";
const title =
  pool.ok && !reason
    ? `live pool (${pool.schedd}, ${pool.slots} slots)`
    : `live pool (skipped: ${reason})`;

describe.skipIf(reason !== "")(title, () => {
  // Made when the block runs: the body of a skipped block is still collected.
  let tmp = "";
  const backend = new CondorBackend({ batchName: "wms2-e2e-100.0" });
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), "wms2-condor-e2e-"));
  });
  afterAll(async () => {
    await backend.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it(
    "runs 100.0 to success",
    async () => {
      const catalog = loadCatalog(join(repoRoot, "catalog"));
      const wf = catalog.workflows.get(100.0);
      expect(wf).toBeDefined();
      const submitDir = join(tmp, "wf_100.0");
      const plan = planWorkflow(
        matrixPlanRequest(wf!, catalog.profiles, {
          submitDir,
          storageDir: join(tmp, "storage"),
          wms2Command: `${process.execPath} ${cli}`,
        }),
      );
      writeBundle(plan.bundle);
      const h = await backend.submitDag(join(submitDir, "workflow.dag"));
      const deadline = backend.clock.now() + TIMEOUT_SEC;
      let state: DagJobState = { state: "queued" };
      while (state.state === "queued" || state.state === "running") {
        if (backend.clock.now() > deadline) {
          await backend.remove(h);
          throw new Error(`DAG ${h.clusterId} timed out after ${TIMEOUT_SEC} s`);
        }
        await backend.clock.sleep(POLL_SEC);
        state = await backend.dagJobState(h);
        await backend.cpuSample(h);
      }
      expect(state).toEqual({ state: "completed", exitCode: 0 });
      expect(readdirSync(submitDir).filter((f) => /\.rescue\d+$/.test(f))).toEqual([]);
    },
    (TIMEOUT_SEC + 60) * 1000,
  );
});
