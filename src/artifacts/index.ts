/** Job-level artifacts: written by jobs (or the simulator), read by monitor, reports and replan. */
export * from "./adler32.js";
export * from "./cgroup.js";
export * from "./fjr.js";
export * from "./fjr-format.js";
export * from "./json-io.js";
export * from "./merge-files.js";
export * from "./merge-plan.js";
export * from "./output-info.js";
export * from "./outputs.js";
export * from "./post-classify.js";
export * from "./post-record.js";
export * from "./proc-files.js";
export * from "./proc-metrics.js";
export * from "./py-round.js";
export * from "./sandbox-manifest.js";
export * from "./tier.js";
export * from "./wu-metrics.js";
