/**
 * The daily series the regression and incident scans read (`<rollup>_series`), kept in memory
 * per process and brought up to date by change number instead of being read again on every
 * refresh (docs/ROLLUPS.md "Change numbers"). A refresh asks the rollup for its lowest and
 * highest change numbers (two index reads) and, when something changed, for the rows changed
 * since the last refresh — usually a few dozen; days the store does not hold yet are read from
 * the series view once. The answer is the series view's answer for the same span, row for row:
 *  - a trigger gives the row whose own counts it changes the table's next change number, so
 *    every changed (key, day) row is read again with its current counts, zero rows included;
 *  - a rebuild (or a prepared shadow switched in) gives every row a number above any counted
 *    before, so the lowest number passing the store's means the table was replaced: the store
 *    starts over (rows a rebuild dropped would otherwise linger);
 *  - the highest number is read before the rows, so a change racing a read is read again next time.
 * The integration test compares it with the series view after random inserts, late updates,
 * deletes and a rebuild (tests/integration/series-store.test.ts).
 */
import "server-only";
import type PocketBase from "pocketbase";
import type { BucketOutcomes, KeyFilter, SeriesRow, Span } from "../insights/source";
import { BASELINE_DAYS, SCAN_MAX_DAYS } from "../insights/scan-plan";
import { REV_COLUMN, rollupDims, rollupTable, type Dim, type SeriesRollup } from "../rollups/spec";
import { addDays } from "../time";
import { listAll } from "./pocketbase";

/** Days back from today the store holds (the longest scan and its baseline, with a margin); older spans read the view. */
export const STORE_DAYS = SCAN_MAX_DAYS + BASELINE_DAYS + 30;

export type SeriesKey = Record<string, string | number>;

/** What the store reads from PocketBase. */
export interface SeriesReads {
  /** Lowest and highest change numbers in the table; null when it has no rows. */
  revBounds(): Promise<{ min: number; max: number } | null>;
  /** Rows whose change number is in (after, upTo], with their own counts. */
  changes(after: number, upTo: number): Promise<{ bucket: string; key: SeriesKey; success: number; failed: number }[]>;
  /** Every key's buckets in [from, to] (days), from the series view. */
  view(from: string, to: string): Promise<{ key: SeriesKey; buckets: BucketOutcomes[] }[]>;
}

/** The key as the spec types it: numbers for number dimensions, text ('' for none) otherwise. */
export function typedKey(dims: readonly Dim[], row: Record<string, unknown>): SeriesKey {
  return Object.fromEntries(
    dims.map((d) => [d.column, d.kind === "number" ? Number(row[d.column]) : row[d.column] === null || row[d.column] === undefined ? "" : String(row[d.column])]),
  );
}

/** SQLite's order of two key values (numbers by value, text by UTF-8 bytes): the series view's GROUP BY order. */
function compareValues(a: string | number, b: string | number): number {
  if (a === b) return 0;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
}

/** Series rows in key order, so that both paths answer in one order. */
export function byKey(dims: readonly Dim[]): (a: { key: SeriesKey }, b: { key: SeriesKey }) => number {
  return (a, b) => {
    for (const d of dims) {
      const c = compareValues(a.key[d.column] ?? "", b.key[d.column] ?? "");
      if (c !== 0) return c;
    }
    return 0;
  };
}

/** Whether a key passes a KeyFilter (each listed column equals one of its values). */
export function passes(key: SeriesKey, filter: KeyFilter | undefined): boolean {
  return Object.entries(filter ?? {}).every(([column, values]) => values === undefined || values.some((v) => String(v) === String(key[column])));
}

const byBucket = (a: BucketOutcomes, b: BucketOutcomes) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0);

export class SeriesStore {
  /** Per key (its JSON): the key and its days' [successes, failures]. */
  private entries = new Map<string, { key: SeriesKey; cells: Map<string, [number, number]> }>();
  /** Days held, inclusive (null: nothing loaded). */
  private span: { from: string; to: string } | null = null;
  /** Highest change number applied. */
  private rev = 0;
  private lock: Promise<unknown> = Promise.resolve();
  /** Reads of the view and of changed rows since the store was made (the tests and the benchmark look). */
  readonly stats = { viewReads: 0, changeReads: 0, changedRows: 0, restarts: 0 };

  constructor(
    private readonly dims: readonly Dim[],
    private readonly reads: SeriesReads,
  ) {}

  /** Whether the store answers this span (whole days, none older than STORE_DAYS before today). */
  static serves(span: Span, today: string): boolean {
    return span.grain === "day" && span.from <= span.to && span.from >= addDays(today, -STORE_DAYS);
  }

  /** The series view's answer for the span: keys with a row in it and at least `minFailed` failures, of `filter`'s keys. */
  series(span: Span, minFailed: number, filter: KeyFilter | undefined, today: string): Promise<SeriesRow<string>[]> {
    return this.exclusive(async () => {
      await this.update(span, today);
      return this.answer(span, minFailed, filter);
    });
  }

