/**
 * The series both scans read, laid out by the scan plan: every app's failures and decided runs
 * per bucket (days, then hours for apps that failed in the hourly part), and the window of a
 * finding as a range-view span.
 */
import { REGRESSION_SCAN } from "./regressions";
import { joinParts, type ScanPlan } from "./scan-plan";
import { mergeSeriesBy, rowVersions, type InsightsSource, type SeriesRow, type Span } from "./source";
import type { AppBuckets } from "./incidents";
import { LatestMemo } from "./search-memo";

/**
 * Every app with at least REGRESSION_SCAN.minExcess failures in the scan (no finding is
 * possible below), daily and hourly parts joined. Hours are read only for apps whose days show
 * failures in the hourly part (joinParts: the others keep their days), after the days: a
 * filtered read of the hourly series costs a fraction of grouping every app's hours.
 */
export async function appScanSeries(source: InsightsSource, plan: ScanPlan): Promise<AppBuckets[]> {
  const daily = await source.series<"nsapp" | "type" | "repo">("stats_app", { from: plan.from, to: plan.to, grain: "day" }, REGRESSION_SCAN.minExcess);
  const hourlyFrom = plan.hourly?.from.slice(0, 10);
  const failing = hourlyFrom === undefined ? [] : [...new Set(daily.filter((r) => r.buckets.some((b) => b.bucket >= hourlyFrom && b.failed > 0)).map((r) => String(r.key.nsapp)))];
  const hourly = plan.hourly && failing.length ? await source.series<"nsapp" | "type">("stats_app", { ...plan.hourly, grain: "hour" }, 1, { nsapp: failing }) : [];
  const versions = appVersions(plan, daily, hourly);
  const hourlyOf = byApp(hourly);
  return [...byApp(daily)].map(([nsapp, rows]) => {
    const version = versions.get(nsapp) ?? undefined;
    const build = (): AppBuckets => {
      const hours = hourlyOf.get(nsapp);
      const hourlyBuckets = plan.hourly ? (hours ? mergeSeriesBy(hours, "nsapp").get(nsapp)!.buckets : null) : [];
      return {
        nsapp,
        buckets: joinParts(plan, mergeSeriesBy(rows, "nsapp").get(nsapp)!.buckets, hourlyBuckets).map((b) => ({
          bucket: b.bucket,
          failed: b.failed,
          decided: b.success + b.failed,
        })),
        version,
      };
    };
    // Equal versions mean equal buckets (appVersions): the app's series of the last scan of this
    // plan and selection is kept (frozen: callers share it) while its rows are the same.
    if (version === undefined) return build();
    const slot = `${nsapp}\n${planId(plan)}\n${rows.map((r) => r.key.repo).join(",")}`;
    return APP_SERIES.get(slot, version, () => Object.freeze(build()));
  });
}

/** Each app's scan series of the last scans, per plan and selection (most apps' runs did not change since the last). */
const APP_SERIES = new LatestMemo<AppBuckets>(20_000);

const planId = (plan: ScanPlan) => `${plan.from}|${plan.to}|${plan.hourly?.from ?? ""}|${plan.hourly?.to ?? ""}|${plan.open}`;

/** Rows by app, in the order the apps first appear. */
function byApp<K extends string>(rows: readonly SeriesRow<K | "nsapp">[]): Map<string, SeriesRow<K | "nsapp">[]> {
  const out = new Map<string, SeriesRow<K | "nsapp">[]>();
  for (const r of rows) {
    const nsapp = String(r.key.nsapp);
    const list = out.get(nsapp);
    if (list) list.push(r);
    else out.set(nsapp, [r]);
  }
  return out;
}

/**
 * Each app's series version: the plan and its rows' versions (lib/insights/source.ts
 * rowVersions), daily and hourly, or null when a row has none (read from a view). The rows an
 * app's buckets are made of, read for the same plan, give the same buckets; rows left out (too
 * few failures) contribute nothing, so they need not be named.
 */
function appVersions(plan: ScanPlan, daily: readonly SeriesRow<"nsapp" | "type">[], hourly: readonly SeriesRow<"nsapp" | "type">[]): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const prefix = planId(plan);
  for (const [grain, rows] of [
    ["d", daily],
    ["h", hourly],
  ] as const) {
    for (const r of rows) {
      const nsapp = String(r.key.nsapp);
      const v = rowVersions.get(r);
      const had = out.has(nsapp) ? out.get(nsapp)! : prefix;
      out.set(nsapp, had === null || v === undefined ? null : `${had}|${grain}${r.key.type}@${v}`);
    }
  }
  return out;
}

/** The window of a finding as a range-view span: hours when it lies in the hourly part, else whole days. */
export function windowSpan(f: { start: string; last: string }): Span {
  if (f.start.length === 13) return { from: f.start, to: f.last, grain: "hour" };
  return { from: f.start, to: f.last.slice(0, 10), grain: "day" };
}
