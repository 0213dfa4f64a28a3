/**
 * Time ranges the dashboard shows: a run of whole UTC buckets, `from` to `to` inclusive.
 * Day presets end today (today counts up to now): "last 30 days" is today and the 29 days
 * before it, as in Plausible. "24h" is hourly: the current hour (so far) and the 23 before it,
 * read from the hourly rollups. Rollup buckets are the same UTC days and hours, so ranges align
 * exactly with them.
 */
import { DEFAULT_REPO, type Repo } from "./repo";
import { CALENDAR_FIRST, type Grain } from "./rollups/spec";
import { addDays, addHours, type Bucket, bucketStart, daysBetween, hoursBetween, nextBucket, utcDay, utcHour } from "./time";

export type { Grain };

const DAY_PRESETS = { "7d": 7, "30d": 30, "90d": 90, "365d": 365 } as const;
export const RANGE_PRESET_KEYS = ["24h", "7d", "30d", "90d", "365d", "all"] as const;
export type RangePreset = (typeof RANGE_PRESET_KEYS)[number];

/** Preset names on the range bar, and in titles ("Install runs, last 24 hours"). */
export const PRESET_LABELS: Record<RangePreset, string> = {
  "24h": "24 hours",
  "7d": "7 days",
  "30d": "30 days",
  "90d": "90 days",
  "365d": "365 days",
  all: "All time",
};

export function presetTitle(preset: RangePreset): string {
  return preset === "all" ? "all time" : `last ${PRESET_LABELS[preset]}`;
}

/** The first day any range may start (the range views' calendar starts here). */
export const FIRST_DAY = CALENDAR_FIRST;

// Bucket is the calendar's (lib/time.ts); re-exported here, where ranges choose theirs.
export type { Bucket };

/** Longest range (days) drawn day by day; longer ones week by week. */
export const DAILY_MAX_DAYS = 120;
/** Longest range (days) drawn week by week; longer ones month by month. */
export const WEEKLY_MAX_DAYS = 731;

export interface Range {
  /** The rollups read: hourly siblings for "24h", daily ones otherwise. */
  grain: Grain;
  /** First and last rollup bucket, inclusive: "YYYY-MM-DD" (day) or "YYYY-MM-DD HH" (hour), UTC. */
  from: string;
  to: string;
  /** Number of rollup buckets. */
  length: number;
  /** What one point of a series is. */
  bucket: Bucket;
  /**
   * Whose runs are counted (lib/repo.ts): every figure of a range is read for one repository
   * selection, so it travels with the range — into every rollup read and every cache key.
   */
  repo: Repo;
}

function daySpan(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** Days summed per point: days up to 4 months, weeks up to 2 years, months beyond. */
function dayBucket(days: number): Bucket {
  return days <= DAILY_MAX_DAYS ? "day" : days <= WEEKLY_MAX_DAYS ? "week" : "month";
}

export function presetRange(preset: Exclude<RangePreset, "all">, now: Date): Range {
  if (preset === "24h") {
    const to = utcHour(now);
    return { grain: "hour", from: addHours(to, -23), to, length: 24, bucket: "hour", repo: DEFAULT_REPO };
  }
  const to = utcDay(now);
  const days = DAY_PRESETS[preset];
  return { grain: "day", from: addDays(to, -(days - 1)), to, length: days, bucket: dayBucket(days), repo: DEFAULT_REPO };
}

/**
 * "All time": from the first day with data (`firstDay`, lib/data/queries/overview.ts) to today; just
 * today when there is no data yet. Its points follow its length like any range's.
 */
export function allTimeRange(now: Date, firstDay: string | null): Range {
  const to = utcDay(now);
  return customRange(firstDay === null || firstDay > to ? to : firstDay < FIRST_DAY ? FIRST_DAY : firstDay, to);
}

export function customRange(from: string, to: string): Range {
  const length = daySpan(from, to);
  return { grain: "day", from, to, length, bucket: dayBucket(length), repo: DEFAULT_REPO };
}

/** The same range read for another repository selection. */
export function withRepo<R extends Range>(range: R, repo: Repo): R {
  return range.repo === repo ? range : { ...range, repo };
}

/** The range of equal length just before `range` (for "change vs previous period"). */
export function previousRange(range: Range): Range {
  const shift = range.grain === "hour" ? addHours : addDays;
  return { ...range, from: shift(range.from, -range.length), to: shift(range.from, -1) };
}

/** Every bucket of the range, in order. */
export function rangeBuckets(range: Pick<Range, "from" | "to" | "grain">): string[] {
  return range.grain === "hour" ? hoursBetween(range.from, range.to) : daysBetween(range.from, range.to);
}

/** The range's first instant, and the instant just after it, as PocketBase timestamps. */
export function rangeBounds(range: Pick<Range, "from" | "to">): { start: string; end: string } {
  return { start: bucketStart(range.from), end: bucketStart(nextBucket(range.to)) };
}

/** "30 days", "24 hours", "1 day". */
export function spanLabel(range: Pick<Range, "grain" | "length">): string {
  const unit = range.grain === "hour" ? "hour" : "day";
  return `${range.length.toLocaleString("en-US")} ${unit}${range.length === 1 ? "" : "s"}`;
}
