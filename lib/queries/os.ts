/**
 * Operating systems of the installs: shares per day, or per hour for 24 h (from `stats_os` rows) and runs,
 * failures and failure rates per OS version (from its range view). See docs/ROLLUPS.md.
 */
import "server-only";
import { publicClient } from "../pocketbase";
import { rangeBuckets, type Range } from "../range";
import { COUNT_COLUMNS } from "../rollups/spec";
import { rangeAll, rangeSeriesRows, type FilterPart } from "./rollup-range";

export type OsRunType = "lxc" | "vm" | "addon" | "pve";

/** Chart categories beyond this many are summed into OTHER. */
export const MAX_SHARE_SERIES = 6;
export const OTHER = "other";

export interface ShareSeries {
  /** Category labels (os_type, or os_version when one OS is chosen), most runs first. */
  categories: string[];
  /** `values[i]` is the runs of `categories[i]` in that bucket; every bucket of the range. */
  points: { bucket: string; values: number[] }[];
}

interface OsKey {
  type: string;
  os_type: string;
  os_version: string;
}

const runsOf = (r: Record<(typeof COUNT_COLUMNS)[number], number>) => COUNT_COLUMNS.reduce((n, c) => n + r[c], 0);

/**
 * Runs per bucket by os_type (every outcome counts), optionally of one run type. With `os`, the
 * runs of that os_type only, by os_version. An empty os_type/os_version is its own category ("").
 */
export async function fetchOsShareSeries(range: Range, opts: { type?: OsRunType | null; os?: string | null } = {}): Promise<ShareSeries> {
  const parts: string[] = [];
  const params: Record<string, string> = {};
  if (opts.type) {
    parts.push("type = {:type}");
    params.type = opts.type;
  }
  if (opts.os) {
    parts.push("os_type = {:os}");
    params.os = opts.os;
  }
  const rows = await rangeSeriesRows<OsKey>(publicClient(), "stats_os", range, parts.length ? { expr: parts.join(" && "), params } : undefined);
  const categoryOf = (r: OsKey) => (opts.os ? r.os_version : r.os_type);

  const totals = new Map<string, number>();
  for (const r of rows) totals.set(categoryOf(r), (totals.get(categoryOf(r)) ?? 0) + runsOf(r));
  const ranked = [...totals.entries()].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
  const categories = ranked.length > MAX_SHARE_SERIES ? [...ranked.slice(0, MAX_SHARE_SERIES - 1), OTHER] : ranked;
  const index = new Map(categories.map((c, i) => [c, i]));
  const otherIndex = categories.length - 1;

  const byBucket = new Map(rangeBuckets(range).map((bucket) => [bucket, { bucket, values: categories.map(() => 0) }]));
  for (const r of rows) {
    const point = byBucket.get(r.bucket);
    const n = runsOf(r);
    if (!point || n === 0) continue;
    point.values[index.get(categoryOf(r)) ?? otherIndex]! += n;
  }
  return { categories, points: [...byBucket.values()] };
}

export interface OsVersionRow {
  type: string;
  osType: string;
  osVersion: string;
  runs: number;
  success: number;
  failed: number;
  aborted: number;
  /** runs ÷ the runs of this run type in the range. */
  share: number;
  failureRate: number | null;
  failureLow: number | null;
  failureHigh: number | null;
}

export const OS_SORTS = { runs: "runs", failed: "failed", failure_rate: "failure_rate" } as const;
export type OsSortKey = keyof typeof OS_SORTS;

/**
 * Every (type, os_type, os_version) with runs in the range, grouped by type, then by `sort`
 * ("-runs", "failure_rate", …). Shares are within the run type; `os` narrows the rows shown
 * without changing the shares.
 */
export async function fetchOsVersions(
  range: Range,
  opts: { type?: OsRunType | null; os?: string | null; sort?: string } = {},
): Promise<OsVersionRow[]> {
  const filter: FilterPart | undefined = opts.type ? { expr: "type = {:type}", params: { type: opts.type } } : undefined;
  const key = (opts.sort ?? "-runs").replace(/^-/, "");
  const dir = (opts.sort ?? "-runs").startsWith("-") ? "-" : "";
  const column = key in OS_SORTS ? OS_SORTS[key as OsSortKey] : "runs";
  const rows = await rangeAll<"type" | "os_type" | "os_version">(publicClient(), "stats_os", range, {
    filter,
    sort: `type,${dir}${column},-runs,os_type,os_version`,
  });
  const typeRuns = new Map<string, number>();
  for (const r of rows) typeRuns.set(String(r.type), (typeRuns.get(String(r.type)) ?? 0) + r.runs);
  return rows
    .filter((r) => !opts.os || r.os_type === opts.os)
    .map((r) => ({
      type: String(r.type),
      osType: String(r.os_type),
      osVersion: String(r.os_version),
      runs: r.runs,
      success: r.success,
      failed: r.failed,
      aborted: r.aborted,
      share: r.runs / (typeRuns.get(String(r.type)) || 1),
      failureRate: r.failure_rate,
      failureLow: r.failure_low,
      failureHigh: r.failure_high,
    }));
}
