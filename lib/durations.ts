/**
 * Install time: how long a run took (`install_duration`, seconds, sent by today's scripts with
 * their final status), kept in the rollups as a histogram and read back as percentiles. Pure.
 *
 * Buckets: 5 s below 2 minutes, then 10 s up to 5 min, 20 s up to 10 min, 30 s up to 20 min,
 * 1 min up to 30 min, 2 min up to 1 h, 5 min up to 2 h and 15 min up to 24 h — from a minute on,
 * every bucket is at most 8.3 % of its own start (12.5 % beyond 2 h), so a percentile read from
 * them is the exact percentile of the raw durations rounded down to its bucket: never more than
 * 5 s below it under a minute, 8.3 % up to 2 h. Coarser buckets would read faster, finer ones
 * multiply the rollup's keys (a busy app's runs spread over ~60 of these). /methodology states
 * this; the exactness tests compare it with SQL over the raw rows.
 *
 * Runs of the older protocol carry no duration: their bucket is NO_DURATION and readers skip it.
 */
import { containsName } from "./contains";
import { compareText, compareValues } from "./order";

/** [start of a range of buckets (s), bucket width (s)], ascending; the last range runs to 24 h. */
export const DURATION_STEPS: readonly (readonly [from: number, width: number])[] = [
  [0, 5],
  [120, 10],
  [300, 20],
  [600, 30],
  [1200, 60],
  [1800, 120],
  [3600, 300],
  [7200, 900],
];
/** Bucket of a run without a duration (older protocol: no execution id). */
export const NO_DURATION = -1;

/** The bucket (its start in seconds) a duration falls in. */
export function durationBucket(seconds: number): number {
  const s = Math.max(0, Math.floor(seconds));
  let width = 1;
  for (const [from, w] of DURATION_STEPS) if (s >= from) width = w;
  return s - (s % width);
}

/** Width of the bucket starting at `bucket` (the precision of a percentile read from it). */
export function bucketWidth(bucket: number): number {
  let width = 1;
  for (const [from, w] of DURATION_STEPS) if (bucket >= from) width = w;
  return width;
}

/**
 * SQL of a telemetry row's bucket (`row` is NEW, OLD or a table alias): the same as
 * durationBucket, NO_DURATION for rows without an execution id (the older protocol).
 */
export function durationBucketSql(row: string): string {
  const d = `CAST(COALESCE(${row}.install_duration, 0) AS INTEGER)`;
  const ranges = [...DURATION_STEPS].reverse().map(([from, w]) => `WHEN ${d} >= ${from} THEN ${d} - ${d} % ${w}`);
  return `CASE WHEN COALESCE(${row}.execution_id, '') = '' THEN ${NO_DURATION} ${ranges.join(" ")} ELSE 0 END`;
}

/** Runs per bucket (bucket start in seconds → runs). */
export type Histogram = ReadonlyMap<number, number>;

/**
 * The p-th percentile (0 < p ≤ 1) by nearest rank: the smallest bucket at or below which at
 * least ceil(p·n) runs fall. Null for an empty histogram.
 */
export function percentile(hist: Histogram, p: number): number | null {
  const buckets = [...hist.entries()].filter(([b, n]) => b >= 0 && n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total - 1e-9));
  let seen = 0;
  for (const [b, n] of buckets) {
    seen += n;
    if (seen >= rank) return b;
  }
  return buckets[buckets.length - 1]![0];
}

export interface DurationSummary {
  /** Runs counted (with a duration). */
  n: number;
  /** Percentiles in seconds (bucket starts), null when n = 0. */
  p50: number | null;
  p90: number | null;
}

export function summarize(hist: Histogram): DurationSummary {
  let n = 0;
  for (const [b, c] of hist) if (b >= 0) n += c;
  return { n, p50: percentile(hist, 0.5), p90: percentile(hist, 0.9) };
}

/** Successful runs below this many are not summarised in a sentence ("typically 4 min"). */
export const DURATION_MIN_RUNS = 10;

export interface AppDurations {
  nsapp: string;
  success: DurationSummary;
  failed: DurationSummary;
}

export interface DurationListQuery {
  q: string | null;
  /** Minimum successful runs with a duration. */
  minRuns: number;
  /** A DURATION_SORT_KEYS key (lib/views.ts), "-" prefix for descending. */
  sort: string;
  page: number;
  pageSize: number;
}

function sortValue(d: AppDurations, key: string): string | number | null {
  if (key === "nsapp") return d.nsapp;
  const [side, stat] = key.split("_") as ["success" | "failed", "n" | "p50" | "p90"];
  return d[side][stat];
}

/**
 * One page of the install-time list, from every app's figures (read once per range and
 * repository, whatever the search, sort or page): apps named like `q` with at least `minRuns`
 * timed successes, by the sort key (lib/order.ts: an app without a value last either way),
 * ties by name. Pure.
 */
export function listDurations(all: readonly AppDurations[], q: DurationListQuery): { items: AppDurations[]; total: number } {
  const key = q.sort.replace(/^-/, "");
  const descending = q.sort.startsWith("-");
  const rows = all
    .filter((d) => d.success.n >= q.minRuns && (q.q === null || containsName(d.nsapp, q.q)))
    .sort((x, y) => compareValues(sortValue(x, key), sortValue(y, key), descending) || compareText(x.nsapp, y.nsapp));
  const start = (q.page - 1) * q.pageSize;
  return { items: rows.slice(start, start + q.pageSize), total: rows.length };
}
