/**
 * Overview figures for a day range: totals by outcome and the daily outcome series.
 *
 * Read path: the `stats_daily` rollup (≤ 4 rows a day) for every count; raw records only to
 * split `installing` into running/unfinished, which depends on the clock: the runs still
 * installing that started within the threshold are counted with one COUNT per day they touch
 * (at most two), everything else still installing is unfinished.
 */
import "server-only";
import { serverConfig } from "../config";
import { countRecords, listAll, publicClient, readerClient } from "../pocketbase";
import type { DayRange } from "../range";
import { TELEMETRY } from "../rollups/spec";
import { addDays, dayStart, daysBetween, pbTime } from "../time";
import { emptyCounts, successRate, type OutcomeCounts } from "./counts";

interface DailyRow {
  bucket: string;
  type: string;
  success: number;
  failed: number;
  aborted: number;
  unknown: number;
  installing: number;
}

export interface DayOutcomes extends OutcomeCounts {
  day: string;
}

export interface Overview {
  range: DayRange;
  totals: OutcomeCounts & { runs: number; successRate: number | null };
  daily: DayOutcomes[];
  /** Runs per install type (lxc, vm, addon, pve). */
  byType: Record<string, number>;
  /** `created` of the newest record (any range), or null on an empty database. */
  asOf: string | null;
}

async function runningByDay(range: DayRange, now: Date): Promise<Map<string, number>> {
  const cutoff = new Date(now.getTime() - serverConfig().unfinishedAfterMs);
  const pb = await readerClient();
  const out = new Map<string, number>();
  const first = pbTime(cutoff).slice(0, 10);
  const days = daysBetween(first > range.from ? first : range.from, range.to);
  await Promise.all(
    days.map(async (day) => {
      const start = dayStart(day) > pbTime(cutoff) ? dayStart(day) : pbTime(cutoff);
      const filter = pb.filter("status = {:status} && created >= {:start} && created < {:end}", {
        status: "installing",
        start,
        end: dayStart(addDays(day, 1)),
      });
      out.set(day, await countRecords(pb, TELEMETRY, filter));
    }),
  );
  return out;
}

async function newestRecord(): Promise<string | null> {
  const pb = await readerClient();
  const res = await pb.collection(TELEMETRY).getList<{ created: string }>(1, 1, { sort: "-created", fields: "created", skipTotal: true });
  return res.items[0]?.created ?? null;
}

export async function fetchOverview(range: DayRange, now: Date = new Date()): Promise<Overview> {
  const pb = publicClient();
  const filter = pb.filter("bucket >= {:from} && bucket <= {:to}", { from: range.from, to: range.to });
  const [rows, running, asOf] = await Promise.all([
    listAll<DailyRow>(pb, "stats_daily", { filter }),
    runningByDay(range, now),
    newestRecord(),
  ]);

  const byDay = new Map(daysBetween(range.from, range.to).map((day) => [day, { day, ...emptyCounts() }]));
  const byType: Record<string, number> = {};
  for (const r of rows) {
    byType[r.type] = (byType[r.type] ?? 0) + r.success + r.failed + r.aborted + r.unknown + r.installing;
    const d = byDay.get(r.bucket);
    if (!d) continue;
    d.success += r.success;
    d.failed += r.failed;
    d.aborted += r.aborted;
    d.unknown += r.unknown;
    d.unfinished += r.installing;
  }
  for (const [day, n] of running) {
    const d = byDay.get(day);
    if (!d) continue;
    d.running += n;
    d.unfinished -= n;
  }
  const daily = [...byDay.values()];
  const totals = emptyCounts();
  for (const d of daily) for (const k of Object.keys(totals) as (keyof OutcomeCounts)[]) totals[k] += d[k];
  const runs = Object.values(totals).reduce((a, b) => a + b, 0);
  return { range, totals: { ...totals, runs, successRate: successRate(totals) }, daily, byType, asOf };
}
