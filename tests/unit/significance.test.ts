/** The significance tests behind the insights, against values computed independently (exact fractions, Python's math). */
import { describe, expect, it } from "vitest";
import {
  benjaminiHochberg,
  binomialCdf,
  binomialLogLik,
  chiSquare1Sf,
  erfc,
  fisherGreater,
  gTwoSample,
  holm,
  logGamma,
  normalSf,
  poissonSfAtLeast,
  twoProportionTest,
} from "../../lib/insights/significance";

/** Relative closeness, for tails spanning many orders of magnitude. */
const rel = (got: number, want: number, tol = 1e-6) => expect(Math.abs(got - want) / want).toBeLessThan(tol);

describe("tails", () => {
  it("erfc, normal and χ²(1) tails match their known values, far into the tail", () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    rel(erfc(0.5), 0.4795001221869535);
    rel(erfc(-1), 1.842700792949715);
    rel(erfc(5), 1.5374597944280351e-12);
    rel(normalSf(1.959963984540054), 0.025);
    rel(chiSquare1Sf(3.841458820694124), 0.05);
    rel(chiSquare1Sf(100) / 2, 7.619853024160498e-24);
    expect(chiSquare1Sf(0)).toBe(1);
    expect(chiSquare1Sf(-3)).toBe(1);
  });

  it("logGamma matches ln Γ", () => {
    expect(logGamma(10)).toBeCloseTo(12.801827480081467, 10);
    expect(logGamma(0.5)).toBeCloseTo(0.5723649429247004, 10);
    expect(logGamma(1000.5)).toBeCloseTo(5908.674175848678, 7);
    expect(logGamma(1)).toBeCloseTo(0, 12);
  });

  it("binomial lower tail P(X ≤ k)", () => {
    expect(binomialCdf(0, 3, 0.5)).toBeCloseTo(0.125, 12);
    expect(binomialCdf(1, 3, 0.5)).toBeCloseTo(0.5, 12);
    rel(binomialCdf(0, 20, 0.35), 0.65 ** 20);
    expect(binomialCdf(5, 5, 0.2)).toBe(1);
    expect(binomialCdf(0, 0, 0.3)).toBe(1);
    expect(binomialCdf(-1, 4, 0.3)).toBe(0);
  });

  it("Poisson upper tail P(X ≥ k), near the mean and far out", () => {
    rel(poissonSfAtLeast(3, 1), 0.08030139707139416);
    rel(poissonSfAtLeast(10, 0.1), 2.516347806770316e-17);
    expect(poissonSfAtLeast(0, 4)).toBe(1);
    expect(poissonSfAtLeast(2, 0)).toBe(0);
    expect(poissonSfAtLeast(1, 1e6)).toBeCloseTo(1, 12);
  });
});

describe("binomial likelihood ratio", () => {
  it("is 0 for equal rates and matches the hand computation otherwise", () => {
    expect(gTwoSample(10, 100, 10, 100)).toBeCloseTo(0, 12);
    expect(gTwoSample(20, 100, 5, 100)).toBeCloseTo(10.924531125762599, 9);
    expect(gTwoSample(0, 50, 0, 50)).toBe(0);
    expect(gTwoSample(5, 5, 0, 100)).toBeGreaterThan(30);
    expect(binomialLogLik(0, 0)).toBe(0);
    expect(binomialLogLik(3, 3)).toBe(0);
  });
});

describe("Fisher's exact test (one-sided, over-represented among failures)", () => {
  it("matches exact hypergeometric sums", () => {
    expect(fisherGreater(3, 1, 1, 3)).toBeCloseTo(17 / 70, 12); // the lady tasting tea
    rel(fisherGreater(40, 60, 2, 898), 1.8769739717754845e-41, 1e-8);
    rel(fisherGreater(12, 5, 30, 2000), 5.839942303430029e-18, 1e-8);
  });

  it("gives 1 when the trait is not over-represented or nothing was observed", () => {
    expect(fisherGreater(0, 10, 5, 10)).toBe(1);
    expect(fisherGreater(0, 0, 0, 0)).toBe(1);
    expect(fisherGreater(1, 99, 10, 990)).toBeGreaterThan(0.5);
  });
});

