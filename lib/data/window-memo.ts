/**
 * One app's totals over a regression's window from the rollups that describe it (exit codes,
 * OS, PVE/method/privilege, failing commands: WINDOW_ROLLUPS), kept per process while none of the
 * app's runs in the window changed. A scan describes up to 12 regressions, four reads each, on
 * every refresh; their windows are mostly in the past and rarely change. The test is exact:
 * `stats_app`'s change numbers (the series store, lib/data/series-store.ts) grow whenever a run
 * of the app in the window is added, removed or changed in any column these rollups read (its
 * update trigger watches them: lib/rollups/spec.ts WINDOW_ROLLUPS), so an unchanged version
 * means unchanged totals. The version is read before the totals, so a change racing the read
 * makes the next version differ.
 */
import "server-only";
import type PocketBase from "pocketbase";
import type { Span } from "../insights/source";
import type { DailyRollup } from "../rollups/spec";
import { WINDOW_ROLLUPS } from "../rollups/spec";
import { SeriesStore, seriesStore } from "./series-store";

/** Entries kept (least recently used dropped first): 12 regressions × 4 rollups, for many ranges. */
const MAX_ENTRIES = 2000;
const KEY = Symbol.for("pve-telemetry.window-memo");
type Memo = { entries: Map<string, { version: number; rows: unknown[] }>; stats: { hits: number; misses: number } };
/** One memo per process (also when Next.js loads this module in more than one bundle). */
const held = globalThis as { [KEY]?: Memo };
held[KEY] ??= { entries: new Map(), stats: { hits: 0, misses: 0 } };
const memo = held[KEY].entries;
/** Reads answered from the memo and from PocketBase (the tests and the benchmark look). */
export const windowMemoStats = held[KEY].stats;

/**
 * Whether one app's window totals of this rollup can be kept (see the file comment): a window of
 * days `stats_app`'s daily store holds (the scan loads it). Windows in hours are read each time:
 * they are recent, so their runs change most.
 */
export function memoizable(pb: PocketBase, rollup: DailyRollup, span: Span, now: Date): boolean {
  return span.grain === "day" && (WINDOW_ROLLUPS as readonly string[]).includes(rollup) && SeriesStore.serves(span, now) && seriesStore(pb, "stats_app").covers(span);
}

/** `read()`'s rows, or the rows it gave last time for this app, rollup and span if none of the app's runs there changed since. */
export async function windowTotals<T>(pb: PocketBase, rollup: DailyRollup, nsapp: string, span: Span, now: Date, read: () => Promise<T[]>): Promise<T[]> {
  const id = JSON.stringify([pb.baseURL, rollup, nsapp, span.from, span.to, span.grain]);
  const version = await seriesStore(pb, "stats_app").version("nsapp", nsapp, span, now);
  const kept = memo.get(id);
  memo.delete(id); // re-inserted below: the Map's order is the order of use
  if (kept && kept.version === version) {
    windowMemoStats.hits++;
    memo.set(id, kept);
    return kept.rows as T[];
  }
  windowMemoStats.misses++;
  const rows = await read();
  memo.set(id, { version, rows });
  for (const old of memo.keys()) {
    if (memo.size <= MAX_ENTRIES) break;
    memo.delete(old);
  }
  return rows;
}
