/**
 * Date ranges the dashboard shows. A range is a span of whole UTC days, `from` to `to`
 * inclusive, ending today (today counts up to now): "last 30 days" is today and the 29 days
 * before it, as in Plausible. Rollup buckets are UTC days, so ranges align with them exactly.
 */
import { addDays, utcDay } from "./time";

export const RANGE_PRESETS = { "7d": 7, "30d": 30, "90d": 90, "365d": 365 } as const;
export type RangePreset = keyof typeof RANGE_PRESETS;

export interface DayRange {
  from: string;
  to: string;
  days: number;
}

export function presetRange(preset: RangePreset, now: Date): DayRange {
  const days = RANGE_PRESETS[preset];
  const to = utcDay(now);
  return { from: addDays(to, -(days - 1)), to, days };
}

/** The range of equal length just before `range` (for "change vs previous period"). */
export function previousRange(range: DayRange): DayRange {
  return { from: addDays(range.from, -range.days), to: addDays(range.from, -1), days: range.days };
}
