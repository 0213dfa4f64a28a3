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
 * The integration test compares both answers with PocketBase's after random inserts, late
 * updates, deletes and a rebuild (tests/integration/series-store.test.ts).
 */
import "server-only";
import type PocketBase from "pocketbase";
import { type BucketOutcomes, type KeyFilter, rowVersions, type SeriesRow, type Span } from "../insights/source";
import { BASELINE_DAYS, SCAN_MAX_DAYS } from "../insights/scan-plan";
import { COUNT_COLUMNS, type Dim, type Grain, HOURLY_RETENTION_HOURS, rollupDims, type SeriesRollup } from "../rollups/spec";
import { addDays, addHours, utcDay, utcHour } from "../time";
import { type Counts, dailySeriesReads, hourlySeriesReads, type SeriesReads } from "./series-reads";
import { byKey, keyId, keyTest, onCalendar, type SeriesKey } from "./series-keys";

/** Days back from today the daily store holds (the longest scan and its baseline, with a margin); older spans read PocketBase. */
export const STORE_DAYS = SCAN_MAX_DAYS + BASELINE_DAYS + 30;
/**
 * Hours back from this hour the hourly store holds: every hour the hourly rollups keep (they
 * prune what is older by PocketBase's clock: lib/rollups/sql.ts HOURLY_CUTOFF_SQL), so the
 * scans' last three days in hours (lib/insights/scan-plan.ts) and the 24-hour views are served.
 */
export const STORE_HOURS = HOURLY_RETENTION_HOURS - 1;

/** The bucket n days or hours after (before, for n < 0) `bucket`. */
const step = (grain: Grain, bucket: string, n: number) => (grain === "day" ? addDays(bucket, n) : addHours(bucket, n));
/** The first bucket a store of this grain holds at `now`. */
const firstHeld = (grain: Grain, now: Date) => (grain === "day" ? addDays(utcDay(now), -STORE_DAYS) : addHours(utcHour(now), -STORE_HOURS));

/**
 * A key's held buckets in order with running totals: `cum[i * W + c]` is count c summed over the
 * first i buckets (W = COUNT_COLUMNS.length). A range's sum is then two binary searches and a
 * subtraction per key, whatever its length — instead of a lookup per day of the range.
 */
interface RunningTotals {
  buckets: string[];
  cum: Float64Array;
}

interface Entry {
  key: SeriesKey;
  cells: Map<string, Counts>;
  totals: RunningTotals | null;
  /**
   * Its series rows of the last spans asked (by "from|after"; null: the key has no bucket there),
   * frozen and shared by the calls until its cells change: a scan asks every key for the same
   * span on every refresh, and most keys did not change.
   */
  rows: Map<string, SeriesRow<string> | null> | null;
  /** When its cells last changed (the store's tick): a series row's version (rowVersions). */
  changed: number;
}

const W = COUNT_COLUMNS.length;
/** Spans whose series rows an entry keeps (a process scans a few ranges: 30 and 90 days, 24 hours). */
const ROWS_KEPT = 4;
/** The group of every entry (sortedGroup); no selection is named so. */
const ALL = "\u0000all";

function runningTotals(cells: Map<string, Counts>): RunningTotals {
  const buckets = [...cells.keys()].sort();
  const cum = new Float64Array((buckets.length + 1) * W);
  buckets.forEach((b, i) => {
    const c = cells.get(b)!;
    for (let j = 0; j < W; j++) cum[(i + 1) * W + j] = cum[i * W + j]! + (c[j] ?? 0);
  });
  return { buckets, cum };
}

/** The key's running totals (built again after a change of its cells). */
function totalsOf(e: Entry): RunningTotals {
  e.totals ??= runningTotals(e.cells);
  return e.totals;
}

