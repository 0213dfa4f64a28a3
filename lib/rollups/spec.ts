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
import { durationBucketSql } from "../durations";
import { type HardwareDimension, hardwareValueSql } from "../hardware";
import { repoOfSql } from "../repo";

export const TELEMETRY = "_dev_telemetry_data";
export const OPEN_END = "9999-12-31";

export type Grain = "day" | "hour";

export interface Dim {
  /** Column name in the rollup table. */
  column: string;
  /** Source column on the telemetry row. */
  source: string;
  kind: "text" | "number";
  /** A value computed from the row (SQL over `row`, which is NEW, OLD or an alias) instead of the source column; `reads` are the further columns it reads (their change moves a row). */
  computed?: { sql: (row: string) => string; reads: readonly string[] };
  /**
   * A fan-out key: every run is counted twice, under its own value and under this one (an SQL
   * literal) — the repository selection, where "all" is a row of its own so that every
   * selection is one row per key (docs/REPOSITORIES.md).
   */
  fanout?: string;
}

/**
 * Two kinds of rollup table:
 *  - grain "day": kept forever, with running totals and valid_until (any range, any length);
 *  - grain "hour": the sibling of a daily rollup for the 24-hour view, per-bucket counts only,
 *    covering the last HOURLY_RETENTION_HOURS (older hours are pruned by the triggers). An
 *    hourly table for all time would hold ~2 rows per raw record; the window keeps it small.
 */
export interface RollupSpec {
  name: string;
  grain: Grain;
  dims: readonly Dim[];
  /** What the table answers (shown in docs and the generated migration). */
  purpose: string;
  /** Also gets a series view `<name>_series`: each key's per-bucket counts packed in one row. */
  series?: boolean;
  /** A dimension that is not the key index's first column but is filtered on alone: it gets its own index. */
  lookup?: string;
  /** Keyed by a duration bucket and repo_source: gets a percentile view `<name>_pct` (lib/rollups/percentile-sql.ts). */
  percentiles?: boolean;
  /** Further telemetry columns whose change alone fires the update trigger (a change number without a count change: WINDOW_ROLLUPS). */
  watch?: readonly string[];
  /** See DailySpec.distinct. */
  distinct?: string;
}

// Column names keep their literal types, so the rollups' key columns are known to the compiler.
const text = <C extends string>(column: C) => ({ column, source: column, kind: "text" }) as const satisfies Dim;
const num = <C extends string>(column: C) => ({ column, source: column, kind: "number" }) as const satisfies Dim;
/** A run's install-time bucket (lib/durations.ts): NO_DURATION for the older protocol. */
const durationDim = { column: "duration", source: "install_duration", kind: "number", computed: { sql: durationBucketSql, reads: ["execution_id"] } } as const satisfies Dim;

/** A hardware field, normalised (lib/hardware.ts: lower case, blanks trimmed, '' = not reported). */
const hw = <C extends HardwareDimension>(column: C) => ({ column, source: column, kind: "text", computed: { sql: hardwareValueSql(column), reads: [] } }) as const satisfies Dim;
/**
 * The repository selection a run counts under (lib/repo.ts: official, dev, fork; "other" for an
 * unknown source) and "all": the last key column of every rollup not keyed by `repo_source`.
 */
const repoDim = { column: "repo", source: "repo_source", kind: "text", computed: { sql: repoOfSql, reads: [] }, fanout: "'all'" } as const satisfies Dim;
/**
 * A column of development runs only (lib/repo.ts "dev"): every other run gets '' and so all of
 * them count under one key a day — the rollup holds only what the development repository needs.
 */
const devOnly = <C extends string>(column: C, source: string) =>
  ({
    column,
    source,
    kind: "text",
    computed: { sql: (row: string) => `CASE WHEN ${repoOfSql(row)} = 'dev' THEN COALESCE(${row}.${source}, '') ELSE '' END`, reads: ["repo_source"] },
  }) as const satisfies Dim;
const HARDWARE_DIMS = [hw("gpu_passthrough"), hw("gpu_vendor"), hw("cpu_vendor"), hw("arch"), hw("platform")] as const;

