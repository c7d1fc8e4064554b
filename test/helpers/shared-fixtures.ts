import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root (the folder holding package.json). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The project's shared fixture folder (`../shared/fixtures` beside the checkout), which
 * holds third-party artifacts written by real DAGMan, HTCondor and cmsRun runs. Returns
 * undefined when the checkout has no shared folder beside it; tests that need it skip.
 */
export function sharedFixtures(...parts: string[]): string | undefined {
  const dir = join(repoRoot, "..", "shared", "fixtures", ...parts);
  return existsSync(dir) ? dir : undefined;
}
