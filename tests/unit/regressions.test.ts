import { describe, expect, it } from "vitest";
import { detectShifts, type BucketFailures } from "../../lib/regressions";

const day = (i: number) => `2026-10-${String(i + 1).padStart(2, "0")}`;
const series = (rates: number[], runs = 200): BucketFailures[] => rates.map((r, i) => ({ bucket: day(i), failed: Math.round(r * runs), decided: runs }));

describe("detectShifts", () => {
  it("finds a regression's start and end", () => {
    const s = series([0.02, 0.015, 0.02, 0.35, 0.4, 0.3, 0.02, 0.01, 0.02]);
    expect(detectShifts(s)).toEqual([{ start: day(3), end: day(5), baseline: expect.closeTo(21 / 1200, 9), peak: 0.4 }]);
  });
  it("reports a regression still going on with no end", () => {
    expect(detectShifts(series([0.02, 0.02, 0.02, 0.02, 0.5, 0.5]))[0]).toMatchObject({ start: day(4), end: null });
  });
  it("ignores noise on small days and a steady rate", () => {
    expect(detectShifts(series([0.02, 0.02, 0.5, 0.02], 2))).toEqual([]);
    expect(detectShifts(series([0.3, 0.3, 0.3, 0.3]))).toEqual([]);
    expect(detectShifts([])).toEqual([]);
  });
});
