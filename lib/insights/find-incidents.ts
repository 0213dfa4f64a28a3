/**
 * Cross-app incidents over a range, from rollup rows (any InsightsSource): scan each exit code's
 * and each category's share of all decided runs (incidents.ts), then, for every significant
 * window, read which apps it hit more than their own baseline predicts. Reads the hourly
 * rollups for the last three days, so an incident shows up within minutes of its runs.
 */
import { categoryLabel, errorCategory, explainExitCode } from "../exit-codes";
import type { Range } from "../range";
import {
  affectedApps,
  elevatedApps,
  MIN_INCIDENT_APPS,
  signalWindows,
  withoutExplainedCategories,
  type AffectedApp,
  type AppBuckets,
  type SignalSeries,
  type SignalWindow,
} from "./incidents";
import { CATALOGUE_APPS } from "./catalogue";
import { SearchMemo } from "./search-memo";
import { appScanSeries, windowSpan } from "./scan-series";
import { joinParts, overlaps, scanPlan, spansOverlap, type ScanPlan } from "./scan-plan";
import { type BucketOutcomes, type InsightsSource, rowVersions, type SeriesRow, type Span } from "./source";

export interface IncidentApp {
  nsapp: string;
  failed: number;
  expected_failures: number;
  excess_failures: number;
  p_value: number;
}

export interface Incident {
  /** The exit code that spiked, or null when the signal is a whole category. */
  exit_code: number | null;
  /** The code's category, or the category that spiked. */
  category: string;
  /** What it means: the code's explanation, or the category's name. */
  label: string;
  start: string;
  end: string | null;
  last: string;
  failed: number;
  expected_failures: number;
  excess_failures: number;
  rate: number;
  baseline_rate: number;
  q_value: number;
  apps: IncidentApp[];
  /** Other codes that spiked in the same apps at the same time (merged into this incident). */
  other_exit_codes: number[];
}

/** Codes 0–255 and the categories: everything that could have spiked. */
const ALL_CODES = 256;

function sumBuckets(rows: readonly SeriesRow<string>[]): BucketOutcomes[] {
  const by = new Map<string, BucketOutcomes>();
  for (const r of rows) {
    for (const b of r.buckets) {
      const x = by.get(b.bucket) ?? { bucket: b.bucket, success: 0, failed: 0 };
      x.success += b.success;
      x.failed += b.failed;
      by.set(b.bucket, x);
    }
  }
  return [...by.values()].sort((a, b) => (a.bucket < b.bucket ? -1 : 1));
}

