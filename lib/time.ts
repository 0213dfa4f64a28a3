/**
 * UTC calendar helpers. Rollup buckets are UTC days ("YYYY-MM-DD") and hours ("YYYY-MM-DD HH");
 * both sort and compare as text, like PocketBase's timestamps ("YYYY-MM-DD HH:MM:SS.sssZ").
 */

/**
 * What one point of a series is. Day and hour are the rollups' own buckets; longer ranges sum
 * days into weeks (Monday to Sunday, UTC) for up to two years and months beyond, so a
 * 365-day chart has 53 bars, not 365. The rule is by the range's length in days, the same for
 * presets, custom ranges and all time (lib/range.ts chooses; README, OpenAPI, /methodology
 * state it from there).
 */
export type Bucket = "hour" | "day" | "week" | "month";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function utcHour(d: Date): string {
  return d.toISOString().slice(0, 13).replace("T", " ");
}

export function addDays(day: string, n: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

export function addHours(hour: string, n: number): string {
  return utcHour(new Date(Date.parse(`${hour.replace(" ", "T")}:00:00Z`) + n * HOUR_MS));
}

/** Every day from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Every hour from `from` to `to`, inclusive. */
export function hoursBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let h = from; h <= to; h = addHours(h, 1)) out.push(h);
  return out;
}

const isHour = (bucket: string) => bucket.length === 13;

/** The bucket after `bucket` (next day or next hour). */
export function nextBucket(bucket: string): string {
  return isHour(bucket) ? addHours(bucket, 1) : addDays(bucket, 1);
}

/** PocketBase's datetime text format, which sorts and compares as a string. */
export function pbTime(d: Date): string {
  return d.toISOString().replace("T", " ");
}

/** Start of a UTC day or hour bucket in PocketBase's format. */
export function bucketStart(bucket: string): string {
  return isHour(bucket) ? `${bucket}:00:00.000Z` : `${bucket} 00:00:00.000Z`;
}

/** How a series point reads in tables and tooltips: "2026-11-22 13:00", "2026-11-22", "week of 2026-11-16", "2026-11". */
export function bucketLabel(bucket: string, kind?: Bucket): string {
  if (isHour(bucket)) return `${bucket}:00`;
  return kind === "week" ? `week of ${bucket}` : bucket;
}

/**
 * A short axis tick: "13:00" for an hour, "11-22" for a day ("2026-11-22" when the axis spans
 * years), the Monday's date for a week, "2026-11" for a month — long axes always show years.
 */
export function bucketTick(bucket: string, kind?: Bucket, spansYears = false): string {
  if (isHour(bucket)) return `${bucket.slice(11)}:00`;
  if (kind === "week" || bucket.length === 7 || spansYears) return bucket;
  return bucket.slice(5);
}

/** Column header for a table of series points. */
export function bucketHeading(kind: Bucket): string {
  return { hour: "Hour (UTC)", day: "Day (UTC)", week: "Week (UTC, from Monday)", month: "Month (UTC)" }[kind];
}
