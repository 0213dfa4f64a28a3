/**
 * SQL derived from a RollupEntry — the form in which a migration embeds a rollup — rather than
 * from lib/rollups/spec.ts, so that the tools work on a database in any released state (after
 * `pocketbase migrate down` too): its rebuild query, its drift check, whether a step rebuilds it.
 */
import type { RollupEntry, RollupState } from "./state";
import { COUNT_COLUMNS, REV_COLUMN } from "./spec";
import { driftQuery } from "./sql";

/**
 * What a rollup's rows depend on (its purpose is a comment): the generated migration rebuilds
 * a rollup whose definition changed, and uses a shadow only if it was built for exactly this
 * definition. The migration's JavaScript computes the same string (tests/unit/rollup-shadow).
 */
export function definitionKey(r: RollupEntry): string {
  // A percentile view and privacy join the list only where there are: older states keep their keys.
  return JSON.stringify([
    r.fields,
    r.indexes,
    r.rebuild,
    r.triggers,
    r.rangeView,
    r.seriesView || null,
    ...(r.percentileView ? [r.percentileView] : []),
    ...(r.private ? ["private"] : []),
  ]);
}

/** Rollups of `state` that a migration from `previous` creates or rebuilds (the others keep their rows). */
export function rebuiltRollups(previous: RollupState | null, state: RollupState): RollupEntry[] {
  const before = new Map((previous?.rollups ?? []).map((r) => [r.name, definitionKey(r)]));
  return state.rollups.filter((r) => before.get(r.name) !== definitionKey(r));
}

/** The rebuild's SELECT (every row of the rollup computed from the raw rows) and the columns it fills, in order. */
export function rebuildSelect(r: RollupEntry): { columns: string[]; select: string } {
  const insert = r.rebuild.find((s) => s.startsWith("INSERT INTO "));
  const m = insert ? /^INSERT INTO (\w+) \(([^)]*)\) (SELECT [\s\S]*)$/.exec(insert) : null;
  if (!m || m[1] !== r.name) throw new Error(`no rebuild INSERT for ${r.name}`);
  return { columns: m[2]!.split(", "), select: m[3]! };
}

const fieldNames = (r: RollupEntry) => (r.fields as { name: string }[]).map((f) => f.name);

/** Daily rollups carry running totals and valid_until; hourly ones per-hour counts only. */
export const isDaily = (r: RollupEntry) => fieldNames(r).includes("valid_until");

/** The key columns: every field but the bucket, valid_until, the counts, their running totals and the change number. */
export function entryDims(r: RollupEntry): string[] {
  const counts = new Set<string>(COUNT_COLUMNS);
  return fieldNames(r).filter((f) => f !== "bucket" && f !== "valid_until" && f !== REV_COLUMN && !counts.has(f) && !(f.startsWith("cum_") && counts.has(f.slice(4))));
}

/** Rows where `table` (the rollup, or a shadow of it) and the raw rows disagree under this entry's definition (empty = exact). */
export function entryDriftSql(r: RollupEntry, table = r.name): string {
  const { columns, select } = rebuildSelect(r);
  const dims = entryDims(r);
  // The rebuild's output named by its INSERT's column list, projected to what the check compares.
  const expected = `WITH rebuilt(${columns.join(", ")}) AS (${select}) SELECT bucket, ${[...dims, ...COUNT_COLUMNS].join(", ")} FROM rebuilt`;
  const cutoff = /strftime\('%Y-%m-%d %H', 'now', '-\d+ hours'\)/.exec(select)?.[0];
  return driftQuery({ table, dims, daily: isDaily(r), expected, cutoff });
}