/** Per-code failures per scanned bucket, and the same summed per category (by each bucket's date). */
async function signals(source: InsightsSource, plan: ScanPlan) {
  const day: Span = { from: plan.from, to: plan.to, grain: "day" };
  const hour: Span | null = plan.hourly ? { ...plan.hourly, grain: "hour" } : null;
  const [codeDays, codeHours, allDays, allHours] = await Promise.all([
    source.series<"exit_code">("stats_code", day, 1),
    hour ? source.series<"exit_code">("stats_code", hour, 1) : Promise.resolve([]),
    source.series<"type">("stats_daily", day, 0),
    hour ? source.series<"type">("stats_daily", hour, 0) : Promise.resolve([]),
  ]);
  const buckets = joinParts(plan, sumBuckets(allDays), sumBuckets(allHours)).map((b) => ({ bucket: b.bucket, decided: b.success + b.failed }));
  const hoursOf = new Map(codeHours.map((r) => [Number(r.key.exit_code), r]));
  const byCode: SignalSeries[] = codeDays.map((r) => {
    const code = Number(r.key.exit_code);
    const hours = hoursOf.get(code);
    const joined = joinParts(plan, r.buckets, hours?.buckets ?? []); // no hourly failures: none in those hours
    // The rows' versions (a store's rows have them: lib/insights/source.ts rowVersions); "-": no hourly row.
    const days = rowVersions.get(r);
    const hourly = hours === undefined ? "-" : rowVersions.get(hours);
    const version = days === undefined || hourly === undefined ? undefined : `${days}|${hourly}`;
    return { signal: { kind: "exit_code", exitCode: code }, failed: new Map(joined.map((b) => [b.bucket, b.failed])), version };
  });
  const byCategory = new Map<string, Map<string, number>>();
  // A category's version: its codes' (a code's category is fixed by the bucket's date, and the buckets are the search's input too).
  const members = new Map<string, Set<SignalSeries>>();
  for (const s of byCode) {
    if (s.signal.kind !== "exit_code") continue;
    for (const [bucket, failed] of s.failed) {
      const category = errorCategory(s.signal.exitCode, bucket.slice(0, 10));
      const m = byCategory.get(category) ?? new Map<string, number>();
      m.set(bucket, (m.get(bucket) ?? 0) + failed);
      byCategory.set(category, m);
      members.set(category, (members.get(category) ?? new Set()).add(s));
    }
  }
  const versionOf = (codes: Set<SignalSeries>) =>
    [...codes].every((c) => c.version !== undefined) ? [...codes].map((c) => `${c.signal.kind === "exit_code" ? c.signal.exitCode : ""}:${c.version}`).join(",") : undefined;
  const categories: SignalSeries[] = [...byCategory].map(([category, failed]) => ({ signal: { kind: "category", category }, failed, version: versionOf(members.get(category)!) }));
  const codesIn = (category: string, day: string) =>
    byCode.flatMap((s) => (s.signal.kind === "exit_code" && errorCategory(s.signal.exitCode, day) === category ? [s.signal.exitCode] : []));
  return { buckets, all: [...byCode, ...categories], codesIn, categoryCount: byCategory.size };
}

async function attribute(source: InsightsSource, plan: ScanPlan, w: SignalWindow, codes: readonly number[]): Promise<AffectedApp[]> {
  const span = windowSpan(w);
  const scan: Span = { from: plan.from, to: plan.to, grain: "day" };
  const inWindow = await source.totals("stats_app_code", span, { exit_code: codes });
  const sum = (rows: typeof inWindow, pick: (r: (typeof inWindow)[number]) => number) => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(String(r.nsapp), (m.get(String(r.nsapp)) ?? 0) + pick(r));
    return m;
  };
  const windowFailed = sum(inWindow, (r) => r.failed);
  const apps = [...windowFailed].filter(([, n]) => n > 0).map(([a]) => a);
  // An affected app needs two failures of it: fewer such apps than an incident needs, stop here.
  if ([...windowFailed.values()].filter((n) => n >= 2).length < MIN_INCIDENT_APPS) return [];
  const [inScan, appWindow, appScan] = await Promise.all([
    source.totals("stats_app_code", scan, { exit_code: codes, nsapp: apps }),
    source.totals("stats_app", span, { nsapp: apps }),
    source.totals("stats_app", scan, { nsapp: apps }),
  ]);
  const decidedWindow = sum(appWindow, (r) => r.success + r.failed);
  const decidedScan = sum(appScan, (r) => r.success + r.failed);
  const scanFailed = sum(inScan, (r) => r.failed);
  return affectedApps(
    w,
    apps.map((nsapp) => {
      const wf = windowFailed.get(nsapp) ?? 0;
      const wd = decidedWindow.get(nsapp) ?? 0;
      return { nsapp, windowFailed: wf, windowDecided: wd, baselineFailed: (scanFailed.get(nsapp) ?? 0) - wf, baselineDecided: (decidedScan.get(nsapp) ?? 0) - wd };
    }),
    CATALOGUE_APPS,
  );
}

/** A significant window of a code or category, with the apps whose own failures rose in it. */
export interface IncidentCandidate {
  window: SignalWindow;
  /** The codes to read per app: the code, or the category's codes on the window's first day. */
  codes: readonly number[];
  /** Apps whose failures of any kind were clearly up in the window (elevatedApps). */
  elevated: readonly string[];
}

/** The codes' and categories' window searches, kept for the process's scans (incidents.ts signalWindows). */
const SIGNAL_SEARCHES = new SearchMemo(5_000);

