/**
 * Whether an exit code or app exists — used before rendering (proxy.ts) so unknown ones get a
 * real 404 status: once a page streams, notFound() can no longer change the status.
 * No `server-only` marker: the proxy bundle imports it too.
 */
import PocketBase from "pocketbase";
import { serverConfig } from "./config";
import { APPS } from "./reference/apps";

/** "0".."255" written plainly (no sign, no leading zeros). */
export function isExitCodeParam(raw: string): boolean {
  return /^(0|[1-9]\d{0,2})$/.test(raw) && Number(raw) <= 255;
}

const CATALOGUE = new Set(APPS.map((a) => a.nsapp));
const seen = new Map<string, { known: boolean; until: number }>();
const REMEMBER_MS = 60_000;

/** In the script catalogue, or with any run in the rollups (asked at most once a minute per name). */
export async function appExists(nsapp: string): Promise<boolean> {
  if (CATALOGUE.has(nsapp)) return true;
  if (nsapp.length === 0 || nsapp.length > 128) return false;
  const hit = seen.get(nsapp);
  if (hit && hit.until > Date.now()) return hit.known;
  const pb = new PocketBase(serverConfig().pocketbaseUrl);
  pb.autoCancellation(false);
  const res = await pb.collection("stats_app").getList(1, 1, { filter: pb.filter("nsapp = {:nsapp}", { nsapp }), skipTotal: true });
  const known = res.items.length > 0;
  if (seen.size > 10_000) seen.clear();
  seen.set(nsapp, { known, until: Date.now() + REMEMBER_MS });
  return known;
}
