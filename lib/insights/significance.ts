/**
 * Significance tests the insights share, pure and dependency-free: binomial log-likelihoods and
 * the two-sample G statistic, chi-square and normal tails, Fisher's exact test, a Poisson tail,
 * the two-proportion z test and Benjamini–Hochberg. Tails keep their relative precision far out
 * (p ≈ 1e-30), since thresholds after multiple-testing correction sit there.
 */

/** x·ln(y), with 0·ln(0) = 0. */
function xlogy(x: number, y: number): number {
  return x === 0 ? 0 : x * Math.log(y);
}

/** Maximised binomial log-likelihood of k failures in n runs (p = k/n), without the constant. */
export function binomialLogLik(k: number, n: number): number {
  if (n <= 0) return 0;
  return xlogy(k, k / n) + xlogy(n - k, (n - k) / n);
}

/**
 * Likelihood-ratio (G) statistic that two binomial samples have different rates:
 * 2·[ℓ(k1, n1) + ℓ(k2, n2) − ℓ(k1 + k2, n1 + n2)]; ~χ²(1) when they share one rate.
 */
export function gTwoSample(k1: number, n1: number, k2: number, n2: number): number {
  const g = 2 * (binomialLogLik(k1, n1) + binomialLogLik(k2, n2) - binomialLogLik(k1 + k2, n1 + n2));
  return Math.max(0, g); // rounding can leave −1e-12
}

/**
 * Complementary error function (Numerical Recipes' erfcc: Chebyshev fit, relative error below
 * 1.2e-7 everywhere, including the far tail).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z > z) for a standard normal Z. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** P(X > x) for X ~ χ² with one degree of freedom. */
export function chiSquare1Sf(x: number): number {
  return x <= 0 ? 1 : erfc(Math.sqrt(x / 2));
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7: ~15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/** Sums exp(terms) without overflow or underflow of the largest term. */
function logSumExp(terms: number[]): number {
  const max = Math.max(...terms);
  if (!Number.isFinite(max)) return max;
  return max + Math.log(terms.reduce((s, t) => s + Math.exp(t - max), 0));
}

/**
 * One-sided Fisher exact test that a trait is over-represented among failures. The 2×2 table:
 * `a` failures and `b` successes with the trait, `c` failures and `d` successes without.
 * Returns P(X ≥ a) where X, the failures with the trait, is hypergeometric given the margins.
 */
export function fisherGreater(a: number, b: number, c: number, d: number): number {
  const withTrait = a + b;
  const failures = a + c;
  const n = a + b + c + d;
  const hi = Math.min(withTrait, failures);
  if (n === 0 || a <= Math.max(0, withTrait + failures - n)) return 1;
  const logDenominator = logChoose(n, failures);
  const term = (x: number) => logChoose(withTrait, x) + logChoose(n - withTrait, failures - x) - logDenominator;
  return Math.min(1, Math.exp(logSumExp(unimodalTerms(term, a, hi, 1))));
}

/**
 * The log terms of a unimodal distribution's pmf from x = `from` up to x = `to` (`step` 1) or
 * down to it (`step` −1), returned in ascending x, without those past the mode that stop
 * mattering: once the terms fall (past the mode) below the largest by TAIL_CUTOFF nats, each is
 * under 10⁻¹⁷ of it and the rest shrink faster still, so their sum is below the last bit of the
 * total. An upper tail walks up from its start, a lower tail down from its top. At 10 M runs a
 * window's counts run to tens of thousands and the full sum to as many terms (docs/INSIGHTS.md
 * "Costs").
 */
function unimodalTerms(term: (x: number) => number, from: number, to: number, step: 1 | -1): number[] {
  const terms: number[] = [];
  let max = Number.NEGATIVE_INFINITY;
  for (let x = from; step > 0 ? x <= to : x >= to; x += step) {
    const t = term(x);
    terms.push(t);
    if (t > max) max = t;
    else if (t < max - TAIL_CUTOFF) break;
  }
  return step > 0 ? terms : terms.reverse();
}

/** Nats below the largest term at which a unimodal sum stops: e⁻⁴⁰ ≈ 4 × 10⁻¹⁸. */
const TAIL_CUTOFF = 40;

/** P(X ≥ k) for X ~ Poisson(mean). */
export function poissonSfAtLeast(k: number, mean: number): number {
  if (k <= 0) return 1;
  if (mean <= 0) return 0;
  const logPmf = (x: number) => -mean + x * Math.log(mean) - logGamma(x + 1);
  if (k <= mean) {
    // Not a far tail: one minus the lower sum is precise enough.
    return Math.max(0, 1 - Math.exp(logSumExp(unimodalTerms(logPmf, k - 1, 0, -1))));
  }
  // Past the mean the terms only shrink: sum them until they stop mattering (tiny tails stay exact).
  return Math.min(1, Math.exp(logSumExp(unimodalTerms(logPmf, k, Number.POSITIVE_INFINITY, 1))));
}

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n || p <= 0) return 1;
  if (p >= 1) return 0;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  return Math.min(1, Math.exp(logSumExp(unimodalTerms((x) => logChoose(n, x) + x * logP + (n - x) * logQ, k, 0, -1))));
}

export interface TwoProportion {
  /** Rate of the first sample minus that of the second. */
  difference: number;
  z: number;
  /** Two-sided p-value. */
  p: number;
}

/**
 * Pooled two-proportion z test (k1 of n1 against k0 of n0). Null without runs in either sample
 * or when both rates are 0 or 1 (no variance: nothing to test).
 */
export function twoProportionTest(k1: number, n1: number, k0: number, n0: number): TwoProportion | null {
  if (n1 <= 0 || n0 <= 0) return null;
  const pooled = (k1 + k0) / (n1 + n0);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
  const difference = k1 / n1 - k0 / n0;
  if (se === 0) return null;
  const z = difference / se;
  return { difference, z, p: Math.min(1, 2 * normalSf(Math.abs(z))) };
}

/**
 * Benjamini–Hochberg adjusted p-values ("q-values"): a finding is kept at false-discovery rate
 * q when its adjusted value is ≤ q. `m` is the number of hypotheses tested (≥ p.length): tests
 * that were never run because they could not succeed still count when the caller passes them.
 */
export function benjaminiHochberg(p: readonly number[], m = p.length): number[] {
  const order = p.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const out = new Array<number>(p.length);
  let running = 1;
  for (let r = order.length - 1; r >= 0; r--) {
    const [v, i] = order[r]!;
    running = Math.min(running, (v * m) / (r + 1));
    out[i] = Math.min(1, running);
  }
  return out;
}

/** Holm's step-down adjusted p-values (family-wise error control, no independence needed). */
export function holm(p: readonly number[]): number[] {
  const order = p.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const out = new Array<number>(p.length);
  let running = 0;
  order.forEach(([v, i], r) => {
    running = Math.max(running, Math.min(1, v * (p.length - r)));
    out[i] = running;
  });
  return out;
}
