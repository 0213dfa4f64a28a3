/** The change-point scan and regression detection on hand-made series with known answers. */
import { describe, expect, it } from "vitest";
import { acceptedWindows, bestWindow, dispersion, oddsRatio, type Counts } from "../../lib/insights/changepoint";
import { BestWindows, detectRegressions, REGRESSION_SCAN, type AppSeries } from "../../lib/insights/regressions";
import { chiSquare1Sf, gTwoSample } from "../../lib/insights/significance";

/** n decided runs per bucket, with the given failures. */
const series = (failures: number[], n = 100): Counts[] => failures.map((failed) => ({ failed, decided: n }));
const flat = (length: number, failed = 1) => new Array<number>(length).fill(failed);
const day = (i: number) => `2026-10-${String(i + 1).padStart(2, "0")}`;
const app = (nsapp: string, failures: number[], n = 100): AppSeries => ({ nsapp, buckets: series(failures, n).map((c, i) => ({ ...c, bucket: day(i) })) });

describe("bestWindow", () => {
  it("finds exactly the elevated buckets, with G, p and Bonferroni over the windows", () => {
    const f = flat(30);
    for (let i = 10; i <= 14; i++) f[i] = 30;
    const w = bestWindow(series(f), REGRESSION_SCAN)!;
    expect([w.first, w.last]).toEqual([10, 14]);
    expect([w.failed, w.decided, w.baselineFailed, w.baselineDecided]).toEqual([150, 500, 25, 2500]);
    expect(w.g).toBeCloseTo(gTwoSample(150, 500, 25, 2500), 9);
    expect(w.dispersion).toBe(1); // 1 expected failure a day: too few to estimate dispersion
    expect(w.pWindow).toBeCloseTo(chiSquare1Sf(w.g) / 2, 300);
    expect(w.p).toBeCloseTo(Math.min(1, w.pWindow * ((30 * 31) / 2)), 300);
    expect(w.p).toBeLessThan(1e-90);
  });

  it("keeps windows within maxWindowMs when the buckets' spans are given", () => {
    const f = [...flat(10), 30, 30, 30, 30, ...flat(10)];
    const spans = f.map((_, i) => [i * 10, (i + 1) * 10] as const);
    expect(bestWindow(series(f), { ...REGRESSION_SCAN, maxWindowMs: 20 }, [], spans)).toMatchObject({ last: expect.any(Number) });
    const w = bestWindow(series(f), { ...REGRESSION_SCAN, maxWindowMs: 20 }, [], spans)!;
    expect(w.last - w.first).toBe(1);
  });

  it("finds a window at either end of the series", () => {
    expect(bestWindow(series([...flat(20), 20, 25, 30]), REGRESSION_SCAN)).toMatchObject({ first: 20, last: 22 });
    expect(bestWindow(series([20, 25, ...flat(20)]), REGRESSION_SCAN)).toMatchObject({ first: 0, last: 1 });
  });

  it("needs enough excess failures, a doubled odds and a baseline", () => {
    expect(bestWindow(series([...flat(20), 4]), REGRESSION_SCAN)).toBeNull(); // 3 excess
    expect(bestWindow(series([...flat(20, 10), 15]), REGRESSION_SCAN)).toBeNull(); // 10 % → 15 %: odds ×1.6
    expect(bestWindow(series([30, 30], 20), REGRESSION_SCAN)).toBeNull(); // no baseline
    expect(bestWindow([], REGRESSION_SCAN)).toBeNull();
    expect(bestWindow(series(flat(10, 0)), REGRESSION_SCAN)).toBeNull();
  });

  it("skips excluded buckets: neither window nor baseline", () => {
    const f = [...flat(10), 30, 30, ...flat(10)];
    const excluded = f.map((_, i) => i === 10 || i === 11);
    expect(bestWindow(series(f), REGRESSION_SCAN, excluded)).toBeNull();
  });

  it("divides G by the baseline's overdispersion", () => {
    // Baseline days alternating 2 % and 8 %: far more spread than a binomial allows.
    const f = [...Array.from({ length: 40 }, (_, i) => (i % 2 ? 8 : 2)), 30, 30];
    const w = bestWindow(series(f), REGRESSION_SCAN)!;
    const rate = 200 / 4000;
    const pearson = (9 / (100 * rate * (1 - rate))) * 40; // every day 3 failures off the mean
    expect(w.dispersion).toBeCloseTo(pearson / 39, 9);
    expect(w.pWindow).toBeCloseTo(chiSquare1Sf(w.g / w.dispersion) / 2, 15);
    expect(dispersion(series(flat(20, 1)), () => true, 0.01)).toBe(1);
  });

  it("odds ratio uses Haldane's correction", () => {
    expect(oddsRatio(10, 20, 0, 100)).toBeCloseTo((10.5 * 100.5) / (10.5 * 0.5), 12);
  });
});

describe("acceptedWindows", () => {
  it("finds two regressions of one app and judges both against the clean baseline", () => {
    const f = flat(40);
    for (let i = 5; i <= 7; i++) f[i] = 25;
    for (let i = 30; i <= 31; i++) f[i] = 20;
    const ws = acceptedWindows(series(f), REGRESSION_SCAN, 1e-6, 3);
    expect(ws.map((w) => [w.first, w.last])).toEqual([
      [5, 7],
      [30, 31],
    ]);
    expect(ws.every((w) => w.baselineFailed === 35 && w.baselineDecided === 3500)).toBe(true);
  });
});

