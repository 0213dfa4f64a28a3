/**
 * Time for the demo generator: how many runs each UTC day gets (weekly rhythm, slow growth,
 * a little day-to-day noise), where in the day they fall (fewer at night UTC), and PocketBase's
 * timestamp text. Day counts use no random stream, so countRows() knows the total up front.
 */
import { DAY_MS, HOUR_MS } from "../../lib/time";
import type { DemoEvent } from "./demo-events";
import { hashUnit } from "./prng";

export interface GenerateOptions {
  seed: number;
  /** UTC days to cover, ending with `end`'s day. */
  days: number;
  /** Average runs per day over the span; the total is round(runsPerDay × days). */
  runsPerDay: number;
  /** Nothing is created at or after this instant; the last day stops here. */
  end: Date;
  /** Seeded regressions and incidents, placed relative to `end` (default: demo-events.ts DEMO_EVENTS). */
  events?: readonly DemoEvent[];
}

/**
 * Relative install activity per UTC hour: most users are in Europe and the Americas, so the
 * trough is 02–05 UTC and the peak is the European evening / American afternoon.
 */
const HOURLY = [0.55, 0.45, 0.38, 0.33, 0.32, 0.36, 0.5, 0.68, 0.85, 0.97, 1.05, 1.12, 1.2, 1.26, 1.32, 1.38, 1.44, 1.5, 1.52, 1.5, 1.4, 1.22, 0.98, 0.74];
const HOURLY_TOTAL = HOURLY.reduce((s, w) => s + w, 0);
/** CUMULATIVE[h] = share of a day's runs before hour h (CUMULATIVE[24] = 1). */
const CUMULATIVE: number[] = [0];
for (const w of HOURLY) CUMULATIVE.push(CUMULATIVE[CUMULATIVE.length - 1]! + w / HOURLY_TOTAL);

/** Sunday … Saturday (getUTCDay order): homelabbers install at weekends. */
const WEEKDAY = [1.22, 0.94, 0.93, 0.94, 0.96, 1.05, 1.25];
/** Daily growth (~0.35 %/day ≈ 3.5× a year, in line with 6.5 k/day in 2025 → 20 k/day in 2026). */
const GROWTH_PER_DAY = 0.0035;
const NOISE = 0.16;

export function validateOptions(opts: GenerateOptions): GenerateOptions {
  if (!Number.isInteger(opts.days) || opts.days < 1) throw new RangeError(`days must be a positive integer (got ${opts.days})`);
  if (!Number.isFinite(opts.runsPerDay) || opts.runsPerDay < 0) {
    throw new RangeError(`runsPerDay must be a non-negative number (got ${opts.runsPerDay})`);
  }
  if (!Number.isInteger(opts.seed)) throw new RangeError(`seed must be an integer (got ${opts.seed})`);
  if (!(opts.end instanceof Date) || Number.isNaN(opts.end.getTime())) throw new RangeError("end must be a valid Date");
  return opts;
}

/** Share of a day's runs that happen before `msOfDay`. */
function massBefore(msOfDay: number): number {
  const hour = Math.min(23, Math.floor(msOfDay / HOUR_MS));
  const within = (msOfDay - hour * HOUR_MS) / HOUR_MS;
  return CUMULATIVE[hour]! + (within * HOURLY[hour]!) / HOURLY_TOTAL;
}

export interface DayPlan {
  /** UTC midnight of the day. */
  startMs: number;
  /** Runs on this day. */
  count: number;
  /** Runs are created before startMs + limitMs (a full day, or up to `end` on the last day). */
  limitMs: number;
}

/**
 * Runs per day: weights from growth × weekday × noise (× the elapsed share of the last day),
 * scaled to the exact total with largest-remainder rounding, so `--records N` gives N rows.
 */
export function planDays(opts: GenerateOptions): DayPlan[] {
  const endMs = opts.end.getTime();
  const lastDay = Math.floor(endMs / DAY_MS);
  const plans: (DayPlan & { weight: number })[] = [];
  for (let i = 0; i < opts.days; i++) {
    const dayNum = lastDay - (opts.days - 1) + i;
    const startMs = dayNum * DAY_MS;
    const limitMs = dayNum === lastDay ? endMs - startMs : DAY_MS;
    const weekday = WEEKDAY[new Date(startMs).getUTCDay()]!;
    const growth = Math.exp(-GROWTH_PER_DAY * (opts.days - 1 - i));
    const noise = 1 + NOISE * (hashUnit(opts.seed, dayNum) - 0.5);
    plans.push({ startMs, limitMs, count: 0, weight: weekday * growth * noise * massBefore(limitMs) });
  }
  const total = Math.round(opts.runsPerDay * opts.days);
  const weightSum = plans.reduce((s, p) => s + p.weight, 0);
  if (weightSum === 0) return plans.map(({ startMs, limitMs }) => ({ startMs, limitMs, count: 0 }));
  const exact = plans.map((p) => (p.weight / weightSum) * total);
  plans.forEach((p, i) => (p.count = Math.floor(exact[i]!)));
  let left = total - plans.reduce((s, p) => s + p.count, 0);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (left-- <= 0) break;
    plans[i]!.count++;
  }
  return plans.map(({ startMs, limitMs, count }) => ({ startMs, limitMs, count }));
}

/**
 * Maps a sorted uniform p ∈ [0, 1) to a creation time on the plan's day through the inverse of
 * the hourly rhythm (restricted to before limitMs). Monotone, so sorted p give sorted times;
 * the hour pointer only moves forward, so a whole day costs O(rows + 24).
 */
export function dayClock(plan: DayPlan): (p: number) => number {
  const mass = massBefore(plan.limitMs);
  let hour = 0;
  return (p) => {
    const target = p * mass;
    while (hour < 23 && CUMULATIVE[hour + 1]! <= target) hour++;
    const within = ((target - CUMULATIVE[hour]!) * HOURLY_TOTAL) / HOURLY[hour]!;
    const ms = Math.floor((hour + within) * HOUR_MS);
    return plan.startMs + Math.max(0, Math.min(plan.limitMs - 1, ms));
  };
}

const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));
let cachedDay = NaN;
let cachedPrefix = "";

/**
 * PocketBase's "YYYY-MM-DD HH:MM:SS.sssZ" (UTC), same as lib/time.ts pbTime but without a Date
 * and toISOString per call: the generator formats two timestamps per row, millions of times.
 */
export function pbTimestamp(time: number): string {
  const ms = Math.floor(time); // whole milliseconds, as PocketBase stores them
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11).replace("T", " ");
  }
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / HOUR_MS);
  rest -= h * HOUR_MS;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  return `${cachedPrefix}${PAD2[h]}:${PAD2[m]}:${PAD2[s]}.${PAD3[rest - s * 1000]}Z`;
}
