/**
 * SQL for the rollups, generated from ROLLUPS: triggers, the idempotent rebuild (backfill) and
 * the drift check. The PocketBase migration is generated from this file
 * (`npm run gen:migration`); a unit test fails when the committed migration is stale.
 */
import { outcomeTestSql } from "../outcomes";
import { wilsonSql } from "../stats";
import {
  CALENDAR,
  CALENDAR_FIRST,
  CALENDAR_LAST,
  COUNT_COLUMNS,
  CUM_COLUMNS,
  HOUR_CALENDAR,
  hasRev,
  HOURLY_RETENTION_HOURS,
  OPEN_END,
  REV_COLUMN,
  TELEMETRY,
  type CountColumn,
  type RollupSpec,
} from "./spec";

const NEW_ID = "substr(lower(hex(randomblob(8))), 1, 15)";

/** Bucket of a telemetry row: its UTC day or hour ("YYYY-MM-DD" / "YYYY-MM-DD HH"). */
export function bucketSql(spec: RollupSpec, row: string): string {
  return `substr(${row}.created, 1, ${spec.grain === "day" ? 10 : 13})`;
}

/**
 * The keys a row is counted under: one, or two with a fan-out dimension (spec.ts `fanout`) —
 * variant 0 its own value, variant 1 the fan-out value ("all").
 */
type Variant = 0 | 1;
function variants(spec: RollupSpec): Variant[] {
  return spec.dims.some((d) => d.fanout) ? [0, 1] : [0];
}

function dimSql(spec: RollupSpec, row: string, variant: Variant = 0): string[] {
  return spec.dims.map((d) => {
    if (variant === 1 && d.fanout) return d.fanout;
    return d.computed ? d.computed.sql(row) : `COALESCE(${row}.${d.source}, ${d.kind === "text" ? "''" : "0"})`;
  });
}

function keyMatch(spec: RollupSpec, row: string, variant: Variant): string {
  const values = dimSql(spec, row, variant);
  return spec.dims.map((d, i) => `${d.column} = ${values[i]}`).join(" AND ");
}

/** First hour an hourly rollup keeps ("YYYY-MM-DD HH", moves with the clock). */
export const HOURLY_CUTOFF_SQL = `strftime('%Y-%m-%d %H', 'now', '-${HOURLY_RETENTION_HOURS - 1} hours')`;

/**
 * Hourly rollups keep per-bucket counts for the last hours only: a row is added to its hour
 * if that hour is inside the window (upsert), removed from it wherever it still is, and every
 * insert prunes the hours that left the window (an index seek; usually nothing to delete).
 */
function applyHourly(spec: RollupSpec, row: "NEW" | "OLD", sign: 1 | -1): string[] {
  const t = spec.name;
  const bucket = bucketSql(spec, row);
  const rev = hasRev(spec);
  if (sign === -1) {
    return variants(spec).map(
      (v) =>
        `UPDATE ${t} SET ${COUNT_COLUMNS.map((c) => `${c} = ${c} - ${outcomeTestSql(row, c)}`).join(", ")}${rev ? `, ${REV_COLUMN} = ${nextRevSql(t)}` : ""} ` +
        `WHERE ${keyMatch(spec, row, v)} AND bucket = ${bucket};`,
    );
  }
  const dimCols = spec.dims.map((d) => d.column);
  return [
    ...variants(spec).map(
      (v) =>
        `INSERT INTO ${t} (id, bucket, ${dimCols.join(", ")}, ${COUNT_COLUMNS.join(", ")}${rev ? `, ${REV_COLUMN}` : ""}) ` +
        `SELECT ${NEW_ID}, ${bucket}, ${dimSql(spec, row, v).join(", ")}, ${COUNT_COLUMNS.map((c) => outcomeTestSql(row, c)).join(", ")}${rev ? `, ${nextRevSql(t)}` : ""} ` +
        `WHERE ${bucket} >= ${HOURLY_CUTOFF_SQL} ` +
        `ON CONFLICT (${[...dimCols, "bucket"].join(", ")}) DO UPDATE SET ${COUNT_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")}${rev ? `, ${REV_COLUMN} = excluded.${REV_COLUMN}` : ""};`,
    ),
    `DELETE FROM ${t} WHERE bucket < ${HOURLY_CUTOFF_SQL};`,
  ];
}

