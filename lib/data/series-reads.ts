/**
 * What the series stores (lib/data/series-store.ts) read from PocketBase: a daily series
 * rollup's change numbers, its changed rows and its series view; and for the hourly sibling,
 * the same led by the daily rollup's change numbers.
 *
 * The hourly rollups carry no change numbers of their own (each rollup a release changes
 * lengthens the online switch: docs/ROLLUPS.md). They need none: every write to the runs that
 * changes an hourly row (key, hour) also changes the daily row (key, day of that hour) in the
 * same transaction — the daily rollup watches every column the hourly one does — and gives that
 * row the daily table's next change number. So the daily rows changed since a refresh name every
 * key and day whose hours may have changed; those keys' hourly rows from that day on are read
 * again and replace what was held (rows a change emptied stay, with zero counts, as in the
 * table). The hourly table's own pruning of old hours changes no daily row; the hourly store
 * holds only hours the table keeps (STORE_HOURS) and prunes by the clock too.
 */
import "server-only";
import type PocketBase from "pocketbase";
import { parsePackedCounts } from "../insights/source";
import { rangeBuckets } from "../range";
import { COUNT_COLUMNS, type Dim, REV_COLUMN, rollupDims, rollupTable, type SeriesRollup } from "../rollups/spec";
import { listAll } from "./pocketbase";
import { keyId, type SeriesKey, typedKey } from "./series-keys";

/** A bucket's counts in COUNT_COLUMNS' order. */
export type Counts = number[];

export interface ChangedRows {
  /** Rows to hold, with their own counts. */
  rows: { bucket: string; key: SeriesKey; counts: Counts }[];
  /** Keys whose held buckets from `from` on are replaced by `rows` (a bucket not among them is gone). */
  cleared: { key: SeriesKey; from: string }[];
}

/** What a store reads from PocketBase. */
export interface SeriesReads {
  /** Highest change number in the (daily) table; null when it has no rows. */
  highestRev(): Promise<number | null>;
  /** Lowest change number in the (daily) table; null when it has no rows. */
  lowestRev(): Promise<number | null>;
  /** What changed between change numbers `after` (excluded) and `upTo`. */
  changes(after: number, upTo: number): Promise<ChangedRows>;
  /** Every key's buckets in [from, to]. */
  view(from: string, to: string): Promise<{ key: SeriesKey; buckets: { bucket: string; counts: Counts }[] }[]>;
}

type Row = Record<string, unknown> & { bucket: string };

/** The first (or last) change number of a daily table: one index read. */
function revReads(pb: PocketBase, table: string): Pick<SeriesReads, "highestRev" | "lowestRev"> {
  const first = async (sort: string) => {
    const rev = (await pb.collection(table).getList<{ rev: number }>(1, 1, { sort, fields: REV_COLUMN, skipTotal: true })).items[0]?.rev;
    return rev === undefined ? null : Number(rev);
  };
  return { highestRev: () => first(`-${REV_COLUMN}`), lowestRev: () => first(REV_COLUMN) };
}

/** Daily rows whose change number is in (after, upTo], in change-number order. */
function changedDailyRows(pb: PocketBase, table: string, dims: readonly Dim[], after: number, upTo: number, withCounts: boolean): Promise<Row[]> {
  return listAll<Row>(pb, table, {
    filter: pb.filter(`${REV_COLUMN} > {:after} && ${REV_COLUMN} <= {:upTo}`, { after, upTo }),
    sort: REV_COLUMN,
    query: { fields: ["bucket", ...dims.map((d) => d.column), ...(withCounts ? COUNT_COLUMNS : []), REV_COLUMN].join(",") },
  });
}

const counts = (r: Row): Counts => COUNT_COLUMNS.map((c) => Number(r[c]));

