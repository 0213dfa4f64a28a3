/**
 * What a series store (lib/data/series-store.ts) holds: each key's counts per bucket, and what
 * it answers from them — series rows, range sums and versions. Pure (no reads); the store keeps
 * it up to date and calls it once a refresh has been applied.
 *
 * Each key's held buckets are kept in order with running totals, so a range costs two binary
 * searches and a subtraction per key, whatever its length. Keys are grouped by repository
 * selection (every series rollup is keyed by it, and every read names one), each group in key
 * order, so a read visits only its selection's keys and needs no sort. Each key keeps its series
 * rows of the last spans asked until its cells change: a scan asks every key for the same span
 * on every refresh, and most keys did not change.
 */
import { dropOldest } from "../insights/search-memo";
import { type BucketOutcomes, type KeyFilter, rowVersions, type SeriesRow } from "../insights/source";
import { COUNT_COLUMNS, type Dim, type Grain } from "../rollups/spec";
import { addDays, addHours } from "../time";
import type { Counts } from "./series-reads";
import { byKey, keyId, keyTest, type SeriesKey } from "./series-keys";

/** The bucket n days or hours after (before, for n < 0) `bucket`. */
export const step = (grain: Grain, bucket: string, n: number) => (grain === "day" ? addDays(bucket, n) : addHours(bucket, n));

/**
 * A key's held buckets in order with running totals: `cum[i * W + c]` is count c summed over the
 * first i buckets (W = COUNT_COLUMNS.length).
 */
interface RunningTotals {
  buckets: string[];
  cum: Float64Array;
}

interface Entry {
  key: SeriesKey;
  cells: Map<string, Counts>;
  /** Built when a read first needs them after a change of the key's cells. */
  totals: RunningTotals | null;
  /**
   * Its series rows of the last spans asked (by "from|after"; null: the key has no bucket there),
   * frozen and shared by the callers until its cells change.
   */
  rows: Map<string, SeriesRow<string> | null> | null;
  /** When its cells last changed (the tick): a series row's version (rowVersions). */
  changed: number;
}

const W = COUNT_COLUMNS.length;
/** Spans whose series rows a key keeps (a process scans a few ranges: 30 and 90 days, 24 hours). */
const ROWS_KEPT = 4;
/** The group of every key (sortedGroup); no selection is named so. */
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

export class SeriesCells {
  /** Per key (its JSON). */
  private entries = new Map<string, Entry>();
  /** The same by repository selection. */
  private bySelection = new Map<string, Map<string, Entry>>();
  /** Each selection's keys (and ALL: every key) in key order, built when first read after a key came or went. */
  private sorted = new Map<string, readonly Entry[]>();
  /** Per held bucket, the tick when one of its cells (any key's) last changed: spanVersion. */
  private bucketChanged = new Map<string, number>();
  /** Changes of the cells, counted. */
  private tick = 0;
  private readonly split: string | null;

  constructor(
    private readonly dims: readonly Dim[],
    private readonly grain: Grain,
  ) {
    this.split = dims.some((d) => d.column === "repo") ? "repo" : null;
  }

  /** Sets a key's counts of one bucket (a zero row too, as the table holds it). */
  set(key: SeriesKey, bucket: string, counts: Counts): void {
    const id = keyId(this.dims, key);
    let e = this.entries.get(id);
    if (!e) {
      e = { key, cells: new Map(), totals: null, rows: null, changed: 0 };
      this.entries.set(id, e);
      const group = this.bySelection.get(this.selectionOf(key)) ?? new Map<string, Entry>();
      this.bySelection.set(this.selectionOf(key), group);
      group.set(id, e);
      this.sorted.clear();
    }
    e.cells.set(bucket, counts);
    this.touch(e);
    this.bucketChanged.set(bucket, e.changed);
  }