interface DailySpec {
  name: string;
  dims: readonly Dim[];
  purpose: string;
  /** Name of the hourly sibling, for rollups the pages read (the 24-hour view needs them). */
  hourly?: string;
  /** Series views for this rollup and its hourly sibling (regression and incident scans). */
  series?: boolean;
  /** See RollupSpec.lookup. */
  lookup?: string;
  /** See RollupSpec.percentiles (this rollup and its hourly sibling). */
  percentiles?: boolean;
  /**
   * A key column that identifies someone (a session's random_id): the rollup and its views are
   * private (superusers only, no range sums), and what is public is the number of distinct
   * values of this column per the other key columns over a range, among keys with a decided run
   * (`GET /api/rollups/{rollup}/distinct`, lib/rollups/sums-sql.ts).
   */
  distinct?: string;
}

const DAILY = [
  { name: "stats_daily", hourly: "stats_hourly", series: true, dims: [text("type"), repoDim], purpose: "totals, outcome chart, type split" },
  { name: "stats_app", hourly: "stats_app_hourly", series: true, dims: [text("nsapp"), text("type"), repoDim], purpose: "per-app runs and rates, app trends" },
  { name: "stats_code", hourly: "stats_code_hourly", series: true, dims: [num("exit_code"), repoDim], purpose: "exit codes ranked and trended" },
  {
    name: "stats_app_code",
    hourly: "stats_app_code_hourly",
    dims: [text("nsapp"), num("exit_code"), repoDim],
    // Incidents read the apps one exit code hit: "exit_code = X" over all apps.
    lookup: "exit_code",
    purpose: "exit codes per app, apps per exit code",
  },
  {
    name: "stats_os",
    hourly: "stats_os_hourly",
    dims: [text("type"), text("os_type"), text("os_version"), repoDim],
    purpose: "OS and version shares and success rates",
  },
  {
    name: "stats_app_os",
    hourly: "stats_app_os_hourly",
    dims: [text("nsapp"), text("type"), text("os_type"), text("os_version"), repoDim],
    purpose: "OS breakdown per app; apps filtered by OS",
  },
  {
    name: "stats_code_os",
    hourly: "stats_code_os_hourly",
    dims: [num("exit_code"), text("os_type"), text("os_version"), repoDim],
    purpose: "OS split per exit code",
  },
  { name: "stats_pve", dims: [text("pve_version"), repoDim], purpose: "Proxmox VE versions" },
  { name: "stats_method", dims: [text("type"), text("method"), repoDim], purpose: "install methods" },
  {
    name: "stats_app_env",
    hourly: "stats_app_env_hourly",
    dims: [text("nsapp"), text("pve_version"), text("method"), num("ct_type"), repoDim],
    purpose: "PVE versions, methods and privileged/unprivileged per app",
  },
  {
    // The failure signature (pb_hooks/telemetry-signature.cjs): the normalised failing command and
    // its line, with the exit code the run ended with. Series: first and last day seen, and what
    // a regression's failures failed at (lib/data/queries/failing-commands.ts).
    name: "stats_app_failure",
    hourly: "stats_app_failure_hourly",
    series: true,
    dims: [text("nsapp"), num("fail_line"), text("fail_command"), num("exit_code"), repoDim],
    purpose: "failing commands per app (signature: line and normalised command) and the exit codes they ended with",
  },
  {
    name: "stats_app_resources",
    hourly: "stats_app_resources_hourly",
    dims: [text("nsapp"), num("core_count"), num("ram_size"), num("disk_size"), repoDim],
    purpose: "resource choices per app against script defaults",
  },
  {
    name: "stats_app_duration",
    hourly: "stats_app_duration_hourly",
    percentiles: true,
    // repo_source as stored ('' for the older protocol): readers pick official/dev/fork/all.
    dims: [text("nsapp"), text("repo_source"), durationDim],
    purpose: "install time per app and repository (duration histogram, lib/durations.ts)",
  },
  {
    // Install time by factor (lib/duration-factors.ts): each run's duration bucket with its
    // resources, and with its method and OS — two tables, not one per factor (one trigger each;
    // a cross product of all five would hold about a row per run). The reader sums each
    // factor's histogram over the other columns. No hourly sibling: the 24-hour view reads the
    // range's two calendar days (docs/ROLLUPS.md "Install time by factor").
    name: "stats_app_duration_res",
    dims: [text("nsapp"), text("repo_source"), num("core_count"), num("ram_size"), durationDim],
    purpose: "install time per app and repository by cores and RAM (duration histogram)",
  },
  {
    name: "stats_app_duration_env",
    dims: [text("nsapp"), text("repo_source"), text("method"), text("os_type"), text("os_version"), durationDim],
    purpose: "install time per app and repository by install method and OS version (duration histogram)",
  },
  {
    // Hardware and platform (lib/hardware.ts): every run, the older protocol's as "not reported".
    name: "stats_app_hardware",
    hourly: "stats_app_hardware_hourly",
    dims: [text("nsapp"), ...HARDWARE_DIMS, repoDim],
    purpose: "GPU passthrough, GPU and CPU vendor, architecture and platform per app",
  },
  {
    // All apps (/os, /api/v1/hardware), by install type for the pages' type filter.
    name: "stats_hardware",
    hourly: "stats_hardware_hourly",
    dims: [text("type"), ...HARDWARE_DIMS, repoDim],
    purpose: "GPU passthrough, GPU and CPU vendor, architecture and platform over all apps, per install type",
  },
  {
    // Distinct sessions per script in testing (lib/data/queries/testing.ts): each development
    // run's app and session (random_id; a retry from the recovery menu is a new run of the same
    // session). Private: random_id never leaves PocketBase, only counts of it do.
    name: "stats_app_session",
    hourly: "stats_app_session_hourly",
    dims: [devOnly("nsapp", "nsapp"), devOnly("session", "random_id")],
    distinct: "session",
    purpose: "sessions per app of the development repository (private: counted, never listed)",
  },
] as const satisfies readonly DailySpec[];

