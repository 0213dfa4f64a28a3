/** Upgrade tests: migration dirs of a release, a changed rollup state, checks of what a database holds. */
import type Database from "better-sqlite3";
import { expect } from "vitest";
import { RANGE_VIEW_RULE, ROLLUPS, rangeViewName, seriesViewName, type RollupSpec } from "../../lib/rollups/spec";
import { percentileViewName, percentileViewSql } from "../../lib/rollups/percentile-sql";
import { createTriggersSql, rangeViewSql, seriesViewSql } from "../../lib/rollups/sql";

/**
 * A next release's rollups: stats_pve removed, stats_method keyed by OS too (new fields and
 * views), stats_code_os with one more index (same fields and views: rebuilt in place), a new
 * rollup, a new purpose (no rebuild).
 */
export const CHANGED_ROLLUPS: RollupSpec[] = [
  ...ROLLUPS.filter((s) => s.name !== "stats_pve").map((s) => {
    if (s.name === "stats_method") return { ...s, dims: [...s.dims, { column: "os_type", source: "os_type", kind: "text" as const }] };
    if (s.name === "stats_code_os") return { ...s, lookup: "os_type" };
    return s.name === "stats_app" ? { ...s, purpose: "renamed purpose" } : s;
  }),
  { name: "stats_ct_type", grain: "day", dims: [{ column: "ct_type", source: "ct_type", kind: "number" }], purpose: "test rollup" },
];

/** The state's rollup triggers and range views are exactly what the database holds. */
export function expectCurrent(db: Database.Database, specs: readonly RollupSpec[]) {
  const triggers = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'stats\\_%' ESCAPE '\\' ORDER BY name").all();
  const want = specs
    .flatMap((s) => createTriggersSql(s))
    .map((sql) => ({ name: /TRIGGER IF NOT EXISTS (\w+)/.exec(sql)![1], sql: sql.replace(" IF NOT EXISTS", "") }))
    .sort((a, b) => a.name!.localeCompare(b.name!));
  expect(triggers).toEqual(want);
  const views = db
    .prepare(
      "SELECT name, listRule AS rule, json_extract(options, '$.viewQuery') AS query FROM _collections WHERE type = 'view' AND name LIKE 'stats\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all();
  // A rollup keyed by an identifier (spec.ts `distinct`) is superusers' only: its views and table.
  const rule = (s: RollupSpec) => (s.distinct ? null : RANGE_VIEW_RULE);
  const wantViews = specs.flatMap((s) => [
    { name: rangeViewName(s), rule: rule(s), query: rangeViewSql(s) },
    ...(s.series ? [{ name: seriesViewName(s), rule: rule(s), query: seriesViewSql(s) }] : []),
    ...(s.percentiles ? [{ name: percentileViewName(s), rule: rule(s), query: percentileViewSql(s) }] : []),
  ]);
  expect(views).toEqual(wantViews.sort((a, b) => a.name.localeCompare(b.name)));
  const names = specs.map((s) => s.name);
  const tables = (
    db.prepare("SELECT name, listRule, viewRule FROM _collections WHERE type = 'base' AND name LIKE 'stats\\_%' ESCAPE '\\' ORDER BY name").all() as { name: string }[]
  ).filter((t) => names.includes(t.name));
  const open = (s: RollupSpec) => (s.distinct ? null : "");
  expect(tables).toEqual(specs.map((s) => ({ name: s.name, listRule: open(s), viewRule: open(s) })).sort((a, b) => a.name.localeCompare(b.name)));
}

/** Tables and triggers `npm run rollups -- prepare` makes (none may outlive the migration that uses them). */
export function prepareArtifacts(db: Database.Database): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE name LIKE '\\_shadow\\_%' ESCAPE '\\' OR name LIKE '\\_rollup\\_%' ESCAPE '\\' ORDER BY name").all() as { name: string }[]
  ).map((r) => r.name);
}

export const collectionExists = (db: Database.Database, name: string) => !!db.prepare("SELECT 1 FROM _collections WHERE name = ?").get(name);