/** Significant code and category windows overlapping the range that several apps' series support. */
export async function incidentCandidates(source: InsightsSource, plan: ScanPlan, range: Range, appSeries: Promise<AppBuckets[]>): Promise<IncidentCandidate[]> {
  const [s, apps] = await Promise.all([signals(source, plan), appSeries]);
  const significant = signalWindows(s.buckets, s.all, { hypotheses: ALL_CODES + s.categoryCount, openEnd: plan.open, memo: SIGNAL_SEARCHES });
  return withoutExplainedCategories(significant, (code, bucket) => errorCategory(code, bucket.slice(0, 10))).flatMap((w) => {
    if (!overlaps(w.start, w.end, range)) return [];
    const elevated = elevatedApps(w, apps);
    if (elevated.length < MIN_INCIDENT_APPS) return [];
    const codes = w.signal.kind === "exit_code" ? [w.signal.exitCode] : s.codesIn(w.signal.category, w.start.slice(0, 10));
    return [{ window: w, codes, elevated }];
  });
}

/** The candidate as an incident, when enough apps had clearly more failures of it than usual. */
export async function confirmIncident(source: InsightsSource, plan: ScanPlan, c: IncidentCandidate): Promise<Incident | null> {
  const w = c.window;
  const apps = await attribute(source, plan, w, c.codes);
  if (apps.length < MIN_INCIDENT_APPS) return null;
  const day = w.start.slice(0, 10);
  const code = w.signal.kind === "exit_code" ? w.signal.exitCode : null;
  const category = w.signal.kind === "exit_code" ? errorCategory(w.signal.exitCode, day) : w.signal.category;
  return {
    exit_code: code,
    category,
    label: code === null ? categoryLabel(category) : explainExitCode(code, day),
    start: w.start,
    end: w.end,
    last: w.last,
    failed: w.failed,
    expected_failures: w.expected,
    excess_failures: w.excess,
    rate: w.rate,
    baseline_rate: w.baselineRate,
    q_value: w.q,
    apps: apps.map((a) => ({ nsapp: a.nsapp, failed: a.failed, expected_failures: a.expected, excess_failures: a.excess, p_value: a.p })),
    other_exit_codes: [],
  };
}

/**
 * One outage often shows as several codes (a DNS failure: 6 and 7; failures reported with 0):
 * an incident overlapping a larger one in time and sharing at least half of its apps becomes
 * one of the larger one's `other_exit_codes`.
 */
export function mergeIncidents(incidents: readonly Incident[]): Incident[] {
  const kept: Incident[] = [];
  for (const i of [...incidents].sort((a, b) => b.excess_failures - a.excess_failures)) {
    const apps = new Set(i.apps.map((a) => a.nsapp));
    const host = kept.find(
      (k) =>
        spansOverlap({ start: k.start, last: k.end === null ? null : k.last }, { start: i.start, last: i.end === null ? null : i.last }) &&
        k.apps.filter((a) => apps.has(a.nsapp)).length * 2 >= Math.min(apps.size, k.apps.length),
    );
    if (!host) kept.push({ ...i, other_exit_codes: [...i.other_exit_codes] });
    else if (i.exit_code !== null && i.exit_code !== host.exit_code) host.other_exit_codes.push(i.exit_code);
  }
  return kept;
}

export async function confirmIncidents(source: InsightsSource, plan: ScanPlan, candidates: readonly IncidentCandidate[]): Promise<Incident[]> {
  const found = await Promise.all(candidates.map((c) => confirmIncident(source, plan, c)));
  return mergeIncidents(found.filter((i): i is Incident => i !== null)).sort((a, b) => Number(b.end === null) - Number(a.end === null) || b.excess_failures - a.excess_failures);
}

/** Incidents overlapping the range, open first, then by excess failures. */
export async function findIncidents(source: InsightsSource, range: Range, now: Date): Promise<Incident[]> {
  const plan = scanPlan(range, now);
  return confirmIncidents(source, plan, await incidentCandidates(source, plan, range, appScanSeries(source, plan)));
}