/** The table's next change number: its highest plus one (an index read). */
function nextRevSql(table: string): string {
  return `(SELECT COALESCE(MAX(${REV_COLUMN}), 0) + 1 FROM ${table})`;
}

/** Statements that add (sign 1) or remove (sign -1) one telemetry row from a rollup. */
function applyRow(spec: RollupSpec, row: "NEW" | "OLD", sign: 1 | -1): string[] {
  if (spec.grain === "hour") return applyHourly(spec, row, sign);
  return variants(spec).flatMap((v) => applyDaily(spec, row, sign, v));
}

function applyDaily(spec: RollupSpec, row: "NEW" | "OLD", sign: 1 | -1, variant: Variant): string[] {
  const t = spec.name;
  const bucket = bucketSql(spec, row);
  const key = keyMatch(spec, row, variant);
  const delta = (c: CountColumn) => `${outcomeTestSql(row, c)}${sign === 1 ? "" : " * -1"}`;
  const stmts: string[] = [];
  if (sign === 1) {
    const dimCols = spec.dims.map((d) => d.column).join(", ");
    stmts.push(
      `INSERT INTO ${t} (id, bucket, valid_until, ${dimCols}, ${COUNT_COLUMNS.join(", ")}, ${CUM_COLUMNS.join(", ")}) ` +
        `SELECT ${NEW_ID}, ${bucket}, ` +
        `COALESCE((SELECT MIN(bucket) FROM ${t} WHERE ${key} AND bucket > ${bucket}), '${OPEN_END}'), ` +
        `${dimSql(spec, row, variant).join(", ")}, ${COUNT_COLUMNS.map(() => "0").join(", ")}, ` +
        `${CUM_COLUMNS.map((c) => `COALESCE(p.${c}, 0)`).join(", ")} ` +
        `FROM (SELECT 1) LEFT JOIN (SELECT * FROM ${t} WHERE ${key} AND bucket < ${bucket} ORDER BY bucket DESC LIMIT 1) p ` +
        `WHERE NOT EXISTS (SELECT 1 FROM ${t} WHERE ${key} AND bucket = ${bucket});`,
      // Relink only the key's previous row (an index seek; `bucket < B` alone would scan them all).
      `UPDATE ${t} SET valid_until = ${bucket} WHERE ${key} AND valid_until > ${bucket} ` + `AND bucket = (SELECT MAX(bucket) FROM ${t} WHERE ${key} AND bucket < ${bucket});`,
    );
  }
  // One pass over the key's rows from this bucket on: the bucket's own count, and the running
  // total of this and every later bucket; the bucket's row gets the next change number (the
  // later rows' own counts do not change).
  const own = `(bucket = ${bucket})`;
  const rev = hasRev(spec) ? `, ${REV_COLUMN} = CASE WHEN ${own} THEN ${nextRevSql(t)} ELSE ${REV_COLUMN} END` : "";
  stmts.push(
    `UPDATE ${t} SET ${COUNT_COLUMNS.map((c) => `${c} = ${c} + ${own} * ${delta(c)}, cum_${c} = cum_${c} + ${delta(c)}`).join(", ")}${rev} ` +
      `WHERE ${key} AND bucket >= ${bucket};`,
  );
  return stmts;
}

/** Columns whose change moves a row between rollup rows. */
export function watched(spec: RollupSpec): string[] {
  return ["status", "created", ...new Set([...spec.dims.flatMap((d) => [d.source, ...(d.computed?.reads ?? [])]), ...(spec.watch ?? [])])];
}

