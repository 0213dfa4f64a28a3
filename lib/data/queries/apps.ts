/**
 * The apps table: every app in range with runs, outcomes, failure rate and its Wilson interval,
 * change against the previous period and a sparkline (daily, hourly for 24 h). Filters: type,
 * OS, name search, minimum runs; sortable by any column; paginated with a total.
 *
 * Without an OS filter PocketBase filters, sorts and pages the `stats_app_range` view. With
 * one, the per-OS range view is summed per app here (an app has a row per OS version).
 */
import "server-only";
import type PocketBase from "pocketbase";
import type { APP_SORT_KEYS } from "../../views";
import type { RunType } from "../../run-type";
import { sumBy } from "./app-detail";
import { queryRateChanges } from "./insights";
import { compareText, compareValues } from "../../order";
import { publicClient } from "../pocketbase";
import { previousRange, rangeBuckets, type Range } from "../../range";
import { wilson } from "../../stats";
import { addDays } from "../../time";
import type { DurationSummary } from "../../durations";
import type { AppDurations } from "../../durations";
import { queryDurationsOf } from "./durations";
import { anyOf, containsText, rangeAll, rangePage, rangeSeriesRows, type FilterPart, type RangeRow } from "./rollup-range";

const SPARK_MAX_DAYS = 90;

export type AppRangeRow = RangeRow<"stats_app">;

/** The failure rate's change against the previous period, tested (lib/insights/rate-change.ts). */
export interface RateChangeFlags {
  /** rate − previous rate, a fraction like every rate (0.018 = +1.8 percentage points); null without runs decided in either. */
  change: number | null;
  significant: boolean;
  newlyFailing: boolean;
  recovered: boolean;
}

export interface AppListRow extends AppRangeRow {
  previous: { runs: number; success: number; failed: number };
  /** Successful runs' install time of the app (all its install types; official repository: lib/data/queries/durations.ts). */
  installTime: DurationSummary;
  change: RateChangeFlags | null;
  /** Runs per bucket over the range (its last 90 days for longer ranges). */
  spark: number[];
}

export interface AppList {
  rows: AppListRow[];
  total: number;
  /** First bucket of the sparklines (later than the range's start for ranges over 90 days). */
  sparkFrom: string;
}

/** What the apps table asks: the range, its filters, the order and the page (the apps report's parameters, lib/views.ts). */
export interface AppListQuery {
  range: Range;
  type: RunType | null;
  os: string | null;
  q: string | null;
  minRuns: number;
  /** One of APP_SORT_KEYS, "-" for descending. */
  sort: string;
  page: number;
  pageSize: number;
}

function filterFor(state: AppListQuery, withOs: boolean): FilterPart {
  const parts: string[] = [];
  const params: Record<string, string | number> = {};
  if (state.type) {
    parts.push("type = {:type}");
    params.type = state.type;
  }
  if (state.q) {
    const search = containsText("nsapp", state.q);
    parts.push(search.expr);
    Object.assign(params, search.params);
  }
  if (withOs && state.os) {
    parts.push("os_type = {:os}");
    params.os = state.os;
  }
  return { expr: parts.length ? parts.join(" && ") : "runs > 0", params };
}

/** PocketBase sort with the table's tie-breakers (name, then type). */
function pbSort(sort: string): string {
  return sort.replace(/^-/, "") === "nsapp" ? `${sort},type` : `${sort},nsapp,type`;
}

/** Sort keys PocketBase cannot order as the table does: their NULLs (no decided runs) sort first ascending. */
const NULLABLE_KEYS = new Set(["failure_rate", "failure_low", "failure_high", "change"]);

/** The table's order (lib/order.ts: missing values last in both directions), then by name. */
function compare(sort: string, changes: Changes, durations: Durations) {
  const desc = sort.startsWith("-");
  const key = sort.replace(/^-/, "") as (typeof APP_SORT_KEYS)[number];
  const value = (r: AppRangeRow) => (key === "change" ? (changes.get(rowKey(r))?.change ?? null) : key === "install_time" ? (durations.get(r.nsapp)?.success.p50 ?? null) : r[key]);
  return (a: AppRangeRow, b: AppRangeRow) => compareValues(value(a), value(b), desc) || compareText(a.nsapp, b.nsapp) || compareText(a.type, b.type);
}

/** A row's key: one app and install type. */
const rowKey = (r: { nsapp: string; type: string }) => `${r.nsapp}\n${r.type}`;

/** Per-OS rows summed per app, with rates recomputed (exactly as the range view computes them). */
async function appsOnOs(pb: PocketBase, state: AppListQuery): Promise<AppRangeRow[]> {
  const rows = await rangeAll(pb, "stats_app_os", state.range, { filter: filterFor(state, true) });
  const byApp = new Map<string, AppRangeRow>();
  for (const r of rows) {
    const k = rowKey(r);
    const acc = byApp.get(k) ?? ({ nsapp: r.nsapp, type: r.type, success: 0, failed: 0, aborted: 0, unknown: 0, installing: 0, runs: 0 } as AppRangeRow);
    for (const c of ["success", "failed", "aborted", "unknown", "installing", "runs"] as const) acc[c] += r[c];
    byApp.set(k, acc);
  }
  return [...byApp.values()].map((a) => {
    const w = wilson(a.failed, a.success + a.failed);
    return { ...a, failure_rate: w?.rate ?? null, failure_low: w?.low ?? null, failure_high: w?.high ?? null };
  });
}

