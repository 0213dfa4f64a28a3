/**
 * Totals per key over a range, read from a rollup's range view (`<rollup>_range`, see
 * docs/ROLLUPS.md): for days SQLite subtracts the running totals in force at each end of the
 * range, for hours (the 24-hour view) it sums the hourly sibling's buckets; PocketBase filters,
 * sorts and pages the result — one request returns only the rows asked for.
 *
 * Callers name the daily rollup ("stats_app"); the range's grain picks the table.
 */
import "server-only";
import type PocketBase from "pocketbase";
import type { StoredOutcome } from "../../outcomes";
import { listAll } from "../pocketbase";
import type { Range } from "../../range";
import type { KeyFilter } from "../../insights/source";
import {
  COUNT_COLUMNS,
  type DailyRollup,
  type DistinctRollup,
  type PublicRollup,
  fanoutColumn,
  isSeriesRollup,
  type KeyValues,
  rollupDims,
  rollupTable,
  type SeriesRollup,
} from "../../rollups/spec";
import { sqliteOrder } from "../series-keys";
import { SeriesStore, seriesStore } from "../series-store";
import { wilsonAsSql } from "../../stats";
import { hasAppSums } from "../../rollups/sums-sql";
import { repoSources } from "../../repo";

export type StoredCounts = Record<StoredOutcome, number>;
/** A rollup's key columns, typed by the spec's kinds (the readers below convert them once, here). */
export type KeyRow<N extends DailyRollup> = KeyValues<N>;
export type RangeRow<N extends DailyRollup> = KeyRow<N> & StoredCounts & { runs: number; failure_rate: number | null; failure_low: number | null; failure_high: number | null };

/** A PocketBase filter fragment with its placeholder values (always passed through pb.filter). */
export interface FilterPart {
  expr: string;
  params: Record<string, string | number>;
}

/**
 * `column` equals any of `values` (one placeholder each, named after the column). One value is a
 * bare equality, as the readers that ask for one key write it: the same read then has the same
 * URL, and two sections asking for it at once share one request (lib/data/gate.ts coalescing).
 */
export function anyOf(column: string, values: readonly (string | number)[]): FilterPart {
  const params: Record<string, string | number> = {};
  const expr = values
    .map((v, i) => {
      params[`${column}${i}`] = v;
      return `${column} = {:${column}${i}}`;
    })
    .join(" || ");
  return { expr: values.length === 1 ? expr : `(${expr})`, params };
}

/** Raw runs (or a rollup keyed by the stored `repo_source`) of a repository selection; null: every run. */
export function repoSourceFilter(repo: Range["repo"]): FilterPart | null {
  const sources = repoSources(repo);
  return sources === null ? null : anyOf("repo_source", sources);
}

/**
 * `column` contains `text` literally (case-insensitive for ASCII, like PocketBase's `~`), for
 * any text. The one filter part that cannot use a placeholder:
 *  - PocketBase passes a `~` value containing `%` to LIKE as the whole pattern (`%` and `_`
 *    become wildcards), and escapes `\`, `%`, `_` itself only when there is none;
 *  - PocketBase refuses (403) any filter whose text contains `@request.` or `@collection.`,
 *    inside quotes too — and pb.filter() only quotes;
 *  - pb.filter() quotes with JSON.stringify, whose `\n`, `\t`, `\u0000`… escapes PocketBase's
 *    filter parser keeps as two characters (it unescapes only `\\` and `\"`).
 * So the LIKE pattern is built here: `%`, the text with every character but letters and
 * digits escaped (SQLite's LIKE reads `\` + any character as that character), `%`; then
 * quoted with the parser's two escapes. No `@request.`, `@collection.` or `{:` (a pb.filter
 * placeholder) can appear in the filter, and nothing in the text acts as a wildcard, a quote
 * or an operator. A NUL ends PocketBase's filter text: text with one matches nothing.
 */
export function containsText(column: string, text: string): FilterPart {
  if (text.includes("\0")) return { expr: `(${column} = "" && ${column} != "")`, params: {} };
  const wellFormed = text.replace(/\p{Cs}/gu, "\uFFFD"); // lone surrogates cannot be URL-encoded
  const pattern = `%${wellFormed.replace(/[^\p{L}\p{N}]/gu, (c) => `\\${c}`)}%`;
  return { expr: `${column} ~ "${pattern.replace(/[\\"]/g, (c) => `\\${c}`)}"`, params: {} };
}

