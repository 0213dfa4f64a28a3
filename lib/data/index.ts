/**
 * The data functions pages, route handlers and widgets call, behind the process's data cache
 * (lib/data/cache.ts): within a window every distinct request (same function and arguments)
 * reaches PocketBase once, and when PocketBase fails the last good answer is served, marked
 * stale. The uncached functions in lib/data/queries stay what tests and the benchmark measure.
 *
 * `load…` returns a DataResult (sections render their own error or stale notice);
 * `fetch…` returns the value or throws DataUnavailableError (for code that answers one way).
 */
import "server-only";

// What callers outside lib/data see of the queries: their row types (and the OS chart's "other" key).
export type { AppListRow } from "./queries/apps";
export type { Breakdown } from "./queries/app-detail";
export type { AppDurations } from "../durations";
export type { DurationFactors, FactorValue } from "../duration-factors";
import type { AppDurations } from "../durations";
export type { CodeTrendPoint, ExitCodeRank } from "./queries/exit-codes";
export { OTHER } from "./queries/os";
export type { OsVersionRow } from "./queries/os";
export type { Overview } from "./queries/overview";
export type { Run } from "./queries/runs";
export type { AppChange } from "./queries/changes";
// The alert worker's collections (lib/alerts/worker.ts): a store bound to its account, uncached.
export { openAlertStore, type AlertStore, type Delivery, type Subscription } from "./alerts";
export type { FailingCommand } from "./queries/failing-commands";
export type { HardwareBreakdown, HardwareValue } from "./queries/hardware";
export type { ActiveSet } from "./queries/sitemap";
export { classifySourceError } from "./explain-error";
import { DataCache, LIVE, SETTLED, type CachePolicy, type DataResult } from "./cache";
import { classifySourceError, DataUnavailableError } from "./explain-error";
import * as appDetail from "./queries/app-detail";
import * as digest from "./queries/digest";
import * as durations from "./queries/durations";
import * as durationFactors from "./queries/duration-factors";
import * as testing from "./queries/testing";
import * as apps from "./queries/apps";
import * as exitCodes from "./queries/exit-codes";
import * as failingCommands from "./queries/failing-commands";
import * as hardware from "./queries/hardware";
import * as os from "./queries/os";
import * as overview from "./queries/overview";
import * as overviewPage from "./queries/overview-page";
import * as insights from "./queries/insights";
import * as changes from "./queries/changes";
import * as runs from "./queries/runs";
import * as sitemap from "./queries/sitemap";
import { appExists as appExistsUncached } from "./queries/known";
import { serverConfig } from "../config";
import type { Outcome } from "../outcomes";
import { needsFirstDay, parseViewState, type Parsed, type RawParams } from "../params";
import type { RunType } from "../run-type";
import type { View } from "../views";
import { rangeBounds, type Range, withRepo } from "../range";
import { weekDigest, type WeekDigest } from "../insights/digest";
import { weekRange } from "../week";
import { listDurations, type DurationListQuery } from "../durations";
import { trendPoints, type TrendPoint } from "../install-trend";
import type { Repo } from "../repo";

const KEY = Symbol.for("pve-telemetry.data-cache");
type Holder = { [KEY]?: DataCache };

/** One cache per process (also when Next.js loads this module in more than one bundle). */
export function dataCache(): DataCache {
  const g = globalThis as Holder;
  g[KEY] ??= new DataCache(classifySourceError);
  return g[KEY];
}

/**
 * `base` (LIVE, or SETTLED for weeks that are over), or DATA_CACHE_FRESH_SECONDS for how long an
 * answer counts as fresh (README, "Environment"); never served older than the longer of the two.
 */
function policy(base: CachePolicy): CachePolicy {
  const fresh = serverConfig().dataFreshMs;
  return fresh === null ? base : { ...base, freshMs: fresh, staleMs: Math.max(base.staleMs, fresh) };
}

export function valueOrThrow<T>(result: DataResult<T>): T {
  if (!result.ok) throw new DataUnavailableError(result.message, result.retryAfter);
  return result.value;
}

function cached<A extends unknown[], T>(name: string, fn: (...args: A) => Promise<T>, base: CachePolicy = LIVE) {
  const load = (...args: A): Promise<DataResult<T>> => dataCache().get(`${name}:${JSON.stringify(args)}`, () => fn(...args), policy(base));
  const fetch = async (...args: A): Promise<T> => valueOrThrow(await load(...args));
  return { load, fetch };
}

const firstDayFn = cached("firstDay", overview.queryFirstDay);

/**
 * The one parser (lib/params.ts) with what it needs from the data: the first day with data,
 * where "all time" starts and the digest's weeks begin — loaded only when the request needs it
 * (lib/params.ts needsFirstDay). Pages, the API and widgets parse their URL through this. When PocketBase cannot be read and nothing was loaded before, all time
 * starts today (the figures themselves are unavailable then anyway).
 */
