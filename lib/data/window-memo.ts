/**
 * Totals over a span from the rollups a scan describes windows from (exit codes, OS,
 * PVE/method/privilege, failing commands: WINDOW_ROLLUPS) — one app's over a regression's
 * window, the regressing apps' exit codes over the whole scan, an incident's code over every app
 * in its window — kept per process while none of the rows they sum can have changed. A scan makes
 * up to 12 × 4 + 1 such reads on every refresh, and an incident a few; their windows are mostly in
 * the past and rarely change. The test is exact. `stats_app`'s change numbers move whenever a run
 * is added, removed or changed in any column these rollups read (its update trigger watches them:
 * lib/rollups/spec.ts WINDOW_ROLLUPS), on the row of the run's own bucket, and the `stats_app`
 * store (lib/data/series-store.ts, days or hours as the span) reads those rows back (its hourly
 * store re-reads the keys' hours). So kept rows are still the answer when either
 *  - no cell of the span's buckets changed, whichever app's (the store's spanVersion), or
 *  - no cell of the named apps' keys changed, whichever bucket (the store's version).
 * Both are read before the totals, so a change racing the read makes the next version differ.
 */
import "server-only";
import type PocketBase from "pocketbase";
import type { KeyFilter, Span } from "../insights/source";
import type { DailyRollup } from "../rollups/spec";
import type { Repo } from "../repo";
import { WINDOW_ROLLUPS } from "../rollups/spec";
import { dropOldest } from "../insights/search-memo";
import { SeriesStore, seriesStore } from "./series-store";

/** Entries kept (least recently used dropped first): 12 regressions × 4 rollups, for many ranges. */
const MAX_ENTRIES = 2000;
/** Apps a kept read may name (a scan's regressing apps: at most MAX_DESCRIBED). */
const MAX_APPS = 50;
const KEY = Symbol.for("pve-telemetry.window-memo");
type Memo = { entries: Map<string, { buckets: number; ofApps: number | null; rows: unknown[] }>; stats: { hits: number; misses: number } };
/** One memo per process (also when Next.js loads this module in more than one bundle). */
const held = globalThis as { [KEY]?: Memo };
held[KEY] ??= { entries: new Map(), stats: { hits: 0, misses: 0 } };
const memo = held[KEY].entries;
/** Reads answered from the memo and from PocketBase (the tests and the benchmark look). */
export const windowMemoStats = held[KEY].stats;

/**
 * Whether these totals can be kept (see the file comment): a rollup a scan describes windows from,
 * filtered to at most MAX_APPS apps or not by app, over days or hours `stats_app`'s store of that
 * grain holds (the scan loads it).
 */
export function memoizable(pb: PocketBase, rollup: DailyRollup, filter: KeyFilter | undefined, span: Span, now: Date): boolean {
  const apps = filter?.nsapp;
  return (
    (WINDOW_ROLLUPS as readonly string[]).includes(rollup) &&
    (apps === undefined || (apps.length > 0 && apps.length <= MAX_APPS)) &&
    SeriesStore.serves(span, now) &&
    seriesStore(pb, "stats_app", span.grain).covers(span)
  );
}

/** `read()`'s rows, or the rows it gave last time for this rollup, filter and span if none of the rows they sum changed since. */
export async function windowTotals<T>(
  pb: PocketBase,
  rollup: DailyRollup,
  filter: KeyFilter | undefined,
  span: Span & { repo: Repo },
  now: Date,
  asOf: number | undefined,
  read: () => Promise<T[]>,
): Promise<T[]> {
  const keys = Object.entries(filter ?? {})
    .filter(([, values]) => values !== undefined)
    .map(([column, values]) => [column, [...new Set(values!.map(String))].sort()] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const id = JSON.stringify([pb.baseURL, rollup, keys, span.from, span.to, span.grain, span.repo]);
  const store = seriesStore(pb, "stats_app", span.grain);
  const apps = filter?.nsapp;
  const [buckets, ofApps] = await Promise.all([store.spanVersion(span, now, asOf), apps === undefined ? null : store.version("nsapp", apps, span, now, asOf)]);
  const kept = memo.get(id);
  memo.delete(id); // re-inserted below: the Map's order is the order of use
  if (kept && (kept.buckets === buckets || (ofApps !== null && kept.ofApps === ofApps))) {
    windowMemoStats.hits++;
    memo.set(id, kept);
    return kept.rows as T[];
  }
  windowMemoStats.misses++;
  const rows = await read();
  memo.set(id, { buckets, ofApps, rows });
  dropOldest(memo, MAX_ENTRIES);
  return rows;
}