/** The full sums the tails stop early from (every term, in ascending order). */
const logChooseFull = (n: number, k: number) => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
function logSumFull(terms: number[]): number {
  const max = terms.reduce((m, t) => Math.max(m, t), Number.NEGATIVE_INFINITY);
  return max + Math.log(terms.reduce((s, t) => s + Math.exp(t - max), 0));
}
function binomialCdfFull(k: number, n: number, p: number): number {
  const terms: number[] = [];
  for (let x = 0; x <= k; x++) terms.push(logChooseFull(n, x) + x * Math.log(p) + (n - x) * Math.log1p(-p));
  return Math.min(1, Math.exp(logSumFull(terms)));
}
function fisherGreaterFull(a: number, b: number, c: number, d: number): number {
  const n = a + b + c + d;
  const terms: number[] = [];
  for (let x = a; x <= Math.min(a + b, a + c); x++) terms.push(logChooseFull(a + b, x) + logChooseFull(n - a - b, a + c - x) - logChooseFull(n, a + c));
  return Math.min(1, Math.exp(logSumFull(terms)));
}

describe("tails stop summing once the terms no longer matter (10 M runs: tens of thousands of terms)", () => {
  const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-13 * Math.max(want, 1e-300));
  it("the binomial lower tail equals the full sum, below, at and above the mean, at 10 M-run counts", () => {
    for (const [k, n, p] of [
      [40_000, 1_000_000, 0.05],
      [50_000, 1_000_000, 0.05],
      [52_000, 1_000_000, 0.05],
      [3, 20_000, 0.01],
      [190, 20_000, 0.01],
      [700, 50_000, 0.012],
    ] as const) {
      close(binomialCdf(k, n, p), binomialCdfFull(k, n, p));
    }
  });
  it("Fisher's test equals the full sum, for a trait under, at and far over its share", () => {
    for (const [a, b, c, d] of [
      [3_000, 97_000, 27_000, 873_000],
      [6_000, 94_000, 24_000, 876_000],
      [2_500, 97_500, 27_500, 872_500],
      [31, 69, 5, 495],
      [400, 100, 4_000, 95_000],
    ] as const) {
      close(fisherGreater(a, b, c, d), fisherGreaterFull(a, b, c, d));
    }
  });
  it("the Poisson upper tail near the mean equals one minus the full lower sum", () => {
    for (const [k, mean] of [
      [9_900, 10_000],
      [5, 6.5],
      [40_000, 40_000],
    ] as const) {
      const lower: number[] = [];
      for (let x = 0; x < k; x++) lower.push(-mean + x * Math.log(mean) - logGamma(x + 1));
      close(poissonSfAtLeast(k, mean), Math.max(0, 1 - Math.exp(logSumFull(lower))));
    }
  });
});

describe("two-proportion z test", () => {
  it("matches the pooled formula", () => {
    const t = twoProportionTest(30, 100, 20, 100)!;
    expect(t.difference).toBeCloseTo(0.1, 12);
    expect(t.z).toBeCloseTo(0.1 / Math.sqrt(0.25 * 0.75 * 0.02), 10);
    expect(t.p).toBeCloseTo(0.10247, 4);
  });

  it("is null without runs or without variance", () => {
    expect(twoProportionTest(0, 0, 3, 10)).toBeNull();
    expect(twoProportionTest(0, 10, 0, 10)).toBeNull();
    expect(twoProportionTest(5, 5, 9, 9)).toBeNull();
  });
});

describe("multiple-testing control", () => {
  it("Benjamini–Hochberg adjusts step-up, with m counting untested hypotheses", () => {
    expect(benjaminiHochberg([0.01, 0.04, 0.03, 0.005])).toEqual([0.02, 0.04, 0.04, 0.02].map((x) => expect.closeTo(x, 12)));
    expect(benjaminiHochberg([0.01], 10)).toEqual([expect.closeTo(0.1, 12)]);
    expect(benjaminiHochberg([0.5, 0.9], 2)).toEqual([0.9, 0.9]);
    expect(benjaminiHochberg([])).toEqual([]);
  });

  it("Holm adjusts step-down and stays monotone", () => {
    expect(holm([0.01, 0.04, 0.03, 0.005])).toEqual([0.03, 0.06, 0.06, 0.02].map((x) => expect.closeTo(x, 12)));
    expect(holm([0.6, 0.6])).toEqual([1, 1]);
  });
});
