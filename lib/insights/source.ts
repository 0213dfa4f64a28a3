/**
 * What the insight finders read, as rollup-shaped rows: series views (each key's per-bucket
 * counts) and range views (totals per key over a window). lib/data/queries/insights-source.ts
 * answers from PocketBase's rollups; the benchmark answers the same questions from generated
 * rows in memory, so recall and false alarms can be measured over many seeds cheaply.
 */
import type { Grain, PublicRollup, SeriesRollup } from "../rollups/spec";
import { SERIES_ENTRY_SEPARATOR, SERIES_FIELD_SEPARATOR } from "../rollups/sql";

/** A run of whole buckets, inclusive ("YYYY-MM-DD", or "YYYY-MM-DD HH" for hours). */
export interface Span {
  from: string;
  to: string;
  grain: Grain;
}

export interface BucketOutcomes {
  bucket: string;
  success: number;
  failed: number;
}

export interface SeriesRow<K extends string> {
  key: Record<K, string | number>;
  success: number;
  failed: number;
  /** Sorted by bucket; buckets without runs absent. */
  buckets: readonly BucketOutcomes[];
}

/**
 * Versions of series rows read from a store (lib/data/series-store.ts): two rows of one key with
 * one version have the same counts in every bucket of the span they were read for. Kept beside
 * the rows, not in them, so a store's row still equals the view's. The detection's memo keys
 * (lib/insights/scan-series.ts); rows without a version are never memoised.
 */
export const rowVersions = new WeakMap<object, string>();

export interface TotalsRow {
  success: number;
  failed: number;
  aborted: number;
  unknown: number;
  installing: number;
}

/** A range-view row: the rollup's key columns (typed loosely, as the records API returns them) and counts. */
export type KeyedTotals = Record<string, string | number | null> & TotalsRow;

export type { SeriesRollup };

/** Keys to keep: each listed column must equal one of its values. */
export type KeyFilter = Partial<Record<"nsapp" | "exit_code" | "repo", readonly (string | number)[]>>;

export interface InsightsSource {
  /** Keys of a series rollup with at least `minFailed` failures in the span (of `filter`'s keys), with their buckets. */
  series<K extends string>(rollup: SeriesRollup, span: Span, minFailed: number, filter?: KeyFilter): Promise<SeriesRow<K>[]>;
  /** Totals per key of a daily rollup (or its hourly sibling for hour spans) over the span. */
  totals(rollup: PublicRollup, span: Span, filter?: KeyFilter): Promise<KeyedTotals[]>;
  /** The rollup's own rows (one per bucket and key) in the span, for the keys of `filter`. */
  bucketRows(rollup: PublicRollup, span: Span, filter: KeyFilter): Promise<(KeyedTotals & { bucket: string })[]>;
}

/**
 * Parses a series view's packed text ("27|412|6|3|1|0,…": offset from the span's first bucket,
 * then the bucket's counts in COUNT_COLUMNS' order), sorted by bucket. `buckets` are the span's
 * buckets (rangeBuckets).
 */
export function parsePackedCounts(text: string, buckets: readonly string[]): { bucket: string; counts: number[] }[] {
  if (!text) return [];
  return text
    .split(SERIES_ENTRY_SEPARATOR)
    .flatMap((entry) => {
      const [offset = "", ...counts] = entry.split(SERIES_FIELD_SEPARATOR);
      const bucket = buckets[Number(offset)];
      return bucket === undefined ? [] : [{ bucket, counts: counts.map(Number) }];
    })
    .sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0));
}

/** The same as successes and failures (what the scans read). */
export function parsePackedSeries(text: string, buckets: readonly string[]): BucketOutcomes[] {
  return parsePackedCounts(text, buckets).map(({ bucket, counts: [success = 0, failed = 0] }) => ({ bucket, success, failed }));
}

/** Sums series rows that share `column` (an app listed under two types is one app). */
export function mergeSeriesBy<K extends string>(rows: readonly SeriesRow<K>[], column: K): Map<string, SeriesRow<K>> {
  const out = new Map<string, SeriesRow<K>>();
  for (const r of rows) {
    const id = String(r.key[column]);
    const acc = out.get(id);
    if (!acc) {
      out.set(id, { ...r, buckets: [...r.buckets] });
      continue;
    }
    acc.success += r.success;
    acc.failed += r.failed;
    const byBucket = new Map(acc.buckets.map((b) => [b.bucket, { ...b }]));
    for (const b of r.buckets) {
      const x = byBucket.get(b.bucket) ?? { bucket: b.bucket, success: 0, failed: 0 };
      x.success += b.success;
      x.failed += b.failed;
      byBucket.set(b.bucket, x);
    }
    acc.buckets = [...byBucket.values()].sort((a, b) => (a.bucket < b.bucket ? -1 : 1));
  }
  return out;
}
