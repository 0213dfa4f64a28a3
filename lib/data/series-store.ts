/**
 * The series rollups (`stats_daily`, `stats_app`, `stats_code`, `stats_app_failure`) kept in
 * memory per process — each key's counts per day over the recent days, and per hour over the
 * hours the hourly siblings keep — and brought up to date by change number instead of being
 * read again (docs/ROLLUPS.md "Change numbers"). A refresh asks the daily rollup for its highest
 * change number (one index read) and, when something changed, for its lowest and the rows
 * changed since the last refresh — usually a few dozen (lib/data/series-reads.ts: the hourly
 * store reads those keys' hours again); buckets the store does not hold yet are read once.
 * Answers are the series view's (the scans) and the range sums' (every key's totals over a
 * range), row for row:
 *  - a trigger gives the row whose own counts it changes the table's next change number, so
 *    every changed (key, bucket) row is read again with its current counts, zero rows included;
 *  - a rebuild (or a prepared shadow switched in) gives every row a number above any counted
 *    before, so the lowest number passing the store's means the table was replaced: the store
 *    starts over (rows a rebuild dropped would otherwise linger);
 *  - the highest number is read before the rows, so a change racing a read is read again next time.
 * What it holds and how it answers: lib/data/series-cells.ts. The integration test compares both
 * answers with PocketBase's after random inserts, late updates, deletes and a rebuild
 * (tests/integration/series-store.test.ts).
 */
import "server-only";
import type PocketBase from "pocketbase";
import type { KeyFilter, SeriesRow, Span } from "../insights/source";
import { BASELINE_DAYS, SCAN_MAX_DAYS } from "../insights/scan-plan";
import { type Grain, HOURLY_RETENTION_HOURS, rollupDims, type Dim, type SeriesRollup } from "../rollups/spec";
import { addDays, addHours, utcDay, utcHour } from "../time";
import { SeriesCells, step } from "./series-cells";
import { type Counts, dailySeriesReads, hourlySeriesReads, type SeriesReads } from "./series-reads";
import { onCalendar, type SeriesKey } from "./series-keys";

/** Days back from today the daily store holds (the longest scan and its baseline, with a margin); older spans read PocketBase. */
export const STORE_DAYS = SCAN_MAX_DAYS + BASELINE_DAYS + 30;
/**
 * Hours back from this hour the hourly store holds: every hour the hourly rollups keep (they
 * prune what is older by PocketBase's clock: lib/rollups/sql.ts HOURLY_CUTOFF_SQL), so the
 * scans' last three days in hours (lib/insights/scan-plan.ts) and the 24-hour views are served.
 */
export const STORE_HOURS = HOURLY_RETENTION_HOURS - 1;

/** The first bucket a store of this grain holds at `now`. */
const firstHeld = (grain: Grain, now: Date) => (grain === "day" ? addDays(utcDay(now), -STORE_DAYS) : addHours(utcHour(now), -STORE_HOURS));

export class SeriesStore {
  private readonly cells: SeriesCells;
  /** Buckets held, inclusive (null: nothing loaded). */
  private held: { from: string; to: string } | null = null;
  /** Highest change number applied. */
  private rev = 0;
  private lock: Promise<unknown> = Promise.resolve();
  /** When the last refresh applied began (performance.now()); see afterUpdate. */
  private refreshed = Number.NEGATIVE_INFINITY;
  private warming: Promise<unknown> | null = null;
  /** Refreshes, reads of the view and of changed rows since the store was made (the tests and the benchmark look). */
  readonly stats = { refreshes: 0, viewReads: 0, changeReads: 0, changedRows: 0, restarts: 0 };

  constructor(
    dims: readonly Dim[],
    private readonly reads: SeriesReads,
    private readonly grain: Grain = "day",
  ) {
    this.cells = new SeriesCells(dims, grain);
  }

  /**
   * Whether a store answers this span: days since STORE_DAYS before today or hours since
   * STORE_HOURS before this hour, both ends real buckets of the calendar the views join (a span
   * PocketBase answers with nothing — a day that does not exist, an end after 2040 — is left to it).
   */
  static serves(span: Pick<Span, "from" | "to" | "grain">, now: Date): boolean {
    if (span.from > span.to || !onCalendar(span.from, span.grain) || !onCalendar(span.to, span.grain)) return false;
    return span.from >= firstHeld(span.grain, now);
  }

  /** The series view's answer for the span: keys with a row in it and at least `minFailed` failures, of `filter`'s keys. */
  series(span: Span, minFailed: number, filter: KeyFilter | undefined, now: Date, asOf?: number): Promise<SeriesRow<string>[]> {
    return this.afterUpdate(span, now, asOf, () => this.cells.series(span.from, span.to, minFailed, filter));
  }

  /** Every key's (of `filter`'s keys) counts summed over the span (COUNT_COLUMNS' order), keys without runs left out: the range sums' counts. */
  sums(span: Pick<Span, "from" | "to">, now: Date, filter?: KeyFilter, asOf?: number): Promise<{ key: SeriesKey; counts: Counts }[]> {
    return this.afterUpdate(span, now, asOf, () => this.cells.sums(span.from, span.to, filter));
  }

  /**
   * A version of the keys where `column` is one of `values`, after a refresh: the tick when one of
   * their cells last changed (any bucket, read again after a change, or loaded), so two equal
   * answers mean none of their rows changed between them (lib/data/window-memo.ts). 0: no such key.
   */
  version(column: string, values: readonly (string | number)[], span: Pick<Span, "from" | "to">, now: Date, asOf?: number): Promise<number> {
    return this.afterUpdate(span, now, asOf, () => this.cells.version(column, values));
  }

