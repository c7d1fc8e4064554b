/** Payload models (processing, merge, cleanup, fault, trivial) and PRE/POST script models. */
export * from "./artifact-files.js";
export * from "./cleanup.js";
export * from "./fault.js";
export * from "./job-io.js";
export * from "./manifest.js";
export * from "./merge.js";
export * from "./post-scripts.js";
export * from "./proc.js";
export * from "./proc-args.js";
export * from "./proc-reports.js";
export * from "./proc-steps.js";
export * from "./registry.js";
export * from "./scripts.js";
export * from "./storage.js";
export * from "./types.js";
export * from "./usage.js";
