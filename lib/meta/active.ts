/**
 * Which apps and exit codes are active: with runs (failed or aborted runs, for a code) in the
 * last ACTIVE_PRESET. Active ones are listed in the sitemap and their canonical pages indexed;
 * an inactive one's page is an empty result (`noindex`). One answer for both (lib/data/index.ts).
 */
import "server-only";
import { loadActiveSet } from "../data";
import { presetRange } from "../range";

export const ACTIVE_PRESET = "90d";

export function loadActive(now: Date) {
  return loadActiveSet(presetRange(ACTIVE_PRESET, now));
}

/** False when unknown too (the source failed): such a page answers 503 and is not indexed anyway. */
export async function isActiveApp(nsapp: string, now: Date): Promise<boolean> {
  const set = await loadActive(now);
  return set.ok && set.value.apps.has(nsapp);
}

export async function isActiveCode(code: number, now: Date): Promise<boolean> {
  const set = await loadActive(now);
  return set.ok && set.value.codes.has(code);
}
