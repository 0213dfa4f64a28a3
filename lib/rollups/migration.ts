/**
 * Rollup migrations: PocketBase applies a migration file once and never again, so a change of
 * the rollups (spec, outcome mapping, trigger or view SQL) becomes a NEW timestamped file
 * that takes a database from the previous rollup state to the new one (down: back). Applied
 * files are never rewritten. `npm run gen:migration` writes that file when the state changed
 * and nothing otherwise; a unit test fails while the newest file's state is not the
 * generator's. Upgrade path: docs/ROLLUPS.md.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CALENDAR, COUNT_COLUMNS, CUM_COLUMNS, HOUR_CALENDAR, hasRev, RANGE_VIEW_RULE, REV_COLUMN, ROLLUPS, rangeViewName, seriesViewName, type RollupSpec } from "./spec";
import { rollupMigrationSource } from "./migration-source";
import { percentileViewName, percentileViewSql } from "./percentile-sql";
import type { RollupEntry, RollupState } from "./state";
import { createTriggersSql, dropTriggersSql, fillCalendarSql, fillHourCalendarSql, rangeViewSql, rebuildSql, seriesViewSql } from "./sql";

export const MIGRATIONS_DIR = "pocketbase/pb_migrations";
/** The first rollup migration, written before this scheme: its state is read, never rewritten. */
export const FIRST_ROLLUP_MIGRATION = "1763800100_rollups.js";

export function rollupState(specs: readonly RollupSpec[] = ROLLUPS): RollupState {
  const rollups = specs.map((spec): RollupEntry => {
    const dimCols = spec.dims.map((d) => d.column);
    const daily = spec.grain === "day";
    return {
      name: spec.name,
      purpose: spec.purpose,
      fields: [
        { name: "bucket", type: "text", required: true },
        ...(daily ? [{ name: "valid_until", type: "text", required: true }] : []),
        ...spec.dims.map((d) => (d.kind === "text" ? { name: d.column, type: "text" } : { name: d.column, type: "number" })),
        ...[...COUNT_COLUMNS, ...(daily ? CUM_COLUMNS : []), ...(hasRev(spec) ? [REV_COLUMN] : [])].map((c) => ({ name: c, type: "number", onlyInt: true })),
      ],
      indexes: [
        `CREATE UNIQUE INDEX idx_${spec.name}_key ON ${spec.name} (${[...dimCols, "bucket"].join(", ")})`,
        `CREATE INDEX idx_${spec.name}_bucket ON ${spec.name} (bucket)`,
        // Covers "in force at X" (bucket <= X < valid_until) without touching the table.
        ...(daily ? [`CREATE INDEX idx_${spec.name}_in_force ON ${spec.name} (valid_until, bucket)`] : []),
        // The same per value of a lookup column ("in force at X with exit_code = C"; hours: its buckets).
        // "Rows changed since N" (lib/data/series-store.ts), and the highest N, are index reads.
        ...(hasRev(spec) ? [`CREATE INDEX idx_${spec.name}_${REV_COLUMN} ON ${spec.name} (${REV_COLUMN})`] : []),
        ...(spec.lookup ? [`CREATE INDEX idx_${spec.name}_by_${spec.lookup} ON ${spec.name} (${spec.lookup}, ${daily ? "valid_until, " : ""}bucket)`] : []),
      ],
      drop: dropTriggersSql(spec),
      rebuild: rebuildSql(spec),
      triggers: createTriggersSql(spec),
      rangeView: { name: rangeViewName(spec), query: rangeViewSql(spec) },
      ...(spec.series ? { seriesView: { name: seriesViewName(spec), query: seriesViewSql(spec) } } : {}),
      ...(spec.percentiles ? { percentileView: { name: percentileViewName(spec), query: percentileViewSql(spec) } } : {}),
      ...(spec.distinct ? { private: true as const } : {}),
    };
  });
  const calendars = [
    { name: CALENDAR, column: "day", fill: fillCalendarSql },
    { name: HOUR_CALENDAR, column: "hour", fill: fillHourCalendarSql },
  ];
  return { rollups, calendars, rangeViewRule: RANGE_VIEW_RULE };
}

/** Rollup migration files of a migrations dir, oldest first. */
export function rollupMigrationFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_rollups\.js$/.test(f))
    .sort();
}

function embedded(source: string, name: string): unknown {
  const m = new RegExp(`^const ${name} = (.*?);$`, "ms").exec(source);
  if (!m) throw new Error(`no ${name} in the rollup migration`);
  return JSON.parse(m[1]!);
}

/** The state a rollup migration brings a database to (either file format). */
export function stateOfMigration(source: string): RollupState {
  if (source.includes("\nconst STATE = ")) return embedded(source, "STATE") as RollupState;
  return {
    rollups: embedded(source, "ROLLUPS") as RollupEntry[],
    calendars: embedded(source, "CALENDARS") as RollupState["calendars"],
    rangeViewRule: embedded(source, "RANGE_VIEW_RULE") as string,
  };
}

/** The state a rollup migration starts from (null: none; the first file predates PREVIOUS: none). */
export function previousOfMigration(source: string): RollupState | null {
  return source.includes("\nconst PREVIOUS = ") ? (embedded(source, "PREVIOUS") as RollupState | null) : null;
}

/** The prepare/switch contract a rollup migration implements (lib/rollups/shadow.ts), or 0: rebuilds only. */
export function switchVersionOf(source: string): number {
  return Number(/^const SWITCH_VERSION = (\d+);$/m.exec(source)?.[1] ?? 0);
}

export const sameState = (a: RollupState | null, b: RollupState | null) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The migration to write, or null when the newest rollup migration in `dir` already brings a
 * database to `state`. Its timestamp follows every file in `dir`.
 */
export function nextRollupMigration(dir: string, state: RollupState = rollupState(), now = new Date()): { file: string; source: string } | null {
  const newest = rollupMigrationFiles(dir).at(-1);
  const previous = newest ? stateOfMigration(readFileSync(join(dir, newest), "utf8")) : null;
  if (previous && sameState(previous, state)) return null;
  const last = Math.max(0, ...readdirSync(dir).map((f) => Number(/^(\d+)_/.exec(f)?.[1] ?? 0)));
  const file = `${Math.max(Math.floor(now.getTime() / 1000), last + 1)}_rollups.js`;
  if (existsSync(join(dir, file))) throw new Error(`${file} exists`);
  return { file, source: rollupMigrationSource(previous, state) };
}
