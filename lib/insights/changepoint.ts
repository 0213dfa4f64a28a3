/**
 * Epidemic (square-wave) change-point scan on binomial counts: in a series of buckets with
 * `failed` of `decided` runs, find the run of consecutive buckets whose failure rate is highest
 * against the rate of all the other buckets (the baseline), by the likelihood-ratio statistic G
 * of "two rates" against "one rate". Used per app (its failures against its own runs) and per
 * exit code (its failures against all runs). Pure; docs/INSIGHTS.md explains the choices.
 */
import { chiSquare1Sf, gTwoSample } from "./significance";

export interface Counts {
  failed: number;
  /** Runs with a verdict (successes + failures). */
  decided: number;
}

export interface ScanOptions {
  /** Window failures above what the baseline rate predicts, at least. */
  minExcess: number;
  /** Odds ratio of window against baseline, at least (2: the odds of failing at least doubled). */
  minOddsRatio: number;
  /** Decided runs outside the window, at least: without a baseline nothing can be "raised". */
  minBaselineDecided: number;
  /** Longest window in ms (needs the buckets' spans); none when absent. */
  maxWindowMs?: number;
  /**
   * Accepted windows (acceptedWindows) may not hold a quiet stretch: a run of their buckets with
   * so few failures that, at the window's own rate, Chernoff's bound on the binomial lower tail
   * is at most this (quietStretch). Set
   * for incidents: without it the largest-G window can join two bursts of one code with quiet
   * hours between them (see unbridgedWindow).
   */
  quietAlpha?: number;
}

export interface Window {
  /** Indices into the series, inclusive. */
  first: number;
  last: number;
  failed: number;
  decided: number;
  baselineFailed: number;
  baselineDecided: number;
  /** Likelihood-ratio statistic, before the dispersion correction. */
  g: number;
  /** Overdispersion factor of the baseline buckets (≥ 1); G is divided by it. */
  dispersion: number;
  /** One-sided p-value of this window alone (χ²(1) tail of G / dispersion, halved). */
  pWindow: number;
  /** pWindow × the number of windows that could have been chosen (Bonferroni over windows). */
  p: number;
}

/** Buckets with an expected count below this do not inform the dispersion (χ² needs ~5). */
const DISPERSION_MIN_EXPECTED = 5;
const DISPERSION_MIN_BUCKETS = 10;

/**
 * Pearson χ² / degrees of freedom over the baseline buckets with enough expected failures: real
 * rates wander from day to day more than a binomial allows, and without this correction every
 * wobble of a very popular app would be "significant". Never below 1.
 */
export function dispersion(series: readonly Counts[], inBaseline: (i: number) => boolean, rate: number): number {
  if (rate <= 0 || rate >= 1) return 1;
  let chi2 = 0;
  let used = 0;
  series.forEach((b, i) => {
    const expected = b.decided * rate;
    if (!inBaseline(i) || expected < DISPERSION_MIN_EXPECTED || b.decided - expected < DISPERSION_MIN_EXPECTED) return;
    chi2 += (b.failed - expected) ** 2 / (expected * (1 - rate));
    used++;
  });
  return used >= DISPERSION_MIN_BUCKETS ? Math.max(1, chi2 / (used - 1)) : 1;
}

/** Odds ratio with Haldane's +½, so a baseline without failures gives a finite ratio. */
export function oddsRatio(k1: number, n1: number, k0: number, n0: number): number {
  return ((k1 + 0.5) * (n0 - k0 + 0.5)) / ((n1 - k1 + 0.5) * (k0 + 0.5));
}

/**
 * The best window among buckets not `excluded` (earlier findings: neither window nor baseline).
 * A window is a run of consecutive non-excluded buckets whose rate is above the baseline's, with
 * at least `minExcess` excess failures and the odds ratio; null when no window qualifies.
 * O(buckets²) arithmetic, with G computed only for qualifying windows.
 */
export function bestWindow(
  series: readonly Counts[],
  opts: ScanOptions,
  excluded: readonly boolean[] = [],
  spans: readonly (readonly [number, number])[] = [],
  barriers: readonly (readonly [number, number])[] = [],
): Window | null {
  const m = series.length;
  const open = (i: number) => !excluded[i];
  let totalFailed = 0;
  let totalDecided = 0;
  let candidates = 0;
  series.forEach((b, i) => {
    if (!open(i)) return;
    totalFailed += b.failed;
    totalDecided += b.decided;
    candidates++;
  });
  if (totalFailed < opts.minExcess) return null;
  let best: Omit<Window, "dispersion" | "pWindow" | "p"> | null = null;
  for (let s = 0; s < m; s++) {
    if (!open(s)) continue;
    let k = 0;
    let n = 0;
    // The first end at which a window from s would hold a whole barrier (a quiet stretch): stop there.
    const stop = barriers.reduce((x, [a, b]) => (a >= s && b < x ? b : x), m);
    for (let e = s; e < m && e < stop && open(e); e++) {
      if (opts.maxWindowMs !== undefined && spans[e] && spans[s] && spans[e]![1] - spans[s]![0] > opts.maxWindowMs) break;
      k += series[e]!.failed;
      n += series[e]!.decided;
      const kb = totalFailed - k;
      const nb = totalDecided - n;
      if (k < opts.minExcess || nb < opts.minBaselineDecided || n === 0) continue;
      // Cheap tests first: above the baseline rate, enough excess, a large enough odds ratio.
      if (k * nb <= kb * n || k - (n * kb) / nb < opts.minExcess || oddsRatio(k, n, kb, nb) < opts.minOddsRatio) continue;
      const g = gTwoSample(k, n, kb, nb);
      if (!best || g > best.g) best = { first: s, last: e, failed: k, decided: n, baselineFailed: kb, baselineDecided: nb, g };
    }
  }
  if (!best) return null;
  const { first, last } = best;
  const phi = dispersion(series, (i) => open(i) && (i < first || i > last), best.baselineFailed / best.baselineDecided);
  const pWindow = chiSquare1Sf(best.g / phi) / 2;
  const windows = (candidates * (candidates + 1)) / 2;
  return { ...best, dispersion: phi, pWindow, p: Math.min(1, pWindow * windows) };
}

