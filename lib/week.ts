/**
 * Calendar weeks for the weekly digest: Monday to Sunday in UTC (ISO 8601), named by their
 * Monday ("2026-11-16"). UTC days have no daylight-saving shifts, so every week is exactly
 * seven rollup days. A week is complete once its Sunday is over: the digest never shows the
 * week still going on, whose figures would compare a few days with a whole week. Pure.
 */
import { weekOf } from "./buckets";
import { customRange, FIRST_DAY, type Range } from "./range";
import { addDays, utcDay } from "./time";

export interface Week {
  monday: string;
  sunday: string;
}

/** The week containing `day` ("YYYY-MM-DD"). */
export function weekContaining(day: string): Week {
  const monday = weekOf(day);
  return { monday, sunday: addDays(monday, 6) };
}

export function isMonday(day: string): boolean {
  return weekOf(day) === day;
}

/** The first whole week the rollups' calendar holds (their first day is a Wednesday). */
export const FIRST_WEEK = isMonday(FIRST_DAY) ? FIRST_DAY : addDays(weekOf(FIRST_DAY), 7);

/** The week `n` weeks after (negative: before) the week starting `monday`. */
export function shiftWeek(monday: string, n: number): Week {
  return weekContaining(addDays(monday, 7 * n));
}

/** The latest week whose Sunday is over: on a Monday, the week that ended last night. */
export function lastCompleteWeek(now: Date): Week {
  return shiftWeek(weekOf(utcDay(now)), -1);
}

/** Whether the week starting `monday` is over at `now`. */
export function isComplete(monday: string, now: Date): boolean {
  return monday <= lastCompleteWeek(now).monday;
}

/** The last `n` complete weeks, newest first (none before FIRST_WEEK). */
export function completeWeeks(now: Date, n: number): Week[] {
  const last = lastCompleteWeek(now).monday;
  return Array.from({ length: n }, (_, i) => shiftWeek(last, -i)).filter((w) => w.monday >= FIRST_WEEK);
}

/** The week as a range of seven days (what pages, queries and the API envelope read). */
export function weekRange(monday: string): Range {
  return customRange(monday, addDays(monday, 6));
}

/**
 * ISO 8601 week number: the week belongs to the year of its Thursday, so the days around New
 * Year can sit in week 52 or 53 of the year before, or week 1 of the next.
 */
export function isoWeek(monday: string): { year: number; week: number } {
  const thursday = addDays(monday, 3);
  const year = Number(thursday.slice(0, 4));
  const dayOfYear = Math.round((Date.parse(`${thursday}T00:00:00Z`) - Date.UTC(year, 0, 1)) / 86_400_000);
  return { year, week: Math.floor(dayOfYear / 7) + 1 };
}

/**
 * The weeks around `monday` a reader can move to: the one before (none before `first`, the
 * first week with data — lib/params.ts firstWeek) and after (none while not over).
 */
export function neighbours(monday: string, now: Date, first: string): { previous: Week | null; next: Week | null } {
  const previous = shiftWeek(monday, -1);
  const next = shiftWeek(monday, 1);
  return { previous: previous.monday >= first ? previous : null, next: isComplete(next.monday, now) ? next : null };
}