/** How many of the sorted buckets are below `x`. */
function below(buckets: readonly string[], x: string): number {
  let lo = 0;
  let hi = buckets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (buckets[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SeriesStore {
  /**
   * Per key (its JSON): the key, its buckets' counts, its running totals (built when a read first
   * needs them after a change of the key's cells; see RunningTotals) and when its cells last changed.
   */
  private entries = new Map<string, Entry>();
  /**
   * The same entries by their repository selection (every series rollup is keyed by it, and
   * every read names one), so a read visits only its selection's keys: an outcome rollup holds
   * each run under its selection and under "all".
   */
  private bySelection = new Map<string, Map<string, Entry>>();
  /** Each selection's entries (and ALL: every entry) in key order, built when first read after a key came or went. */
  private sorted = new Map<string, readonly Entry[]>();
  /** Per held bucket, the tick when one of its cells (any key's) last changed: spanVersion. */
  private bucketChanged = new Map<string, number>();
  private readonly split: string | null;
  /** Buckets held, inclusive (null: nothing loaded). */
  private held: { from: string; to: string } | null = null;
  /** Highest change number applied. */
  private rev = 0;
  private lock: Promise<unknown> = Promise.resolve();
  /** Changes of the held cells, counted (an entry's `changed`: its rows' version). */
  private tick = 0;
  /** When the last refresh applied began (performance.now()); see afterUpdate. */
  private refreshed = Number.NEGATIVE_INFINITY;
  private warming: Promise<unknown> | null = null;
  /** Refreshes, reads of the view and of changed rows since the store was made (the tests and the benchmark look). */
  readonly stats = { refreshes: 0, viewReads: 0, changeReads: 0, changedRows: 0, restarts: 0 };

  constructor(
    private readonly dims: readonly Dim[],
    private readonly reads: SeriesReads,
    private readonly grain: Grain = "day",
  ) {
    this.split = dims.some((d) => d.column === "repo") ? "repo" : null;
  }

  private selectionOf(key: SeriesKey): string {
    return this.split === null ? "" : String(key[this.split]);
  }

  /**
   * The held keys of `filter`, in key order (SQLite's) within each selection: only its
   * selections' when it names some (see bySelection). True when they came in key order (one
   * group).
   */
  private each(filter: KeyFilter | undefined, visit: (e: Entry) => void): boolean {
    const test = keyTest(filter);
    const wanted = this.split === null ? undefined : filter?.[this.split as keyof KeyFilter];
    const groups = wanted === undefined ? [ALL] : [...new Set(wanted.map(String))];
    for (const group of groups) for (const e of this.sortedGroup(group)) if (test === null || test(e.key)) visit(e);
    return groups.length === 1;
  }

  /** A group's entries (ALL: every entry) in key order, sorted again only after a key came or went. */
  private sortedGroup(group: string): readonly Entry[] {
    let sorted = this.sorted.get(group);
    if (!sorted) {
      const entries = group === ALL ? this.entries : this.bySelection.get(group);
      sorted = [...(entries?.values() ?? [])].sort(byKey(this.dims));
      this.sorted.set(group, sorted);
    }
    return sorted;
  }

  /** The key's series row over [from, after) (null: no bucket there), kept until its cells change (Entry.rows). */
  private seriesRow(e: Entry, from: string, after: string): SeriesRow<string> | null {
    const id = `${from}|${after}`;
    const kept = e.rows?.get(id);
    if (kept !== undefined) return kept;
    const { buckets: held, cum } = totalsOf(e);
    const lo = below(held, from);
    const hi = below(held, after);
    let row: SeriesRow<string> | null = null;
    // A key with rows in the span (zero rows too, as the view).
    if (hi > lo) {
      const buckets: BucketOutcomes[] = [];
      for (let i = lo; i < hi; i++) {
        buckets.push(Object.freeze({ bucket: held[i]!, success: cum[(i + 1) * W]! - cum[i * W]!, failed: cum[(i + 1) * W + 1]! - cum[i * W + 1]! }));
      }
      const made: SeriesRow<string> = {
        key: Object.freeze({ ...e.key }),
        success: cum[hi * W]! - cum[lo * W]!,
        failed: cum[hi * W + 1]! - cum[lo * W + 1]!,
        buckets: Object.freeze(buckets),
      };
      rowVersions.set(made, `${this.grain}${e.changed}`);
      row = Object.freeze(made);
    }
    e.rows ??= new Map();
    if (e.rows.size >= ROWS_KEPT) e.rows.delete(e.rows.keys().next().value!);
    e.rows.set(id, row);
    return row;
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
    return this.afterUpdate(span, now, asOf, () => {
      // Held buckets are real buckets of the grain, so [from, to] as text is the span's buckets.
      const after = step(this.grain, span.to, 1);
      const out: SeriesRow<string>[] = [];
      const ordered = this.each(filter, (e) => {
        const row = this.seriesRow(e, span.from, after);
        if (row !== null && row.failed >= minFailed) out.push(row);
      });
      return ordered ? out : out.sort(byKey(this.dims));
    });
  }

  /** Every key's (of `filter`'s keys) counts summed over the span (COUNT_COLUMNS' order), keys without runs left out: the range sums' counts. */
  sums(span: Pick<Span, "from" | "to">, now: Date, filter?: KeyFilter, asOf?: number): Promise<{ key: SeriesKey; counts: Counts }[]> {
    return this.afterUpdate(span, now, asOf, () => {
      // Held buckets are real buckets of the grain, so [from, to] as text is the span's buckets.
      // The bucket after `to` as the upper end: below() counts buckets before it.
      const after = step(this.grain, span.to, 1);
      const out: { key: SeriesKey; counts: Counts }[] = [];
      this.each(filter, (e) => {
        const { buckets, cum } = totalsOf(e);
        const lo = below(buckets, span.from);
        const hi = below(buckets, after);
        if (hi === lo) return;
        const counts: Counts = new Array(W);
        let any = false;
        for (let j = 0; j < W; j++) {
          const n = cum[hi * W + j]! - cum[lo * W + j]!;
          counts[j] = n;
          if (n !== 0) any = true;
        }
        if (any) out.push({ key: { ...e.key }, counts });
      });
      return out;
    });
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

  /** After a change of the entry's cells: its running totals are stale, its rows get a new version. */
  private touch(e: Entry): void {
    e.totals = null;
    e.rows = null;
    e.changed = ++this.tick;
  }

  private set(key: SeriesKey, bucket: string, counts: Counts): void {
    const id = keyId(this.dims, key);
    let e = this.entries.get(id);
    if (!e) {
      e = { key, cells: new Map(), totals: null, rows: null, changed: 0 };
      this.entries.set(id, e);
      this.sorted.clear();
      const group = this.bySelection.get(this.selectionOf(key)) ?? new Map<string, Entry>();
      this.bySelection.set(this.selectionOf(key), group);
      group.set(id, e);
    }
    e.cells.set(bucket, counts);
    this.touch(e);
    this.bucketChanged.set(bucket, e.changed);
  }

  /** Drops the key's held buckets from `from` on (what was read again replaces them). */
  private clear(key: SeriesKey, from: string): void {
    const e = this.entries.get(keyId(this.dims, key));
    if (!e) return;
    const gone = [...e.cells.keys()].filter((bucket) => bucket >= from);
    for (const bucket of gone) e.cells.delete(bucket);
    if (gone.length) this.touch(e);
    for (const bucket of gone) this.bucketChanged.set(bucket, e.changed);
  }

  private async load(from: string, to: string): Promise<void> {
    this.stats.viewReads++;
    for (const row of await this.reads.view(from, to)) for (const b of row.buckets) this.set(row.key, b.bucket, b.counts);
  }

  /**
   * A version of the keys where `column` is one of `values`, after a refresh: the store's tick
   * when one of their cells last changed (any bucket, read again after a change, or loaded), so
   * two equal answers mean none of their rows changed between them (lib/data/window-memo.ts).
   * O(keys): no bucket is visited. 0: no such key.
   */
  version(column: string, values: readonly (string | number)[], span: Pick<Span, "from" | "to">, now: Date, asOf?: number): Promise<number> {
    const wanted = new Set(values.map(String));
    return this.afterUpdate(span, now, asOf, () => {
      let v = 0;
      for (const e of this.entries.values()) if (e.changed > v && wanted.has(String(e.key[column]))) v = e.changed;
      return v;
    });
  }

  /**
   * A version of the span's buckets, after a refresh: the store's tick when a cell of one of them
   * (any key's) last changed, so two equal answers mean no row of those buckets changed between
   * them, whichever app's (lib/data/window-memo.ts: a window in the past keeps its version while
   * today's runs arrive). O(held buckets). 0: none held.
   */
  spanVersion(span: Pick<Span, "from" | "to">, now: Date, asOf?: number): Promise<number> {
    return this.afterUpdate(span, now, asOf, () => {
      let v = 0;
      for (const [bucket, changed] of this.bucketChanged) if (changed > v && bucket >= span.from && bucket <= span.to) v = changed;
      return v;
    });
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
    this.prune(firstHeld(this.grain, now));
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
      this.entries.clear();
      this.bySelection.clear();
      this.sorted.clear();
      this.bucketChanged.clear();
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
      for (const c of cleared) this.clear(c.key, c.from);
      for (const c of rows) if (c.bucket >= from && c.bucket <= to) this.set(c.key, c.bucket, c.counts);
      this.rev = max;
    }
  }

  /** Drops buckets before `first` (no span the store serves reaches them). */
  private prune(first: string): void {
    if (!this.held || this.held.from >= first) return;
    for (const [id, e] of this.entries) {
      for (const bucket of e.cells.keys()) {
        if (bucket >= first) continue;
        e.cells.delete(bucket);
        this.touch(e);
      }
      if (e.cells.size === 0) {
        this.entries.delete(id);
        this.bySelection.get(this.selectionOf(e.key))?.delete(id);
        this.sorted.clear();
      }
    }
    for (const bucket of this.bucketChanged.keys()) if (bucket < first) this.bucketChanged.delete(bucket);
    this.held.from = first > this.held.to ? this.held.to : first;
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
