/**
 * Ranked breakdowns over a day range, read from the rollups' range views (rollup-range.ts).
 */
import "server-only";
import { publicClient } from "../pocketbase";
import type { DayRange } from "../range";
import { rangeAll, rangePage, type RangeRow } from "./rollup-range";

export type AppTotals = RangeRow<"nsapp" | "type">;

/** Every app with runs in the range, most runs first. */
export async function fetchAppTotals(range: DayRange): Promise<AppTotals[]> {
  return rangeAll<"nsapp" | "type">(publicClient(), "stats_app", range, { sort: "-runs,nsapp" });
}

/** The apps with the most failures in the range, with how many apps failed at all. */
export async function fetchMostFailingApps(range: DayRange, limit = 10) {
  const res = await rangePage<"nsapp" | "type">(publicClient(), "stats_app", range, 1, limit, {
    filter: { expr: "failed > 0", params: {} },
    sort: "-failed,nsapp",
  });
  return { apps: res.items, appsWithFailures: res.totalItems };
}

/** One app's totals per type (an app name may be reported with more than one type). */
export async function fetchAppSummary(nsapp: string, range: DayRange): Promise<AppTotals[]> {
  return rangeAll<"nsapp" | "type">(publicClient(), "stats_app", range, {
    filter: { expr: "nsapp = {:nsapp}", params: { nsapp } },
    sort: "type",
  });
}

export interface ExitCodeTotal {
  exitCode: number;
  failed: number;
  aborted: number;
}

/** Exit codes of failed and aborted runs, most frequent first (ties: lower code first). */
export async function fetchTopExitCodes(range: DayRange, limit = 10): Promise<ExitCodeTotal[]> {
  const rows = await rangeAll<"exit_code">(publicClient(), "stats_code", range, {
    filter: { expr: "failed > 0 || aborted > 0", params: {} },
  });
  return rows
    .map((r) => ({ exitCode: Number(r.exit_code), failed: r.failed, aborted: r.aborted }))
    .sort((a, b) => b.failed + b.aborted - (a.failed + a.aborted) || a.exitCode - b.exitCode)
    .slice(0, limit);
}

export type OsTotals = RangeRow<"type" | "os_type" | "os_version">;

export async function fetchOsTotals(range: DayRange): Promise<OsTotals[]> {
  return rangeAll<"type" | "os_type" | "os_version">(publicClient(), "stats_os", range, { sort: "-runs" });
}
