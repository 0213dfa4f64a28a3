/**
 * "Likely cause" of a regression: the script changes that reached users in the hours before it
 * began, ranked (method in docs/CHANGES.md, "Likely cause"). Pure: the caller reads the
 * changes of the window (`suspectWindow`) from `script_changes` and passes them in.
 */
import { bucketSpan } from "../insights/scan-plan";
import { APPS } from "../reference/apps";
import { mapPath, type SharedScope, sharedReaches } from "./paths";

/** A row of `script_changes`, as PocketBase returns it (times "YYYY-MM-DD HH:MM:SS.sssZ" or ISO). */
export interface ScriptChange {
  repository: string;
  sha: string;
  committed: string;
  /** Empty or null when only the backfill saw it. */
  pushed?: string | null;
  message: string;
  url: string;
  paths: readonly string[];
  apps: readonly string[];
  shared: readonly SharedScope[];
}

export const LIKELY_CAUSE = {
  /** How long before the regression's first bucket a change counts. */
  lookbackHours: 72,
  /** A change's weight halves every this many hours before the regression began. */
  halfLifeHours: 24,
  /** Weight of a shared library change against a change to the app's own script. */
  sharedWeight: 0.5,
  /** Weight of a change to the app's banner only. */
  headerWeight: 0.2,
} as const;

export interface Suspect {
  change: ScriptChange;
  /** Relevance × recency, in (0, 1]; the list is ordered by it. */
  score: number;
  /** "app": it changed the app's own files; "shared": a library the app loads. */
  kind: "app" | "shared";
  /** The paths that tie it to the app. */
  paths: string[];
  /** Hours from the change to the regression's first bucket (0: inside that bucket). */
  hoursBefore: number;
}

const HOUR_MS = 3_600_000;

/** The app's script type from the catalogue (lxc, vm, addon, pve), null for an app it does not list. */
export function catalogueType(nsapp: string): string | null {
  return APPS.find((a) => a.nsapp === nsapp)?.type ?? null;
}

/** When a change reached users: its push, else its commit time (the backfill knows no push). */
export function liveAt(change: Pick<ScriptChange, "committed" | "pushed">): number {
  return Date.parse((change.pushed || change.committed).replace(" ", "T"));
}

/** [from, to) in ms: the changes that can explain a regression starting in this bucket. */
export function suspectWindow(start: string): { from: number; to: number } {
  const [startMs, endMs] = bucketSpan(start);
  return { from: startMs - LIKELY_CAUSE.lookbackHours * HOUR_MS, to: endMs };
}

/** How strongly a change is tied to the app, and by which paths; null when it is not. */
function relevance(change: ScriptChange, nsapp: string, appType: string | null): { weight: number; kind: Suspect["kind"]; paths: string[] } | null {
  const own: string[] = [];
  const shared: string[] = [];
  let runtime = false;
  for (const path of change.paths) {
    const t = mapPath(path);
    if (!t) continue;
    if (t.kind === "app") {
      if (t.app !== nsapp || t.role === "metadata") continue; // the website's JSON plays no part at run time
      own.push(path);
      if (t.role !== "header") runtime = true;
    } else if (sharedReaches([t.scope], appType)) shared.push(path);
  }
  // A commit that edits many apps at once says little about any one of them.
  const breadth = 1 / Math.sqrt(Math.max(1, change.apps.length));
  const ownWeight = own.length ? (runtime ? 1 : LIKELY_CAUSE.headerWeight) * breadth : 0;
  const sharedWeight = shared.length ? LIKELY_CAUSE.sharedWeight : 0;
  if (!ownWeight && !sharedWeight) return null;
  return ownWeight >= sharedWeight ? { weight: ownWeight, kind: "app", paths: own } : { weight: sharedWeight, kind: "shared", paths: shared };
}

/**
 * The changes to `nsapp` (its own files, or a shared library of its type) that reached users
 * from `lookbackHours` before the regression's first bucket to that bucket's end, best first.
 * `appType`: lxc, vm, addon or pve (null: unknown, every library counts).
 */
export function likelyCauses(regression: { nsapp: string; start: string }, appType: string | null, changes: readonly ScriptChange[]): Suspect[] {
  const { from, to } = suspectWindow(regression.start);
  const startMs = bucketSpan(regression.start)[0];
  const out: (Suspect & { at: number })[] = [];
  for (const change of changes) {
    const at = liveAt(change);
    if (!(at >= from && at < to)) continue;
    const r = relevance(change, regression.nsapp, appType);
    if (!r) continue;
    const hoursBefore = Math.max(0, startMs - at) / HOUR_MS;
    out.push({ change, score: r.weight * 0.5 ** (hoursBefore / LIKELY_CAUSE.halfLifeHours), kind: r.kind, paths: r.paths, hoursBefore, at });
  }
  out.sort((a, b) => b.score - a.score || b.at - a.at || (a.change.sha < b.change.sha ? -1 : 1));
  return out.map(({ at: _at, ...s }) => s);
}
