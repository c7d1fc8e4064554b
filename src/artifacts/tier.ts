/**
 * CMS data-tier names as they appear on files (from output module labels) and on datasets,
 * and the rule deciding whether a file belongs to a dataset tier.
 */

/** Tier of an output module label: a trailing `output` removed case-insensitively. */
export function tierFromModuleLabel(label: string): string {
  return label.replace(/output$/i, "");
}

function stripTrailingDigits(s: string): string {
  return s.replace(/\d+$/, "");
}

/**
 * Whether a file of tier `fileTier` belongs to a dataset of tier `datasetTier`. First hit wins:
 * 1. exact equality;
 * 2. both upper-cased with trailing digits removed, and every `EDM` deleted from the file tier
 *    only, are equal (`NANOEDMAODSIM1` → `NANOAODSIM`);
 * 3. the longer upper-cased name contains the shorter and the lengths differ by at most 3
 *    (`MINIAODSIM1` ~ `MINIAODSIM`; `AODSIM` vs `MINIAODSIM` differs by 4: no).
 * An empty tier matches nothing but an identical empty tier.
 */
export function tierMatches(fileTier: string, datasetTier: string): boolean {
  if (fileTier === datasetTier) return true;
  if (fileTier === "" || datasetTier === "") return false;
  const f = fileTier.toUpperCase();
  const d = datasetTier.toUpperCase();
  if (stripTrailingDigits(f).replaceAll("EDM", "") === stripTrailingDigits(d)) return true;
  const [longer, shorter] = f.length >= d.length ? [f, d] : [d, f];
  return longer.includes(shorter) && longer.length - shorter.length <= 3;
}

/** NANO tiers merge with the NANO merger (EDM NANO becomes flat NANO). */
export function isNanoTier(tier: string): boolean {
  return tier.toUpperCase().startsWith("NANO");
}

/** DQMIO merges with the DQM merger. */
export function isDqmTier(tier: string): boolean {
  return tier.toUpperCase() === "DQMIO";
}