/** A daily series rollup's reads: its change numbers, changed rows and series view. */
export function dailySeriesReads(pb: PocketBase, rollup: SeriesRollup): SeriesReads {
  const table = rollupTable(rollup, "day");
  const dims = rollupDims(rollup);
  return {
    ...revReads(pb, table),
    async changes(after, upTo) {
      const rows = await changedDailyRows(pb, table, dims, after, upTo, true);
      return { rows: rows.map((r) => ({ bucket: r.bucket, key: typedKey(dims, r), counts: counts(r) })), cleared: [] };
    },
    async view(from, to) {
      const records = await listAll<Record<string, unknown> & { series: string }>(pb, `${table}_series`, {
        // The view's list rule binds range_from/range_to to these; `fields` skips ids and ends.
        query: { from, to, fields: [...dims.map((d) => d.column), "series"].join(",") },
      });
      const buckets = rangeBuckets({ from, to, grain: "day" });
      return records.map((r) => ({ key: typedKey(dims, r), buckets: parsePackedCounts(r.series, buckets) }));
    },
  };
}

/** Filters stay well below PocketBase's limit (~3,500 characters with the values inlined). */
const MAX_FILTER_CHARS = 2000;

/** `(key columns equal the key's values && bucket >= its first hour) || …`, split into filters of bounded length. */
function keyFilters(pb: PocketBase, dims: readonly Dim[], keys: { key: SeriesKey; from: string }[]): string[] {
  const out: string[] = [];
  let parts: string[] = [];
  let size = 0;
  const flush = () => {
    if (parts.length) out.push(parts.join(" || "));
    parts = [];
    size = 0;
  };
  for (const { key, from } of keys) {
    const params: Record<string, string | number> = { from };
    const terms = dims.map((d, j) => {
      params[`v${j}`] = key[d.column] ?? "";
      return `${d.column} = {:v${j}}`;
    });
    const part = pb.filter(`(${terms.join(" && ")} && bucket >= {:from})`, params);
    if (size + part.length + 4 > MAX_FILTER_CHARS) flush();
    parts.push(part);
    size += part.length + 4;
  }
  flush();
  return out;
}

/** An hourly sibling's reads, led by its daily rollup's change numbers (see the file comment). */
export function hourlySeriesReads(pb: PocketBase, rollup: SeriesRollup): SeriesReads {
  const daily = rollupTable(rollup, "day");
  const table = rollupTable(rollup, "hour");
  const dims = rollupDims(rollup);
  const fields = ["bucket", ...dims.map((d) => d.column), ...COUNT_COLUMNS].join(",");
  return {
    ...revReads(pb, daily),
    async changes(after, upTo) {
      // Each changed key's first changed day.
      const keys = new Map<string, { key: SeriesKey; from: string }>();
      for (const r of await changedDailyRows(pb, daily, dims, after, upTo, false)) {
        const key = typedKey(dims, r);
        const id = keyId(dims, key);
        const from = `${r.bucket} 00`;
        const k = keys.get(id);
        if (!k) keys.set(id, { key, from });
        else if (from < k.from) k.from = from;
      }
      const read = await Promise.all(keyFilters(pb, dims, [...keys.values()]).map((filter) => listAll<Row>(pb, table, { filter, query: { fields } })));
      const rows = read.flat().map((r) => ({ bucket: r.bucket, key: typedKey(dims, r), counts: counts(r) }));
      return { rows, cleared: [...keys.values()].map(({ key, from }) => ({ key, from })) };
    },
    async view(from, to) {
      const rows = await listAll<Row>(pb, table, { filter: pb.filter("bucket >= {:from} && bucket <= {:to}", { from, to }), query: { fields } });
      const byKey = new Map<string, { key: SeriesKey; buckets: { bucket: string; counts: Counts }[] }>();
      for (const r of rows) {
        const key = typedKey(dims, r);
        const id = keyId(dims, key);
        let e = byKey.get(id);
        if (!e) {
          e = { key, buckets: [] };
          byKey.set(id, e);
        }
        e.buckets.push({ bucket: r.bucket, counts: counts(r) });
      }
      return [...byKey.values()];
    },
  };
}
