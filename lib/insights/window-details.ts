/**
 * What happened inside a regression's window: the exit codes that rose compared with the rest of
 * the scan (baseline = scan − window), and how the window's runs split by OS, PVE version and
 * install method. Pure; the inputs are range-view totals.
 */
import { errorCategory } from "../exit-codes";
import { poissonSfAtLeast } from "./significance";

export interface RisingCode {
  exit_code: number;
  category: string;
  failed: number;
  /** Failures of this code the baseline predicts for the window's runs. */
  expected: number;
  excess: number;
}

/** A code is named when its excess is ≥ 2 failures and ≥ 10 % of the window's excess, and unlikely by chance. */
export const CODE_MIN_EXCESS = 2;
export const CODE_MIN_SHARE = 0.1;
export const CODE_ALPHA = 0.01;
export const MAX_CODES = 5;

/**
 * Codes whose failures rose in the window, most excess first. `window` and `scan` map each code
 * to its failures; decided runs give the scale (baseline = scan − window).
 */
export function risingCodes(
  window: ReadonlyMap<number, number>,
  scan: ReadonlyMap<number, number>,
  decided: { window: number; scan: number },
  totalExcess: number,
  day: string,
): RisingCode[] {
  const baselineDecided = decided.scan - decided.window;
  if (baselineDecided <= 0) return [];
  const alpha = CODE_ALPHA / Math.max(1, window.size);
  return [...window]
    .map(([code, failed]) => {
      const before = Math.max(0, (scan.get(code) ?? 0) - failed);
      // Half a failure of prior: a code never seen before still has a small expectation.
      const expected = (decided.window * (before + 0.5)) / baselineDecided;
      return { exit_code: code, category: errorCategory(code, day), failed, expected, excess: failed - expected, p: poissonSfAtLeast(failed, expected) };
    })
    .filter((c) => c.excess >= CODE_MIN_EXCESS && c.excess >= CODE_MIN_SHARE * totalExcess && c.p <= alpha)
    .sort((a, b) => b.excess - a.excess || a.exit_code - b.exit_code)
    .slice(0, MAX_CODES)
    .map(({ p: _p, ...c }) => c);
}

export interface SplitRow {
  dimension: "os" | "pve" | "method";
  value: string;
  failed: number;
  decided: number;
  rate: number | null;
}

interface Outcomes {
  failed: number;
  success: number;
}
type Keyed = Outcomes & { key: string };

function sumBy(rows: readonly Keyed[]): Map<string, Outcomes> {
  const out = new Map<string, Outcomes>();
  for (const r of rows) {
    const a = out.get(r.key) ?? { failed: 0, success: 0 };
    a.failed += r.failed;
    a.success += r.success;
    out.set(r.key, a);
  }
  return out;
}

/** Values of one dimension in the window, most failures first, at most `max`. */
export function splitOf(dimension: SplitRow["dimension"], window: readonly Keyed[], max = 5): SplitRow[] {
  return [...sumBy(window)]
    .map(([value, a]) => {
      const decided = a.failed + a.success;
      return { dimension, value, failed: a.failed, decided, rate: decided > 0 ? a.failed / decided : null };
    })
    .sort((x, y) => y.failed - x.failed || y.decided - x.decided || x.value.localeCompare(y.value))
    .slice(0, max);
}
