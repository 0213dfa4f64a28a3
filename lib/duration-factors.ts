/**
 * Install time by factor (issue 15): an app's successful runs' duration histogram (lib/durations.ts)
 * per core count, RAM size, install method and OS version, and which values install at a
 * different speed than the app's other runs. Pure: the reader (lib/data/queries/duration-factors.ts)
 * sums the rollups' histograms per value, this decides.
 *
 * The rule ("where it differs", stated on /methodology): a value is tested against the rest of
 * the app's runs (every other value of the same factor) when both have at least
 * DURATION_MIN_RUNS timed successful runs — a Mann–Whitney rank-sum test on the bucketed
 * durations (ties within a bucket share their mid-rank, variance tie-corrected, normal
 * approximation with continuity correction, two-sided). Benjamini–Hochberg over every value
 * tested for the app (all four factors) at FACTOR_FDR. A value differs when its adjusted p is at
 * most FACTOR_FDR and its median is at least FACTOR_MIN_RATIO times the rest's — or the rest's
 * that many times its own — after widening the smaller median by its bucket's width (so that the
 * rounding of a bucketed percentile cannot make the gap). A factor is shown when any value differs.
 */
import { DURATION_MIN_RUNS, bucketWidth, type DurationSummary, type Histogram, summarize } from "./durations";
import { benjaminiHochberg, normalSf } from "./insights/significance";
import { methodLabel, NOT_REPORTED, osLabel } from "./labels";

export const DURATION_FACTORS = ["cores", "ram", "method", "os"] as const;
export type DurationFactor = (typeof DURATION_FACTORS)[number];
export const FACTOR_LABELS: Readonly<Record<DurationFactor, string>> = { cores: "Cores", ram: "RAM", method: "Install method", os: "OS version" };

/** False discovery rate of the "differs" flags over one app's values. */
export const FACTOR_FDR = 0.05;
/** The smallest ratio of medians called a difference (after bucket precision). */
export const FACTOR_MIN_RATIO = 1.25;

/** The value a rollup row counts under, per factor: labels, so spellings of one value are one row. */
export function coresValue(cores: number): string {
  return cores > 0 ? `${cores} ${cores === 1 ? "core" : "cores"}` : NOT_REPORTED;
}
export function ramValue(mb: number): string {
  if (mb <= 0) return NOT_REPORTED;
  return mb >= 1024 && mb % 1024 === 0 ? `${mb / 1024} GB` : `${mb} MB`;
}
export { methodLabel as methodValue, osLabel as osValue };

export interface FactorValue {
  value: string;
  /** Timed successful runs with this value, and their percentiles (bucket starts, s). */
  success: DurationSummary;
  /** The app's other timed successful runs (every other value of the factor). */
  rest: DurationSummary;
  /** success.p50 ÷ rest.p50; null when either is unknown or the rest's is 0. */
  ratio: number | null;
  /** Benjamini–Hochberg adjusted p of the rank-sum test; null when not tested (n < DURATION_MIN_RUNS on either side). */
  p_adjusted: number | null;
  differs: boolean;
}

export interface FactorBreakdown {
  factor: DurationFactor;
  label: string;
  /** Some value differs by the rule. */
  differs: boolean;
  /** Most runs first; "not reported" last. */
  values: FactorValue[];
}

export interface DurationFactors {
  nsapp: string;
  /** Every timed successful run of the app in the range (each factor's values sum to it). */
  overall: DurationSummary;
  /** Values tested (the m of Benjamini–Hochberg). */
  tested: number;
  factors: FactorBreakdown[];
}

/** Histograms per factor and value: factor → value → bucket → runs. */
export type FactorHistograms = Map<DurationFactor, Map<string, Map<number, number>>>;

export function addRun(h: FactorHistograms, factor: DurationFactor, value: string, bucket: number, runs: number): void {
  if (bucket < 0 || runs === 0) return;
  const values = h.get(factor) ?? new Map<string, Map<number, number>>();
  const hist = values.get(value) ?? new Map<number, number>();
  hist.set(bucket, (hist.get(bucket) ?? 0) + runs);
  values.set(value, hist);
  h.set(factor, values);
}

