/**
 * Overview figures for a range: totals by outcome and the outcome series (per hour, day, week
 * or month — Range.bucket), optionally of one install type.
 *
 * Read path: the `stats_daily` rollup (≤ 4 rows a day) or its hourly sibling for every count;
 * raw records only to split `installing` into running/unfinished, which depends on the clock:
 * the runs still installing that started within the threshold are counted with one COUNT per
 * rollup bucket they touch (at most two days, or the threshold's hours), everything else
 * still installing is unfinished.
 */
import "server-only";
import { toSeries, type SeriesPoint } from "../../buckets";
import { serverConfig } from "../../config";
import type { RunType } from "../../run-type";
import { countRecords, publicClient, readerClient } from "../pocketbase";
import { rangeBuckets, type Range } from "../../range";
import { TELEMETRY } from "../../rollups/spec";
import { bucketStart, nextBucket, pbTime } from "../../time";
import { emptyCounts, successRate, type OutcomeCounts } from "./counts";
import { rangeSeriesRows, repoSourceFilter } from "./rollup-range";

export interface PointOutcomes extends OutcomeCounts, SeriesPoint {}

export interface Overview {
  range: Range;
  type: RunType | null;
  totals: OutcomeCounts & { runs: number; successRate: number | null };
  /** One point per bucket of the range, zeros included. */
  series: PointOutcomes[];
  /** Runs per install type (lxc, vm, addon, pve). */
  byType: Record<string, number>;
  /** `created` of the newest record (any range), or null on an empty database. */
  asOf: string | null;
}

async function runningByBucket(range: Range, now: Date, type: RunType | null): Promise<Map<string, number>> {
  const cutoff = pbTime(new Date(now.getTime() - serverConfig().unfinishedAfterMs));
  const pb = await readerClient();
  const out = new Map<string, number>();
  // Buckets that end after the cutoff: only they can hold runs still counted as running.
  const live = rangeBuckets(range).filter((b) => bucketStart(nextBucket(b)) > cutoff);
  await Promise.all(
    live.map(async (bucket) => {
      const start = bucketStart(bucket) > cutoff ? bucketStart(bucket) : cutoff;
      const repo = repoSourceFilter(range.repo);
      const expr = `status = {:status} && created >= {:start} && created < {:end}${type ? " && type = {:type}" : ""}${repo ? ` && ${repo.expr}` : ""}`;
      const filter = pb.filter(expr, { ...repo?.params, status: "installing", start, end: bucketStart(nextBucket(bucket)), type: type ?? "" });
      out.set(bucket, await countRecords(pb, TELEMETRY, filter));
    }),
  );
  return out;
}

/**
 * The first UTC day with any run (where "all time" starts), from the daily rollup — a few rows a
 * day, its rows in bucket order; a day whose runs were all deleted keeps a row of zeros, so
 * rows with counts are asked for. Null on an empty database.
 */
export async function queryFirstDay(): Promise<string | null> {
  const res = await publicClient().collection("stats_daily").getList<{ bucket: string }>(1, 1, {
    filter: "success > 0 || failed > 0 || aborted > 0 || unknown > 0 || installing > 0",
    sort: "bucket",
    fields: "bucket",
    skipTotal: true,
  });
  return res.items[0]?.bucket.slice(0, 10) ?? null;
}

async function newestRecord(): Promise<string | null> {
  const pb = await readerClient();
  const res = await pb.collection(TELEMETRY).getList<{ created: string }>(1, 1, { sort: "-created", fields: "created", skipTotal: true });
  return res.items[0]?.created ?? null;
}

export async function queryOverview(range: Range, now: Date = new Date(), type: RunType | null = null): Promise<Overview> {
  const pb = publicClient();
  const [rows, running, asOf] = await Promise.all([
    rangeSeriesRows(pb, "stats_daily", range, type ? { expr: "type = {:type}", params: { type } } : undefined),
    runningByBucket(range, now, type),
    newestRecord(),
  ]);
  const byType: Record<string, number> = {};
  for (const r of rows) byType[r.type] = (byType[r.type] ?? 0) + r.success + r.failed + r.aborted + r.unknown + r.installing;
  // Running runs, per rollup bucket, become rows that move counts from unfinished to running.
  const all = [
    ...rows.map((r) => ({ ...r, running: 0 })),
    ...[...running].map(([bucket, n]) => ({ bucket, success: 0, failed: 0, aborted: 0, unknown: 0, installing: 0, running: n })),
  ];
  const series = toSeries(
    range,
    now,
    all,
    (p): PointOutcomes => ({ ...p, ...emptyCounts() }),
    (d, r) => {
      d.success += r.success;
      d.failed += r.failed;
      d.aborted += r.aborted;
      d.unknown += r.unknown;
      d.unfinished += r.installing - r.running;
      d.running += r.running;
    },
  );
  const totals = emptyCounts();
  for (const d of series) for (const k of Object.keys(totals) as (keyof OutcomeCounts)[]) totals[k] += d[k];
  const runs = Object.values(totals).reduce((a, b) => a + b, 0);
  return { range, type, totals: { ...totals, runs, successRate: successRate(totals) }, series, byType, asOf };
}
