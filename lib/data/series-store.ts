/**
 * The daily series rollups (`stats_daily`, `stats_app`, `stats_code`, `stats_app_failure`) kept
 * in memory per process — each key's counts per day over the recent days — and brought up to date by change number instead of being read again (docs/
 * ROLLUPS.md "Change numbers"). A refresh asks the rollup for its highest change number (one
 * index read) and, when something changed, for its lowest and the rows changed since the last
 * refresh — usually a few dozen; buckets the store does not hold yet are read from the series
 * view once. Answers are the series view's (the scans) and the range sums' (every key's totals
 * over a range), row for row:
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
import type { BucketOutcomes, KeyFilter, SeriesRow, Span } from "../insights/source";
import { parsePackedCounts } from "../insights/source";
import { BASELINE_DAYS, SCAN_MAX_DAYS } from "../insights/scan-plan";
import { rangeBuckets } from "../range";
import { COUNT_COLUMNS, type Dim, REV_COLUMN, rollupDims, rollupTable, type SeriesRollup } from "../rollups/spec";
import { addDays, utcDay } from "../time";
import { listAll } from "./pocketbase";
import { byKey, onCalendar, passes, type SeriesKey, typedKey } from "./series-keys";

/** Days back from today the daily store holds (the longest scan and its baseline, with a margin); older spans read PocketBase. */
export const STORE_DAYS = SCAN_MAX_DAYS + BASELINE_DAYS + 30;

/** A bucket's counts in COUNT_COLUMNS' order. */
type Counts = number[];

/** What the store reads from PocketBase. */
export interface SeriesReads {
  /** Highest change number in the table; null when it has no rows. */
  highestRev(): Promise<number | null>;
  /** Lowest change number in the table; null when it has no rows. */
  lowestRev(): Promise<number | null>;
  /** Rows whose change number is in (after, upTo], with their own counts. */
  changes(after: number, upTo: number): Promise<{ bucket: string; key: SeriesKey; counts: Counts; rev: number }[]>;
  /** Every key's buckets in [from, to], from the series view. */
  view(from: string, to: string): Promise<{ key: SeriesKey; buckets: { bucket: string; counts: Counts }[] }[]>;
}

export class SeriesStore {
  /** Per key (its JSON): the key, its buckets' counts and the change number each was read at (an upper bound for buckets read from the view). */
  private entries = new Map<string, { key: SeriesKey; cells: Map<string, Counts>; revs: Map<string, number> }>();
  /** Buckets held, inclusive (null: nothing loaded). */
  private held: { from: string; to: string } | null = null;
  /** Highest change number applied. */
  private rev = 0;
  private lock: Promise<unknown> = Promise.resolve();
  private warming: Promise<unknown> | null = null;
  /** Reads of the view and of changed rows since the store was made (the tests and the benchmark look). */
  readonly stats = { viewReads: 0, changeReads: 0, changedRows: 0, restarts: 0 };

  constructor(
    private readonly dims: readonly Dim[],
    private readonly reads: SeriesReads,
  ) {}

  /**
   * Whether a store answers this span: whole days since STORE_DAYS before today, both ends real
   * days of the calendar the views join (a span PocketBase answers with nothing — a day that does
   * not exist, an end after 2040 — is left to it). Hours: never, the hourly rollups carry no change
   * numbers (lib/rollups/spec.ts hasRev).
   */
  static serves(span: Pick<Span, "from" | "to" | "grain">, now: Date): boolean {
    if (span.grain !== "day" || span.from > span.to || !onCalendar(span.from, span.grain) || !onCalendar(span.to, span.grain)) return false;
    return span.from >= addDays(utcDay(now), -STORE_DAYS);
  }