export async function readViewState(raw: RawParams, now: Date, view: View): Promise<Parsed> {
  return parseViewState(raw, now, view, needsFirstDay(raw, view) ? await firstDataDay() : null);
}

/** The first day with data (lib/data/queries/overview.ts fetchFirstDay); null without data, or when it cannot be read. */
export async function firstDataDay(): Promise<string | null> {
  const first = await firstDayFn.load();
  return first.ok ? first.value : null;
}

const overviewFn = cached("overview", (range: Range, type: RunType | null) => overview.queryOverview(range, new Date(), type));
export const loadOverview = overviewFn.load;
export const fetchOverview = overviewFn.fetch;

export const loadAppRanking = cached("appRanking", (range: Range) => overviewPage.queryAppRanking(range)).load;
export const loadOsSplit = cached("osSplit", overviewPage.queryOsSplit).load;

const appListFn = cached("appList", apps.queryAppList);
/** Only what the table asks is the cache key: two views that differ elsewhere (an outcome, a week) share one answer. */
const appListQuery = ({ range, type, os, q, minRuns, sort, page, pageSize }: apps.AppListQuery): apps.AppListQuery => ({ range, type, os, q, minRuns, sort, page, pageSize });
export const loadAppList = (query: apps.AppListQuery) => appListFn.load(appListQuery(query));
export const fetchAppList = (query: apps.AppListQuery) => appListFn.fetch(appListQuery(query));

const appExistsFn = cached("appExists", appExistsUncached);
export const loadAppExists = appExistsFn.load;
export const appExists = appExistsFn.fetch;

export const loadAppSummary = cached("appSummary", (nsapp: string, range: Range) => appDetail.queryAppSummary(nsapp, range)).load;
export const loadAppCodes = cached("appCodes", appDetail.queryAppCodes).load;
export const loadAppEnvironment = cached("appEnvironment", appDetail.queryAppEnvironment).load;
export const loadAppResources = cached("appResources", appDetail.queryAppResources).load;

// One app's failures by their failing command (the failure signature).
const failingCommandsFn = cached("failingCommands", (nsapp: string, range: Range) => failingCommands.queryFailingCommands(nsapp, range));
export const loadFailingCommands = failingCommandsFn.load;
export const fetchFailingCommands = failingCommandsFn.fetch;

// Hardware and platform (issue 15): one app, and all apps.
const appHardwareFn = cached("appHardware", (nsapp: string, range: Range) => hardware.queryAppHardware(nsapp, range));
export const loadAppHardware = appHardwareFn.load;
export const fetchAppHardware = appHardwareFn.fetch;
const hardwareFn = cached("hardware", (range: Range, type: RunType | null) => hardware.queryHardware(range, type));
export const loadHardware = hardwareFn.load;
export const fetchHardware = hardwareFn.fetch;

const appDetailFn = cached("appDetail", appDetail.queryAppDetail);
export const fetchAppDetail = appDetailFn.fetch;

// Install time (issue 15): one app, the apps of a table page, the sorted list; scripts in testing.
const appDurationsFn = cached("appDurations", durations.queryAppDurations);
export const loadAppDurations = appDurationsFn.load;
export const fetchAppDurations = appDurationsFn.fetch;
// By cores, RAM, method and OS, where it differs (lib/duration-factors.ts).
const appDurationFactorsFn = cached("appDurationFactors", durationFactors.queryAppDurationFactors);
export const loadAppDurationFactors = appDurationFactorsFn.load;
export const fetchAppDurationFactors = appDurationFactorsFn.fetch;
// The list reads every app once per range and repository; search, sort and page are done here, so
// their permutations cost no read of the range sums (~0.3 s for every app at 30 days, 1 M runs).
const allDurationsFn = cached("allDurations", durations.queryAllDurations);
export async function fetchDurationList(range: Range, q: DurationListQuery) {
  return listDurations(await allDurationsFn.fetch(range), q);
}
// The install-time trend reads its points in one request (each point's counts the difference of
// the app's running totals at its ends), as fresh as the page's other figures (a late run can
// still change a week that is over; README "How old a figure can be").
export type InstallTrend = { unit: "week" | "month"; points: (TrendPoint & AppDurations)[] };
/** An app's install time per week or month of the range (lib/durations.ts trendPoints), or null where the range gets no trend. */
export const loadInstallTrend = cached("installTrend", async (nsapp: string, range: Range): Promise<InstallTrend | null> => {
  const trend = trendPoints(range, new Date());
  if (!trend) return null;
  const read = await durations.queryAppDurationSteps(
    nsapp,
    trend.points.map((p) => withRepo(p.range, range.repo)),
  );
  return { unit: trend.unit, points: trend.points.map((p, i) => ({ ...p, ...read[i]! })) };
}).load;
const testingFn = cached("testing", testing.queryTestingScripts);
export const loadTestingScripts = testingFn.load;
export const fetchTestingScripts = testingFn.fetch;