  /** Drops the key's buckets from `from` on (what was read again replaces them). */
  clear(key: SeriesKey, from: string): void {
    const e = this.entries.get(keyId(this.dims, key));
    if (!e) return;
    const gone = [...e.cells.keys()].filter((bucket) => bucket >= from);
    for (const bucket of gone) e.cells.delete(bucket);
    if (gone.length) this.touch(e);
    for (const bucket of gone) this.bucketChanged.set(bucket, e.changed);
  }

  /** Drops buckets before `first`, and the keys left without any. */
  prune(first: string): void {
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
  }

  /** Drops everything (the ticks go on, so no version repeats). */
  reset(): void {
    this.entries.clear();
    this.bySelection.clear();
    this.sorted.clear();
    this.bucketChanged.clear();
  }

  /** The series view's answer over [from, to]: keys with a row there and at least `minFailed` failures, of `filter`'s keys, in key order. */
  series(from: string, to: string, minFailed: number, filter: KeyFilter | undefined): SeriesRow<string>[] {
    // Held buckets are real buckets of the grain, so [from, to] as text is the span's buckets.
    const after = step(this.grain, to, 1);
    const out: SeriesRow<string>[] = [];
    const ordered = this.each(filter, (e) => {
      const row = this.seriesRow(e, from, after);
      if (row !== null && row.failed >= minFailed) out.push(row);
    });
    return ordered ? out : out.sort(byKey(this.dims));
  }

  /** Every key's (of `filter`'s keys) counts summed over [from, to] (COUNT_COLUMNS' order), keys without runs left out. */
  sums(from: string, to: string, filter: KeyFilter | undefined): { key: SeriesKey; counts: Counts }[] {
    // The bucket after `to` as the upper end: below() counts buckets before it.
    const after = step(this.grain, to, 1);
    const out: { key: SeriesKey; counts: Counts }[] = [];
    this.each(filter, (e) => {
      const { buckets, cum } = totalsOf(e);
      const lo = below(buckets, from);
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
  }

  /** The tick when a cell of the keys where `column` is one of `values` last changed (any bucket); 0: no such key. O(keys). */
  version(column: string, values: readonly (string | number)[]): number {
    const wanted = new Set(values.map(String));
    let v = 0;
    for (const e of this.entries.values()) if (e.changed > v && wanted.has(String(e.key[column]))) v = e.changed;
    return v;
  }

  /** The tick when a cell of [from, to]'s buckets last changed (any key's); 0: none held. O(held buckets). */
  spanVersion(from: string, to: string): number {
    let v = 0;
    for (const [bucket, changed] of this.bucketChanged) if (changed > v && bucket >= from && bucket <= to) v = changed;
    return v;
  }

  private selectionOf(key: SeriesKey): string {
    return this.split === null ? "" : String(key[this.split]);
  }

  /** After a change of the entry's cells: its running totals and rows are stale, its rows get a new version. */
  private touch(e: Entry): void {
    e.totals = null;
    e.rows = null;
    e.changed = ++this.tick;
  }

  /** The keys of `filter` in key order within each selection (only its selections' when it names some); true when one group came. */
  private each(filter: KeyFilter | undefined, visit: (e: Entry) => void): boolean {
    const test = keyTest(filter);
    const wanted = this.split === null ? undefined : filter?.[this.split as keyof KeyFilter];
    const groups = wanted === undefined ? [ALL] : [...new Set(wanted.map(String))];
    for (const group of groups) for (const e of this.sortedGroup(group)) if (test === null || test(e.key)) visit(e);
    return groups.length === 1;
  }

  private sortedGroup(group: string): readonly Entry[] {
    let sorted = this.sorted.get(group);
    if (!sorted) {
      const entries = group === ALL ? this.entries : this.bySelection.get(group);
      sorted = [...(entries?.values() ?? [])].sort(byKey(this.dims));
      this.sorted.set(group, sorted);
    }
    return sorted;
  }

  /** The key's series row over [from, after) (null: no bucket there), kept until its cells change. */
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
    e.rows.set(id, row);
    dropOldest(e.rows, ROWS_KEPT);
    return row;
  }
}