export function triggerNames(spec: RollupSpec): string[] {
  return [`${spec.name}_ai`, `${spec.name}_ad`, `${spec.name}_au`];
}

export function createTriggersSql(spec: RollupSpec): string[] {
  const [ai, ad, au] = triggerNames(spec);
  const changed = watched(spec)
    .map((c) => `OLD.${c} IS NOT NEW.${c}`)
    .join(" OR ");
  const body = (stmts: string[]) => `BEGIN\n  ${stmts.join("\n  ")}\nEND`;
  return [
    `CREATE TRIGGER IF NOT EXISTS ${ai} AFTER INSERT ON ${TELEMETRY} ${body(applyRow(spec, "NEW", 1))}`,
    `CREATE TRIGGER IF NOT EXISTS ${ad} AFTER DELETE ON ${TELEMETRY} ${body(applyRow(spec, "OLD", -1))}`,
    `CREATE TRIGGER IF NOT EXISTS ${au} AFTER UPDATE ON ${TELEMETRY} WHEN ${changed} ${body([...applyRow(spec, "OLD", -1), ...applyRow(spec, "NEW", 1)])}`,
  ];
}

export function dropTriggersSql(spec: RollupSpec): string[] {
  return triggerNames(spec).map((n) => `DROP TRIGGER IF EXISTS ${n}`);
}

/** The rollup computed from the raw rows: one row per (bucket, key) with counts. */
function aggregateSql(spec: RollupSpec): string {
  // `created` sorts as text, so the hourly window is an index range on it.
  const window = spec.grain === "hour" ? `WHERE r.created >= ${HOURLY_CUTOFF_SQL} ` : "";
  return variants(spec)
    .map((v) => {
      const dims = dimSql(spec, "r", v);
      return (
        `SELECT ${bucketSql(spec, "r")} AS bucket, ${dims.map((d, i) => `${d} AS ${spec.dims[i]!.column}`).join(", ")}, ` +
        `${COUNT_COLUMNS.map((c) => `SUM(${outcomeTestSql("r", c)}) AS ${c}`).join(", ")} ` +
        `FROM ${TELEMETRY} r ${window}GROUP BY 1, ${dims.map((_, i) => i + 2).join(", ")}`
      );
    })
    .join(" UNION ALL ");
}

/**
 * A rebuilt row's change number: the time in ms. Every number counted before is lower (the
 * triggers count one a change, far fewer than one a millisecond), so a reader holding the old
 * rows sees every rebuilt row as changed — and a prepared shadow switched in likewise.
 */
const REBUILD_REV_SQL = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

/** Recomputes a rollup from the raw rows (idempotent; run inside one transaction). */
export function rebuildSql(spec: RollupSpec): string[] {
  const dimCols = spec.dims.map((d) => d.column);
  const [revCol, revValue] = hasRev(spec) ? [`, ${REV_COLUMN}`, `, ${REBUILD_REV_SQL}`] : ["", ""];
  if (spec.grain === "hour") {
    return [
      `DELETE FROM ${spec.name}`,
      `INSERT INTO ${spec.name} (id, bucket, ${dimCols.join(", ")}, ${COUNT_COLUMNS.join(", ")}${revCol}) ` +
        `SELECT ${NEW_ID}, bucket, ${dimCols.join(", ")}, ${COUNT_COLUMNS.join(", ")}${revValue} FROM (${aggregateSql(spec)})`,
    ];
  }
  const part = `PARTITION BY ${dimCols.join(", ")} ORDER BY bucket`;
  return [
    `DELETE FROM ${spec.name}`,
    `INSERT INTO ${spec.name} (id, bucket, valid_until, ${dimCols.join(", ")}, ${COUNT_COLUMNS.join(", ")}, ${CUM_COLUMNS.join(", ")}${revCol}) ` +
      `SELECT ${NEW_ID}, bucket, COALESCE(LEAD(bucket) OVER (${part}), '${OPEN_END}'), ${dimCols.join(", ")}, ` +
      `${COUNT_COLUMNS.join(", ")}, ` +
      `${COUNT_COLUMNS.map((c) => `SUM(${c}) OVER (${part} ROWS UNBOUNDED PRECEDING)`).join(", ")}${revValue} ` +
      `FROM (${aggregateSql(spec)})`,
  ];
}