/** What a rollup read needs of a range: its ends, its grain and the repository selection. */
export type RangeSpan = Pick<Range, "from" | "to" | "grain" | "repo">;

/**
 * Whether a rollup is keyed by the repository selection (a fan-out key, lib/rollups/spec.ts):
 * its reads below then take the range's `repo` — one row per key and selection. The install-time
 * rollups are keyed by the stored `repo_source` instead, and their readers pick the sources.
 */
export function hasRepoKey(rollup: DailyRollup): boolean {
  return fanoutColumn(rollupDims(rollup)) !== null;
}

/** Whether a rollup is keyed by the app first: one app's keys can be read alone (RangeQuery `app`). */
export function keyedByApp(rollup: PublicRollup): boolean {
  return hasAppSums({ dims: rollupDims(rollup) });
}

/** The range's selection as a key filter, for a rollup keyed by it (else nothing). */
export function repoKeyFilter(rollup: DailyRollup, range: Pick<Range, "repo">, filter?: KeyFilter): KeyFilter | undefined {
  return hasRepoKey(rollup) ? { ...filter, repo: [range.repo] } : filter;
}

export interface RangeQuery {
  /**
   * One app's keys only (a rollup keyed by the app first). Alone, read from the app's range sums
   * or the series store; with a filter too, from the range view.
   */
  app?: string;
  filter?: FilterPart;
  /** PocketBase sort, e.g. "-failed,nsapp". */
  sort?: string;
}

/**
 * `repo = <the range's selection>` for a rollup keyed by it (its table, range or series view), else
 * null. The placeholder is not a column name, so no caller's filter names it.
 */
export function repoKeyPart(rollup: DailyRollup, range: Pick<Range, "repo">): FilterPart | null {
  return hasRepoKey(rollup) ? { expr: "repo = {:rangeRepo}", params: { rangeRepo: range.repo } } : null;
}

/** Filter parts joined with &&; the params of all. */
function allOf(...parts: (FilterPart | null | undefined)[]): FilterPart {
  const present = parts.filter((p): p is FilterPart => !!p);
  return { expr: present.map((p) => `(${p.expr})`).join(" && "), params: Object.assign({}, ...present.map((p) => p.params)) };
}

function options(pb: PocketBase, rollup: PublicRollup, range: RangeSpan, q: RangeQuery) {
  const f = allOf({ expr: "runs > 0", params: {} }, repoKeyPart(rollup, range), q.app === undefined ? null : anyOf("nsapp", [q.app]), q.filter);
  return {
    filter: pb.filter(f.expr, f.params),
    sort: q.sort,
    // The view's list rule binds range_from/range_to to these query parameters.
    query: { from: range.from, to: range.to },
  };
}

/** PocketBase serialises NULL numbers as 0: without decided runs the rates are unknown, not 0. */
function withNullRates<R extends StoredCounts & { failure_rate: number | null }>(row: R): R {
  return row.success + row.failed > 0 ? row : { ...row, failure_rate: null, failure_low: null, failure_high: null };
}

/**
 * The row with its key columns as the spec types them. The records API answers a view's
 * expression columns with whatever type SQLite computed, so a text key holding digits (an OS
 * version "12") can arrive as a number: converted here, once, and never cast by a reader.
 */
function typedKeys<N extends DailyRollup, R extends KeyRow<N>>(rollup: N): (row: R) => R {
  const dims = rollupDims(rollup);
  return (row) => {
    const out: Record<string, unknown> = { ...row };
    for (const d of dims) {
      const v = out[d.column];
      out[d.column] = d.kind === "number" ? Number(v) : v === null || v === undefined ? "" : String(v);
    }
    return out as R;
  };
}

/** One page, with the total number of matching keys. */
export async function rangePage<N extends PublicRollup>(pb: PocketBase, rollup: N, range: RangeSpan, page: number, perPage: number, q: RangeQuery = {}) {
  const res = await pb.collection(`${rollupTable(rollup, range.grain)}_range`).getList<RangeRow<N>>(page, perPage, options(pb, rollup, range, q));
  return { ...res, items: res.items.map(typedKeys(rollup)).map(withNullRates) };
}

/**
 * Every key with runs in the range (of `q.app` only when given). Without a filter: for a series
 * rollup over recent days or hours from the process's series store (lib/data/series-store.ts: the
 * same rows, kept by change number), else from the range sums (one request, one JSON text:
 * docs/ROLLUPS.md "Range sums"); with a filter from the range view (a filter leaves few rows).
 */