const runsFn = cached("runs", (nsapp: string, range: Range, outcome: Outcome | null, page: number, perPage: number) => runs.queryRuns(nsapp, range, outcome, page, perPage));
export const loadRuns = runsFn.load;
export const fetchRuns = runsFn.fetch;

const rankingFn = cached("exitCodeRanking", (range: Range, aborts: boolean) => exitCodes.queryExitCodeRanking(range, aborts));
export const loadExitCodeRanking = rankingFn.load;
export const fetchExitCodeRanking = rankingFn.fetch;

const trendFn = cached("exitCodeTrend", (range: Range, codes: readonly number[], aborts: boolean) => exitCodes.queryExitCodeTrend(range, codes, aborts));
export const loadExitCodeTrend = trendFn.load;

const codeDetailFn = cached("exitCodeDetail", exitCodes.queryExitCodeDetail);
export const loadExitCodeDetail = codeDetailFn.load;
export const fetchExitCodeDetail = codeDetailFn.fetch;

const osShareFn = cached("osShareSeries", os.queryOsShareSeries);
export const loadOsShareSeries = osShareFn.load;

const osVersionsFn = cached("osVersions", os.queryOsVersions);
export const loadOsVersions = osVersionsFn.load;
export const fetchOsVersions = osVersionsFn.fetch;

// Insights scan every app's series (docs/INSIGHTS.md): a few hundred ms, so sharing them matters most.
const insightsFn = cached("insights", (range: Range) => insights.queryRegressionsAndIncidents(range));
export const loadInsights = insightsFn.load;
export const fetchInsights = insightsFn.fetch;

const appInsightsFn = cached("appInsights", insights.queryAppInsights);
export const loadAppInsights = appInsightsFn.load;
export const fetchAppInsights = appInsightsFn.fetch;

// The sitemap's apps and exit codes with their last days; whether one app's or code's page is indexed.
export const loadActiveSet = cached("activeSet", sitemap.queryActiveSet).load;
export const loadAppActive = cached("appActive", sitemap.queryAppActive).load;
export const loadCodeActive = cached("codeActive", sitemap.queryCodeActive).load;

const failureOverviewFn = cached("failureOverview", insights.queryFailureOverview);
export const loadFailureOverview = failureOverviewFn.load;

// The digest and the feeds read weeks that are over (lib/week.ts): settled figures.
const weekCountsFn = cached("weekCounts", digest.queryWeekCounts, SETTLED);
const loadWeekCounts = weekCountsFn.load;

const weekInsightsFn = cached("weekInsights", (monday: string, repo: Repo) => insights.queryRegressionsAndIncidents(withRepo(weekRange(monday), repo)), SETTLED);

/** Two results as one: a failure if either failed, stale if either is. */
function both<A, B, T>(a: DataResult<A>, b: DataResult<B>, combine: (a: A, b: B) => T): DataResult<T> {
  if (!a.ok) return a;
  if (!b.ok) return b;
  return { ok: true, value: combine(a.value, b.value), fetchedAt: Math.min(a.fetchedAt, b.fetchedAt), problem: a.problem ?? b.problem };
}

/** The digest of the week starting `monday` (a complete week) for a repository selection: its counts against the week before, and the week's insights. */
export async function loadDigest(monday: string, repo: Repo): Promise<DataResult<WeekDigest>> {
  const [counts, found] = await Promise.all([loadWeekCounts(monday, repo), weekInsightsFn.load(monday, repo)]);
  return both(counts, found, (apps, i) => weekDigest(weekRange(monday).to, apps, i.regressions, i.incidents));
}

export const fetchDigest = async (monday: string, repo: Repo): Promise<WeekDigest> => valueOrThrow(await loadDigest(monday, repo));

// Script changes (docs/CHANGES.md): the likely causes of a range's regressions, keyed "<nsapp> <start>", and one app's changes.
const likelyCausesFn = cached("likelyCauses", async (range: Range) => {
  const { regressions } = await insightsFn.fetch(range);
  const causes = await changes.queryLikelyCauses(regressions);
  return Object.fromEntries(regressions.map((r, i) => [`${r.nsapp} ${r.start}`, causes[i] ?? []]));
});
export const loadLikelyCauses = likelyCausesFn.load;
export const fetchLikelyCauses = likelyCausesFn.fetch;

const appChangesFn = cached("appChanges", (nsapp: string, range: Range) => {
  const { start, end } = rangeBounds(range);
  return changes.queryAppChanges(nsapp, Date.parse(start.replace(" ", "T")), Date.parse(end.replace(" ", "T")));
});
export const loadAppChanges = appChangesFn.load;
export const fetchAppChanges = appChangesFn.fetch;