/** A drift check's inputs: the stored table, its key columns, and the same rows computed from the raw data. */
export interface DriftInput {
  /** The table holding the rollup's rows (the rollup, or a shadow of it). */
  table: string;
  dims: readonly string[];
  daily: boolean;
  /** SELECT bucket, <dims>, <counts> over the raw rows. */
  expected: string;
  /** Hourly rollups: the first hour compared (SQL). */
  cutoff?: string;
}

/**
 * Rows where the stored rollup and the raw data disagree (empty = exact). Buckets whose counts
 * all dropped to zero after deletes may stay in the rollup; they are compared as zeros.
 */
export function driftQuery({ table, dims, daily, expected, cutoff }: DriftInput): string {
  const cols = ["bucket", ...dims, ...COUNT_COLUMNS].join(", ");
  const nonZero = `(${COUNT_COLUMNS.map((c) => `${c} != 0`).join(" OR ")})`;
  const raw = `SELECT ${cols} FROM (${expected})`;
  if (!daily) {
    // Hours that left the window may linger until the next insert prunes them; not compared.
    const stored = `SELECT ${cols} FROM ${table} WHERE ${nonZero} AND bucket >= ${cutoff ?? HOURLY_CUTOFF_SQL}`;
    return `SELECT 'missing' AS problem, * FROM (${raw} EXCEPT ${stored}) UNION ALL SELECT 'extra', * FROM (${stored} EXCEPT ${raw})`;
  }
  const stored = `SELECT ${cols} FROM ${table} WHERE ${nonZero}`;
  const part = `PARTITION BY ${dims.join(", ")} ORDER BY bucket`;
  const expectedCum =
    `SELECT bucket, ${dims.join(", ")}, ${CUM_COLUMNS.join(", ")}, valid_until FROM (` +
    `SELECT bucket, ${dims.join(", ")}, ` +
    `${COUNT_COLUMNS.map((c) => `SUM(${c}) OVER (${part} ROWS UNBOUNDED PRECEDING) AS cum_${c}`).join(", ")}, ` +
    `COALESCE(LEAD(bucket) OVER (${part}), '${OPEN_END}') AS valid_until FROM ${table})`;
  const storedCum = `SELECT bucket, ${dims.join(", ")}, ${CUM_COLUMNS.join(", ")}, valid_until FROM ${table}`;
  return (
    `SELECT 'missing' AS problem, * FROM (${raw} EXCEPT ${stored}) ` +
    `UNION ALL SELECT 'extra', * FROM (${stored} EXCEPT ${raw}) ` +
    `UNION ALL SELECT 'cumulative', bucket, ${dims.join(", ")}, ${COUNT_COLUMNS.map(() => "NULL").join(", ")} ` +
    `FROM (${storedCum} EXCEPT ${expectedCum})`
  );
}

/** driftQuery for a rollup of lib/rollups/spec.ts (the current state). */
export function driftSql(spec: RollupSpec): string {
  return driftQuery({ table: spec.name, dims: spec.dims.map((d) => d.column), daily: spec.grain === "day", expected: aggregateSql(spec) });
}

/**
 * View query giving, for every key, its totals over [range_from, range_to]: the running totals
 * in force at range_to minus those in force the day before range_from. Filtering on both
 * columns (the view's list rule requires it) makes SQLite seek one calendar row each, then
 * read one rollup row per key at each end. `+e.bucket` keeps the planner on the
 * (valid_until, bucket) index.
 */
