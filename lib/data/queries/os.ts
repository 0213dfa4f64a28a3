/**
 * Operating systems of the installs: shares per point of the range (from `stats_os` rows) and
 * runs, failures and failure rates per OS version (from its range view). Raw spellings are
 * merged into one label each (lib/labels.ts: Ubuntu "2404" is 24.04, "n.d." is not reported).
 */
import "server-only";
import { toSeries, type SeriesPoint } from "../../buckets";
import { osLabels, osName, osVersion } from "../../labels";
import type { RunType } from "../../run-type";
import { compareValues } from "../../order";
import { publicClient } from "../pocketbase";
import type { Range } from "../../range";
import { COUNT_COLUMNS } from "../../rollups/spec";
import { wilson } from "../../stats";
import { type KeyRow, rangeAll, rangeSeriesRows, type FilterPart } from "./rollup-range";

/** Chart categories beyond this many are summed into OTHER. */
export const MAX_SHARE_SERIES = 6;
export const OTHER = "other";

export interface ShareSeries {
  /** Category labels (OS names, or versions when one OS is chosen), most runs first. */
  categories: string[];
  /** `values[i]` is the runs of `categories[i]` at that point; every point of the range. */
  points: (SeriesPoint & { values: number[] })[];
}

type OsKey = KeyRow<"stats_os">;

const runsOf = (r: Record<(typeof COUNT_COLUMNS)[number], number>) => COUNT_COLUMNS.reduce((n, c) => n + r[c], 0);

function typeFilter(type: RunType | null | undefined, os?: string | null): FilterPart | undefined {
  const parts: string[] = [];
  const params: Record<string, string> = {};
  if (type) {
    parts.push("type = {:type}");
    params.type = type;
  }
  if (os) {
    parts.push("os_type = {:os}");
    params.os = os;
  }
  return parts.length ? { expr: parts.join(" && "), params } : undefined;
}

/**
 * Runs per point by OS name (every outcome counts), optionally of one run type. With `os`, the
 * runs of that OS only, by version.
 */
export async function queryOsShareSeries(range: Range, opts: { type?: RunType | null; os?: string | null } = {}): Promise<ShareSeries> {
  const rows = await rangeSeriesRows(publicClient(), "stats_os", range, typeFilter(opts.type, opts.os));
  const categoryOf = (r: OsKey) => (opts.os ? osVersion(r.os_type, r.os_version) : osName(r.os_type));
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(categoryOf(r), (totals.get(categoryOf(r)) ?? 0) + runsOf(r));
  const ranked = [...totals.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([c]) => c);
  const categories = ranked.length > MAX_SHARE_SERIES ? [...ranked.slice(0, MAX_SHARE_SERIES - 1), OTHER] : ranked;
  const index = new Map(categories.map((c, i) => [c, i]));
  const otherIndex = categories.length - 1;
  const points = toSeries(
    range,
    new Date(),
    rows,
    (p) => ({ ...p, values: categories.map(() => 0) }),
    (point, r) => {
      point.values[index.get(categoryOf(r)) ?? otherIndex]! += runsOf(r);
    },
  );
  return { categories, points };
}

export interface OsVersionRow {
  type: string;
  /** OS name, or "not reported". */
  osType: string;
  /** Version as the OS writes it, or "not reported". */
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

const SORTS: Record<string, (r: OsVersionRow) => number | null> = { runs: (r) => r.runs, failed: (r) => r.failed, failure_rate: (r) => r.failureRate };

/**
 * Every (type, OS, version) with runs in the range, grouped by type, then by `sort` ("-runs",
 * "failure_rate", …). Shares are within the run type; `os` narrows the rows shown without
 * changing the shares.
 */
export async function queryOsVersions(range: Range, opts: { type?: RunType | null; os?: string | null; sort?: string } = {}): Promise<OsVersionRow[]> {
  const rows = await rangeAll(publicClient(), "stats_os", range, { filter: typeFilter(opts.type) });
  const merged = new Map<string, OsVersionRow>();
  const typeRuns = new Map<string, number>();
  for (const r of rows) {
    const type = r.type;
    const { os, version } = osLabels(r.os_type, r.os_version);
    const key = `${type}\n${os}\n${version}`;
    const acc = merged.get(key) ?? {
      type,
      osType: os,
      osVersion: version,
      runs: 0,
      success: 0,
      failed: 0,
      aborted: 0,
      share: 0,
      failureRate: null,
      failureLow: null,
      failureHigh: null,
    };
    acc.runs += r.runs;
    acc.success += r.success;
    acc.failed += r.failed;
    acc.aborted += r.aborted;
    merged.set(key, acc);
    typeRuns.set(type, (typeRuns.get(type) ?? 0) + r.runs);
  }
  const sort = opts.sort ?? "-runs";
  const value = SORTS[sort.replace(/^-/, "")] ?? SORTS.runs!;
  return [...merged.values()]
    .map((r) => {
      const w = wilson(r.failed, r.success + r.failed);
      return { ...r, share: r.runs / (typeRuns.get(r.type) || 1), failureRate: w?.rate ?? null, failureLow: w?.low ?? null, failureHigh: w?.high ?? null };
    })
    .filter((r) => !opts.os || r.osType === opts.os)
    .sort(
      (a, b) =>
        a.type.localeCompare(b.type) ||
        compareValues(value(a), value(b), sort.startsWith("-")) ||
        b.runs - a.runs ||
        a.osType.localeCompare(b.osType) ||
        a.osVersion.localeCompare(b.osVersion),
    );
}
