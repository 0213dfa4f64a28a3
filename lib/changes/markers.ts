/**
 * Which of an app's script changes its charts mark (docs/CHANGES.md, "Shared changes without
 * drowning the page"): the changes to its own files that run at install time — not its website
 * entry alone, and not shared libraries, which change every few days for every app and are
 * listed under the chart instead. One marker per series point, labelled with the change's short
 * sha (as the list under the chart shows it, with the link) or "N changes". Pure.
 */
import { liveAt, type ScriptChange } from "./likely-cause";
import { mapPath } from "./paths";

export interface ChangeMark {
  /** The series point the change falls in. */
  point: string;
  label: string;
  /** The commit messages, one a line. */
  title: string;
}

/** True when the change touched the app's own files that run (script, install, banner). */
export function changesRuntime(change: Pick<ScriptChange, "paths">, nsapp: string): boolean {
  return change.paths.some((p) => {
    const t = mapPath(p);
    return t?.kind === "app" && t.app === nsapp && t.role !== "metadata";
  });
}

/**
 * Markers for the app's changes; `pointOf` maps a time (ms) to its series point, null outside
 * the series.
 */
export function changeMarks(changes: readonly ScriptChange[], nsapp: string, pointOf: (ms: number) => string | null): ChangeMark[] {
  const byPoint = new Map<string, ScriptChange[]>();
  for (const c of changes) {
    if (!changesRuntime(c, nsapp)) continue;
    const point = pointOf(liveAt(c));
    if (point === null) continue;
    byPoint.set(point, [...(byPoint.get(point) ?? []), c]);
  }
  return [...byPoint].map(([point, list]) =>
    list.length === 1
      ? { point, label: list[0]!.sha.slice(0, 7), title: list[0]!.message }
      : { point, label: `${list.length} changes`, title: list.map((c) => c.message).join("\n") },
  );
}
