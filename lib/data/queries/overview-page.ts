/**
 * The overview's sections besides the live figures, each its own query so each section loads
 * on its own: apps (distinct, most installed, most failing) and the OS split. Exit codes come
 * from exit-codes.ts, the live figures from overview.ts.
 */
import "server-only";
import { osName } from "../../labels";
import { publicClient } from "../pocketbase";
import { previousRange, type Range } from "../../range";
import { MIN_RUNS_FLOOR } from "../../views";
import { rangeAll, type RangeRow } from "./rollup-range";

export interface AppRanking {
  apps: { current: number; previous: number };
  /** Runs of every app in the range (for shares). */
  runs: number;
  topApps: RangeRow<"stats_app">[];
  /** Apps with at least MIN_RUNS_FLOOR runs, by the lower bound of their failure rate's interval. */
  mostFailing: RangeRow<"stats_app">[];
}

function distinct(rows: RangeRow<"stats_app">[]): number {
  return new Set(rows.map((r) => r.nsapp)).size;
}

export async function queryAppRanking(range: Range, limit = 10): Promise<AppRanking> {
  const pb = publicClient();
  const [apps, prevApps] = await Promise.all([rangeAll(pb, "stats_app", range, { sort: "-runs,nsapp" }), rangeAll(pb, "stats_app", previousRange(range))]);
  const mostFailing = apps.filter((a) => a.runs >= MIN_RUNS_FLOOR && a.failed > 0).sort((a, b) => (b.failure_low ?? 0) - (a.failure_low ?? 0) || a.nsapp.localeCompare(b.nsapp));
  return {
    apps: { current: distinct(apps), previous: distinct(prevApps) },
    runs: apps.reduce((n, a) => n + a.runs, 0),
    topApps: apps.slice(0, limit),
    mostFailing: mostFailing.slice(0, limit),
  };
}

/** Runs per OS name (versions together; missing OS as "not reported"), most first. */
export async function queryOsSplit(range: Range): Promise<{ os: string; runs: number }[]> {
  const rows = await rangeAll(publicClient(), "stats_os", range);
  const byOs = new Map<string, number>();
  for (const r of rows) byOs.set(osName(r.os_type), (byOs.get(osName(r.os_type)) ?? 0) + r.runs);
  return [...byOs].map(([os, runs]) => ({ os, runs })).sort((a, b) => b.runs - a.runs || a.os.localeCompare(b.os));
}
