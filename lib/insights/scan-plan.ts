/**
 * Which buckets the regression and incident scans read for a range: the range plus a baseline
 * of BASELINE_DAYS before it, in days — except that when the range reaches today, the last
 * three UTC days (today and the two before) are read in hours from the hourly rollups, which
 * always hold them (they keep 72 hours). So a regression or incident of the last hours is found
 * to the hour, minutes after its runs arrive. Pure.
 */
import type { Range } from "../range";
import { addDays, utcDay, utcHour } from "../time";

/** Days before the range that serve as baseline (a regression starting on day 1 needs one). */
export const BASELINE_DAYS = 28;
/** Longest scan: longer ranges are scanned over their last SCAN_MAX_DAYS days only. */
export const SCAN_MAX_DAYS = 180;
/** Days read in hours when the range reaches today: today and the two days before. */
export const HOURLY_DAYS = 3;

export interface ScanPlan {
  /** Whole days read from the daily rollups (null when the scan is all hours). */
  daily: { from: string; to: string } | null;
  /** Hours read from the hourly rollups, "YYYY-MM-DD HH" (null for ranges ending before today). */
  hourly: { from: string; to: string } | null;
  /** First and last day the scan covers (daily and hourly parts together). */
  from: string;
  to: string;
  /** The scan ends now: a window reaching its end is still open. */
  open: boolean;
}

export function scanPlan(range: Pick<Range, "from" | "to" | "grain">, now: Date): ScanPlan {
  const today = utcDay(now);
  const to = range.to.slice(0, 10) > today ? today : range.to.slice(0, 10);
  const wanted = addDays(range.from.slice(0, 10), -BASELINE_DAYS);
  const earliest = addDays(to, -(SCAN_MAX_DAYS - 1));
  const from = wanted > earliest ? wanted : earliest; // (day strings: not Math.max)
  if (to !== today) return { daily: { from, to }, hourly: null, from, to, open: false };
  const hourlyFromDay = addDays(today, -(HOURLY_DAYS - 1));
  const dailyTo = addDays(hourlyFromDay, -1);
  return {
    daily: from <= dailyTo ? { from, to: dailyTo } : null,
    hourly: { from: `${hourlyFromDay} 00`, to: utcHour(now) },
    from,
    to,
    open: true,
  };
}

const HOUR_MS = 3_600_000;

/** [start, end) of a day or hour bucket in ms since the epoch. */
export function bucketSpan(bucket: string): [number, number] {
  if (bucket.length === 13) {
    const start = Date.parse(`${bucket.replace(" ", "T")}:00:00Z`);
    return [start, start + HOUR_MS];
  }
  const start = Date.parse(`${bucket}T00:00:00Z`);
  return [start, start + 24 * HOUR_MS];
}

/** Whether buckets first…last (inclusive; last null = still open) overlap the range. */
export function overlaps(first: string, last: string | null, range: Pick<Range, "from" | "to">): boolean {
  const [start] = bucketSpan(first);
  const end = last === null ? Infinity : bucketSpan(last)[1];
  return start < bucketSpan(range.to)[1] && end > bucketSpan(range.from)[0];
}

/** Whether two bucket spans (first…last, null = open) overlap. */
export function spansOverlap(a: { start: string; last: string | null }, b: { start: string; last: string | null }): boolean {
  const aEnd = a.last === null ? Infinity : bucketSpan(a.last)[1];
  const bEnd = b.last === null ? Infinity : bucketSpan(b.last)[1];
  return bucketSpan(a.start)[0] < bEnd && bucketSpan(b.start)[0] < aEnd;
}

/**
 * The plan's buckets of one key: daily ones up to the daily part's end, then the hourly ones.
 * `hourly` null keeps the key's days to the end instead: for a key without a failure in the
 * hourly part, days and hours tell a scan the same (no window can end in failure-free runs),
 * so its hours need not be read.
 */
export function joinParts<B extends { bucket: string }>(plan: ScanPlan, daily: readonly B[], hourly: readonly B[] | null): B[] {
  const byBucket = (a: B, b: B) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0);
  if (hourly === null) return daily.filter((b) => b.bucket >= plan.from && b.bucket <= plan.to).sort(byBucket);
  const d = plan.daily ? daily.filter((b) => b.bucket >= plan.daily!.from && b.bucket <= plan.daily!.to) : [];
  const h = plan.hourly ? hourly.filter((b) => b.bucket >= plan.hourly!.from && b.bucket <= plan.hourly!.to) : [];
  return [...d.sort(byBucket), ...h.sort(byBucket)];
}