  /** The series view's answer for the span: keys with a row in it and at least `minFailed` failures, of `filter`'s keys. */
  series(span: Span, minFailed: number, filter: KeyFilter | undefined, now: Date): Promise<SeriesRow<string>[]> {
    return this.exclusive(async () => {
      await this.update(span, now);
      const inSpan = rangeBuckets(span);
      const out: SeriesRow<string>[] = [];
      for (const { key, cells } of this.entries.values()) {
        if (!passes(key, filter)) continue;
        let success = 0;
        let failed = 0;
        const buckets: BucketOutcomes[] = [];
        for (const bucket of inSpan) {
          const c = cells.get(bucket);
          if (!c) continue;
          const [s = 0, f = 0] = c;
          success += s;
          failed += f;
          buckets.push({ bucket, success: s, failed: f });
        }
        if (buckets.length === 0 || failed < minFailed) continue;
        out.push({ key: { ...key }, success, failed, buckets });
      }
      return out.sort(byKey(this.dims));
    });
  }

  /** Every key's counts summed over the span (COUNT_COLUMNS' order), keys without runs left out: the range sums' counts. */
  sums(span: Pick<Span, "from" | "to">, now: Date): Promise<{ key: SeriesKey; counts: Counts }[]> {
    return this.exclusive(async () => {
      await this.update(span, now);
      const inSpan = rangeBuckets({ ...span, grain: "day" });
      const out: { key: SeriesKey; counts: Counts }[] = [];
      for (const { key, cells } of this.entries.values()) {
        const counts = COUNT_COLUMNS.map(() => 0);
        for (const bucket of inSpan) {
          const c = cells.get(bucket);
          if (c) for (let i = 0; i < counts.length; i++) counts[i]! += c[i] ?? 0;
        }
        if (counts.some((n) => n !== 0)) out.push({ key: { ...key }, counts });
      }
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
    this.warming = this.exclusive(() => this.update(span, now))
      .catch(() => undefined)
      .finally(() => {
        this.warming = null;
      });
  }

  /** One update at a time: reads of one store apply in the order they were made. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private set(key: SeriesKey, bucket: string, counts: Counts, rev: number): void {
    const id = JSON.stringify(this.dims.map((d) => key[d.column]));
    let e = this.entries.get(id);
    if (!e) {
      e = { key, cells: new Map(), revs: new Map() };
      this.entries.set(id, e);
    }
    e.cells.set(bucket, counts);
    e.revs.set(bucket, rev);
  }

  private async load(from: string, to: string): Promise<void> {
    this.stats.viewReads++;
    // The view's rows changed last at or before the highest number read before them.
    for (const row of await this.reads.view(from, to)) for (const b of row.buckets) this.set(row.key, b.bucket, b.counts, this.rev);
  }

  /**
   * The highest change number of the rows of the keys where `column` is `value` in the span, after
   * a refresh: it grows whenever one of them changes (or a row appears), so two equal answers mean
   * none of those rows changed between them (lib/data/window-memo.ts). 0: no row.
   */
  version(column: string, value: string | number, span: Pick<Span, "from" | "to">, now: Date): Promise<number> {
    return this.exclusive(async () => {
      await this.update(span, now);
      const inSpan = rangeBuckets({ ...span, grain: "day" });
      let v = 0;
      for (const { key, revs } of this.entries.values()) {
        if (String(key[column]) !== String(value)) continue;
        for (const bucket of inSpan) v = Math.max(v, revs.get(bucket) ?? 0);
      }
      return v;
    });
  }

  private async update(span: Pick<Span, "from" | "to">, now: Date): Promise<void> {
    const max = await this.reads.highestRev();
    // A rebuild (or a switched-in shadow) numbers every row above anything counted before, so
    // the lowest number passing the store's means the table was replaced; so does a highest
    // number below it (a restored backup) or no rows at all. Unchanged (max = rev): no other read.
    const replaced = max === null || max < this.rev || (max > this.rev && ((await this.reads.lowestRev()) ?? Number.POSITIVE_INFINITY) > this.rev);
    if (this.held && replaced) {
      this.stats.restarts++;
      this.entries.clear();
      this.held = null;
    }
    if (!this.held) {
      this.rev = max ?? 0; // read before the rows: a change made meanwhile is read again
      await this.load(span.from, span.to);
      this.held = { from: span.from, to: span.to };
      return;
    }
    if (max !== null && max > this.rev) {
      const changed = await this.reads.changes(this.rev, max);
      this.stats.changeReads++;
      this.stats.changedRows += changed.length;
      const { from, to } = this.held;
      for (const c of changed) if (c.bucket >= from && c.bucket <= to) this.set(c.key, c.bucket, c.counts, c.rev);
      this.rev = max;
    }
    // Buckets not held yet: read once (after the changes, so nothing read here is older than them).
    if (span.from < this.held.from) {
      await this.load(span.from, addDays(this.held.from, -1));
      this.held.from = span.from;
    }
    if (span.to > this.held.to) {
      await this.load(addDays(this.held.to, 1), span.to);
      this.held.to = span.to;
    }
    this.prune(addDays(utcDay(now), -STORE_DAYS));
  }

  /** Drops buckets before `first` (no span the store serves reaches them). */
  private prune(first: string): void {
    if (!this.held || this.held.from >= first) return;
    for (const [id, e] of this.entries) {
      for (const bucket of e.cells.keys()) {
        if (bucket >= first) continue;
        e.cells.delete(bucket);
        e.revs.delete(bucket);
      }
      if (e.cells.size === 0) this.entries.delete(id);
    }
    this.held.from = first > this.held.to ? this.held.to : first;
  }
}

/** The store's reads from one PocketBase: the rollup's change numbers and rows, and its series view. */
function pocketbaseSeriesReads(pb: PocketBase, rollup: SeriesRollup): SeriesReads {
  const table = rollupTable(rollup, "day");
  const dims = rollupDims(rollup);
  // One index read: the first row in change-number order (or the last).
  const first = async (sort: string) => {
    const rev = (await pb.collection(table).getList<{ rev: number }>(1, 1, { sort, fields: REV_COLUMN, skipTotal: true })).items[0]?.rev;
    return rev === undefined ? null : Number(rev);
  };
  return {
    highestRev: () => first(`-${REV_COLUMN}`),
    lowestRev: () => first(REV_COLUMN),
    async changes(after, upTo) {
      const rows = await listAll<Record<string, unknown> & { bucket: string }>(pb, table, {
        filter: pb.filter(`${REV_COLUMN} > {:after} && ${REV_COLUMN} <= {:upTo}`, { after, upTo }),
        sort: REV_COLUMN,
        query: { fields: ["bucket", ...dims.map((d) => d.column), ...COUNT_COLUMNS, REV_COLUMN].join(",") },
      });
      return rows.map((r) => ({ bucket: r.bucket, key: typedKey(dims, r), counts: COUNT_COLUMNS.map((c) => Number(r[c])), rev: Number(r[REV_COLUMN]) }));
    },
    async view(from, to) {
      const records = await listAll<Record<string, unknown> & { series: string }>(pb, `${table}_series`, {
        // The view's list rule binds range_from/range_to to these; `fields` skips ids and ends.
        query: { from, to, fields: [...dims.map((d) => d.column), "series"].join(",") },
      });
      const buckets = rangeBuckets({ from, to, grain: "day" });
      return records.map((r) => ({ key: typedKey(dims, r), buckets: parsePackedCounts(r.series, buckets) }));
    },
  };
}

const KEY = Symbol.for("pve-telemetry.series-stores");
type Holder = { [KEY]?: Map<string, SeriesStore> };

/** One store per PocketBase and daily rollup, for the process's lifetime (also when Next.js loads this module in more than one bundle). */
export function seriesStore(pb: PocketBase, rollup: SeriesRollup): SeriesStore {
  const g = globalThis as Holder;
  g[KEY] ??= new Map();
  const stores = g[KEY];
  const id = `${pb.baseURL}\n${rollup}`;
  let store = stores.get(id);
  if (!store) {
    store = new SeriesStore(rollupDims(rollup), pocketbaseSeriesReads(pb, rollup));
    stores.set(id, store);
  }
  return store;
}
