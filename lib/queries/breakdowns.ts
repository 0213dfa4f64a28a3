/**
 * Ranked breakdowns over a day range, read from rollup running totals (see rollup-range.ts).
 * Each answers in two reads of at most one row per key, whatever the range length.
 */
import "server-only";
import { publicClient } from "../pocketbase";
import type { DayRange } from "../range";
import { successRate } from "./counts";
import { rangeTotals, type KeyedCounts } from "./rollup-range";

export type AppTotals = KeyedCounts<"nsapp" | "type"> & { successRate: number | null };

/** Every app with runs in the range, most runs first. */
export async function fetchAppTotals(range: DayRange): Promise<AppTotals[]> {
  const rows = await rangeTotals(publicClient(), "stats_app", ["nsapp", "type"] as const, range);
  return rows.map((r) => ({ ...r, successRate: successRate(r) })).sort((a, b) => b.runs - a.runs);
}

/** One app's totals per type (an app name may be reported with more than one type). */
export async function fetchAppSummary(nsapp: string, range: DayRange): Promise<AppTotals[]> {
  const rows = await rangeTotals(publicClient(), "stats_app", ["nsapp", "type"] as const, range, {
    expr: "nsapp = {:nsapp}",
    params: { nsapp },
  });
  return rows.map((r) => ({ ...r, successRate: successRate(r) }));
}

export interface ExitCodeTotal {
  exitCode: number;
  failed: number;
  aborted: number;
}

/** Exit codes of failed and aborted runs, most frequent first. */
export async function fetchTopExitCodes(range: DayRange, limit = 10): Promise<ExitCodeTotal[]> {
  const rows = await rangeTotals(publicClient(), "stats_code", ["exit_code"] as const, range);
  return rows
    .map((r) => ({ exitCode: Number(r.exit_code), failed: r.failed, aborted: r.aborted }))
    .filter((r) => r.failed + r.aborted > 0)
    .sort((a, b) => b.failed + b.aborted - (a.failed + a.aborted) || a.exitCode - b.exitCode)
    .slice(0, limit);
}

export type OsTotals = KeyedCounts<"type" | "os_type" | "os_version"> & { successRate: number | null };

export async function fetchOsTotals(range: DayRange): Promise<OsTotals[]> {
  const rows = await rangeTotals(publicClient(), "stats_os", ["type", "os_type", "os_version"] as const, range);
  return rows.map((r) => ({ ...r, successRate: successRate(r) })).sort((a, b) => b.runs - a.runs);
}
