/**
 * Series points of a range (lib/range.ts `Range.bucket`): the rollups' hours and days as they
 * are, or days summed into weeks (keyed by their Monday, "YYYY-MM-DD") and months ("YYYY-MM").
 * A point is partial when the range covers only part of it, or it is still going on (today,
 * this hour, this week…), so charts can say so instead of showing a dip.
 */
import type { Bucket, Range } from "./range";
import { addDays, daysBetween, hoursBetween, utcDay, utcHour } from "./time";

export interface SeriesPoint {
  /** "YYYY-MM-DD HH" (hour), "YYYY-MM-DD" (day; the Monday of a week), "YYYY-MM" (month), UTC. */
  bucket: string;
  /** The range covers only part of this point, or it is not over yet. */
  partial: boolean;
}

/** Monday of the UTC week of `day`. */
export function weekOf(day: string): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, -((dow + 6) % 7));
}

/** The point a rollup bucket (a day, or an hour for hourly ranges) belongs to. */
export function pointOf(range: Pick<Range, "bucket">, rollupBucket: string): string {
  if (range.bucket === "week") return weekOf(rollupBucket.slice(0, 10));
  if (range.bucket === "month") return rollupBucket.slice(0, 7);
  return rollupBucket;
}

/** First and last day of a point (hours: the hour itself). */
export function pointSpan(bucket: Bucket, key: string): [string, string] {
  if (bucket === "week") return [key, addDays(key, 6)];
  if (bucket === "month") {
    const [y, m] = key.split("-").map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    return [`${key}-01`, last];
  }
  return [key, key];
}

/** Every point of the range, in order, with partial flags; `now` marks the one going on. */
export function seriesPoints(range: Range, now: Date): SeriesPoint[] {
  const current = range.grain === "hour" ? utcHour(now) : utcDay(now);
  const rollupBuckets = range.grain === "hour" ? hoursBetween(range.from, range.to) : daysBetween(range.from, range.to);
  const keys = [...new Set(rollupBuckets.map((b) => pointOf(range, b)))];
  return keys.map((key) => {
    const [first, last] = pointSpan(range.bucket, key);
    const partial = first < range.from || last > range.to || (first <= current && current <= last);
    return { bucket: key, partial };
  });
}

/**
 * Sums rows (one per rollup bucket and key) into the range's points: `add(point, row)` adds a
 * row's counts. Every point of the range, with or without data ("all time" starts where the
 * data starts: lib/range.ts allTimeRange).
 */
export function toSeries<P extends SeriesPoint, R extends { bucket: string }>(
  range: Range,
  now: Date,
  rows: readonly R[],
  zero: (p: SeriesPoint) => P,
  add: (point: P, row: R) => void,
): P[] {
  const points = seriesPoints(range, now).map(zero);
  const index = new Map(points.map((p, i) => [p.bucket, i]));
  for (const r of rows) {
    const i = index.get(pointOf(range, r.bucket));
    if (i !== undefined) add(points[i]!, r);
  }
  return points;
}
