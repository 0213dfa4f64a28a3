/**
 * Range sums: every key's totals over [from, to] as ONE JSON text built by SQLite, served by
 * PocketBase's `GET /api/rollups/{rollup}/sums` (pocketbase/pb_hooks/rollup_sums.pb.js, SQL
 * generated from here into pocketbase/pb_hooks/rollup-sums.cjs): the same counts as the
 * rollup's range view (`<rollup>_range`) without a filter. Why this path exists and what it
 * costs: docs/ROLLUPS.md ("Range sums").
 *
 * Daily rollups: each key is found once through its open row (`valid_until = OPEN_END`, one
 * per key, an equality on the in-force index); the row in force at `to` is that row when its
 * bucket is not after `to` (every preset range ends today), else one backward seek in the key
 * index; the row in force the day before `from` is one backward seek. Two seeks per key,
 * whatever the range and wherever it ends. Hourly rollups: the hours between the two ends summed
 * per key (at most the 72 hours held).
 *
 * `{:from}` and `{:to}` are bound parameters, and for a rollup with a fan-out key (the
 * repository selection, spec.ts `fanout`) `{:<column>}`: only that selection's keys are summed. The answer is one row, one column `rows`: a JSON
 * array of arrays `[key…, success, failed, aborted, unknown, installing]`, one per key (keys
 * without runs in the range too), in no particular order. The reader
 * (lib/data/queries/rollup-range.ts) drops keys without runs, adds `runs` and the rates — with
 * the very operations the view's SQL performs, so they are the same doubles (lib/stats.ts
 * `wilsonAsSql`) — and orders the rows. Everything per row is left to the reader because
 * SQLite's per-value work inside PocketBase (a Go translation of SQLite) was most of the cost.
 */
import { CALENDAR, COUNT_COLUMNS, fanoutColumn, HOUR_CALENDAR, OPEN_END, type RollupSpec } from "./spec";

/**
 * Both ends are days (hours) of the calendar the range view joins, as the view requires: a range
 * outside 2020–2040 or naming a day that does not exist answers no keys, as the view does.
 */
function onCalendar(spec: RollupSpec): string {
  const [cal, col] = spec.grain === "day" ? [CALENDAR, "day"] : [HOUR_CALENDAR, "hour"];
  return `EXISTS (SELECT 1 FROM ${cal} WHERE ${col} = {:from}) AND EXISTS (SELECT 1 FROM ${cal} WHERE ${col} = {:to})`;
}

/** The row of a key in force at a day: its last row with bucket `op` the day (a backward seek in the key index, covering). */
function inForce(spec: RollupSpec, op: "<" | "<=", day: string, when = ""): string {
  const same = spec.dims.map((d) => `x.${d.column} = k.${d.column}`).join(" AND ");
  return `(SELECT x.rowid FROM ${spec.name} x WHERE ${when}${same} AND x.bucket ${op} ${day} ORDER BY x.bucket DESC LIMIT 1)`;
}

function fanoutFilter(spec: RollupSpec, alias: string): string {
  const column = fanoutColumn(spec.dims);
  return column ? ` AND ${alias}${column} = {:${column}}` : "";
}

/** Whether a rollup's keys start with the app (its key index then finds one app's rows): it has one app's range sums. */
export function hasAppSums(spec: Pick<RollupSpec, "dims"> & Partial<Pick<RollupSpec, "distinct">>): boolean {
  return !spec.distinct && spec.dims[0]?.column === "nsapp";
}

/** Whether a rollup has one app's running totals at several days (appStepsSql): daily and keyed by the app first. */
export function hasAppSteps(spec: Pick<RollupSpec, "dims" | "grain"> & Partial<Pick<RollupSpec, "distinct">>): boolean {
  return hasAppSums(spec) && spec.grain === "day";
}

/**
 * One app's keys, each found once through its open row: from the key index (its first column is
 * the app), the open row tested per row (`+` keeps SQLite from the in-force index, which would
 * visit every app's open rows).
 */
const APP_KEYS = `+k.valid_until = '${OPEN_END}' AND k.nsapp = {:nsapp}`;

function dailySums(spec: RollupSpec, app: boolean): string {
  // e: the row in force at `to` when it is not k itself (k's bucket after `to`); the subquery
  // stops at once otherwise.
  const atTo = (c: string) => `CASE WHEN k.bucket <= {:to} THEN k.cum_${c} ELSE e.cum_${c} END`;
  const values = [...spec.dims.map((d) => `k.${d.column}`), ...COUNT_COLUMNS.map((c) => `${atTo(c)} - COALESCE(s.cum_${c}, 0)`)];
  return (
    `SELECT CAST(COALESCE(json_group_array(json_array(${values.join(", ")})), '[]') AS TEXT) AS rows ` +
    `FROM ${spec.name} k ` +
    `LEFT JOIN ${spec.name} e ON e.rowid = ${inForce(spec, "<=", "{:to}", "k.bucket > {:to} AND ")} ` +
    `LEFT JOIN ${spec.name} s ON s.rowid = ${inForce(spec, "<", "{:from}")} ` +
    `WHERE ${onCalendar(spec)} AND ${app ? APP_KEYS : `k.valid_until = '${OPEN_END}'`}${fanoutFilter(spec, "k.")} ` +
    "AND (k.bucket <= {:to} OR e.rowid IS NOT NULL)"
  );
}

