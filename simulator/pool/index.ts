export { runCpuSegments } from "./accounting.js";
export type { AdLookup, ClassAdValue, CompiledExpr } from "./classad-expr.js";
export { compileExpr, type ExprFacts, exprFacts } from "./classad-expr.js";
export {
  DEFAULT_FIRST_CLUSTER_ID,
  DEFAULT_NEGOTIATION_INTERVAL_SEC,
  DEFAULT_POOL,
  loadPoolFile,
  parsePoolYaml,
} from "./config.js";
export type { MachineState } from "./machines.js";
export { cgroupVerdict, type MemoryVerdict } from "./memory.js";
export { Pool } from "./pool.js";
export * from "./types.js";
export { type UserLogOptions, userLogListener } from "./user-log.js";