export async function rangeAll<N extends PublicRollup>(pb: PocketBase, rollup: N, range: RangeSpan, q: RangeQuery = {}): Promise<RangeRow<N>[]> {
  if (q.filter) return rangeAllFromView(pb, rollup, range, q);
  const now = new Date();
  if (isSeriesRollup(rollup) && SeriesStore.serves(range, now)) {
    const store = seriesStore(pb, rollup, range.grain);
    if (store.covers(range)) return rangeAllFromStore(pb, rollup, range, q.sort, now, q.app === undefined ? undefined : { nsapp: [q.app] });
    if (q.app === undefined) store.warm(range, now); // meanwhile from the range sums (one app's read is not worth loading every key)
  }
  return rangeAllFromSums(pb, rollup, range, q.sort, q.app);
}

/** The same from the range view through the records API (filtered reads; the benchmark's comparison). */
export async function rangeAllFromView<N extends PublicRollup>(pb: PocketBase, rollup: N, range: RangeSpan, q: RangeQuery = {}): Promise<RangeRow<N>[]> {
  return (await listAll<RangeRow<N>>(pb, `${rollupTable(rollup, range.grain)}_range`, options(pb, rollup, range, q))).map(typedKeys(rollup)).map(withNullRates);
}

/** A PocketBase sort ("-runs,nsapp") as a comparator, then the key columns (the order of rows that tie). */
function sortBy<R extends object>(sort: string | undefined, keys: readonly string[]): (a: R, b: R) => number {
  const terms = [...(sort ? sort.split(",") : []), ...keys].map((t) => ({ column: t.replace(/^[-+]/, ""), desc: t.startsWith("-") }));
  return (a, b) => {
    const x = a as Record<string, string | number | null>;
    const y = b as Record<string, string | number | null>;
    for (const t of terms) {
      const c = sqliteOrder(x[t.column] ?? null, y[t.column] ?? null);
      if (c !== 0) return t.desc ? -c : c;
    }
    return 0;
  };
}

/**
 * A range row from a key's values and counts (COUNT_COLUMNS' order), or null without runs:
 * `runs` and the rates computed exactly as the range view's SQL computes them (lib/stats.ts
 * wilsonAsSql), so a row equals the view's.
 */
function rangeRow(keys: readonly string[], values: readonly (string | number | null)[], counts: readonly number[]): Record<string, string | number | null> | null {
  const row: Record<string, string | number | null> = {};
  keys.forEach((k, i) => {
    row[k] = values[i] ?? null;
  });
  let runs = 0;
  COUNT_COLUMNS.forEach((c, i) => {
    const n = Number(counts[i]);
    row[c] = n;
    runs += n;
  });
  if (!(runs > 0)) return null;
  const failed = row.failed as number;
  const decided = (row.success as number) + failed;
  const bounds = wilsonAsSql(failed, decided);
  return Object.assign(row, { runs, failure_rate: decided > 0 ? failed / decided : null, failure_low: bounds?.low ?? null, failure_high: bounds?.high ?? null });
}

/**
 * The rollup's range sums as sent (pocketbase/pb_hooks/rollup_sums.pb.js): one array per key,
 * `[key columns…, success, failed, aborted, unknown, installing]` (COUNT_COLUMNS' order), keys
 * without runs in the range included, in no order. For readers that fold many keys into few
 * figures themselves (install time: lib/data/queries/durations.ts); the others use rangeAll.
 */
export async function rangeSums(pb: PocketBase, rollup: PublicRollup, range: RangeSpan, app?: string): Promise<(string | number | null)[][]> {
  if (range.from > range.to) return []; // as the view: no calendar pair (the route refuses it)
  const table = rollupTable(rollup, range.grain);
  const query = { from: range.from, to: range.to, ...(hasRepoKey(rollup) ? { repo: range.repo } : {}), ...(app === undefined ? {} : { nsapp: app }) };
  const rows = await pb.send<(string | number | null)[][]>(`/api/rollups/${encodeURIComponent(table)}/sums`, { query });
  // The app is the first key column: a hook older than `nsapp` answers every app's keys, never another app's figures.
  return app === undefined ? rows : rows.filter((r) => r[0] === app);
}

