/**
 * Rollup tables: exact pre-aggregated counts of `_dev_telemetry_data`, kept by SQLite triggers
 * inside PocketBase (see docs/ROLLUPS.md for the design and the read patterns).
 *
 * Every rollup row is one (bucket, key) pair, where bucket is a UTC day or hour of `created`
 * and key is the tuple of the spec's dimensions. Each row carries
 *   - per-outcome counts for that bucket            (success, failed, …)
 *   - per-outcome running totals up to that bucket  (cum_success, cum_failed, …)
 *   - valid_until: the next bucket holding a row for the same key ('9999-12-31' if none).
 * A range [from, to] of any length is then `cum(at to) - cum(just before from)`, and "the row
 * in force at X" is the single row per key with `bucket <= X < valid_until` — one row per key,
 * whatever the range length.
 */
export const TELEMETRY = "_dev_telemetry_data";
export const OPEN_END = "9999-12-31";

export type Grain = "day" | "hour";

export interface Dim {
  /** Column name in the rollup table. */
  column: string;
  /** Source column on the telemetry row. */
  source: string;
  kind: "text" | "number";
}

export interface RollupSpec {
  name: string;
  grain: Grain;
  dims: readonly Dim[];
  /** What the table answers (shown in docs and the generated migration). */
  purpose: string;
}

const text = (column: string): Dim => ({ column, source: column, kind: "text" });
const num = (column: string): Dim => ({ column, source: column, kind: "number" });

export const ROLLUPS: readonly RollupSpec[] = [
  { name: "stats_daily", grain: "day", dims: [text("type")], purpose: "totals, daily outcome chart, type split" },
  { name: "stats_hourly", grain: "hour", dims: [text("type")], purpose: "24-hour view, hourly outcome chart" },
  { name: "stats_app", grain: "day", dims: [text("nsapp"), text("type")], purpose: "per-app runs and rates, app trends" },
  { name: "stats_code", grain: "day", dims: [num("exit_code")], purpose: "exit codes ranked and trended" },
  { name: "stats_app_code", grain: "day", dims: [text("nsapp"), num("exit_code")], purpose: "exit codes per app, apps per exit code" },
  { name: "stats_os", grain: "day", dims: [text("type"), text("os_type"), text("os_version")], purpose: "OS and version shares and success rates" },
  {
    name: "stats_app_os",
    grain: "day",
    dims: [text("nsapp"), text("type"), text("os_type"), text("os_version")],
    purpose: "OS breakdown per app; apps filtered by OS",
  },
  { name: "stats_code_os", grain: "day", dims: [num("exit_code"), text("os_type"), text("os_version")], purpose: "OS split per exit code" },
  { name: "stats_pve", grain: "day", dims: [text("pve_version")], purpose: "Proxmox VE versions" },
  { name: "stats_method", grain: "day", dims: [text("type"), text("method")], purpose: "install methods" },
  { name: "stats_app_env", grain: "day", dims: [text("nsapp"), text("pve_version"), text("method")], purpose: "PVE versions and methods per app" },
  {
    name: "stats_app_resources",
    grain: "day",
    dims: [text("nsapp"), num("core_count"), num("ram_size"), num("disk_size")],
    purpose: "resource choices per app against script defaults",
  },
];

export const COUNT_COLUMNS = ["success", "failed", "aborted", "unknown", "installing"] as const;
export type CountColumn = (typeof COUNT_COLUMNS)[number];
export const CUM_COLUMNS = COUNT_COLUMNS.map((c) => `cum_${c}` as const);

export function rollupSpec(name: string): RollupSpec {
  const spec = ROLLUPS.find((r) => r.name === name);
  if (!spec) throw new Error(`unknown rollup ${name}`);
  return spec;
}

/** Calendar collection the range views join to turn `from`/`to` into filterable columns. */
export const CALENDAR = "stats_calendar";
export const CALENDAR_FIRST = "2020-01-01";
export const CALENDAR_LAST = "2040-12-31";

/** The range view of a daily rollup: totals per key for any [from, to] (see docs/ROLLUPS.md). */
export function rangeViewName(spec: RollupSpec): string {
  return `${spec.name}_range`;
}

/**
 * Range views need both query parameters; without them the rule is constant-false, so an
 * unfiltered request answers nothing at once instead of enumerating calendar × calendar.
 */
export const RANGE_VIEW_RULE =
  '@request.query.from != "" && @request.query.to != "" && range_from = @request.query.from && range_to = @request.query.to';
