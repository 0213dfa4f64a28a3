/**
 * Totals per key over a day range from a rollup's running totals: for each key, the row in
 * force at `to` minus the row in force the day before `from` (`bucket <= X < valid_until`
 * selects exactly one row per key). Two small reads whatever the range length.
 */
import "server-only";
import type PocketBase from "pocketbase";
import type { StoredOutcome } from "../outcomes";
import { listAll } from "../pocketbase";
import type { DayRange } from "../range";
import { CUM_COLUMNS } from "../rollups/spec";
import { addDays } from "../time";

export type StoredCounts = Record<StoredOutcome, number>;
export type KeyedCounts<K extends string> = Record<K, string | number> & StoredCounts & { runs: number };

/** A PocketBase filter fragment with its placeholder values (always passed through pb.filter). */
export interface FilterPart {
  expr: string;
  params: Record<string, string | number>;
}

type CumRow = Record<string, string | number>;

async function rowsInForceAt(pb: PocketBase, table: string, dims: string[], at: string, extra?: FilterPart): Promise<CumRow[]> {
  const expr = `bucket <= {:at} && valid_until > {:at}${extra ? ` && (${extra.expr})` : ""}`;
  const filter = pb.filter(expr, { ...extra?.params, at });
  // No `fields` projection: PocketBase's projection costs more than the few extra columns.
  return listAll<CumRow>(pb, table, filter);
}

export async function rangeTotals<K extends string>(
  pb: PocketBase,
  table: string,
  dims: readonly K[],
  range: Pick<DayRange, "from" | "to">,
  extra?: FilterPart,
): Promise<KeyedCounts<K>[]> {
  const [end, start] = await Promise.all([
    rowsInForceAt(pb, table, [...dims], range.to, extra),
    rowsInForceAt(pb, table, [...dims], addDays(range.from, -1), extra),
  ]);
  const keyOf = (row: CumRow) => JSON.stringify(dims.map((d) => row[d]));
  const before = new Map(start.map((row) => [keyOf(row), row]));
  const out: KeyedCounts<K>[] = [];
  for (const row of end) {
    const prev = before.get(keyOf(row));
    const counts = {} as StoredCounts;
    let runs = 0;
    for (const c of CUM_COLUMNS) {
      const n = Number(row[c]) - Number(prev?.[c] ?? 0);
      counts[c.slice(4) as StoredOutcome] = n;
      runs += n;
    }
    if (runs === 0) continue;
    const key = Object.fromEntries(dims.map((d) => [d, row[d]])) as Record<K, string | number>;
    out.push({ ...key, ...counts, runs });
  }
  return out;
}
