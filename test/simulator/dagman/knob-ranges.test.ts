import { describe, expect, it } from "vitest";
import { parseDagmanConfigText } from "../../../simulator/dagman/config.js";
import {
  flatDag,
  mostAtOnce,
  notes,
  runOnBigPool,
  runWith,
  scriptedDag,
  submitTimes,
  timedScripts,
} from "./harness.js";

describe("DAGMan's knobs at the edges of their range", () => {
  it("DAGMAN_MAX_PRE_SCRIPTS and DAGMAN_MAX_POST_SCRIPTS = 0: no limit on scripts", () => {
    const { runs, scripts } = timedScripts(30);
    const fs = scriptedDag(25, "DAGMAN_MAX_PRE_SCRIPTS = 0\nDAGMAN_MAX_POST_SCRIPTS = 0\n");
    const s = runOnBigPool(fs, scripts);
    expect(s.status).toBe("success");
    expect(mostAtOnce(runs.PRE)).toBe(25);
    expect(mostAtOnce(runs.POST)).toBe(25);
    expect(notes(fs).slice(3, 5)).toEqual([
      "Note: 0 total PRE script deferrals because of -MaxPre limit (0) or DEFER",
      "Note: 0 total POST script deferrals because of -MaxPost limit (0) or DEFER",
    ]);
  });

  it("by default at most 20 PRE and 20 POST scripts run at once", () => {
    const { runs, scripts } = timedScripts(30);
    const s = runOnBigPool(scriptedDag(25, ""), scripts);
    expect(s.status).toBe("success");
    expect(mostAtOnce(runs.PRE)).toBe(20);
    expect(mostAtOnce(runs.POST)).toBe(20);
  });

  it("DAGMAN_MAX_SUBMITS_PER_INTERVAL below 1 is read as 1: one submission per pass", () => {
    const fs = flatDag(3, "DAGMAN_MAX_SUBMITS_PER_INTERVAL = 0\n");
    expect(runWith(fs).status).toBe("success");
    expect(submitTimes(fs)).toEqual([0, 5, 10]);
  });

  it.each([
    ["DAGMAN_MAX_SUBMITS_PER_INTERVAL = 5000", { maxSubmitsPerInterval: 1000 }],
    ["DAGMAN_MAX_SUBMITS_PER_INTERVAL = -3", { maxSubmitsPerInterval: 1 }],
    ["DAGMAN_USER_LOG_SCAN_INTERVAL = 0", { scanIntervalSec: 1 }],
    ["DAGMAN_MAX_RESCUE_NUM = 1500", { maxRescueNum: 999 }],
    ["DAGMAN_MAX_PRE_SCRIPTS = 0", { maxPreScripts: 0 }],
  ])("reads %s into the manual's range", (line, settings) => {
    expect(parseDagmanConfigText(`${line}\n`, "c")).toEqual(settings);
  });

  it("DAGMAN_USER_LOG_SCAN_INTERVAL = 0 runs with passes a second apart", () => {
    const fs = flatDag(
      3,
      "DAGMAN_USER_LOG_SCAN_INTERVAL = 0\nDAGMAN_MAX_SUBMITS_PER_INTERVAL = 1\n",
    );
    expect(runWith(fs).status).toBe("success");
    expect(submitTimes(fs)).toEqual([0, 1, 2]);
  });
});
