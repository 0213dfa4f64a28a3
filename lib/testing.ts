/**
 * Scripts in testing: apps run from the development repository, and whether each is ready to
 * move to the official one. Pure; the rule is stated on /methodology#testing.
 *
 * Rule (non-inferiority): a script is ready when at least PROMOTE_MIN_RUNS of its development
 * runs ended either way, and the upper bound of its failure rate's 95 % Wilson interval is at
 * most the official repository's median app failure rate plus PROMOTE_MARGIN — i.e. with 95 %
 * confidence it fails at most 2 percentage points more often than a typical official script.
 * The median is over apps with at least MEDIAN_MIN_RUNS decided official runs in the same range
 * (official: from the official repository, or of the older protocol, which names none).
 */
import { wilson } from "./stats";

export const PROMOTE_MIN_RUNS = 30;
export const PROMOTE_MARGIN = 0.02;
/**
 * Decided runs an official app needs to count towards the median. Not PROMOTE_MIN_RUNS: at a
 * typical ~1 % failure rate an app with 30 runs shows no failure three times in four, so a
 * median over such apps is pulled towards 0 (on the e2e data it came out 0.52–0.69 %, once 0,
 * and the seeded ready script read "not ready"); over apps with ≥ 100 runs it was 0.96–1.14 %
 * across the same 25 layouts of the generated runs.
 */
export const MEDIAN_MIN_RUNS = 100;

export type Verdict = "ready" | "not ready" | "too few runs";

export interface TestingScript {
  nsapp: string;
  success: number;
  failed: number;
  failureRate: number | null;
  failureLow: number | null;
  failureHigh: number | null;
  verdict: Verdict;
}

/** Median of the failure rates of apps with at least MEDIAN_MIN_RUNS decided runs; null if none. */
export function officialMedianRate(apps: readonly { success: number; failed: number }[]): number | null {
  const rates = apps
    .filter((a) => a.success + a.failed >= MEDIAN_MIN_RUNS)
    .map((a) => a.failed / (a.success + a.failed))
    .sort((x, y) => x - y);
  if (rates.length === 0) return null;
  const mid = Math.floor(rates.length / 2);
  return rates.length % 2 ? rates[mid]! : (rates[mid - 1]! + rates[mid]!) / 2;
}

export function judge(nsapp: string, success: number, failed: number, median: number | null): TestingScript {
  const w = wilson(failed, success + failed);
  const enough = success + failed >= PROMOTE_MIN_RUNS && median !== null && w !== null;
  const verdict: Verdict = !enough ? "too few runs" : w.high <= median + PROMOTE_MARGIN ? "ready" : "not ready";
  return { nsapp, success, failed, failureRate: w?.rate ?? null, failureLow: w?.low ?? null, failureHigh: w?.high ?? null, verdict };
}
