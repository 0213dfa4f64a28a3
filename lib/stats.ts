/** Rates with Wilson score intervals, and period-over-period change. Pure. */

export const Z95 = 1.959963984540054;

export interface Interval {
  rate: number;
  low: number;
  high: number;
}

/**
 * Wilson score interval of k successes in n trials (95 % by default). Unlike the normal
 * approximation it stays inside [0, 1] and is honest for small n: 1 failure in 2 runs gives
 * roughly 9 %–91 %, so ranking by the lower bound does not put it above 50 failures in 1,000.
 */
export function wilson(k: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const z2 = z * z;
  const center = k + z2 / 2;
  const margin = z * Math.sqrt((k * (n - k)) / n + z2 / 4);
  const denom = n + z2;
  return { rate: k / n, low: Math.max(0, (center - margin) / denom), high: Math.min(1, (center + margin) / denom) };
}

/** SQL for the same bounds over integer columns `k` and `n` (SQLite with math functions). */
export function wilsonSql(k: string, n: string, bound: "low" | "high", z = Z95): string {
  const z2 = z * z;
  const sign = bound === "low" ? "-" : "+";
  return `CASE WHEN (${n}) > 0 THEN ((${k}) + ${z2 / 2} ${sign} ${z} * sqrt(1.0 * (${k}) * ((${n}) - (${k})) / (${n}) + ${z2 / 4})) ` + `/ ((${n}) + ${z2}) END`;
}

/**
 * The bounds exactly as SQLite computes `wilsonSql` (no clamping to [0, 1]; the same operations
 * on the same doubles in the same order, the constants as the SQL text spells them), for
 * readers that get the counts and must return the range view's values bit for bit
 * (lib/data/queries/rollup-range.ts; tests/integration/rollup-sums.test.ts compares them).
 */
export function wilsonAsSql(k: number, n: number, z = Z95): { low: number; high: number } | null {
  if (n <= 0) return null;
  const z2 = z * z;
  const margin = z * Math.sqrt((k * (n - k)) / n + z2 / 4);
  return { low: (k + z2 / 2 - margin) / (n + z2), high: (k + z2 / 2 + margin) / (n + z2) };
}

export interface Change {
  previous: number;
  delta: number;
  /** Relative change, null when the previous value was 0. */
  relative: number | null;
}

export function change(current: number, previous: number): Change {
  return { previous, delta: current - previous, relative: previous === 0 ? null : (current - previous) / previous };
}

/** Runs that ended either way below which a point of a rate chart shows no rate (a gap). */
export const RATE_MIN_DECIDED = 10;