/**
 * Two-sided p of the Mann–Whitney rank-sum test that runs of `a` and of `b` come from one
 * distribution, on bucketed durations (a bucket's runs are ties). 1 when every run shares a bucket.
 */
export function rankSumP(a: Histogram, b: Histogram): number {
  const buckets = [...new Set([...a.keys(), ...b.keys()])].filter((k) => k >= 0).sort((x, y) => x - y);
  let na = 0;
  let nb = 0;
  let u = 0;
  let ties = 0;
  for (const k of buckets) {
    const ca = a.get(k) ?? 0;
    const cb = b.get(k) ?? 0;
    u += ca * (nb + cb / 2); // a's runs above every b run in earlier buckets, half the ties
    na += ca;
    nb += cb;
    const t = ca + cb;
    ties += t * t * t - t;
  }
  const n = na + nb;
  if (na === 0 || nb === 0) return 1;
  const variance = ((na * nb) / 12) * (n + 1 - ties / (n * (n - 1)));
  if (variance <= 0) return 1;
  const z = Math.max(0, Math.abs(u - (na * nb) / 2) - 0.5) / Math.sqrt(variance);
  return Math.min(1, 2 * normalSf(z));
}

/** Whether two medians (bucket starts) differ by FACTOR_MIN_RATIO even with the smaller one's bucket width added. */
export function mediansApart(x: number, y: number): boolean {
  const [lo, hi] = x <= y ? [x, y] : [y, x];
  return hi >= FACTOR_MIN_RATIO * (lo + bucketWidth(lo));
}

function without(total: Map<number, number>, part: Histogram): Map<number, number> {
  const rest = new Map(total);
  for (const [k, c] of part) rest.set(k, (rest.get(k) ?? 0) - c);
  return rest;
}

/** Each factor's values with their percentiles, tests and flags. */
export function durationFactors(nsapp: string, h: FactorHistograms): DurationFactors {
  const factors = DURATION_FACTORS.map((factor) => {
    const values = h.get(factor) ?? new Map<string, Map<number, number>>();
    const total = new Map<number, number>();
    for (const hist of values.values()) for (const [k, c] of hist) total.set(k, (total.get(k) ?? 0) + c);
    const rows = [...values].map(([value, hist]) => {
      const rest = without(total, hist);
      const success = summarize(hist);
      const others = summarize(rest);
      const tested = success.n >= DURATION_MIN_RUNS && others.n >= DURATION_MIN_RUNS;
      return { value, success, rest: others, hist, restHist: rest, p: tested ? rankSumP(hist, rest) : null };
    });
    return { factor, total, rows };
  });
  const tested = factors.flatMap((f) => f.rows.filter((r) => r.p !== null));
  const adjusted = benjaminiHochberg(tested.map((r) => r.p!));
  const q = new Map(tested.map((r, i) => [r, adjusted[i]!]));
  const overall = summarize(factors[0]!.total);
  return {
    nsapp,
    overall,
    tested: tested.length,
    factors: factors.map(({ factor, rows }) => {
      const values = rows.map((r): FactorValue => {
        const p = q.get(r) ?? null;
        const a = r.success.p50;
        const b = r.rest.p50;
        return {
          value: r.value,
          success: r.success,
          rest: r.rest,
          ratio: a !== null && b !== null && b > 0 ? a / b : null,
          p_adjusted: p,
          differs: p !== null && p <= FACTOR_FDR && a !== null && b !== null && mediansApart(a, b),
        };
      });
      values.sort(
        (x, y) => Number(x.value === NOT_REPORTED) - Number(y.value === NOT_REPORTED) || y.success.n - x.success.n || (x.value < y.value ? -1 : x.value > y.value ? 1 : 0),
      );
      return { factor, label: FACTOR_LABELS[factor], differs: values.some((v) => v.differs), values };
    }),
  };
}
