export { benchEventCore } from "./bench-probe.js";
export type { EventHandler } from "./event-queue.js";
export { RngStream, RngStreams } from "./rng.js";
export type { Periodic, RunResult, TimerId } from "./simulation.js";
export { Simulation } from "./simulation.js";
