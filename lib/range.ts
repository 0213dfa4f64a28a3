/**
 * Date ranges the dashboard shows. A range is a span of whole UTC days, `from` to `to`
 * inclusive. Presets end today (today counts up to now): "last 30 days" is today and the 29
 * days before it, as in Plausible. Rollup buckets are UTC days, so ranges align exactly.
 */
import { CALENDAR_FIRST } from "./rollups/spec";
import { addDays, utcDay } from "./time";

export const RANGE_PRESETS = { "7d": 7, "30d": 30, "90d": 90, "365d": 365 } as const;
export type RangePreset = keyof typeof RANGE_PRESETS | "all";
export const RANGE_PRESET_KEYS = [...(Object.keys(RANGE_PRESETS) as (keyof typeof RANGE_PRESETS)[]), "all"] as const;

/** The first day any range may start (the range views' calendar starts here). */
export const FIRST_DAY = CALENDAR_FIRST;

export interface DayRange {
  from: string;
  to: string;
  days: number;
}

function span(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

export function presetRange(preset: RangePreset, now: Date): DayRange {
  const to = utcDay(now);
  if (preset === "all") return { from: FIRST_DAY, to, days: span(FIRST_DAY, to) };
  const days = RANGE_PRESETS[preset];
  return { from: addDays(to, -(days - 1)), to, days };
}

export function customRange(from: string, to: string): DayRange {
  return { from, to, days: span(from, to) };
}

/** The range of equal length just before `range` (for "change vs previous period"). */
export function previousRange(range: DayRange): DayRange {
  return { from: addDays(range.from, -range.days), to: addDays(range.from, -1), days: range.days };
}
