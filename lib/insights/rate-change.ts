/**
 * "Failure-rate change vs the previous period" with a significance test: per app, the pooled
 * two-proportion z test of this period's failures/decided runs against the previous period's,
 * with Benjamini–Hochberg over every app compared (a sortable column over ~650 apps would
 * otherwise show ~30 "significant" changes by chance). Pure; docs/INSIGHTS.md.
 */
import { benjaminiHochberg, twoProportionTest } from "./significance";

export interface PeriodCounts {
  failed: number;
  /** Successes + failures. */
  decided: number;
}

export interface RateChange {
  rate: number | null;
  previousRate: number | null;
  /** rate − previousRate (a fraction: 0.018 = +1.8 percentage points); null without both. */
  change: number | null;
  /** Two-sided p of the z test, and BH-adjusted over the apps compared; null when not tested. */
  p: number | null;
  q: number | null;
  significant: boolean;
  /** Significantly up and at least doubled. */
  newlyFailing: boolean;
  /** Significantly down and at least halved. */
  recovered: boolean;
}

/** Both periods need this many decided runs to be compared. */
export const CHANGE_MIN_DECIDED = 10;
export const CHANGE_FDR = 0.05;
export const CHANGE_FACTOR = 2;

const rateOf = (c: PeriodCounts) => (c.decided > 0 ? c.failed / c.decided : null);

/** Rate changes of many keys (apps) at once: the false-discovery control needs them all. */
export function rateChanges<K>(rows: readonly { key: K; current: PeriodCounts; previous: PeriodCounts }[]): Map<K, RateChange> {
  const tests = rows.map((r) =>
    r.current.decided >= CHANGE_MIN_DECIDED && r.previous.decided >= CHANGE_MIN_DECIDED
      ? twoProportionTest(r.current.failed, r.current.decided, r.previous.failed, r.previous.decided)
      : null,
  );
  const tested = tests.flatMap((t, i) => (t ? [{ i, p: t.p }] : []));
  const q = benjaminiHochberg(tested.map((t) => t.p));
  const qByRow = new Map(tested.map((t, j) => [t.i, q[j]!]));
  return new Map(
    rows.map((r, i) => {
      const rate = rateOf(r.current);
      const previousRate = rateOf(r.previous);
      const change = rate !== null && previousRate !== null ? rate - previousRate : null;
      const rowQ = qByRow.get(i) ?? null;
      const significant = rowQ !== null && rowQ <= CHANGE_FDR;
      const up = significant && change !== null && change > 0;
      const down = significant && change !== null && change < 0;
      return [
        r.key,
        {
          rate,
          previousRate,
          change,
          p: tests[i]?.p ?? null,
          q: rowQ,
          significant,
          newlyFailing: up && rate! >= CHANGE_FACTOR * previousRate!,
          recovered: down && rate! <= previousRate! / CHANGE_FACTOR,
        },
      ];
    }),
  );
}
