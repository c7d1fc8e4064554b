/**
 * The embedded simulator: the discrete-event core, the HTCondor pool, the DAGMan interpreter
 * (`simulateDag`, `SimSession`) and the file systems it runs on, with the codecs of the files
 * it keeps as values.
 */
export * from "./core/index.js";
export * from "./dagman/simulate.js";
export * from "./file-codecs.js";
export * from "./fs.js";
export * from "./pool/index.js";
