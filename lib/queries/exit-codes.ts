/**
 * Exit codes of failed and aborted runs: ranking over a range, trends (per day, per hour for
 * 24 h) and one code's detail (apps and OS versions it hits). Totals come from the range views
 * (rollup-range.ts), series from the `stats_code` rows (docs/ROLLUPS.md).
 */
import "server-only";
import type PocketBase from "pocketbase";
import { publicClient } from "../pocketbase";
import { rangeBuckets, type Range } from "../range";
import { anyOf, rangeAll, rangePage, rangeSeriesRows, type FilterPart } from "./rollup-range";

/** Failed or aborted: the only runs whose exit code says what went wrong. */
const FAILED_OR_ABORTED = "failed > 0 || aborted > 0";

export interface ExitCodeRank {
  exitCode: number;
  failed: number;
  aborted: number;
  /** failed + aborted */
  total: number;
  /** total ÷ the failed + aborted runs of every code in the range (0 when there are none). */
  share: number;
}

export interface ExitCodeRanking {
  codes: ExitCodeRank[];
  failed: number;
  aborted: number;
}

/** Every exit code of failed or aborted runs in the range, most frequent first (ties: lower code). */
export async function fetchExitCodeRanking(range: Range): Promise<ExitCodeRanking> {
  const rows = await rangeAll<"exit_code">(publicClient(), "stats_code", range, { filter: { expr: FAILED_OR_ABORTED, params: {} } });
  let failed = 0;
  let aborted = 0;
  for (const r of rows) {
    failed += r.failed;
    aborted += r.aborted;
  }
  const all = failed + aborted;
  const codes = rows
    .map((r) => {
      const total = r.failed + r.aborted;
      return { exitCode: Number(r.exit_code), failed: r.failed, aborted: r.aborted, total, share: all === 0 ? 0 : total / all };
    })
    .sort((a, b) => b.total - a.total || a.exitCode - b.exitCode);
  return { codes, failed, aborted };
}

/** One bucket of a trend: `values[i]` is the failed + aborted runs of `codes[i]` in it. */
export interface CodeTrendPoint {
  /** "YYYY-MM-DD", or "YYYY-MM-DD HH" for hourly ranges (UTC). */
  bucket: string;
  values: number[];
}

async function trend(pb: PocketBase, range: Range, codes: readonly number[]): Promise<CodeTrendPoint[]> {
  const byBucket = new Map(rangeBuckets(range).map((bucket) => [bucket, { bucket, values: codes.map(() => 0) }]));
  if (codes.length === 0) return [...byBucket.values()];
  const rows = await rangeSeriesRows<{ exit_code: number }>(pb, "stats_code", range, anyOf("exit_code", codes));
  const index = new Map(codes.map((code, i) => [code, i]));
  for (const r of rows) {
    const point = byBucket.get(r.bucket);
    const i = index.get(Number(r.exit_code));
    if (point && i !== undefined) point.values[i]! += r.failed + r.aborted;
  }
  return [...byBucket.values()];
}

/** Failed + aborted runs per bucket for each of `codes`, every bucket of the range (0 when none). */
export async function fetchExitCodeTrend(range: Range, codes: readonly number[]): Promise<CodeTrendPoint[]> {
  return trend(publicClient(), range, [...new Set(codes)]);
}

export interface CodeApp {
  nsapp: string;
  failed: number;
  aborted: number;
}

export interface CodeOs {
  osType: string;
  osVersion: string;
  failed: number;
  aborted: number;
  /** (failed + aborted) ÷ the code's failed + aborted runs in the range. */
  share: number;
}

export interface ExitCodeDetail {
  exitCode: number;
  failed: number;
  aborted: number;
  series: CodeTrendPoint[];
  /** One page of the apps this code hit, most failures first. */
  apps: CodeApp[];
  /** How many apps this code hit in the range (every page). */
  appCount: number;
  os: CodeOs[];
}

/** One exit code over a range: totals, series, the apps it hit (paged) and its OS split. */
export async function fetchExitCodeDetail(
  code: number,
  range: Range,
  apps: { page: number; perPage: number } = { page: 1, perPage: 25 },
): Promise<ExitCodeDetail> {
  const pb = publicClient();
  const filter: FilterPart = { expr: `exit_code = {:code} && (${FAILED_OR_ABORTED})`, params: { code } };
  const [totals, series, appPage, osRows] = await Promise.all([
    rangeAll<"exit_code">(pb, "stats_code", range, { filter }),
    trend(pb, range, [code]),
    rangePage<"nsapp" | "exit_code">(pb, "stats_app_code", range, apps.page, apps.perPage, { filter, sort: "-failed,-aborted,nsapp" }),
    rangeAll<"exit_code" | "os_type" | "os_version">(pb, "stats_code_os", range, { filter, sort: "-failed,-aborted,os_type,os_version" }),
  ]);
  const failed = totals[0]?.failed ?? 0;
  const aborted = totals[0]?.aborted ?? 0;
  const all = failed + aborted;
  return {
    exitCode: code,
    failed,
    aborted,
    series,
    apps: appPage.items.map((r) => ({ nsapp: String(r.nsapp), failed: r.failed, aborted: r.aborted })),
    appCount: appPage.totalItems,
    os: osRows.map((r) => ({
      osType: String(r.os_type),
      osVersion: String(r.os_version),
      failed: r.failed,
      aborted: r.aborted,
      share: all === 0 ? 0 : (r.failed + r.aborted) / all,
    })),
  };
}
