/**
 * Failure rates for the overview and an app page, from rollup rows (any InsightsSource): the
 * rate over time with its 95 % band, totals with the actionable rate, failures per category,
 * and — for an app — what is unusual about its failures.
 */
import { errorCategory, isOutsideScriptControl } from "../exit-codes";
import { pointOf, seriesPoints } from "../buckets";
import type { Range } from "../range";
import { causeOf, scriptDefaults, type Cause } from "./find-regressions";
import { categoryCounts, outsideFailures, rateSeries, withActionable, type CategoryCount, type RatePoint, type RateWithActionable } from "./rates";
import type { InsightsSource, KeyedTotals, Span } from "./source";
import { asTraitRows, traitCounts, traitTotal } from "./trait-counts";
import { unusualTraits } from "./traits";

/** A rate with its interval and its actionable twin, flat and snake_case (API and CSV). */
export interface RateFigures {
  failed: number;
  decided: number;
  rate: number | null;
  low: number | null;
  high: number | null;
  outside_failed: number;
  actionable_failed: number;
  actionable_decided: number;
  actionable_rate: number | null;
  actionable_low: number | null;
  actionable_high: number | null;
}

export interface RateSeriesPoint extends RateFigures {
  /** A point of the range (lib/buckets.ts): an hour, day, week (its Monday) or month. */
  bucket: string;
  /** The range covers only part of the point, or it is still going on. */
  partial: boolean;
  runs: number;
}

export interface CategoryFigures {
  category: string;
  label: string;
  failed: number;
  share: number;
  outside_script_control: boolean;
}

export interface FailureOverview {
  totals: RateFigures & { runs: number };
  categories: CategoryFigures[];
  /** One point per point of the range (Range.bucket: hour, day, week or month); rate and band null below BAND_MIN_DECIDED decided runs. */
  series: RateSeriesPoint[];
}

export interface AppInsights extends FailureOverview {
  nsapp: string;
  /** Traits over-represented among the app's failures (empty when nothing is significant). */
  unusual: Cause[];
}

export function rateFigures(r: RateWithActionable): RateFigures {
  const a = r.actionable;
  return {
    failed: r.failed,
    decided: r.decided,
    rate: r.rate,
    low: r.low,
    high: r.high,
    outside_failed: r.outsideFailed,
    actionable_failed: a.failed,
    actionable_decided: a.decided,
    actionable_rate: a.rate,
    actionable_low: a.low,
    actionable_high: a.high,
  };
}

const seriesPoint = (p: RatePoint, partial: boolean): RateSeriesPoint => ({ bucket: p.bucket, partial, runs: p.runs, ...rateFigures(p) });
const categoryFigures = (c: CategoryCount): CategoryFigures => ({
  category: c.category,
  label: c.label,
  failed: c.failed,
  share: c.share,
  outside_script_control: c.outsideScriptControl,
});

/**
 * Builds the overview from per-bucket outcome rows and per-bucket failures per exit code: rollup
 * buckets (hours, days) are summed into the range's points (weeks and months for long ranges,
 * as every series), each rate and band computed over its point.
 */
function assemble(
  range: Range,
  now: Date,
  rows: readonly (KeyedTotals & { bucket: string })[],
  codes: readonly { bucket: string; exit_code: number; failed: number }[],
): FailureOverview {
  const outside = new Map<string, number>();
  const periods = new Map<string, { exit_code: number; failed: number }[]>();
  for (const c of codes) {
    if (c.failed === 0) continue;
    const day = c.bucket.slice(0, 10);
    const point = pointOf(range, c.bucket);
    if (isOutsideScriptControl(errorCategory(c.exit_code, day))) outside.set(point, (outside.get(point) ?? 0) + c.failed);
    periods.set(day, [...(periods.get(day) ?? []), c]);
  }
  const categories = categoryCounts([...periods].map(([from, list]) => ({ from, codes: list })));
  const points = seriesPoints(range, now);
  const series = rateSeries(
    points.map((p) => p.bucket),
    rows.map((r) => ({ ...r, bucket: pointOf(range, r.bucket) })),
    outside,
  );
  const failed = series.reduce((s, p) => s + p.failed, 0);
  const decided = series.reduce((s, p) => s + p.decided, 0);
  return {
    totals: { runs: series.reduce((s, p) => s + p.runs, 0), ...rateFigures(withActionable(failed, decided, outsideFailures(categories))) },
    categories: categories.map(categoryFigures),
    series: series.map((p, i) => seriesPoint(p, points[i]!.partial)),
  };
}

const spanOf = (range: Range): Span => ({ from: range.from, to: range.to, grain: range.grain });

/** Every run of the range: failure rate over time, totals with the actionable rate, categories. */
export async function findFailureOverview(source: InsightsSource, range: Range, now = new Date()): Promise<FailureOverview> {
  const span = spanOf(range);
  const [rows, codes] = await Promise.all([source.bucketRows("stats_daily", span, {}), source.series<"exit_code">("stats_code", span, 1)]);
  const codeRows = codes.flatMap((r) => r.buckets.map((b) => ({ bucket: b.bucket, exit_code: Number(r.key.exit_code), failed: b.failed })));
  return assemble(range, now, rows, codeRows);
}

/** One app: the overview's figures for its runs, plus what is unusual about its failures. */
export async function findAppInsights(source: InsightsSource, nsapp: string, range: Range, now = new Date()): Promise<AppInsights> {
  const span = spanOf(range);
  const one = { nsapp: [nsapp] };
  const [rows, codes, os, env, resources, hardware] = await Promise.all([
    source.bucketRows("stats_app", span, one),
    source.bucketRows("stats_app_code", span, one),
    source.totals("stats_app_os", span, one),
    source.totals("stats_app_env", span, one),
    source.totals("stats_app_resources", span, one),
    source.totals("stats_app_hardware", span, one),
  ]);
  const overview = assemble(
    range,
    now,
    rows,
    codes.map((c) => ({ bucket: c.bucket, exit_code: Number(c.exit_code), failed: c.failed })),
  );
  const traitRows = asTraitRows({ os, env, resources, hardware });
  const unusual = unusualTraits(traitCounts(traitRows, scriptDefaults(nsapp)), traitTotal(traitRows.env)).map(causeOf);
  return { nsapp, ...overview, unusual };
}
