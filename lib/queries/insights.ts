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
import { pocketbaseSource } from "./insights-source";
import { rangeAll } from "./rollup-range";

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
 * two-proportion test and Benjamini–Hochberg over all apps compared (rate-change.ts).
 */
export async function fetchRateChanges(range: Range): Promise<AppRateChange[]> {
  const pb = publicClient();
  const [now, before] = await Promise.all([rangeAll<"nsapp" | "type">(pb, "stats_app", range), rangeAll<"nsapp" | "type">(pb, "stats_app", previousRange(range))]);
  const sum = (rows: typeof now) => {
    const m = new Map<string, { failed: number; decided: number }>();
    for (const r of rows) {
      const a = m.get(String(r.nsapp)) ?? { failed: 0, decided: 0 };
      a.failed += r.failed;
      a.decided += r.failed + r.success;
      m.set(String(r.nsapp), a);
    }
    return m;
  };
  const current = sum(now);
  const previous = sum(before);
  const empty = { failed: 0, decided: 0 };
  const changes = rateChanges([...current].map(([key, c]) => ({ key, current: c, previous: previous.get(key) ?? empty })));
  return [...changes]
    .map(([nsapp, c]) => {
      const cur = current.get(nsapp) ?? empty;
      const prev = previous.get(nsapp) ?? empty;
      return {
        nsapp,
        failed: cur.failed,
        decided: cur.decided,
        rate: c.rate,
        previous_failed: prev.failed,
        previous_decided: prev.decided,
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
