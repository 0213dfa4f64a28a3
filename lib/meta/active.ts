/**
 * Which apps and exit codes are active: with runs (failed or aborted runs, for a code) in the
 * last ACTIVE_PRESET. Active ones are listed in the sitemap and their canonical pages indexed;
 * an inactive one's page is an empty result (`noindex`). A page asks about its own app or code
 * (one read), the sitemap for the whole set; lib/data/queries/sitemap.ts keeps the two equal.
 */
import "server-only";
import { loadActiveSet, loadAppActive, loadCodeActive } from "../data";
import { presetRange } from "../range";

export const ACTIVE_PRESET = "90d";

export function loadActive(now: Date) {
  return loadActiveSet(presetRange(ACTIVE_PRESET, now));
}

/** False when unknown too (the source failed): such a page answers 503 and is not indexed anyway. */
export async function isActiveApp(nsapp: string, now: Date): Promise<boolean> {
  const active = await loadAppActive(nsapp, presetRange(ACTIVE_PRESET, now));
  return active.ok && active.value;
}

export async function isActiveCode(code: number, now: Date): Promise<boolean> {
  const active = await loadCodeActive(code, presetRange(ACTIVE_PRESET, now));
  return active.ok && active.value;
}