describe("detectRegressions", () => {
  const healthy = Array.from({ length: 50 }, (_, a) => app(`healthy-${a}`, flat(30, a % 3)));

  it("reports the regressing app with start, end, rates and excess; nothing for healthy apps", () => {
    const f = flat(30);
    for (let i = 12; i <= 15; i++) f[i] = 20;
    f[13] = 40;
    const [r, ...rest] = detectRegressions([...healthy, app("broken", f)], { openEnd: true, hypotheses: 650 });
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ nsapp: "broken", start: day(12), last: day(15), end: day(15), failed: 100, decided: 400, rate: 0.25 });
    expect(r!.baselineRate).toBeCloseTo(26 / 2600, 12);
    expect(r!.expected).toBeCloseTo(4, 9);
    expect(r!.excess).toBeCloseTo(96, 9);
    expect([r!.peakRate, r!.peakBucket]).toEqual([0.4, day(13)]);
    expect(r!.q).toBeLessThan(0.01);
  });

  it("leaves end null for a regression still going on at the end of a scan that ends now", () => {
    const f = [...flat(25), 20, 20, 20];
    expect(detectRegressions([app("open", f)], { openEnd: true })[0]).toMatchObject({ start: day(25), end: null, last: day(27) });
    expect(detectRegressions([app("open", f)], { openEnd: false })[0]).toMatchObject({ end: day(27) });
  });

  it("keeps a regression open through quiet buckets that show no recovery, closes it once they do", () => {
    // Two runs a bucket at the end: three buckets without failures are no evidence at 40 %.
    const buckets = [
      ...flat(30).map((failed) => ({ failed, decided: 100 })),
      ...[8, 8, 8].map((failed) => ({ failed, decided: 20 })),
      { failed: 0, decided: 2 },
      { failed: 0, decided: 2 },
      { failed: 0, decided: 2 },
    ];
    const series = { nsapp: "quiet", buckets: buckets.map((b, i) => ({ ...b, bucket: day(i) })) };
    expect(detectRegressions([series], { openEnd: true })[0]).toMatchObject({ start: day(30), last: day(32), end: null });
    const recovered = { nsapp: "fixed", buckets: [...series.buckets.slice(0, 33), ...[0, 0, 0].map((failed, i) => ({ failed, decided: 60, bucket: day(33 + i) }))] };
    expect(detectRegressions([recovered], { openEnd: true })[0]).toMatchObject({ last: day(32), end: day(32) });
  });

  it("ranks open regressions first, then by excess failures", () => {
    const small = [...flat(10), 15, 15, ...flat(10)];
    const big = [...flat(10), 40, 40, ...flat(10)];
    const open = [...flat(20), 12, 12];
    const order = detectRegressions([app("small", small), app("big", big), app("open", open)], { openEnd: true }).map((r) => r.nsapp);
    expect(order).toEqual(["open", "big", "small"]);
  });

  it("a weak window on one of 650 apps does not pass the false-discovery control", () => {
    // 4 failures a day for 2 days against 1 % (8 vs 2 expected): p ≈ 1e-3 for one window, not after correction.
    const weak = [...flat(20), 4, 4, ...flat(8)];
    expect(detectRegressions([app("weak", weak)], { openEnd: true, hypotheses: 650 })).toEqual([]);
  });

  it("returns nothing for no apps, empty or zero series", () => {
    expect(detectRegressions([], { openEnd: true })).toEqual([]);
    expect(detectRegressions([{ nsapp: "none", buckets: [] }], { openEnd: true })).toEqual([]);
    expect(detectRegressions([app("zero", flat(30, 0))], { openEnd: true })).toEqual([]);
  });

  it("uses sparse buckets as given (buckets without runs absent)", () => {
    const buckets = [0, 3, 9, 10, 11, 20, 25].map((i) => ({ bucket: day(i), failed: i >= 9 && i <= 11 ? 15 : 0, decided: 50 }));
    const [r] = detectRegressions([{ nsapp: "sparse", buckets }], { openEnd: true });
    expect(r).toMatchObject({ start: day(9), end: day(11), failed: 45, baselineFailed: 0 });
  });
});

describe("BestWindows (kept between scans by series version)", () => {
  const apps = (broken: number[]): AppSeries[] => [
    { ...app("broken", broken), version: "v1" },
    ...Array.from({ length: 30 }, (_, i) => ({ ...app(`healthy-${i}`, flat(30)), version: "v1" })),
  ];
  const regressing = [...flat(24), 20, 25, 30, 1, 1, 1];

  it("finds what a search without it finds, and searches again only apps whose version changed", () => {
    const memo = new BestWindows();
    const opts = { openEnd: false, hypotheses: 650 };
    const found = detectRegressions(apps(regressing), opts);
    expect(found.map((f) => f.nsapp)).toEqual(["broken"]);
    expect(detectRegressions(apps(regressing), { ...opts, memo })).toEqual(found);
    // 31 first windows and the regressing app's accepted windows.
    expect(memo.stats).toEqual({ hits: 0, misses: 32 });
    // The same versions again: nothing searched, the same answer.
    expect(detectRegressions(apps(regressing), { ...opts, memo })).toEqual(found);
    expect(memo.stats).toEqual({ hits: 32, misses: 32 });
    // A new version of the broken app (its runs changed): it alone is searched again (and no longer regresses).
    const healed = apps(flat(30)).map((a) => (a.nsapp === "broken" ? { ...a, version: "v2" } : a));
    expect(detectRegressions(healed, { ...opts, memo })).toEqual([]);
    expect(memo.stats).toEqual({ hits: 62, misses: 33 });
    // Without a version (read from a view): always searched, never kept.
    expect(
      detectRegressions(
        apps(regressing).map(({ version: _, ...a }) => a),
        { ...opts, memo },
      ),
    ).toEqual(found);
    expect(memo.stats).toEqual({ hits: 62, misses: 33 });
  });
});