function hourlySums(spec: RollupSpec, app: boolean): string {
  const keys = spec.dims.map((d) => d.column).join(", ");
  const ofApp = app ? " AND nsapp = {:nsapp}" : "";
  return (
    `SELECT CAST(COALESCE(json_group_array(json_array(${keys}, ${COUNT_COLUMNS.join(", ")})), '[]') AS TEXT) AS rows ` +
    `FROM (SELECT ${keys}, ${COUNT_COLUMNS.map((c) => `SUM(${c}) AS ${c}`).join(", ")} FROM ${spec.name} WHERE ${onCalendar(spec)} AND bucket >= {:from} AND bucket <= {:to}${ofApp}${fanoutFilter(spec, "")} GROUP BY ${keys})`
  );
}

/**
 * The query of a rollup's range sums (see the file comment); none for a private rollup (spec.ts
 * `distinct`). `app`: one app's keys only, `{:nsapp}` bound (hasAppSums rollups): an app page's
 * sections read these instead of the range view's records (docs/ROLLUPS.md "Range sums").
 */
export function rangeSumsSql(spec: RollupSpec, app = false): string {
  if (spec.distinct) throw new Error(`${spec.name} is private: its keys are never summed out, only counted (distinctSql)`);
  if (app && !hasAppSums(spec)) throw new Error(`${spec.name} is not keyed by the app first`);
  return spec.grain === "day" ? dailySums(spec, app) : hourlySums(spec, app);
}

/**
 * One app's own rows over [from, to] (the rows of its keys whose bucket is in the range, as the
 * rollup holds them: `[[bucket, key…, success, failed, aborted, unknown, installing], …]`, one
 * JSON text, in no order), `{:nsapp}`, `{:from}`, `{:to}` and the fan-out column's value bound:
 * an app page's series (its outcomes and exit codes per day or hour). From the key index (its
 * first column is the app), so the cost is the app's rows, not every app's.
 */
export function appRowsSql(spec: RollupSpec): string {
  if (!hasAppSums(spec)) throw new Error(`${spec.name} is not keyed by the app first`);
  const columns = ["bucket", ...spec.dims.map((d) => d.column), ...COUNT_COLUMNS];
  return (
    `SELECT CAST(COALESCE(json_group_array(json_array(${columns.join(", ")})), '[]') AS TEXT) AS rows ` +
    `FROM ${spec.name} WHERE nsapp = {:nsapp} AND bucket >= {:from} AND bucket <= {:to}${fanoutFilter(spec, "")}`
  );
}

/**
 * One app's running totals at several days (`{:days}`: a JSON array of days, bound; `{:nsapp}`
 * and the fan-out column's value bound): per key of the app, `[key…, [[i, success, failed,
 * aborted, unknown, installing], …]]` — the counts in force at the end of the i-th day (its
 * cumulative counts; nulls before the key's first row), one JSON text, in no order. The counts
 * of the days after one cut up to the next are the difference of the two: an app's install time
 * per week of a trend from one read instead of one per week. Daily rollups keyed by the app
 * first. Each (key, day) is one backward seek in the key index, as the range sums' ends.
 */
export function appStepsSql(spec: RollupSpec): string {
  if (!hasAppSteps(spec)) throw new Error(`${spec.name} has no daily rows keyed by the app first`);
  const dims = spec.dims.map((d) => `k.${d.column}`);
  const cums = ["d.key", ...COUNT_COLUMNS.map((c) => `c.cum_${c}`)].join(", ");
  return (
    `SELECT CAST(COALESCE(json_group_array(json_array(${spec.dims.map((d) => d.column).join(", ")}, json(steps))), '[]') AS TEXT) AS rows FROM (` +
    `SELECT ${dims.join(", ")}, json_group_array(json_array(${cums})) AS steps ` +
    `FROM ${spec.name} k JOIN json_each({:days}) d ` +
    `LEFT JOIN ${spec.name} c ON c.rowid = ${inForce(spec, "<=", "d.value")} ` +
    `WHERE ${APP_KEYS}${fanoutFilter(spec, "k.")} GROUP BY k.rowid)`
  );
}

/**
 * A private rollup's public answer (spec.ts `distinct`): how many distinct values of its
 * distinct column each combination of its other key columns had over [from, to], among keys
 * with a decided run (success or failed) in the range — `[[other keys…, n], …]`, one JSON text,
 * in no order. Per-bucket counts are never negative, so "a decided run in the range" is "a row in
 * the range with one": the rows of the range's buckets (the bucket index), whatever the grain.
 */
export function distinctSql(spec: RollupSpec): string {
  const counted = spec.distinct;
  if (!counted) throw new Error(`${spec.name} has no distinct column`);
  const by = spec.dims.map((d) => d.column).filter((c) => c !== counted);
  return (
    `SELECT CAST(COALESCE(json_group_array(json_array(${[...by, "n"].join(", ")})), '[]') AS TEXT) AS rows ` +
    `FROM (SELECT ${by.join(", ")}, COUNT(DISTINCT ${counted}) AS n FROM ${spec.name} ` +
    `WHERE ${onCalendar(spec)} AND bucket >= {:from} AND bucket <= {:to} AND ${counted} != '' AND success + failed > 0 GROUP BY ${by.join(", ")})`
  );
}