/**
 * A private rollup's public answer over the range (spec.ts `distinct`; the hook's
 * `/api/rollups/{rollup}/distinct`): `[other key columns…, n]`, n distinct values of its
 * identifier among keys with a decided run, one array per combination that has one, in no order.
 */
export async function rangeDistinct(pb: PocketBase, rollup: DistinctRollup, range: Pick<Range, "from" | "to" | "grain">): Promise<(string | number)[][]> {
  if (range.from > range.to) return [];
  const table = rollupTable(rollup, range.grain);
  return pb.send<(string | number)[][]>(`/api/rollups/${encodeURIComponent(table)}/distinct`, { query: { from: range.from, to: range.to } });
}

/** Every key with runs in the range (of `app` only when given) from the rollup's range sums, sorted as PocketBase would. */
export async function rangeAllFromSums<N extends PublicRollup>(pb: PocketBase, rollup: N, range: RangeSpan, sort?: string, app?: string): Promise<RangeRow<N>[]> {
  const keys = rollupDims(rollup).map((d) => d.column);
  const rows = await rangeSums(pb, rollup, range, app);
  const typed = typedKeys<N, RangeRow<N>>(rollup);
  return rows
    .flatMap((values) => {
      const row = rangeRow(keys, values, values.slice(keys.length).map(Number));
      return row ? [typed(row as unknown as RangeRow<N>)] : [];
    })
    .sort(sortBy(sort, keys));
}

/**
 * The same from the series store (a series rollup over a span the store holds), of `filter`'s
 * keys only when one is given; as of `asOf` (the store's afterUpdate; default: now).
 */
export async function rangeAllFromStore<N extends PublicRollup>(
  pb: PocketBase,
  rollup: N & SeriesRollup,
  range: RangeSpan,
  sort: string | undefined,
  now: Date,
  filter?: KeyFilter,
  asOf?: number,
) {
  const keys = rollupDims(rollup).map((d) => d.column);
  const sums = await seriesStore(pb, rollup, range.grain).sums(range, now, repoKeyFilter(rollup, range, filter), asOf);
  return sums
    .flatMap(({ key, counts }) => {
      const row = rangeRow(
        keys,
        keys.map((k) => key[k] ?? null),
        counts,
      );
      return row ? [row as unknown as RangeRow<N>] : [];
    })
    .sort(sortBy(sort, keys));
}

/**
 * One app's own rows for every bucket of the range (as rangeSeriesRows with the app as its
 * filter), from the hook's `rows` answer: one JSON text SQLite builds, not a record per row.
 */
export async function appSeriesRows<N extends PublicRollup>(pb: PocketBase, rollup: N, range: RangeSpan, app: string): Promise<(KeyRow<N> & StoredCounts & { bucket: string })[]> {
  if (range.from > range.to) return []; // no bucket is in it (the route refuses it)
  const table = rollupTable(rollup, range.grain);
  const query = { from: range.from, to: range.to, nsapp: app, ...(hasRepoKey(rollup) ? { repo: range.repo } : {}) };
  const rows = await pb.send<(string | number | null)[][]>(`/api/rollups/${encodeURIComponent(table)}/rows`, { query });
  const columns = ["bucket", ...rollupDims(rollup).map((d) => d.column), ...COUNT_COLUMNS];
  const typed = typedKeys<N, KeyRow<N> & StoredCounts & { bucket: string }>(rollup);
  return rows.map((values) => typed(Object.fromEntries(columns.map((c, i) => [c, values[i] ?? null])) as KeyRow<N> & StoredCounts & { bucket: string }));
}

/**
 * The rollup's own rows for every bucket of the range (series: one row per bucket and key,
 * buckets without runs absent). `filter` narrows the keys; its placeholders must not be
 * named `from`, `to` or `rangeRepo`.
 */
export async function rangeSeriesRows<N extends PublicRollup>(
  pb: PocketBase,
  rollup: N,
  range: RangeSpan,
  filter?: FilterPart,
): Promise<(KeyRow<N> & StoredCounts & { bucket: string })[]> {
  const f = allOf({ expr: "bucket >= {:from} && bucket <= {:to}", params: { from: range.from, to: range.to } }, repoKeyPart(rollup, range), filter);
  const rows = await listAll<KeyRow<N> & StoredCounts & { bucket: string }>(pb, rollupTable(rollup, range.grain), {
    filter: pb.filter(f.expr, f.params),
  });
  return rows.map(typedKeys(rollup));
}