/**
 * Up to `max` disjoint windows of one series, best first, each accepted while its p ≤ `alpha`.
 * After each finding its buckets leave the baseline, so a second regression is judged against
 * the app's normal rate, not one inflated by the first. The returned windows' baseline figures
 * are recomputed at the end without any accepted window.
 */
export function acceptedWindows(series: readonly Counts[], opts: ScanOptions, alpha: number, max: number, spans: readonly (readonly [number, number])[] = []): Window[] {
  const excluded = new Array<boolean>(series.length).fill(false);
  const found: Window[] = [];
  while (found.length < max) {
    const w = opts.quietAlpha === undefined ? bestWindow(series, opts, excluded, spans) : unbridgedWindow(series, opts, excluded, spans, opts.quietAlpha);
    if (!w || w.p > alpha) break;
    found.push(w);
    for (let i = w.first; i <= w.last; i++) excluded[i] = true;
  }
  let baselineFailed = 0;
  let baselineDecided = 0;
  series.forEach((b, i) => {
    if (excluded[i]) return;
    baselineFailed += b.failed;
    baselineDecided += b.decided;
  });
  return found.map((w) => ({ ...w, baselineFailed, baselineDecided })).sort((a, b) => a.first - b.first);
}

/** Quiet stretches a window is split at before the bridged window is kept as it is. */
const MAX_SPLITS = 8;

/**
 * The best window that holds no quiet stretch. The largest-G window can bridge two bursts: an
 * incident of yesterday afternoon and ten failures of the same code in one app now give a
 * window over both, quiet hours included, whose G beats the first burst's — and which reaches
 * now, so the incident reads "ongoing". Each quiet stretch found becomes a barrier no window may
 * hold whole, and the best window is sought again (at most MAX_SPLITS times; then the last one
 * found is kept).
 */
export function unbridgedWindow(
  series: readonly Counts[],
  opts: ScanOptions,
  excluded: readonly boolean[],
  spans: readonly (readonly [number, number])[],
  alpha: number,
): Window | null {
  const barriers: [number, number][] = [];
  let w = bestWindow(series, opts, excluded, spans);
  for (let i = 0; w && i < MAX_SPLITS; i++) {
    const quiet = quietStretch(series, w, alpha);
    if (!quiet) return w;
    barriers.push(quiet);
    w = bestWindow(series, opts, excluded, spans, barriers);
  }
  return w;
}

/**
 * A run of the window's buckets (not the whole window) whose failures are so few at the
 * window's rate that the binomial lower tail is ≤ alpha; null if none. The tail is bounded by
 * Chernoff's exp(−n·KL(k/n ‖ rate)), O(1) a stretch (the exact sum costs O(k): at 10 M runs a
 * day's stretch holds hundreds of failures, and a scan took 100 ms more); the bound is above the
 * exact tail, so a stretch it calls quiet is quiet. Stretches expecting fewer than ln(1/alpha)
 * failures cannot reach alpha even with none and are skipped, and so are those at or above the
 * rate. O(window²).
 */
export function quietStretch(series: readonly Counts[], w: Pick<Window, "first" | "last" | "failed" | "decided">, alpha: number): [number, number] | null {
  const rate = w.failed / w.decided;
  if (!(rate > 0 && rate < 1)) return null;
  const logAlpha = Math.log(alpha);
  for (let a = w.first; a <= w.last; a++) {
    let k = 0;
    let n = 0;
    for (let b = a; b <= w.last; b++) {
      k += series[b]!.failed;
      n += series[b]!.decided;
      if ((a === w.first && b === w.last) || n * rate < -logAlpha || k >= n * rate) continue;
      if (-n * klBernoulli(k / n, rate) <= logAlpha) return [a, b];
    }
  }
  return null;
}

/** Kullback–Leibler divergence of Bernoulli(q) from Bernoulli(p), 0 < p < 1, 0 ≤ q ≤ 1. */
function klBernoulli(q: number, p: number): number {
  const term = (x: number, y: number) => (x === 0 ? 0 : x * Math.log(x / y));
  return term(q, p) + term(1 - q, 1 - p);
}
