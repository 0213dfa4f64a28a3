/**
 * Failure rates with their 95 % Wilson intervals, per bucket (the "failure rate over time" line
 * and band) and in total, each also as an *actionable* rate: failures whose category lies
 * outside the script's control (lib/exit-codes.ts OUTSIDE_SCRIPT_CONTROL) are left out of the
 * failures and of the decided runs — they say nothing about the script. Pure.
 */
import { categoryLabel, errorCategory, isOutsideScriptControl } from "../exit-codes";
import { wilson } from "../stats";

/** Below this many decided runs a bucket's interval is too wide to draw: no band (and no rate). */
export const BAND_MIN_DECIDED = 10;

export interface Rate {
  failed: number;
  /** Successes + failures. */
  decided: number;
  rate: number | null;
  low: number | null;
  high: number | null;
}

export interface RateWithActionable extends Rate {
  /** Failures in categories outside the script's control. */
  outsideFailed: number;
  actionable: Rate;
}

export function rateOf(failed: number, decided: number, minDecided = 1): Rate {
  const w = decided >= minDecided ? wilson(failed, decided) : null;
  return { failed, decided, rate: w?.rate ?? null, low: w?.low ?? null, high: w?.high ?? null };
}

export function withActionable(failed: number, decided: number, outsideFailed: number, minDecided = 1): RateWithActionable {
  return { ...rateOf(failed, decided, minDecided), outsideFailed, actionable: rateOf(failed - outsideFailed, decided - outsideFailed, minDecided) };
}

export interface RatePoint extends RateWithActionable {
  /** "YYYY-MM-DD" or "YYYY-MM-DD HH". */
  bucket: string;
  /** Every run of the bucket, with or without a verdict (for tooltips). */
  runs: number;
}

interface BucketRow {
  bucket: string;
  success: number;
  failed: number;
  aborted: number;
  unknown: number;
  installing: number;
}

/**
 * One point per bucket of `buckets` (zeros where no row), rate and band only with at least
 * BAND_MIN_DECIDED decided runs. `outside` gives each bucket's failures outside script control.
 */
export function rateSeries(buckets: readonly string[], rows: readonly BucketRow[], outside: ReadonlyMap<string, number>): RatePoint[] {
  const sums = new Map<string, { runs: number; failed: number; decided: number }>();
  for (const r of rows) {
    const s = sums.get(r.bucket) ?? { runs: 0, failed: 0, decided: 0 };
    s.runs += r.success + r.failed + r.aborted + r.unknown + r.installing;
    s.failed += r.failed;
    s.decided += r.success + r.failed;
    sums.set(r.bucket, s);
  }
  return buckets.map((bucket) => {
    const s = sums.get(bucket) ?? { runs: 0, failed: 0, decided: 0 };
    return { bucket, runs: s.runs, ...withActionable(s.failed, s.decided, outside.get(bucket) ?? 0, BAND_MIN_DECIDED) };
  });
}

export interface CategoryCount {
  category: string;
  label: string;
  failed: number;
  /** Share of all failures. */
  share: number;
  outsideScriptControl: boolean;
}

/**
 * Failures per category. `periods` are runs of days in which every code keeps one category
 * (lib/exit-codes.ts categoryPeriods), each with its failures per exit code.
 */
export function categoryCounts(periods: readonly { from: string; codes: readonly { exit_code: number; failed: number }[] }[]): CategoryCount[] {
  const byCategory = new Map<string, number>();
  let total = 0;
  for (const p of periods) {
    for (const c of p.codes) {
      if (c.failed === 0) continue;
      const category = errorCategory(Number(c.exit_code), p.from);
      byCategory.set(category, (byCategory.get(category) ?? 0) + c.failed);
      total += c.failed;
    }
  }
  return [...byCategory]
    .map(([category, failed]) => ({
      category,
      label: categoryLabel(category),
      failed,
      share: total > 0 ? failed / total : 0,
      outsideScriptControl: isOutsideScriptControl(category),
    }))
    .sort((a, b) => b.failed - a.failed || a.category.localeCompare(b.category));
}

/** Failures outside the script's control among category counts. */
export function outsideFailures(categories: readonly CategoryCount[]): number {
  return categories.reduce((s, c) => s + (c.outsideScriptControl ? c.failed : 0), 0);
}
