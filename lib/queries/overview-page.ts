/**
 * Everything the overview page shows besides the live figures, read in parallel from the
 * rollups: the previous period (for changes), apps (distinct, top, most failing), exit codes
 * and OS shares.
 */
import "server-only";
import { publicClient } from "../pocketbase";
import { previousRange, type Range } from "../range";
import { fetchExitCodeRanking, type ExitCodeRank } from "./exit-codes";
import { fetchOverview, type Overview } from "./overview";
import { rangeAll, type RangeRow } from "./rollup-range";

/** Apps with fewer runs than this are left out of "most failing" on the overview. */
export const MOST_FAILING_MIN_RUNS = 20;

export interface OverviewPage {
  current: Overview;
  previous: Overview;
  apps: { current: number; previous: number };
  topApps: RangeRow<"nsapp" | "type">[];
  mostFailing: RangeRow<"nsapp" | "type">[];
  codes: ExitCodeRank[];
  failed: number;
  os: { os: string; runs: number }[];
}

function distinct(rows: RangeRow<"nsapp" | "type">[]): number {
  return new Set(rows.map((r) => r.nsapp)).size;
}

export async function fetchOverviewPage(range: Range, now = new Date()): Promise<OverviewPage> {
  const pb = publicClient();
  const prev = previousRange(range);
  const [current, previous, apps, prevApps, codes, os] = await Promise.all([
    fetchOverview(range, now),
    fetchOverview(prev, now),
    rangeAll<"nsapp" | "type">(pb, "stats_app", range, { sort: "-runs,nsapp" }),
    rangeAll<"nsapp" | "type">(pb, "stats_app", prev),
    fetchExitCodeRanking(range),
    rangeAll<"type" | "os_type" | "os_version">(pb, "stats_os", range),
  ]);
  const byOs = new Map<string, number>();
  for (const r of os) byOs.set(String(r.os_type) || "not reported", (byOs.get(String(r.os_type) || "not reported") ?? 0) + r.runs);
  const mostFailing = apps
    .filter((a) => a.runs >= MOST_FAILING_MIN_RUNS && a.failed > 0)
    .sort((a, b) => (b.failure_low ?? 0) - (a.failure_low ?? 0) || String(a.nsapp).localeCompare(String(b.nsapp)));
  return {
    current,
    previous,
    apps: { current: distinct(apps), previous: distinct(prevApps) },
    topApps: apps.slice(0, 10),
    mostFailing: mostFailing.slice(0, 10),
    codes: codes.codes.slice(0, 8),
    failed: codes.failed,
    os: [...byOs].map(([o, runs]) => ({ os: o, runs })).sort((a, b) => b.runs - a.runs),
  };
}