type DailyEntry = (typeof DAILY)[number];
/**
 * A daily rollup's name ("stats_app"), the name every reader uses (the range's grain picks the
 * hourly sibling); a misspelt name does not compile.
 */
export type DailyRollup = DailyEntry["name"];
/** The key columns of a daily rollup (and of its hourly sibling and views): `KeyColumn<"stats_app">` is "nsapp" | "type". */
export type KeyColumn<N extends DailyRollup> = Extract<DailyEntry, { name: N }>["dims"][number]["column"];
type DimOf<N extends DailyRollup> = Extract<DailyEntry, { name: N }>["dims"][number];
/** A rollup row's key columns typed by their kinds (text → string, number → number): `KeyValues<"stats_app_code">` is `{ nsapp: string; exit_code: number }`. */
export type KeyValues<N extends DailyRollup> = { [D in DimOf<N> as D["column"]]: D["kind"] extends "number" ? number : string };
/** The daily rollups with series views (`<name>_series`). */
export type SeriesRollup = Extract<DailyEntry, { series: true }>["name"];

/** Hours an hourly rollup keeps: the 24-hour view and the 24 hours before it, with a margin. */
export const HOURLY_RETENTION_HOURS = 72;

/** Every rollup table: the daily ones, then their hourly siblings. */
const DAILY_SPECS: readonly DailySpec[] = DAILY;

/**
 * The per-app rollups a regression's window is described from (lib/insights/find-regressions.ts
 * describeWindow). Their window totals are kept per process while no run of the app in the
 * window changed (lib/data/window-memo.ts): `stats_app`'s change numbers tell, so its update
 * trigger also fires when only a column these rollups read changed (its counts do not change,
 * the row's change number does).
 */
export const WINDOW_ROLLUPS = ["stats_app_code", "stats_app_os", "stats_app_env", "stats_app_failure"] as const satisfies readonly DailyRollup[];
const windowWatch = (): string[] => [
  ...new Set(WINDOW_ROLLUPS.flatMap((n) => DAILY_SPECS.find((d) => d.name === n)!.dims.flatMap((d) => [d.source, ...(d.computed?.reads ?? [])]))),
];
const watchOf = (d: DailySpec) => (d.name === "stats_app" ? { watch: windowWatch() } : {});

export const ROLLUPS: readonly RollupSpec[] = [
  ...DAILY_SPECS.map(
    (d): RollupSpec => ({
      name: d.name,
      grain: "day",
      dims: d.dims,
      purpose: d.purpose,
      series: d.series,
      lookup: d.lookup,
      percentiles: d.percentiles,
      distinct: d.distinct,
      ...watchOf(d),
    }),
  ),
  ...DAILY_SPECS.flatMap((d): RollupSpec[] =>
    d.hourly
      ? [
          {
            name: d.hourly,
            grain: "hour",
            dims: d.dims,
            purpose: `${d.purpose} (last ${HOURLY_RETENTION_HOURS} h, hourly)`,
            series: d.series,
            percentiles: d.percentiles,
            distinct: d.distinct,
            ...watchOf(d),
          },
        ]
      : [],
  ),
];

