/**
 * The insight finders' data (lib/insights/source.ts) from PocketBase's rollups: series views
 * (`<rollup>_series`, each key's buckets packed in one record), range views (`<rollup>_range`)
 * and the rollups' own rows — never raw records. Every value enters a filter through pb.filter().
 */
import "server-only";
import type PocketBase from "pocketbase";
import type { InsightsSource, KeyedTotals, KeyFilter, SeriesRow, Span } from "../../insights/source";
import { parsePackedSeries } from "../../insights/source";
import { listAll } from "../pocketbase";
import { rangeBuckets } from "../../range";
import { isSeriesRollup, type PublicRollup, rollupDims, rollupTable, type SeriesRollup } from "../../rollups/spec";
import { byKey, typedKey } from "../series-keys";
import { SeriesStore, seriesStore } from "../series-store";
import { memoizable, windowTotals } from "../window-memo";
import type { Repo } from "../../repo";
import { anyOf, appSeriesRows, keyedByApp, rangeAll, rangeAllFromStore, rangeSeriesRows, repoKeyFilter, type FilterPart } from "./rollup-range";

/**
 * PocketBase rejects filters longer than ~3,500 characters (about 100 app names): a filter with
 * a long list is split into several whose lists stay well below, read one request each.
 */
const MAX_LIST_CHARS = 2000;

export function chunkFilter(filter: KeyFilter | undefined): (KeyFilter | undefined)[] {
  const entries = Object.entries(filter ?? {}).filter((e): e is [string, readonly (string | number)[]] => e[1] !== undefined);
  const longest = entries.sort((a, b) => b[1].length - a[1].length)[0];
  if (!longest) return [filter];
  const [column, values] = longest;
  const chunks: (string | number)[][] = [[]];
  let size = 0;
  for (const v of values) {
    const cost = String(v).length + column.length + 12; // `column = {:p}` with the value quoted and escaped, and ` || `
    if (size + cost > MAX_LIST_CHARS && chunks[chunks.length - 1]!.length > 0) {
      chunks.push([]);
      size = 0;
    }
    chunks[chunks.length - 1]!.push(v);
    size += cost;
  }
  return chunks.map((c) => ({ ...filter, [column]: c }));
}

/** Runs one read per chunk of the filter and concatenates the rows. */
async function perChunk<T>(filter: KeyFilter | undefined, read: (f: KeyFilter | undefined) => Promise<T[]>): Promise<T[]> {
  return (await Promise.all(chunkFilter(filter).map(read))).flat();
}

/** `column is one of …` for every column of the filter, joined with &&; undefined for none. */
function keyFilter(filter: KeyFilter | undefined): FilterPart | undefined {
  const parts = Object.entries(filter ?? {}).flatMap(([column, values]) => (values ? [anyOf(column, values)] : []));
  if (parts.length === 0) return undefined;
  if (parts.some((p) => p.expr === "()")) return { expr: "id = ''", params: {} }; // an empty list matches nothing
  return { expr: parts.map((p) => p.expr).join(" && "), params: Object.assign({}, ...parts.map((p) => p.params)) };
}

/** The app a filter names when it names one app and nothing else, of a rollup keyed by the app first; else null. */
function oneApp(rollup: PublicRollup, filter: KeyFilter | undefined): string | null {
  const columns = Object.entries(filter ?? {}).filter(([, values]) => values !== undefined);
  const apps = filter?.nsapp;
  return columns.length === 1 && apps?.length === 1 && keyedByApp(rollup) ? String(apps[0]) : null;
}

interface SeriesRecord {
  success: number;
  failed: number;
  series: string;
  [column: string]: string | number;
}

