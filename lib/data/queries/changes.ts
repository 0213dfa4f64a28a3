/**
 * Script changes (docs/CHANGES.md) read from the public `script_changes` collection: those that
 * reached users in a span of time — the suspects of the regressions in it (likely-cause.ts) —
 * and one app's, for its page and `/api/v1/apps/{nsapp}/changes`. Uncached, like every
 * lib/data/queries function. A change reached users when pushed, else when committed (liveAt).
 */
import "server-only";
import { catalogueType, likelyCauses, type ScriptChange, type Suspect, suspectWindow } from "../../changes/likely-cause";
import { sharedReaches } from "../../changes/paths";
import { listAll, publicClient } from "../pocketbase";
import { pbTime } from "../../time";

const COLLECTION = "script_changes";
const FIELDS = "repository,sha,committed,pushed,message,url,paths,apps,shared";
/** One app's list is cut here (newest first): a page or an answer, not an archive. */
export const MAX_APP_CHANGES = 500;

/** Changes live in [from, to) (ms), oldest first. */
export async function queryChangesBetween(from: number, to: number): Promise<ScriptChange[]> {
  const pb = publicClient();
  const filter = pb.filter("(pushed >= {:from} && pushed < {:to}) || (pushed = '' && committed >= {:from} && committed < {:to})", {
    from: pbTime(new Date(from)),
    to: pbTime(new Date(to)),
  });
  return listAll<ScriptChange>(pb, COLLECTION, { filter, sort: "committed,sha", query: { fields: FIELDS } });
}

export interface AppChange extends ScriptChange {
  /** "app": it changed the app's own files; "shared": a library the app's type loads. */
  kind: "app" | "shared";
}

/**
 * The changes to one app live in [from, to) — its own files (website metadata included: the
 * list says what changed, the likely cause judges it) and the shared libraries its type loads
 * — newest first, at most MAX_APP_CHANGES.
 */
export async function queryAppChanges(nsapp: string, from: number, to: number): Promise<AppChange[]> {
  const pb = publicClient();
  // `apps` and `shared` are JSON arrays: match the quoted name, so "docker" is not "dockge".
  const filter = pb.filter("((pushed >= {:from} && pushed < {:to}) || (pushed = '' && committed >= {:from} && committed < {:to})) && (apps ~ {:app} || shared != '[]')", {
    from: pbTime(new Date(from)),
    to: pbTime(new Date(to)),
    app: JSON.stringify(nsapp),
  });
  const res = await pb.collection(COLLECTION).getList<ScriptChange>(1, MAX_APP_CHANGES * 2, { filter, sort: "-committed,-sha", fields: FIELDS, skipTotal: true });
  const type = catalogueType(nsapp);
  const out: AppChange[] = [];
  for (const c of res.items) {
    if (c.apps.includes(nsapp)) out.push({ ...c, kind: "app" });
    else if (c.shared.length && sharedReaches(c.shared, type)) out.push({ ...c, kind: "shared" });
    if (out.length === MAX_APP_CHANGES) break;
  }
  return out;
}

/** The likely causes of each regression (by its index), from one read of every window's changes. */
export async function queryLikelyCauses(regressions: readonly { nsapp: string; start: string }[]): Promise<Suspect[][]> {
  if (regressions.length === 0) return [];
  const windows = regressions.map((r) => suspectWindow(r.start));
  const changes = await queryChangesBetween(Math.min(...windows.map((w) => w.from)), Math.max(...windows.map((w) => w.to)));
  return regressions.map((r) => likelyCauses(r, catalogueType(r.nsapp), changes));
}