  /**
   * A version of the span's buckets, after a refresh: the tick when a cell of one of them (any
   * key's) last changed, so two equal answers mean no row of those buckets changed between them,
   * whichever app's (lib/data/window-memo.ts: a window in the past keeps its version while
   * today's runs arrive). 0: none held.
   */
  spanVersion(span: Pick<Span, "from" | "to">, now: Date, asOf?: number): Promise<number> {
    return this.afterUpdate(span, now, asOf, () => this.cells.spanVersion(span.from, span.to));
  }

  /** Whether the store holds every bucket of the span (its answer then costs one index read; series() and sums() refresh first). */
  covers(span: Pick<Span, "from" | "to">): boolean {
    return this.held !== null && this.held.from <= span.from && span.to <= this.held.to;
  }

  /**
   * Loads the span in the background (a cold process answers its first requests from PocketBase
   * meanwhile: loading a month of every key takes a few hundred ms at 1 M runs). Failures are
   * left for the next read to meet.
   */
  warm(span: Pick<Span, "from" | "to">, now: Date): void {
    if (this.warming) return;
    this.warming = this.afterUpdate(span, now, undefined, () => undefined)
      .catch(() => undefined)
      .finally(() => {
        this.warming = null;
      });
  }

  /**
   * `answer()` once the store is up to date as of `asOf` (a performance.now() reading; default:
   * when the call is made): once a refresh *started after that moment* has been applied, the
   * answer holds every change committed before it. One update at a time: reads of one store
   * apply in the order they were made. Calls made together share one refresh, and so do the
   * calls of one scan, each made as of the scan's start (lib/data/queries/insights-source.ts).
   */
  private afterUpdate<T>(span: Pick<Span, "from" | "to">, now: Date, asOf: number | undefined, answer: () => T): Promise<T> {
    const asked = asOf ?? performance.now();
    const fn = async () => {
      await this.update(span, now, asked);
      return answer();
    };
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private async load(from: string, to: string): Promise<void> {
    this.stats.viewReads++;
    for (const row of await this.reads.view(from, to)) for (const b of row.buckets) this.cells.set(row.key, b.bucket, b.counts);
  }

  private async update(span: Pick<Span, "from" | "to">, now: Date, asked: number): Promise<void> {
    if (this.held === null || asked >= this.refreshed) await this.refresh(span);
    if (this.held === null) return;
    // Buckets not held yet: read once (after the changes, so nothing read here is older than them).
    if (span.from < this.held.from) {
      await this.load(span.from, step(this.grain, this.held.from, -1));
      this.held.from = span.from;
    }
    if (span.to > this.held.to) {
      await this.load(step(this.grain, this.held.to, 1), span.to);
      this.held.to = span.to;
    }
    // Drops buckets no span the store serves reaches.
    const first = firstHeld(this.grain, now);
    if (this.held.from < first) {
      this.cells.prune(first);
      this.held.from = first > this.held.to ? this.held.to : first;
    }
  }

  /** Applies what changed since the last refresh (or loads the span, the first time or after a restart). */
  private async refresh(span: Pick<Span, "from" | "to">): Promise<void> {
    const started = performance.now();
    this.stats.refreshes++;
    await this.applyChanges(span);
    this.refreshed = started; // only once applied: a failed refresh leaves the next call to refresh
  }

  private async applyChanges(span: Pick<Span, "from" | "to">): Promise<void> {
    const max = await this.reads.highestRev();
    // A rebuild (or a switched-in shadow) numbers every row above anything counted before, so
    // the lowest number passing the store's means the table was replaced; so does a highest
    // number below it (a restored backup) or no rows at all. Unchanged (max = rev): no other read.
    const replaced = max === null || max < this.rev || (max > this.rev && ((await this.reads.lowestRev()) ?? Number.POSITIVE_INFINITY) > this.rev);
    if (this.held && replaced) {
      this.stats.restarts++;
      this.cells.reset();
      this.held = null;
    }
    if (!this.held) {
      this.rev = max ?? 0; // read before the rows: a change made meanwhile is read again
      await this.load(span.from, span.to);
      this.held = { from: span.from, to: span.to };
      return;
    }
    if (max !== null && max > this.rev) {
      const { rows, cleared } = await this.reads.changes(this.rev, max);
      this.stats.changeReads++;
      this.stats.changedRows += rows.length;
      const { from, to } = this.held;
      for (const c of cleared) this.cells.clear(c.key, c.from);
      for (const c of rows) if (c.bucket >= from && c.bucket <= to) this.cells.set(c.key, c.bucket, c.counts);
      this.rev = max;
    }
  }
}

const KEY = Symbol.for("pve-telemetry.series-stores");
type Holder = { [KEY]?: Map<string, SeriesStore> };

/** One store per PocketBase, series rollup and grain, for the process's lifetime (also when Next.js loads this module in more than one bundle). */
export function seriesStore(pb: PocketBase, rollup: SeriesRollup, grain: Grain = "day"): SeriesStore {
  const g = globalThis as Holder;
  g[KEY] ??= new Map();
  const stores = g[KEY];
  const id = `${pb.baseURL}\n${rollup}\n${grain}`;
  let store = stores.get(id);
  if (!store) {
    store = new SeriesStore(rollupDims(rollup), grain === "day" ? dailySeriesReads(pb, rollup) : hourlySeriesReads(pb, rollup), grain);
    stores.set(id, store);
  }
  return store;
}