/** A series view's rows over a span (keys typed as the spec types them, in key order). */
async function readSeriesView<K extends string>(pb: PocketBase, rollup: SeriesRollup, span: Span, minFailed: number, filter?: KeyFilter): Promise<SeriesRow<K>[]> {
  const table = rollupTable(rollup, span.grain);
  const dims = rollupDims(rollup);
  const records = await perChunk(filter, (chunk) => {
    const keys = keyFilter(chunk);
    return listAll<SeriesRecord>(pb, `${table}_series`, {
      filter: pb.filter(keys ? `failed >= {:min} && (${keys.expr})` : "failed >= {:min}", { ...keys?.params, min: minFailed }),
      // The view's list rule binds range_from/range_to to these; `fields` skips ids and ends.
      query: { from: span.from, to: span.to, fields: [...dims.map((d) => d.column), "success", "failed", "series"].join(",") },
    });
  });
  const buckets = rangeBuckets(span);
  return records
    .map((r) => ({ key: typedKey(dims, r) as Record<K, string | number>, success: r.success, failed: r.failed, buckets: parsePackedSeries(r.series, buckets) }))
    .sort(byKey(dims));
}

/**
 * The finders' data for one repository selection (lib/repo.ts): rollups keyed by it are read
 * for `repo` only, so a scan sees one row per key as before. `store`: series of recent spans
 * from the process's series store (lib/data/series-store.ts: the same answer, reading only what
 * changed since the last refresh); false: always the views (the benchmark's full scan).
 */
export function pocketbaseSource(pb: PocketBase, repo: Repo, opts: { store?: boolean } = {}): InsightsSource {
  const useStore = opts.store ?? true;
  // Every read from a store is as of the source's making (a scan makes one): each store then
  // refreshes once per scan, not once per phase of it, and still answers every change committed
  // before the scan began.
  const asOf = performance.now();
  const ranged = (span: Span) => ({ ...span, repo });
  return {
    async series<K extends string>(rollup: SeriesRollup, span: Span, minFailed: number, filter?: KeyFilter): Promise<SeriesRow<K>[]> {
      // From the store once it holds the span. Until then from the view; every key's (the scans)
      // loads it meanwhile, and so do a few keys' hours (the scan's hours of the apps failing in
      // them: the hourly store is small). A few keys' days (one app's failing commands) do not:
      // a small read is not worth loading every key.
      const now = new Date();
      const keys = repoKeyFilter(rollup, { repo }, filter);
      if (!useStore || !SeriesStore.serves(span, now)) return readSeriesView<K>(pb, rollup, span, minFailed, keys);
      const store = seriesStore(pb, rollup, span.grain);
      if (store.covers(span)) return (await store.series(span, minFailed, keys, now, asOf)) as SeriesRow<K>[];
      if (filter === undefined || span.grain === "hour") store.warm(span, now);
      return readSeriesView<K>(pb, rollup, span, minFailed, keys);
    },
    async totals(rollup: PublicRollup, span: Span, filter?: KeyFilter): Promise<KeyedTotals[]> {
      const read = () =>
        perChunk(filter, async (chunk) => {
          const f = keyFilter(chunk);
          // One app's keys (an app page's traits): its range sums, not the view's records.
          const app = oneApp(rollup, chunk);
          return (await rangeAll(pb, rollup, ranged(span), app !== null ? { app } : f ? { filter: f } : {})) as unknown as KeyedTotals[];
        });
      // A series rollup's keys over a span its store holds (the scan's totals of the regressing
      // apps, a window's failing commands): from the store.
      const now = new Date();
      if (useStore && isSeriesRollup(rollup) && SeriesStore.serves(span, now) && seriesStore(pb, rollup, span.grain).covers(span)) {
        return (await rangeAllFromStore(pb, rollup, ranged(span), undefined, now, filter, asOf)) as unknown as KeyedTotals[];
      }
      // A regression's window, the regressing apps' exit codes, an incident's code: kept while none of the rows they sum changed.
      if (useStore && memoizable(pb, rollup, filter, span, now)) return windowTotals(pb, rollup, filter, ranged(span), now, asOf, read);
      return read();
    },
    async bucketRows(rollup: PublicRollup, span: Span, filter: KeyFilter) {
      // KeyedTotals: the key columns of whichever rollup was asked for, as the records API returns them.
      return perChunk(filter, async (chunk) => {
        // One app's rows (an app page's series): the hook's rows of the app, not a record per row.
        const app = oneApp(rollup, chunk);
        const rows = app !== null ? await appSeriesRows(pb, rollup, ranged(span), app) : await rangeSeriesRows(pb, rollup, ranged(span), keyFilter(chunk));
        return rows as unknown as (KeyedTotals & { bucket: string })[];
      });
    },
  };
}