type Changes = Map<string, RateChangeFlags>;
type Durations = Map<string, AppDurations>;
const NO_TIME: DurationSummary = { n: 0, p50: null, p90: null };

/** Each app's and type's change (on the filter's OS), keyed like the rows. */
async function rateChangeFlags(range: Range, os: string | null): Promise<Changes> {
  const changes = await queryRateChanges(range, os);
  return new Map(changes.map((c) => [rowKey(c), { change: c.change, significant: c.significant, newlyFailing: c.newly_failing, recovered: c.recovered }]));
}

/**
 * One page of matching rows and their total. PocketBase filters, sorts and pages the range view
 * unless the table must do it: with an OS filter (per-OS rows summed per app), sorted by the
 * change or the install time (computed columns), or ascending by a rate (PocketBase would put
 * missing rates first).
 */
async function pageRows(pb: PocketBase, state: AppListQuery, changes: Promise<Changes>): Promise<{ rows: AppRangeRow[]; total: number }> {
  const sortKey = state.sort.replace(/^-/, "");
  const f = filterFor(state, false);
  if (state.os || sortKey === "change" || sortKey === "install_time" || (NULLABLE_KEYS.has(sortKey) && !state.sort.startsWith("-"))) {
    const [matching, durations] = await Promise.all([
      state.os ? appsOnOs(pb, state) : rangeAll(pb, "stats_app", state.range, { filter: f }),
      sortKey === "install_time" ? queryDurationsOf(null, state.range) : new Map<string, AppDurations>(),
    ]);
    const kept = matching.filter((a) => a.runs >= state.minRuns).sort(compare(state.sort, sortKey === "change" ? await changes : new Map(), durations));
    const start = (state.page - 1) * state.pageSize;
    return { rows: kept.slice(start, start + state.pageSize), total: kept.length };
  }
  const expr = state.minRuns > 0 ? `(${f.expr}) && runs >= {:min}` : f.expr;
  const res = await rangePage(pb, "stats_app", state.range, state.page, state.pageSize, {
    filter: { expr, params: { ...f.params, min: state.minRuns } },
    sort: pbSort(state.sort),
  });
  return { rows: res.items, total: res.totalItems };
}

/** The page's apps (and the filter's OS): what the previous period and the sparklines read. */
function rowsFilter(rows: AppRangeRow[], os: string | null): FilterPart {
  const apps = anyOf(
    "nsapp",
    rows.map((r) => r.nsapp),
  );
  return os ? { expr: `${apps.expr} && os_type = {:os}`, params: { ...apps.params, os } } : apps;
}

/** The rollup a row's runs are counted in: per OS with an OS filter (summed over its versions). */
const rowsRollup = (os: string | null) => (os ? "stats_app_os" : "stats_app");

async function previousPeriod(pb: PocketBase, state: AppListQuery, rows: AppRangeRow[]): Promise<Map<string, AppListRow["previous"]>> {
  if (!rows.length) return new Map();
  const prev = await rangeAll(pb, rowsRollup(state.os), previousRange(state.range), { filter: rowsFilter(rows, state.os) });
  return new Map(sumBy(prev, rowKey).map((b) => [b.key, { runs: b.runs, success: b.success, failed: b.failed }]));
}

function sparkRange(range: Range): Range {
  if (range.grain === "hour" || range.length <= SPARK_MAX_DAYS) return range;
  return { ...range, from: addDays(range.to, -(SPARK_MAX_DAYS - 1)), length: SPARK_MAX_DAYS };
}

async function sparklines(pb: PocketBase, spark: Range, os: string | null, rows: AppRangeRow[]) {
  const buckets = rangeBuckets(spark);
  const out = new Map<string, number[]>();
  if (!rows.length) return out;
  const rowsPerBucket = await rangeSeriesRows(pb, rowsRollup(os), spark, rowsFilter(rows, os));
  const index = new Map(buckets.map((d, i) => [d, i]));
  for (const r of rowsPerBucket) {
    const line = out.get(rowKey(r)) ?? new Array<number>(buckets.length).fill(0);
    const i = index.get(r.bucket);
    if (i !== undefined) line[i]! += r.success + r.failed + r.aborted + r.unknown + r.installing;
    out.set(rowKey(r), line);
  }
  return out;
}

export async function queryAppList(state: AppListQuery): Promise<AppList> {
  const pb = publicClient();
  const changes = rateChangeFlags(state.range, state.os);
  changes.catch(() => undefined); // awaited below; a failure surfaces there
  const { rows, total } = await pageRows(pb, state, changes);
  const spark = sparkRange(state.range);
  const [prev, sparks, flags, times] = await Promise.all([
    previousPeriod(pb, state, rows),
    sparklines(pb, spark, state.os, rows),
    changes,
    queryDurationsOf(
      rows.map((r) => r.nsapp),
      state.range,
    ),
  ]);
  const empty = new Array<number>(spark.length).fill(0);
  return {
    total,
    sparkFrom: spark.from,
    rows: rows.map((r) => {
      const k = rowKey(r);
      const installTime = times.get(r.nsapp)?.success ?? NO_TIME;
      return { ...r, previous: prev.get(k) ?? { runs: 0, success: 0, failed: 0 }, change: flags.get(k) ?? null, spark: sparks.get(k) ?? empty, installTime };
    }),
  };
}
