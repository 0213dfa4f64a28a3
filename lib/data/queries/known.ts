/**
 * Whether an app exists, so unknown ones get a real 404 (pages and the API).
 */
import "server-only";
import { publicClient } from "../pocketbase";
import { APPS } from "../../reference/apps";

const CATALOGUE = new Set(APPS.map((a) => a.nsapp));

/** In the script catalogue, or with any run in the rollups. Callers cache (lib/data/index.ts). */
export async function appExists(nsapp: string): Promise<boolean> {
  if (CATALOGUE.has(nsapp)) return true;
  if (nsapp.length === 0 || nsapp.length > 128) return false;
  // PocketBase refuses (403) any filter text containing these, quoted or not: such a name can
  // never be looked up (SECURITY.md), and a refusal must not read as the source being down.
  if (/@request\.|@collection\./i.test(nsapp)) return false;
  const pb = publicClient();
  const res = await pb.collection("stats_app").getList(1, 1, { filter: pb.filter("nsapp = {:nsapp}", { nsapp }), skipTotal: true, fields: "id" });
  return res.items.length > 0;
}
