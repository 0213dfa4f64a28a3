/**
 * The data functions pages and route handlers call, behind Next.js's `use cache`: within a
 * cache window every distinct request (same arguments) reaches PocketBase once. The figures are
 * live, so the window is short: fresh for 30 s, revalidated in the background after 60 s,
 * never older than 5 min. The uncached functions in lib/queries stay what tests and the
 * benchmark measure.
 */
import { cacheLife } from "next/cache";
import type { ViewState } from "./params";
import type { DayRange } from "./range";
import * as appDetail from "./queries/app-detail";
import * as apps from "./queries/apps";
import * as exitCodes from "./queries/exit-codes";
import * as os from "./queries/os";
import * as overview from "./queries/overview";
import * as overviewPage from "./queries/overview-page";

const LIVE = { stale: 30, revalidate: 60, expire: 300 };

export async function fetchOverview(range: DayRange) {
  "use cache";
  cacheLife(LIVE);
  return overview.fetchOverview(range);
}

export async function fetchOverviewPage(range: DayRange) {
  "use cache";
  cacheLife(LIVE);
  return overviewPage.fetchOverviewPage(range);
}

export async function fetchAppList(state: ViewState) {
  "use cache";
  cacheLife(LIVE);
  return apps.fetchAppList(state);
}

export async function appExists(nsapp: string) {
  "use cache";
  cacheLife(LIVE);
  return appDetail.appExists(nsapp);
}

export async function fetchAppDetail(nsapp: string, range: DayRange) {
  "use cache";
  cacheLife(LIVE);
  return appDetail.fetchAppDetail(nsapp, range);
}

export async function fetchFailedRuns(nsapp: string, range: DayRange, page: number, perPage: number) {
  "use cache";
  cacheLife(LIVE);
  const res = await appDetail.fetchFailedRuns(nsapp, range, page, perPage);
  return { page: res.page, perPage: res.perPage, totalItems: res.totalItems, totalPages: res.totalPages, items: res.items };
}

export async function fetchExitCodeRanking(range: DayRange) {
  "use cache";
  cacheLife(LIVE);
  return exitCodes.fetchExitCodeRanking(range);
}

export async function fetchExitCodeTrend(range: DayRange, codes: readonly number[]) {
  "use cache";
  cacheLife(LIVE);
  return exitCodes.fetchExitCodeTrend(range, codes);
}

export async function fetchExitCodeDetail(code: number, range: DayRange, page: { page: number; perPage: number }) {
  "use cache";
  cacheLife(LIVE);
  return exitCodes.fetchExitCodeDetail(code, range, page);
}

export async function fetchOsShareSeries(range: DayRange, opts: Parameters<typeof os.fetchOsShareSeries>[1]) {
  "use cache";
  cacheLife(LIVE);
  return os.fetchOsShareSeries(range, opts);
}

export async function fetchOsVersions(range: DayRange, opts: Parameters<typeof os.fetchOsVersions>[1]) {
  "use cache";
  cacheLife(LIVE);
  return os.fetchOsVersions(range, opts);
}