export function rangeViewSql(spec: RollupSpec): string {
  if (spec.grain === "hour") return hourlyRangeViewSql(spec);
  const dims = spec.dims.map((d) => `e.${d.column} AS ${d.column}`).join(", ");
  const sameKey = spec.dims.map((d) => `s.${d.column} = e.${d.column}`).join(" AND ");
  const total = (t: string) => COUNT_COLUMNS.map((c) => `${t}.cum_${c}`).join(" + ");
  const counts = COUNT_COLUMNS.map((c) => `CAST(e.cum_${c} - COALESCE(s.cum_${c}, 0) AS INTEGER) AS ${c}`).join(", ");
  const failed = "(e.cum_failed - COALESCE(s.cum_failed, 0))";
  const decided = "(e.cum_success + e.cum_failed - COALESCE(s.cum_success + s.cum_failed, 0))";
  return (
    `SELECT (e.id || f.day || t.day) AS id, f.day AS range_from, t.day AS range_to, ${dims}, ${counts}, ` +
    `CAST((${total("e")}) - COALESCE(${total("s")}, 0) AS INTEGER) AS runs, ` +
    `CAST(CASE WHEN ${decided} > 0 THEN 1.0 * ${failed} / ${decided} END AS REAL) AS failure_rate, ` +
    // Wilson 95 % bounds of the failure rate: "most failing" sorts by failure_low.
    `CAST(${wilsonSql(failed, decided, "low")} AS REAL) AS failure_low, ` +
    `CAST(${wilsonSql(failed, decided, "high")} AS REAL) AS failure_high ` +
    `FROM ${CALENDAR} t JOIN ${spec.name} e ON +e.bucket <= t.day AND e.valid_until > t.day ` +
    `JOIN ${CALENDAR} f ON f.day <= t.day ` +
    `LEFT JOIN ${spec.name} s ON ${sameKey} AND s.bucket < f.day AND s.valid_until >= f.day`
  );
}

/**
 * Range view of an hourly rollup: per-bucket counts summed per key over [range_from, range_to].
 * SQLite pushes the list rule's equality on both ends into the grouped query, so it seeks the
 * two calendar rows and reads only the rollup rows between them (≤ 72 hours of the window).
 */
function hourlyRangeViewSql(spec: RollupSpec): string {
  const keys = spec.dims.map((d) => `h.${d.column}`);
  const sum = (c: string) => `SUM(h.${c})`;
  const failed = sum("failed");
  const decided = `(${sum("success")} + ${sum("failed")})`;
  return (
    `SELECT (MIN(h.id) || f.id || t.id) AS id, f.hour AS range_from, t.hour AS range_to, ` +
    `${keys.map((k, i) => `${k} AS ${spec.dims[i]!.column}`).join(", ")}, ` +
    `${COUNT_COLUMNS.map((c) => `CAST(${sum(c)} AS INTEGER) AS ${c}`).join(", ")}, ` +
    `CAST(${COUNT_COLUMNS.map(sum).join(" + ")} AS INTEGER) AS runs, ` +
    `CAST(CASE WHEN ${decided} > 0 THEN 1.0 * ${failed} / ${decided} END AS REAL) AS failure_rate, ` +
    `CAST(${wilsonSql(failed, decided, "low")} AS REAL) AS failure_low, ` +
    `CAST(${wilsonSql(failed, decided, "high")} AS REAL) AS failure_high ` +
    `FROM ${HOUR_CALENDAR} f JOIN ${HOUR_CALENDAR} t ON t.hour >= f.hour ` +
    `JOIN ${spec.name} h ON h.bucket >= f.hour AND h.bucket <= t.hour ` +
    `GROUP BY f.hour, t.hour, ${keys.join(", ")}`
  );
}

