/**
 * Maintainer insights from the rollups (lib/insights does the statistics; docs/INSIGHTS.md
 * explains them): regressions per app, cross-app incidents, an app's unusual traits and
 * categories, failure rates over time with their band and the actionable rate, and each app's
 * failure-rate change against the previous period. Uncached, like every lib/data/queries function.
 */
import "server-only";
import { findAppInsights, findFailureOverview, type AppInsights, type FailureOverview } from "../../insights/find-rates";
import { findIncidents, type Incident } from "../../insights/find-incidents";
import type { Regression } from "../../insights/find-regressions";
import { findInsights, type Insights } from "../../insights/find-insights";
import { rateChanges } from "../../insights/rate-change";
import { publicClient } from "../pocketbase";
import { previousRange, type Range } from "../../range";
import { CALENDAR_FIRST } from "../../rollups/spec";
import { pocketbaseSource } from "./insights-source";
import { rangeAll } from "./rollup-range";

export type { AppInsights, FailureOverview, Incident, Insights, Regression };

/** The finders' data for the range's repository selection. */
const source = (range: Range) => pocketbaseSource(publicClient(), range.repo);

/** Regressions overlapping the range (open first, then by excess failures), each marked with its incident if any. */
export async function queryRegressions(range: Range, now = new Date()): Promise<Regression[]> {
  return (await findInsights(source(range), range, now)).regressions;
}

/** Both at once, for a page that shows both: one scan instead of two. */
export async function queryRegressionsAndIncidents(range: Range, now = new Date()): Promise<Insights> {
  return findInsights(source(range), range, now);
}

/** Cross-app incidents overlapping the range (open first, then by excess failures). */
export async function queryIncidents(range: Range, now = new Date()): Promise<Incident[]> {
  return findIncidents(source(range), range, now);
}

/** One app: failure rate over time with band, totals with the actionable rate, categories, unusual traits. */
export async function queryAppInsights(nsapp: string, range: Range): Promise<AppInsights> {
  return findAppInsights(source(range), nsapp, range);
}

/** All runs: failure rate over time with band, totals with the actionable rate, categories. */
export async function queryFailureOverview(range: Range): Promise<FailureOverview> {
  return findFailureOverview(source(range), range);
}

export interface AppRateChange {
  nsapp: string;
  type: string;
  rate: number | null;
  /** rate − previous_rate, a fraction (0.018 = +1.8 percentage points). */
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

type Period = { failed: number; decided: number };
/** Both periods' counts per app and type ("nsapp\ntype"), for the keys with runs in the range. */
type Periods = Map<string, { nsapp: string; type: string; current: Period; previous: Period }>;

/**
 * Every app's and type's counts in the range and the previous period of equal length: two
 * range sums (docs/ROLLUPS.md "Range sums": two seeks per key wherever a period ends). The
 * previous period starts no earlier than the calendar, as the series view read it before.
 */
async function periodsOfAll(range: Range): Promise<Periods> {
  const pb = publicClient();
  const prev = previousRange(range);
  const before = { ...prev, from: range.grain === "day" && prev.from < CALENDAR_FIRST ? CALENDAR_FIRST : prev.from };
  const [current, previous] = await Promise.all([rangeAll(pb, "stats_app", range), before.from <= before.to ? rangeAll(pb, "stats_app", before) : []]);
  const periods: Periods = new Map();
  for (const r of current) {
    periods.set(`${r.nsapp}\n${r.type}`, { nsapp: r.nsapp, type: r.type, current: { failed: r.failed, decided: r.success + r.failed }, previous: { failed: 0, decided: 0 } });
  }
  for (const r of previous) {
    const p = periods.get(`${r.nsapp}\n${r.type}`);
    if (p) p.previous = { failed: r.failed, decided: r.success + r.failed };
  }
  return periods;
}

/** The same on one OS: the per-OS rollup has no series view, so its range view is read for each period. */
async function periodsOnOs(range: Range, os: string): Promise<Periods> {
  const pb = publicClient();
  const filter = { expr: "os_type = {:os}", params: { os } };
  const [current, previous] = await Promise.all([rangeAll(pb, "stats_app_os", range, { filter }), rangeAll(pb, "stats_app_os", previousRange(range), { filter })]);
  const periods: Periods = new Map();
  const add = (rows: typeof current, side: "current" | "previous", create: boolean) => {
    for (const r of rows) {
      const k = `${r.nsapp}\n${r.type}`;
      if (!periods.has(k) && create) periods.set(k, { nsapp: r.nsapp, type: r.type, current: { failed: 0, decided: 0 }, previous: { failed: 0, decided: 0 } });
      const p = periods.get(k)?.[side];
      if (!p) continue;
      p.failed += r.failed;
      p.decided += r.success + r.failed;
    }
  };
  add(current, "current", true);
  add(previous, "previous", false);
  return periods;
}

/**
 * Every app's and type's failure-rate change against the previous period of equal length — on
 * one OS when `os` is given — with the two-proportion test and Benjamini–Hochberg over every
 * app and type with runs in the range (rate-change.ts). A row of the apps table is an app and
 * type, so its change is too; filters that do not change a row's runs (type, search, minimum
 * runs) do not change the family either, so a row reads the same in every view.
 */
export async function queryRateChanges(range: Range, os: string | null = null): Promise<AppRateChange[]> {
  const periods = os ? await periodsOnOs(range, os) : await periodsOfAll(range);
  const changes = rateChanges([...periods].map(([key, p]) => ({ key, current: p.current, previous: p.previous })));
  return [...changes]
    .map(([key, c]) => {
      const { nsapp, type, current: cur, previous: before } = periods.get(key)!;
      return {
        nsapp,
        type,
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
    .sort((a, b) => a.nsapp.localeCompare(b.nsapp) || a.type.localeCompare(b.type));
}
