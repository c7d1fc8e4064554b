/**
 * Loader of the simulator step profiles (`catalog/profiles/*.yaml`): each file holds
 * `profiles: NAME -> fields` (see StepProfile and src/model/step-resources.ts for the law the
 * fields feed). Profile names are global; a duplicate is an error naming both files.
 */
import { join } from "node:path";
import { stepProfileSchema } from "../model/catalog-schema.js";
import type { StepProfile } from "../model/workflow.js";
import { inputError, isMapping, listYamlFiles, parseOrThrow, readYaml } from "./catalog-files.js";

export const NAME_RE = /^[A-Za-z][\w.-]*$/;

/** Read `profilesDir/*.yaml` into a map of validated step profiles. */
export function loadProfiles(profilesDir: string): Map<string, StepProfile> {
  const profiles = new Map<string, StepProfile>();
  for (const name of listYamlFiles(profilesDir)) {
    const file = join(profilesDir, name);
    const doc = readYaml(file);
    if (!isMapping(doc) || !isMapping(doc.profiles)) {
      throw inputError(file, undefined, "profiles", "expected a top-level mapping `profiles:`");
    }
    const extra = Object.keys(doc).find((k) => k !== "profiles");
    if (extra) throw inputError(file, undefined, extra, "unknown top-level section");
    for (const [pname, raw] of Object.entries(doc.profiles)) {
      const label = `profile ${pname}`;
      if (!NAME_RE.test(pname)) throw inputError(file, label, undefined, "invalid profile name");
      const prior = profiles.get(pname);
      if (prior) {
        throw inputError(
          file,
          label,
          undefined,
          `duplicate profile, already defined in ${prior.sourceFile}`,
        );
      }
      const parsed = parseOrThrow(stepProfileSchema, raw, file, label);
      profiles.set(pname, { name: pname, ...parsed, sourceFile: file });
    }
  }
  return profiles;
}
