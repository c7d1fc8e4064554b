/** The embedded simulator: discrete-event core and HTCondor pool (more layers build on these). */
export * from "./core/index.js";
export * from "./pool/index.js";
