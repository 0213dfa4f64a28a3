/**
 * The "where install time differs" rule (lib/duration-factors.ts) on histograms whose answer is
 * known: the rank-sum p against a textbook case, the bucket-precision margin, and the flags —
 * a real, large difference differs; a small or too-rare one does not; n is always reported.
 */
import { describe, expect, it } from "vitest";
import { addRun, durationFactors, type FactorHistograms, mediansApart, rankSumP } from "../../lib/duration-factors";

const hist = (pairs: [number, number][]) => new Map(pairs);

describe("install time by factor", () => {
  it("rank-sum p: no ties, the normal approximation of a textbook U", () => {
    // a = {1..5}, b = {6..10} in separate buckets: U = 0, mean 12.5, var 25·11/12 → z = (12.5−0.5)/√22.9167 = 2.5067
    const a = hist([1, 2, 3, 4, 5].map((x) => [x * 5, 1]));
    const b = hist([6, 7, 8, 9, 10].map((x) => [x * 5, 1]));
    expect(rankSumP(a, b)).toBeCloseTo(0.01219, 4);
    expect(rankSumP(b, a)).toBeCloseTo(rankSumP(a, b), 12);
    // Every run in one bucket: nothing to tell apart.
    expect(rankSumP(hist([[60, 30]]), hist([[60, 40]]))).toBe(1);
  });

  it("medians apart: 1.25× beyond the smaller one's bucket width", () => {
    expect(mediansApart(600, 750)).toBe(false); // 750 < 1.25 × (600 + 30)
    expect(mediansApart(600, 800)).toBe(true);
    expect(mediansApart(10, 15)).toBe(false); // 15 < 1.25 × (10 + 5)
    expect(mediansApart(1800, 600)).toBe(true);
  });

  it("flags a value three times slower with many runs; not a small shift, not a rare value", () => {
    const h: FactorHistograms = new Map();
    for (let i = 0; i < 200; i++) {
      addRun(h, "cores", "1 core", 1800 + (i % 10) * 60, 1);
      addRun(h, "cores", "2 cores", 600 + (i % 10) * 20, 1);
      addRun(h, "method", i % 2 ? "default" : "advanced", i % 2 ? 600 + (i % 10) * 20 : 660 + (i % 10) * 20, 1);
      addRun(h, "method", i % 2 ? "default" : "advanced", 1800 + (i % 10) * 60, 1);
    }
    for (let i = 0; i < 5; i++) addRun(h, "os", "alpine 3.22", 7200, 1);
    addRun(h, "os", "debian 13", -1, 50); // no duration: skipped
    const f = durationFactors("x", h);
    const cores = f.factors.find((x) => x.factor === "cores")!;
    expect(cores.differs).toBe(true);
    expect(cores.values.map((v) => [v.value, v.success.n, v.differs])).toEqual([
      ["1 core", 200, true],
      ["2 cores", 200, true],
    ]);
    expect(cores.values[0]!.ratio!).toBeGreaterThan(2.5);
    expect(f.factors.find((x) => x.factor === "method")!.differs).toBe(false);
    const os = f.factors.find((x) => x.factor === "os")!;
    expect(os.values).toEqual([expect.objectContaining({ value: "alpine 3.22", p_adjusted: null, differs: false, success: { n: 5, p50: 7200, p90: 7200 } })]);
    expect(f.factors.find((x) => x.factor === "ram")!.values).toEqual([]);
    expect(f.tested).toBe(4);
    expect(f.overall.n).toBe(400);
  });
});
