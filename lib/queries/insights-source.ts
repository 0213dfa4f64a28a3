/**
 * The insight finders' data (lib/insights/source.ts) from PocketBase's rollups: series views
 * (`<rollup>_series`, each key's buckets packed in one record), range views (`<rollup>_range`)
 * and the rollups' own rows — never raw records. Every value enters a filter through pb.filter().
 */
import "server-only";
import type PocketBase from "pocketbase";
import type { InsightsSource, KeyedTotals, KeyFilter, SeriesRow, Span } from "../insights/source";
import { parsePackedSeries } from "../insights/source";
import { listAll } from "../pocketbase";
import { rangeBuckets } from "../range";
import { rollupSpec, rollupTable } from "../rollups/spec";
import { anyOf, rangeAll, rangeSeriesRows, type FilterPart } from "./rollup-range";

/** `column is one of …` for every column of the filter, joined with &&; undefined for none. */
function keyFilter(filter: KeyFilter | undefined): FilterPart | undefined {
  const parts = Object.entries(filter ?? {}).flatMap(([column, values]) => (values ? [anyOf(column, values)] : []));
  if (parts.length === 0) return undefined;
  if (parts.some((p) => p.expr === "()")) return { expr: "id = ''", params: {} }; // an empty list matches nothing
  return { expr: parts.map((p) => p.expr).join(" && "), params: Object.assign({}, ...parts.map((p) => p.params)) };
}

interface SeriesRecord {
  success: number;
  failed: number;
  series: string;
  [column: string]: string | number;
}

export function pocketbaseSource(pb: PocketBase): InsightsSource {
  return {
    async series<K extends string>(rollup: string, span: Span, minFailed: number): Promise<SeriesRow<K>[]> {
      const table = rollupTable(rollup, span.grain);
      const dims = rollupSpec(table).dims.map((d) => d.column);
      const records = await listAll<SeriesRecord>(pb, `${table}_series`, {
        filter: pb.filter("failed >= {:min}", { min: minFailed }),
        // The view's list rule binds range_from/range_to to these; `fields` skips ids and ends.
        query: { from: span.from, to: span.to, fields: [...dims, "success", "failed", "series"].join(",") },
      });
      const buckets = rangeBuckets(span);
      return records.map((r) => ({
        key: Object.fromEntries(dims.map((d) => [d, r[d] ?? ""])) as Record<K, string | number>,
        success: r.success,
        failed: r.failed,
        buckets: parsePackedSeries(r.series, buckets),
      }));
    },
    async totals(rollup: string, span: Span, filter?: KeyFilter): Promise<KeyedTotals[]> {
      const f = keyFilter(filter);
      return (await rangeAll<string>(pb, rollup, span, f ? { filter: f } : {})) as KeyedTotals[];
    },
    async bucketRows(rollup: string, span: Span, filter: KeyFilter) {
      return rangeSeriesRows<KeyedTotals>(pb, rollup, span, keyFilter(filter));
    },
  };
}
