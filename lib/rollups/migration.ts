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
import { CALENDAR, COUNT_COLUMNS, CUM_COLUMNS, HOUR_CALENDAR, RANGE_VIEW_RULE, ROLLUPS, rangeViewName, seriesViewName, type RollupSpec } from "./spec";
import { createTriggersSql, dropTriggersSql, fillCalendarSql, fillHourCalendarSql, rangeViewSql, rebuildSql, seriesViewSql } from "./sql";

export const MIGRATIONS_DIR = "pocketbase/pb_migrations";
/** The first rollup migration, written before this scheme: its state is read, never rewritten. */
export const FIRST_ROLLUP_MIGRATION = "1763800100_rollups.js";

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
}

/** Everything a database holds for the rollups: tables, triggers, range views, calendars. */
export interface RollupState {
  rollups: RollupEntry[];
  calendars: { name: string; column: string; fill: string }[];
  rangeViewRule: string;
}

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
        ...[...COUNT_COLUMNS, ...(daily ? CUM_COLUMNS : [])].map((c) => ({ name: c, type: "number", onlyInt: true })),
      ],
      indexes: [
        `CREATE UNIQUE INDEX idx_${spec.name}_key ON ${spec.name} (${[...dimCols, "bucket"].join(", ")})`,
        `CREATE INDEX idx_${spec.name}_bucket ON ${spec.name} (bucket)`,
        // Covers "in force at X" (bucket <= X < valid_until) without touching the table.
        ...(daily ? [`CREATE INDEX idx_${spec.name}_in_force ON ${spec.name} (valid_until, bucket)`] : []),
        // The same per value of a lookup column ("in force at X with exit_code = C"; hours: its buckets).
        ...(spec.lookup ? [`CREATE INDEX idx_${spec.name}_by_${spec.lookup} ON ${spec.name} (${spec.lookup}, ${daily ? "valid_until, " : ""}bucket)`] : []),
      ],
      drop: dropTriggersSql(spec),
      rebuild: rebuildSql(spec),
      triggers: createTriggersSql(spec),
      rangeView: { name: rangeViewName(spec), query: rangeViewSql(spec) },
      ...(spec.series ? { seriesView: { name: seriesViewName(spec), query: seriesViewSql(spec) } } : {}),
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

const sameState = (a: RollupState, b: RollupState) => JSON.stringify(a) === JSON.stringify(b);

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

export function rollupMigrationSource(previous: RollupState | null, state: RollupState): string {
  return `/// <reference path="../pb_data/types.d.ts" />
// GENERATED by \`npm run gen:migration\` from lib/rollups/ — do not edit by hand; never edit
// it once released (PocketBase does not apply a file twice): change lib/rollups/ and generate
// the next one.
//
// Rollup collections: exact pre-aggregated counts of _dev_telemetry_data, kept by SQLite
// triggers in the same transaction as every insert, update and delete of a telemetry row.
// Public read-only; each has a \`<name>_range\` view answering totals per key for any
// [from, to]; a few also a \`<name>_series\` view packing each key's per-bucket counts in one
// row (regression and incident scans). Design and upgrade path: docs/ROLLUPS.md.
//
// Up brings the database from PREVIOUS (the state of the rollup migration before this one;
// null: no rollups) to STATE, down back to PREVIOUS, in the migration's one transaction: every
// rollup trigger is dropped; range views, rollups and calendars that are gone or changed are
// deleted; new and changed rollups are created and filled from the raw rows (unchanged ones
// keep their rows); the triggers of the target state are installed.

const STATE = ${JSON.stringify(state)};

const PREVIOUS = ${JSON.stringify(previous)};

function exec(app, sql) {
  app.db().newQuery(sql).execute();
}

function find(app, name) {
  try {
    return app.findCollectionByNameOrId(name);
  } catch (_) {
    return null;
  }
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// What a rollup's rows depend on (its purpose is a comment): any change rebuilds it. Its views
// count too: PocketBase checks a new view by running it, which on a full rollup (a range view
// groups every pair of days or hours) can outlast its deadline, so a rollup gaining or changing
// a view is emptied, gets its views, and is filled again.
function definition(r) {
  return [r.fields, r.indexes, r.rebuild, r.triggers, r.rangeView, r.seriesView || null];
}

function apply(app, from, to) {
  from = from || { rollups: [], calendars: [], rangeViewRule: null };
  to = to || { rollups: [], calendars: [], rangeViewRule: null };
  const before = {};
  for (const r of from.rollups) before[r.name] = r;
  const after = {};
  for (const r of to.rollups) after[r.name] = r;
  const calendarsKept = same(from.calendars, to.calendars);
  const kept = (name) => !!before[name] && !!after[name] && same(definition(before[name]), definition(after[name]));
  // A rollup's views: its range view, and its series view where it has one.
  const views = (r) => [r.rangeView].concat(r.seriesView ? [r.seriesView] : []);
  const viewKept = (name) => kept(name) && calendarsKept && from.rangeViewRule === to.rangeViewRule;

  for (const r of from.rollups) r.drop.forEach((sql) => exec(app, sql));
  // Views of both states: a database may hold the target's views already (a migration re-run).
  for (const r of from.rollups.concat(to.rollups)) {
    for (const v of views(r)) {
      const view = !viewKept(r.name) && find(app, v.name);
      if (view) app.delete(view);
    }
  }
  for (const r of from.rollups) {
    const table = !kept(r.name) && find(app, r.name);
    if (table) app.delete(table);
  }
  if (!calendarsKept) {
    for (const cal of from.calendars) {
      const c = find(app, cal.name);
      if (c) app.delete(c);
    }
  }
  // Days and hours the range views can answer for; not public (the views are).
  for (const cal of to.calendars) {
    if (!find(app, cal.name)) {
      app.save(
        new Collection({
          type: "base",
          name: cal.name,
          fields: [{ name: cal.column, type: "text", required: true }],
          indexes: ["CREATE UNIQUE INDEX idx_" + cal.name + "_" + cal.column + " ON " + cal.name + " (" + cal.column + ")"],
        }),
      );
    }
    exec(app, cal.fill);
  }
  for (const r of to.rollups) {
    const rebuild = !kept(r.name);
    if (rebuild && !find(app, r.name)) {
      app.save(
        new Collection({
          type: "base",
          name: r.name,
          listRule: "",
          viewRule: "",
          createRule: null,
          updateRule: null,
          deleteRule: null,
          fields: r.fields,
          indexes: r.indexes,
        }),
      );
    }
    // Views before the rows (see definition()): a rollup whose views are missing is a rebuilt one.
    for (const v of views(r)) {
      if (!find(app, v.name)) {
        app.save(
          new Collection({
            type: "view",
            name: v.name,
            listRule: to.rangeViewRule,
            viewRule: null,
            viewQuery: v.query,
          }),
        );
      }
    }
    if (rebuild) r.rebuild.forEach((sql) => exec(app, sql));
    r.triggers.forEach((sql) => exec(app, sql));
  }
}

migrate(
  (app) => apply(app, PREVIOUS, STATE),
  (app) => apply(app, STATE, PREVIOUS),
);
`;
}
