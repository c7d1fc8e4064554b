/**
 * Errors specific to the adaptive algorithms. Malformed files raise `InputError`
 * (src/model/errors.ts); these mark conditions a caller is expected to handle.
 */

/**
 * A work unit has no usable metrics (no proc metrics file, or a summary with no proc
 * jobs). The round optimisation skips such work units instead of failing.
 */
export class NoMetricsError extends Error {
  constructor(where: string) {
    super(`${where}: no proc metrics found`);
    this.name = "NoMetricsError";
  }
}
