/**
 * The data functions pages and route handlers call, behind Next.js's `use cache`: within a
 * cache window every distinct request (same arguments) reaches PocketBase once. The figures are
 * live, so the window is short: fresh for 30 s, revalidated in the background after 60 s,
 * never older than 5 min. The uncached functions in lib/queries stay what tests and the
 * benchmark measure.
 *
 * Errors must not cross the cache boundary: in production React replaces them with a bare
 * digest, and the page could no longer say "PocketBase is not reachable". So each cached
 * function returns a result, caches a failure only for seconds, and the exported wrapper
 * rethrows it as a DataUnavailableError outside the cache, where pages and the API explain it.
 */
import { cacheLife } from "next/cache";
import { DataUnavailableError, explainDataError } from "./queries/explain-error";
import type { Outcome } from "./outcomes";
import type { ViewState } from "./params";
import type { Range } from "./range";
import * as appDetail from "./queries/app-detail";
import * as apps from "./queries/apps";
import * as exitCodes from "./queries/exit-codes";
import * as os from "./queries/os";
import * as overview from "./queries/overview";
import * as overviewPage from "./queries/overview-page";
import * as runs from "./queries/runs";

const LIVE = { stale: 30, revalidate: 60, expire: 300 };

type Result<T> = { ok: true; value: T } | { ok: false; message: string };

/** Runs a data function inside a cached scope; explained failures become results. */
async function guard<T>(run: () => Promise<T>): Promise<Result<T>> {
  cacheLife(LIVE);
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    const message = explainDataError(err);
    if (message === null) throw err;
    cacheLife("seconds"); // the shortest lifetime wins: retry soon
    return { ok: false, message };
  }
}

async function unwrap<T>(result: Promise<Result<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new DataUnavailableError(r.message);
  return r.value;
}

async function fetchOverviewCached(range: Range) {
  "use cache";
  return guard(() => overview.fetchOverview(range));
}
export const fetchOverview = (range: Range) => unwrap(fetchOverviewCached(range));

async function fetchOverviewPageCached(range: Range) {
  "use cache";
  return guard(() => overviewPage.fetchOverviewPage(range));
}
export const fetchOverviewPage = (range: Range) => unwrap(fetchOverviewPageCached(range));

async function fetchAppListCached(state: ViewState) {
  "use cache";
  return guard(() => apps.fetchAppList(state));
}
export const fetchAppList = (state: ViewState) => unwrap(fetchAppListCached(state));

async function appExistsCached(nsapp: string) {
  "use cache";
  return guard(() => appDetail.appExists(nsapp));
}
export const appExists = (nsapp: string) => unwrap(appExistsCached(nsapp));

async function fetchAppDetailCached(nsapp: string, range: Range) {
  "use cache";
  return guard(() => appDetail.fetchAppDetail(nsapp, range));
}
export const fetchAppDetail = (nsapp: string, range: Range) => unwrap(fetchAppDetailCached(nsapp, range));

async function fetchRunsCached(nsapp: string, range: Range, outcome: Outcome | null, page: number, perPage: number) {
  "use cache";
  return guard(() => runs.fetchRuns(nsapp, range, outcome, page, perPage));
}
export const fetchRuns = (nsapp: string, range: Range, outcome: Outcome | null, page: number, perPage: number) =>
  unwrap(fetchRunsCached(nsapp, range, outcome, page, perPage));

async function fetchExitCodeRankingCached(range: Range) {
  "use cache";
  return guard(() => exitCodes.fetchExitCodeRanking(range));
}
export const fetchExitCodeRanking = (range: Range) => unwrap(fetchExitCodeRankingCached(range));

async function fetchExitCodeTrendCached(range: Range, codes: readonly number[]) {
  "use cache";
  return guard(() => exitCodes.fetchExitCodeTrend(range, codes));
}
export const fetchExitCodeTrend = (range: Range, codes: readonly number[]) => unwrap(fetchExitCodeTrendCached(range, codes));

async function fetchExitCodeDetailCached(code: number, range: Range, page: { page: number; perPage: number }) {
  "use cache";
  return guard(() => exitCodes.fetchExitCodeDetail(code, range, page));
}
export const fetchExitCodeDetail = (code: number, range: Range, page: { page: number; perPage: number }) => unwrap(fetchExitCodeDetailCached(code, range, page));

async function fetchOsShareSeriesCached(range: Range, opts: Parameters<typeof os.fetchOsShareSeries>[1]) {
  "use cache";
  return guard(() => os.fetchOsShareSeries(range, opts));
}
export const fetchOsShareSeries = (range: Range, opts: Parameters<typeof os.fetchOsShareSeries>[1]) => unwrap(fetchOsShareSeriesCached(range, opts));

async function fetchOsVersionsCached(range: Range, opts: Parameters<typeof os.fetchOsVersions>[1]) {
  "use cache";
  return guard(() => os.fetchOsVersions(range, opts));
}
export const fetchOsVersions = (range: Range, opts: Parameters<typeof os.fetchOsVersions>[1]) => unwrap(fetchOsVersionsCached(range, opts));