/** The daily rollups anyone may read (range views, range sums): all but those keyed by an identifier (DailySpec.distinct). */
export type PublicRollup = Exclude<DailyRollup, Extract<DailyEntry, { distinct: string }>["name"]>;
/** The daily rollups read only as distinct counts (DailySpec.distinct). */
export type DistinctRollup = Extract<DailyEntry, { distinct: string }>["name"];

/** Whether a daily rollup has a series view (and change numbers: the series store keeps it). */
export function isSeriesRollup(daily: DailyRollup): daily is SeriesRollup {
  return DAILY_SPECS.find((d) => d.name === daily)?.series === true;
}

/** The fan-out key column of a rollup's dimensions (`repo`, the repository selection), or null. */
export function fanoutColumn(dims: readonly Dim[]): string | null {
  return dims.find((d) => d.fanout)?.column ?? null;
}

/** A daily rollup's key columns (its hourly sibling's and views' too). */
export function rollupDims(daily: DailyRollup): readonly Dim[] {
  const spec = DAILY_SPECS.find((d) => d.name === daily);
  if (!spec) throw new Error(`unknown daily rollup ${daily}`);
  return spec.dims;
}

/** The table to read a rollup from at a grain: "stats_app" at "hour" → "stats_app_hourly". */
export function rollupTable(daily: DailyRollup, grain: Grain): string {
  const spec = DAILY_SPECS.find((d) => d.name === daily);
  if (!spec) throw new Error(`unknown daily rollup ${daily}`);
  if (grain === "day") return spec.name;
  if (!spec.hourly) throw new Error(`${daily} has no hourly sibling`);
  return spec.hourly;
}

export const COUNT_COLUMNS = ["success", "failed", "aborted", "unknown", "installing"] as const;
export type CountColumn = (typeof COUNT_COLUMNS)[number];
export const CUM_COLUMNS = COUNT_COLUMNS.map((c) => `cum_${c}` as const);

/**
 * The change number of a series rollup's row (docs/ROLLUPS.md "Change numbers"): the triggers
 * set it to the table's highest plus one on the row whose own counts they change; a rebuild
 * gives every row the rebuild's time in ms (above any number counted before it). Readers that
 * keep the rows ask only for those above the highest they have seen (lib/data/series-store.ts).
 */
export const REV_COLUMN = "rev";

/**
 * Whether a rollup's rows carry change numbers: the daily rollups with series views (the series
 * store keeps their rows). Not their hourly siblings: each rollup a release re-keys or re-views
 * costs the online switch ~0.3 s of PocketBase's collection work inside the write lock, and the
 * hourly store needs none — the daily change numbers name the keys and days whose hours changed
 * (lib/data/series-reads.ts, docs/ROLLUPS.md).
 */
export const hasRev = (spec: Pick<RollupSpec, "grain" | "series">): boolean => spec.grain === "day" && spec.series === true;

export function rollupSpec(name: string): RollupSpec {
  const spec = ROLLUPS.find((r) => r.name === name);
  if (!spec) throw new Error(`unknown rollup ${name}`);
  return spec;
}

/** Calendar collection the daily range views join to turn `from`/`to` into filterable columns. */
export const CALENDAR = "stats_calendar";
/** The same for hours ("YYYY-MM-DD HH"), joined by the hourly range views. */
export const HOUR_CALENDAR = "stats_calendar_hours";
export const CALENDAR_FIRST = "2020-01-01";
export const CALENDAR_LAST = "2040-12-31";

/** The range view of a rollup: totals per key for any [from, to] (see docs/ROLLUPS.md). */
export function rangeViewName(spec: RollupSpec): string {
  return `${spec.name}_range`;
}

/** The series view of a rollup (only specs with `series`, see docs/ROLLUPS.md). */
export function seriesViewName(spec: RollupSpec): string {
  return `${spec.name}_series`;
}

/**
 * Range views need both query parameters; without them the rule is constant-false, so an
 * unfiltered request answers nothing at once instead of enumerating calendar × calendar.
 */
export const RANGE_VIEW_RULE = '@request.query.from != "" && @request.query.to != "" && range_from = @request.query.from && range_to = @request.query.to';
