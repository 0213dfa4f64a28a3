/**
 * Exit codes of failed and aborted runs: ranking over a range, trends (per day, per hour for
 * 24 h) and one code's detail (apps and OS versions it hits). Totals come from the range views
 * (rollup-range.ts), series from the `stats_code` rows (docs/ROLLUPS.md).
 */
import "server-only";
import type PocketBase from "pocketbase";
import { toSeries, type SeriesPoint } from "../../buckets";
import { exitCodeInfo } from "../../exit-codes";
import { osLabels } from "../../labels";
import { compareText } from "../../order";
import { publicClient } from "../pocketbase";
import type { Range } from "../../range";
import { anyOf, rangeAll, rangeSeriesRows, type FilterPart } from "./rollup-range";

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
  /** Whether user aborts (aborted runs, and failures with a user-abort code) are counted. */
  aborts: boolean;
}

/** Exit codes the scripts file under user_aborted (SIGHUP, Ctrl-C, SIGTERM): the user's doing. */
export function isUserAbortCode(code: number): boolean {
  return exitCodeInfo(code).category === "user_aborted";
}

/**
 * The one rule for user aborts wherever exit codes are listed (/errors, an app's exit codes,
 * the exit-code widget): with `aborts` every failed or aborted run counts; without it, user
 * aborts are left out — aborted runs, and failures with a user-abort code (129, 130, 143) —
 * so a list shows what scripts can fix. Rows are per exit code with failed/aborted counts.
 */
export function applyAbortRule<R extends { exit_code: number; failed: number; aborted: number }>(rows: readonly R[], aborts: boolean): R[] {
  if (aborts) return rows.filter((r) => r.failed > 0 || r.aborted > 0);
  return rows.filter((r) => r.failed > 0 && !isUserAbortCode(r.exit_code)).map((r) => ({ ...r, aborted: 0 }));
}

/**
 * Every exit code of failed (and, with `aborts`, aborted) runs in the range, most frequent
 * first (ties: lower code); user aborts by applyAbortRule.
 */
export async function queryExitCodeRanking(range: Range, aborts = false): Promise<ExitCodeRanking> {
  const rows = await rangeAll(publicClient(), "stats_code", range, { filter: { expr: aborts ? FAILED_OR_ABORTED : "failed > 0", params: {} } });
  const kept = applyAbortRule(rows, aborts).map((r) => ({ exitCode: r.exit_code, failed: r.failed, aborted: r.aborted }));
  const failed = kept.reduce((n, r) => n + r.failed, 0);
  const aborted = kept.reduce((n, r) => n + r.aborted, 0);
  const all = failed + aborted;
  const codes = kept
    .map((r) => ({ ...r, total: r.failed + r.aborted, share: all === 0 ? 0 : (r.failed + r.aborted) / all }))
    .sort((a, b) => b.total - a.total || a.exitCode - b.exitCode);
  return { codes, failed, aborted, aborts };
}

/** One point of a trend: `values[i]` is the runs of `codes[i]` in it. */
export interface CodeTrendPoint extends SeriesPoint {
  values: number[];
}

async function trend(pb: PocketBase, range: Range, codes: readonly number[], aborts: boolean): Promise<CodeTrendPoint[]> {
  const rows = codes.length ? await rangeSeriesRows(pb, "stats_code", range, anyOf("exit_code", codes)) : [];
  const index = new Map(codes.map((code, i) => [code, i]));
  return toSeries(
    range,
    new Date(),
    rows,
    (p): CodeTrendPoint => ({ ...p, values: codes.map(() => 0) }),
    (point, r) => {
      const i = index.get(r.exit_code);
      if (i !== undefined) point.values[i]! += r.failed + (aborts ? r.aborted : 0);
    },
  );
}

/** Failed (and with `aborts`, aborted) runs per point for each of `codes`, every point of the range. */
export async function queryExitCodeTrend(range: Range, codes: readonly number[], aborts = false): Promise<CodeTrendPoint[]> {
  return trend(publicClient(), range, [...new Set(codes)], aborts);
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
  /** One page of the apps this code hit, by its runs in them (failed + aborted), then failures, then name. */
  apps: CodeApp[];
  /** How many apps this code hit in the range (every page). */
  appCount: number;
  os: CodeOs[];
}

/** One exit code over a range: totals, series, the apps it hit (paged) and its OS split. */
export async function queryExitCodeDetail(code: number, range: Range, apps: { page: number; perPage: number } = { page: 1, perPage: 25 }): Promise<ExitCodeDetail> {
  const pb = publicClient();
  const filter: FilterPart = { expr: `exit_code = {:code} && (${FAILED_OR_ABORTED})`, params: { code } };
  const [totals, series, appRows, osRows] = await Promise.all([
    rangeAll(pb, "stats_code", range, { filter }),
    trend(pb, range, [code], true),
    // Every app the code hit (at most the catalogue's ~650), ranked here like the OS split.
    rangeAll(pb, "stats_app_code", range, { filter }),
    rangeAll(pb, "stats_code_os", range, { filter }),
  ]);
  const failed = totals[0]?.failed ?? 0;
  const aborted = totals[0]?.aborted ?? 0;
  const all = failed + aborted;
  const ranked = appRows.map((r) => ({ nsapp: r.nsapp, failed: r.failed, aborted: r.aborted })).sort((a, b) => byRuns(a, b) || compareText(a.nsapp, b.nsapp));
  const start = (apps.page - 1) * apps.perPage;
  return {
    exitCode: code,
    failed,
    aborted,
    series,
    apps: ranked.slice(start, start + apps.perPage),
    appCount: ranked.length,
    os: mergeOs(osRows, all),
  };
}

/**
 * One code's apps and OS versions rank the same way: by the code's runs in them (failed +
 * aborted — the quantity of its series and shares), then by failures.
 */
function byRuns(a: { failed: number; aborted: number }, b: { failed: number; aborted: number }): number {
  return b.failed + b.aborted - (a.failed + a.aborted) || b.failed - a.failed;
}

/** OS rows under their labels (lib/labels.ts): "2404" and "24.04" are one row. */
function mergeOs(rows: { os_type: string; os_version: string; failed: number; aborted: number }[], all: number): CodeOs[] {
  const merged = new Map<string, CodeOs>();
  for (const r of rows) {
    const { os: osType, version: osVer } = osLabels(r.os_type, r.os_version);
    const acc = merged.get(`${osType}\n${osVer}`) ?? { osType, osVersion: osVer, failed: 0, aborted: 0, share: 0 };
    acc.failed += r.failed;
    acc.aborted += r.aborted;
    merged.set(`${osType}\n${osVer}`, acc);
  }
  return [...merged.values()]
    .map((o) => ({ ...o, share: all === 0 ? 0 : (o.failed + o.aborted) / all }))
    .sort((a, b) => byRuns(a, b) || compareText(a.osType, b.osType) || compareText(a.osVersion, b.osVersion));
}
