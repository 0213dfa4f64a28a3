/**
 * Overview figures for a range: totals by outcome and the outcome series (per day, or per hour
 * for the 24-hour view).
 *
 * Read path: the `stats_daily` rollup (≤ 4 rows a day) or its hourly sibling for every count;
 * raw records only to split `installing` into running/unfinished, which depends on the clock:
 * the runs still installing that started within the threshold are counted with one COUNT per
 * bucket they touch (at most two days, or the threshold's hours), everything else still
 * installing is unfinished.
 */
import "server-only";
import { serverConfig } from "../config";
import { countRecords, publicClient, readerClient } from "../pocketbase";
import { rangeBuckets, type Range } from "../range";
import { TELEMETRY } from "../rollups/spec";
import { bucketStart, nextBucket, pbTime } from "../time";
import { emptyCounts, successRate, type OutcomeCounts } from "./counts";
import { rangeSeriesRows } from "./rollup-range";

export interface BucketOutcomes extends OutcomeCounts {
  /** "YYYY-MM-DD", or "YYYY-MM-DD HH" for hourly ranges (UTC). */
  bucket: string;
}

export interface Overview {
  range: Range;
  totals: OutcomeCounts & { runs: number; successRate: number | null };
  /** One entry per bucket of the range (days, or hours for 24 h), zeros included. */
  series: BucketOutcomes[];
  /** Runs per install type (lxc, vm, addon, pve). */
  byType: Record<string, number>;
  /** `created` of the newest record (any range), or null on an empty database. */
  asOf: string | null;
}

async function runningByBucket(range: Range, now: Date): Promise<Map<string, number>> {
  const cutoff = pbTime(new Date(now.getTime() - serverConfig().unfinishedAfterMs));
  const pb = await readerClient();
  const out = new Map<string, number>();
  // Buckets that end after the cutoff: only they can hold runs still counted as running.
  const live = rangeBuckets(range).filter((b) => bucketStart(nextBucket(b)) > cutoff);
  await Promise.all(
    live.map(async (bucket) => {
      const start = bucketStart(bucket) > cutoff ? bucketStart(bucket) : cutoff;
      const filter = pb.filter("status = {:status} && created >= {:start} && created < {:end}", {
        status: "installing",
        start,
        end: bucketStart(nextBucket(bucket)),
      });
      out.set(bucket, await countRecords(pb, TELEMETRY, filter));
    }),
  );
  return out;
}

async function newestRecord(): Promise<string | null> {
  const pb = await readerClient();
  const res = await pb.collection(TELEMETRY).getList<{ created: string }>(1, 1, { sort: "-created", fields: "created", skipTotal: true });
  return res.items[0]?.created ?? null;
}

export async function fetchOverview(range: Range, now: Date = new Date()): Promise<Overview> {
  const pb = publicClient();
  const [rows, running, asOf] = await Promise.all([
    rangeSeriesRows<{ type: string }>(pb, "stats_daily", range),
    runningByBucket(range, now),
    newestRecord(),
  ]);

  const byBucket = new Map(rangeBuckets(range).map((bucket) => [bucket, { bucket, ...emptyCounts() }]));
  const byType: Record<string, number> = {};
  for (const r of rows) {
    byType[r.type] = (byType[r.type] ?? 0) + r.success + r.failed + r.aborted + r.unknown + r.installing;
    const d = byBucket.get(r.bucket);
    if (!d) continue;
    d.success += r.success;
    d.failed += r.failed;
    d.aborted += r.aborted;
    d.unknown += r.unknown;
    d.unfinished += r.installing;
  }
  for (const [bucket, n] of running) {
    const d = byBucket.get(bucket);
    if (!d) continue;
    d.running += n;
    d.unfinished -= n;
  }
  const series = [...byBucket.values()];
  const totals = emptyCounts();
  for (const d of series) for (const k of Object.keys(totals) as (keyof OutcomeCounts)[]) totals[k] += d[k];
  const runs = Object.values(totals).reduce((a, b) => a + b, 0);
  return { range, totals: { ...totals, runs, successRate: successRate(totals) }, series, byType, asOf };
}
