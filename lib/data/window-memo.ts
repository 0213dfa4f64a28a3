/**
 * Some apps' totals over a span from the rollups a scan describes regressions from (exit codes,
 * OS, PVE/method/privilege, failing commands: WINDOW_ROLLUPS) — one app's over a regression's
 * window, the regressing apps' exit codes over the whole scan — kept per process while none of
 * those apps' runs changed. A scan makes up to 12 × 4 + 1 such reads on every refresh; their
 * windows are mostly in the past and rarely change. The test is exact: the version is the
 * `stats_app` store's (lib/data/series-store.ts, days or hours as the span) tick when a cell of
 * one of the apps' keys last changed, and `stats_app`'s change numbers move whenever a run of
 * the app is added, removed or changed in any column these rollups read (its update trigger
 * watches them: lib/rollups/spec.ts WINDOW_ROLLUPS), which the store reads back (its hourly
 * store re-reads those keys' hours). The version is read before the totals, so a change racing
 * the read makes the next version differ.
 */
import "server-only";
import type PocketBase from "pocketbase";
import type { Span } from "../insights/source";
import type { DailyRollup } from "../rollups/spec";
import type { Repo } from "../repo";
import { WINDOW_ROLLUPS } from "../rollups/spec";
import { SeriesStore, seriesStore } from "./series-store";

/** Entries kept (least recently used dropped first): 12 regressions × 4 rollups, for many ranges. */
const MAX_ENTRIES = 2000;
/** Apps a kept read may name (a scan's regressing apps: at most MAX_DESCRIBED). */
const MAX_APPS = 50;
const KEY = Symbol.for("pve-telemetry.window-memo");
type Memo = { entries: Map<string, { version: number; rows: unknown[] }>; stats: { hits: number; misses: number } };
/** One memo per process (also when Next.js loads this module in more than one bundle). */
const held = globalThis as { [KEY]?: Memo };
held[KEY] ??= { entries: new Map(), stats: { hits: 0, misses: 0 } };
const memo = held[KEY].entries;
/** Reads answered from the memo and from PocketBase (the tests and the benchmark look). */
export const windowMemoStats = held[KEY].stats;

/**
 * Whether some apps' totals of this rollup over the span can be kept (see the file comment): a
 * rollup a scan describes windows from, for a few apps, over days or hours `stats_app`'s store
 * of that grain holds (the scan loads it).
 */
export function memoizable(pb: PocketBase, rollup: DailyRollup, nsapps: readonly string[], span: Span, now: Date): boolean {
  return (
    (WINDOW_ROLLUPS as readonly string[]).includes(rollup) &&
    nsapps.length > 0 &&
    nsapps.length <= MAX_APPS &&
    SeriesStore.serves(span, now) &&
    seriesStore(pb, "stats_app", span.grain).covers(span)
  );
}

/** `read()`'s rows, or the rows it gave last time for these apps, rollup and span if none of the apps' runs changed since. */
export async function windowTotals<T>(
  pb: PocketBase,
  rollup: DailyRollup,
  nsapps: readonly string[],
  span: Span & { repo: Repo },
  now: Date,
  read: () => Promise<T[]>,
): Promise<T[]> {
  const apps = [...new Set(nsapps)].sort();
  const id = JSON.stringify([pb.baseURL, rollup, apps, span.from, span.to, span.grain, span.repo]);
  const version = await seriesStore(pb, "stats_app", span.grain).version("nsapp", apps, span, now);
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
