/**
 * Keys of the series rollups as the readers compare them (lib/data/series-store.ts and the
 * readers it stands in for): typed as the spec types them, ordered as SQLite orders them,
 * filtered as a KeyFilter does, and the calendar the views join. Pure.
 */
import type { KeyFilter } from "../insights/source";
import { CALENDAR_FIRST, CALENDAR_LAST, type Dim, type Grain } from "../rollups/spec";
import { utcDay, utcHour } from "../time";

export type SeriesKey = Record<string, string | number>;

/** A real day ("YYYY-MM-DD") or hour ("YYYY-MM-DD HH") of the rollups' calendar (2020–2040). */
export function onCalendar(bucket: string, grain: Grain): boolean {
  const shape = grain === "day" ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2} \d{2}$/;
  if (!shape.test(bucket) || bucket.slice(0, 10) < CALENDAR_FIRST || bucket.slice(0, 10) > CALENDAR_LAST) return false;
  const ms = Date.parse(grain === "day" ? `${bucket}T00:00:00Z` : `${bucket.replace(" ", "T")}:00:00Z`);
  return Number.isFinite(ms) && (grain === "day" ? utcDay(new Date(ms)) : utcHour(new Date(ms))) === bucket;
}
/** The key as the spec types it: numbers for number dimensions, text ('' for none) otherwise. */
export function typedKey(dims: readonly Dim[], row: Record<string, unknown>): SeriesKey {
  return Object.fromEntries(
    dims.map((d) => [d.column, d.kind === "number" ? Number(row[d.column]) : row[d.column] === null || row[d.column] === undefined ? "" : String(row[d.column])]),
  );
}

/** One text per key (its values in the dimensions' order): the key's id in a Map. */
export function keyId(dims: readonly Dim[], key: SeriesKey): string {
  return JSON.stringify(dims.map((d) => key[d.column]));
}

/** Text with a UTF-16 surrogate or a code point above them: its code-unit order may differ from its UTF-8 byte order. */
const FROM_SURROGATES = /[\ud800-\uffff]/;

/** SQLite's order of two values of one column: NULL first, numbers by value, text by its UTF-8 bytes (BINARY collation). */
export function sqliteOrder(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  if (!FROM_SURROGATES.test(x) && !FROM_SURROGATES.test(y)) return x < y ? -1 : x > y ? 1 : 0;
  return Buffer.compare(Buffer.from(x), Buffer.from(y));
}

/** Series rows in key order, so that both paths answer in one order. */
export function byKey(dims: readonly Dim[]): (a: { key: SeriesKey }, b: { key: SeriesKey }) => number {
  return (a, b) => {
    for (const d of dims) {
      const c = sqliteOrder(a.key[d.column] ?? "", b.key[d.column] ?? "");
      if (c !== 0) return c;
    }
    return 0;
  };
}

/**
 * A KeyFilter as a test of a key: each listed column equals one of its values, compared as text
 * (each column's values in a Set, so a long list is not scanned per key); null without a filter.
 */
export function keyTest(filter: KeyFilter | undefined): ((key: SeriesKey) => boolean) | null {
  const columns = Object.entries(filter ?? {}).flatMap(([column, values]) => (values === undefined ? [] : [[column, new Set(values.map(String))] as const]));
  if (columns.length === 0) return null;
  return (key) => columns.every(([column, values]) => values.has(String(key[column])));
}
