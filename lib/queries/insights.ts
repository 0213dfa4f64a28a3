/**
 * Maintainer insights from the rollups (lib/insights does the statistics; docs/INSIGHTS.md
 * explains them): regressions per app, cross-app incidents, an app's unusual traits and
 * categories, failure rates over time with their band and the actionable rate, and each app's
 * failure-rate change against the previous period. Uncached, like every lib/queries function.
 */
import "server-only";
import { findAppInsights, findFailureOverview, type AppInsights, type FailureOverview } from "../insights/find-rates";
import { findIncidents, type Incident } from "../insights/find-incidents";
import type { Regression } from "../insights/find-regressions";
import { findInsights, type Insights } from "../insights/find-insights";
import { rateChanges } from "../insights/rate-change";
import { publicClient } from "../pocketbase";
import { previousRange, type Range } from "../range";
import { CALENDAR_FIRST } from "../rollups/spec";
import { pocketbaseSource } from "./insights-source";

export type { AppInsights, FailureOverview, Incident, Insights, Regression };

const source = () => pocketbaseSource(publicClient());

/** Regressions overlapping the range (open first, then by excess failures), each marked with its incident if any. */
export async function fetchRegressions(range: Range, now = new Date()): Promise<Regression[]> {
  return (await findInsights(source(), range, now)).regressions;
}

/** Both at once, for a page that shows both: one scan instead of two. */
export async function fetchRegressionsAndIncidents(range: Range, now = new Date()): Promise<Insights> {
  return findInsights(source(), range, now);
}

/** Cross-app incidents overlapping the range (open first, then by excess failures). */
export async function fetchIncidents(range: Range, now = new Date()): Promise<Incident[]> {
  return findIncidents(source(), range, now);
}

/** One app: failure rate over time with band, totals with the actionable rate, categories, unusual traits. */
export async function fetchAppInsights(nsapp: string, range: Range): Promise<AppInsights> {
  return findAppInsights(source(), nsapp, range);
}

/** All runs: failure rate over time with band, totals with the actionable rate, categories. */
export async function fetchFailureOverview(range: Range): Promise<FailureOverview> {
  return findFailureOverview(source(), range);
}

export interface AppRateChange {
  nsapp: string;
  rate: number | null;
  /** rate − previous_rate (0.018 = +1.8 percentage points). */
  change: number | null;
  p_value: number | null;
  q_value: number | null;
  significant: boolean;
  recovered: boolean;
  failed: number;
  decided: number;
  previous_failed: number;
  previous_decided: number;
  previous_rate: number | null;
  newly_failing: boolean;
}

/**
 * Every app's failure-rate change against the previous period of equal length, with the
 * two-proportion test and Benjamini–Hochberg over all apps compared (rate-change.ts). Both
 * periods come from one series view read: a range view ending at the previous period's end
 * would visit every rollup row written since (the rows "in force" at an old date are found by
 * their valid_until), which at 90 days is most of the table.
 */
export async function fetchRateChanges(range: Range): Promise<AppRateChange[]> {
  const prev = previousRange(range);
  const from = range.grain === "day" && prev.from < CALENDAR_FIRST ? CALENDAR_FIRST : prev.from;
  const rows = await source().series<"nsapp" | "type">("stats_app", { from, to: range.to, grain: range.grain }, 0);
  const empty = () => ({ failed: 0, decided: 0 });
  const periods = new Map<string, { current: { failed: number; decided: number }; previous: { failed: number; decided: number } }>();
  for (const r of rows) {
    const nsapp = String(r.key.nsapp);
    const p = periods.get(nsapp) ?? { current: empty(), previous: empty() };
    for (const b of r.buckets) {
      const side = b.bucket <= prev.to ? p.previous : p.current;
      side.failed += b.failed;
      side.decided += b.success + b.failed;
    }
    periods.set(nsapp, p);
  }
  // Apps with runs in the range (a bucket exists only where runs were, with or without a verdict).
  const inRange = new Set(rows.filter((r) => r.buckets.some((b) => b.bucket > prev.to)).map((r) => String(r.key.nsapp)));
  const changes = rateChanges([...periods].filter(([nsapp]) => inRange.has(nsapp)).map(([key, p]) => ({ key, ...p })));
  return [...changes]
    .map(([nsapp, c]) => {
      const { current: cur, previous: before } = periods.get(nsapp)!;
      return {
        nsapp,
        failed: cur.failed,
        decided: cur.decided,
        rate: c.rate,
        previous_failed: before.failed,
        previous_decided: before.decided,
        previous_rate: c.previousRate,
        change: c.change,
        p_value: c.p,
        q_value: c.q,
        significant: c.significant,
        newly_failing: c.newlyFailing,
        recovered: c.recovered,
      };
    })
    .sort((a, b) => a.nsapp.localeCompare(b.nsapp));
}