/** Fills the calendar (idempotent). Ids are the digits of the day. */
export const fillCalendarSql =
  `WITH RECURSIVE d(x) AS (SELECT '${CALENDAR_FIRST}' UNION ALL SELECT date(x, '+1 day') FROM d WHERE x < '${CALENDAR_LAST}') ` +
  `INSERT OR IGNORE INTO ${CALENDAR} (id, day) SELECT replace(x, '-', ''), x FROM d`;

/** Fills the hour calendar (idempotent). Ids are the digits of the hour ("2026112213"). */
export const fillHourCalendarSql =
  `WITH RECURSIVE d(x) AS (SELECT '${CALENDAR_FIRST} 00:00:00' UNION ALL SELECT datetime(x, '+1 hour') FROM d WHERE x < '${CALENDAR_LAST} 23:00:00') ` +
  `INSERT OR IGNORE INTO ${HOUR_CALENDAR} (id, hour) SELECT replace(replace(substr(x, 1, 13), '-', ''), ' ', ''), substr(x, 1, 13) FROM d`;

/** Separators of a series view's packed text: "offset|success|failed|aborted|unknown|installing,…" (COUNT_COLUMNS' order). */
export const SERIES_ENTRY_SEPARATOR = ",";
export const SERIES_FIELD_SEPARATOR = "|";

/**
 * Series view of a rollup: one row per key over [range_from, range_to] with its totals and, in
 * `series`, every bucket's counts packed as text: "27|412|6|3|1|0,…" (successes, failures, aborts,
 * unknown, unfinished) where 27 is the
 * bucket's offset in days (hours for hourly rollups) from range_from, in no guaranteed order.
 * Scans that need each key's per-bucket counts (regressions, incidents) read a few hundred
 * records instead of tens of thousands: PocketBase's cost is per returned record, and offsets
 * halve the text. `+r.bucket` keeps SQLite on the key index, whose order is the GROUP BY order
 * (no sort), and the bucket test runs on the index entries. The list rule's equality on both
 * ends is pushed into the grouped query, as for the hourly range views.
 */
export function seriesViewSql(spec: RollupSpec): string {
  const [cal, col] = spec.grain === "hour" ? [HOUR_CALENDAR, "hour"] : [CALENDAR, "day"];
  const keys = spec.dims.map((d) => `r.${d.column}`);
  const sum = (c: string) => `CAST(SUM(r.${c}) AS INTEGER)`;
  const offset =
    spec.grain === "hour" ? `CAST(round((julianday(r.bucket || ':00') - julianday(f.hour || ':00')) * 24) AS INTEGER)` : `CAST(julianday(r.bucket) - julianday(f.day) AS INTEGER)`;
  // Rollups with change numbers pack every count (the series store sums ranges from them); the others successes and failures.
  const counts = hasRev(spec) ? COUNT_COLUMNS : (["success", "failed"] as const);
  const entry = [offset, ...counts.map((c) => `r.${c}`)].join(` || '${SERIES_FIELD_SEPARATOR}' || `);
  return (
    `SELECT (MIN(r.id) || f.id || t.id) AS id, f.${col} AS range_from, t.${col} AS range_to, ` +
    `${keys.map((k, i) => `${k} AS ${spec.dims[i]!.column}`).join(", ")}, ` +
    `${sum("success")} AS success, ${sum("failed")} AS failed, ` +
    `CAST(${COUNT_COLUMNS.map((c) => `SUM(r.${c})`).join(" + ")} AS INTEGER) AS runs, ` +
    `CAST(group_concat(${entry}, '${SERIES_ENTRY_SEPARATOR}') AS TEXT) AS series ` +
    `FROM ${cal} f JOIN ${cal} t ON t.${col} >= f.${col} ` +
    `JOIN ${spec.name} r ON +r.bucket >= f.${col} AND +r.bucket <= t.${col} ` +
    `GROUP BY f.${col}, t.${col}, ${keys.join(", ")}`
  );
}
