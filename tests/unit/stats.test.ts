import { describe, expect, it } from "vitest";
import { change, wilson } from "../../lib/stats";

describe("Wilson interval", () => {
  it("matches published values", () => {
    // 0/10 → [0, 0.2775]; 5/10 → [0.2366, 0.7634] (Wilson 1927, z = 1.96)
    const zero = wilson(0, 10)!;
    expect(zero.low).toBe(0);
    expect(zero.high).toBeCloseTo(0.2775, 4);
    const half = wilson(5, 10)!;
    expect(half.low).toBeCloseTo(0.2366, 4);
    expect(half.high).toBeCloseTo(0.7634, 4);
  });
  it("ranks 1 failure in 2 runs below a broken app with 150 in 500, though its rate is higher", () => {
    expect(wilson(1, 2)!.rate).toBeGreaterThan(wilson(150, 500)!.rate);
    expect(wilson(1, 2)!.low).toBeLessThan(wilson(150, 500)!.low);
    expect(wilson(1, 1)!.low).toBeLessThan(wilson(150, 500)!.low);
  });
  it("is null without trials and always inside [0, 1]", () => {
    expect(wilson(0, 0)).toBeNull();
    for (const [k, n] of [
      [1, 1],
      [0, 1],
      [999, 1000],
      [3, 7],
    ] as const) {
      const w = wilson(k, n)!;
      expect(w.low).toBeGreaterThanOrEqual(0);
      expect(w.high).toBeLessThanOrEqual(1);
      expect(w.low).toBeLessThanOrEqual(w.rate);
      expect(w.high).toBeGreaterThanOrEqual(w.rate);
    }
  });
});

describe("change", () => {
  it("gives delta and relative change, null relative from zero", () => {
    expect(change(120, 100)).toEqual({ previous: 100, delta: 20, relative: 0.2 });
    expect(change(5, 0)).toEqual({ previous: 0, delta: 5, relative: null });
  });
});