  /** One update at a time: reads of one store apply in the order they were made. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private clear(): void {
    this.entries.clear();
    this.span = null;
    this.rev = 0;
  }

  private set(key: SeriesKey, bucket: string, success: number, failed: number): void {
    const id = JSON.stringify(this.dims.map((d) => key[d.column]));
    let e = this.entries.get(id);
    if (!e) {
      e = { key, cells: new Map() };
      this.entries.set(id, e);
    }
    e.cells.set(bucket, [success, failed]);
  }

  private async load(from: string, to: string): Promise<void> {
    this.stats.viewReads++;
    for (const row of await this.reads.view(from, to)) for (const b of row.buckets) this.set(row.key, b.bucket, b.success, b.failed);
  }

  private async update(span: Span, today: string): Promise<void> {
    const bounds = await this.reads.revBounds();
    if (this.span && (bounds === null || bounds.min > this.rev)) {
      // Every row is newer than the store (a rebuild or a switched-in shadow), or none is left.
      this.stats.restarts++;
      this.clear();
    }
    if (!this.span) {
      this.rev = bounds?.max ?? 0; // read before the rows: a change made meanwhile is read again
      await this.load(span.from, span.to);
      this.span = { from: span.from, to: span.to };
      return;
    }
    if (bounds && bounds.max > this.rev) {
      const changed = await this.reads.changes(this.rev, bounds.max);
      this.stats.changeReads++;
      this.stats.changedRows += changed.length;
      const held = this.span;
      for (const c of changed) if (c.bucket >= held.from && c.bucket <= held.to) this.set(c.key, c.bucket, c.success, c.failed);
      this.rev = bounds.max;
    }
    // Days not held yet: read once (after the changes, so nothing read here is older than them).
    if (span.from < this.span.from) {
      await this.load(span.from, addDays(this.span.from, -1));
      this.span.from = span.from;
    }
    if (span.to > this.span.to) {
      await this.load(addDays(this.span.to, 1), span.to);
      this.span.to = span.to;
    }
    this.prune(addDays(today, -STORE_DAYS));
  }

  /** Drops days before `first` (the store holds at most STORE_DAYS). */
  private prune(first: string): void {
    if (!this.span || this.span.from >= first) return;
    for (const [id, e] of this.entries) {
      for (const bucket of e.cells.keys()) if (bucket < first) e.cells.delete(bucket);
      if (e.cells.size === 0) this.entries.delete(id);
    }
    this.span.from = first > this.span.to ? this.span.to : first;
  }

  private answer(span: Span, minFailed: number, filter: KeyFilter | undefined): SeriesRow<string>[] {
    const out: SeriesRow<string>[] = [];
    for (const { key, cells } of this.entries.values()) {
      if (!passes(key, filter)) continue;
      let success = 0;
      let failed = 0;
      const buckets: BucketOutcomes[] = [];
      for (const [bucket, [s, f]] of cells) {
        if (bucket < span.from || bucket > span.to) continue;
        success += s;
        failed += f;
        buckets.push({ bucket, success: s, failed: f });
      }
      if (buckets.length === 0 || failed < minFailed) continue;
      out.push({ key: { ...key }, success, failed, buckets: buckets.sort(byBucket) });
    }
    return out.sort(byKey(this.dims));
  }
}

/** The store's reads from one PocketBase: the daily rollup's change numbers and rows, and its series view. */
export function pocketbaseSeriesReads(
  pb: PocketBase,
  rollup: SeriesRollup,
  view: (from: string, to: string) => Promise<{ key: SeriesKey; buckets: BucketOutcomes[] }[]>,
): SeriesReads {
  const table = rollupTable(rollup, "day");
  const dims = rollupDims(rollup);
  const one = async (sort: string) => (await pb.collection(table).getList<{ rev: number }>(1, 1, { sort, fields: REV_COLUMN, skipTotal: true })).items[0]?.rev;
  return {
    async revBounds() {
      const [min, max] = await Promise.all([one(REV_COLUMN), one(`-${REV_COLUMN}`)]);
      return min === undefined || max === undefined ? null : { min: Number(min), max: Number(max) };
    },
    async changes(after, upTo) {
      const rows = await listAll<Record<string, unknown> & { bucket: string; success: number; failed: number }>(pb, table, {
        filter: pb.filter(`${REV_COLUMN} > {:after} && ${REV_COLUMN} <= {:upTo}`, { after, upTo }),
        sort: REV_COLUMN,
        query: { fields: ["bucket", ...dims.map((d) => d.column), "success", "failed"].join(",") },
      });
      return rows.map((r) => ({ bucket: r.bucket, key: typedKey(dims, r), success: Number(r.success), failed: Number(r.failed) }));
    },
    view,
  };
}

/** One store per PocketBase and rollup, for the process's lifetime. */
const stores = new Map<string, SeriesStore>();

export function seriesStore(pb: PocketBase, rollup: SeriesRollup, reads: () => SeriesReads): SeriesStore {
  const id = `${pb.baseURL}\n${rollup}`;
  let store = stores.get(id);
  if (!store) {
    store = new SeriesStore(rollupDims(rollup), reads());
    stores.set(id, store);
  }
  return store;
}
