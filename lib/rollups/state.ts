/**
 * The shape of a rollup state as a migration embeds it. Types only, in their own module so that
 * the migration generator (migration.ts), its template (migration-source.ts), the shadow SQL
 * (shadow.ts) and the tools share them without importing each other in a loop.
 */
export interface RollupEntry {
  name: string;
  purpose: string;
  fields: object[];
  indexes: string[];
  drop: string[];
  rebuild: string[];
  triggers: string[];
  rangeView: { name: string; query: string };
  /** Only rollups with `series` (lib/rollups/spec.ts); absent otherwise, so older states compare equal. */
  seriesView?: { name: string; query: string };
  /** Only rollups with `percentiles`; absent otherwise, like seriesView. */
  percentileView?: { name: string; query: string };
  /** Only rollups keyed by an identifier (spec.ts `distinct`): the table and its views are superusers' only. */
  private?: true;
}

/** Everything a database holds for the rollups: tables, triggers, range views, calendars. */
export interface RollupState {
  rollups: RollupEntry[];
  calendars: { name: string; column: string; fill: string }[];
  rangeViewRule: string;
}
