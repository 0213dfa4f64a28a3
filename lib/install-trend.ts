/**
 * An app's install time as a trend: the points of a range (weeks or months) each read as its
 * own range by the install-time reader (lib/durations.ts). Pure.
 */
import { pointSpan, type SeriesPoint, seriesPoints } from "./buckets";
import { customRange, type Range, WEEKLY_MAX_DAYS } from "./range";

/** Ranges shorter than this get no install-time trend (a week or two of points says nothing). */
export const TREND_MIN_DAYS = 28;
/** Up to this many days the trend's points are weeks; up to WEEKLY_MAX_DAYS months; beyond, none. */
export const TREND_WEEKS_MAX_DAYS = 92;

export interface TrendPoint extends SeriesPoint {
  /** The days of the range this point covers (its own range: the percentiles are read for it). */
  range: Range;
}

/**
 * The points of an app's install-time trend over a range: weeks (from Monday) up to
 * TREND_WEEKS_MAX_DAYS, months up to WEEKLY_MAX_DAYS — at most 14 or 25 points, each read as
 * its own range, since percentiles do not add up. First and last points are clipped to the
 * range and partial, like any series' (lib/buckets.ts). Null: the range is too short or too
 * long (hourly ranges are short). Pure.
 */
export function trendPoints(range: Range, now: Date): { unit: "week" | "month"; points: TrendPoint[] } | null {
  if (range.grain === "hour" || range.length < TREND_MIN_DAYS || range.length > WEEKLY_MAX_DAYS) return null;
  const unit = range.length <= TREND_WEEKS_MAX_DAYS ? ("week" as const) : ("month" as const);
  const points = seriesPoints({ ...range, bucket: unit }, now).map((p) => {
    const [first, last] = pointSpan(unit, p.bucket);
    return { ...p, range: customRange(first < range.from ? range.from : first, last > range.to ? range.to : last) };
  });
  return { unit, points };
}
