import { describe, expect, it } from "vitest";
import { trendPoints } from "../../lib/install-trend";
import { customRange, presetRange } from "../../lib/range";

const now = new Date("2026-12-06T12:00:00Z"); // a Sunday

describe("install-time trend points", () => {
  it("weeks from Monday for a month, clipped to the range; the first and the current week partial", () => {
    const t = trendPoints(presetRange("30d", now), now)!;
    expect(t.unit).toBe("week");
    expect(t.points.map((p) => [p.bucket, p.range.from, p.range.to, p.partial])).toEqual([
      ["2026-11-02", "2026-11-07", "2026-11-08", true],
      ["2026-11-09", "2026-11-09", "2026-11-15", false],
      ["2026-11-16", "2026-11-16", "2026-11-22", false],
      ["2026-11-23", "2026-11-23", "2026-11-29", false],
      ["2026-11-30", "2026-11-30", "2026-12-06", true],
    ]);
    // The points' days cover the range exactly once.
    expect(t.points.reduce((n, p) => n + p.range.length, 0)).toBe(30);
  });

  it("months beyond 92 days, up to 731; none for short, hourly or longer ranges", () => {
    const year = trendPoints(presetRange("365d", now), now)!;
    expect(year.unit).toBe("month");
    expect(year.points).toHaveLength(13);
    expect(year.points[0]!.range.from).toBe(presetRange("365d", now).from);
    expect(year.points.at(-1)!.range.to).toBe("2026-12-06");
    expect(trendPoints(presetRange("90d", now), now)!.unit).toBe("week");
    expect(trendPoints(presetRange("7d", now), now)).toBeNull();
    expect(trendPoints(presetRange("24h", now), now)).toBeNull();
    expect(trendPoints(customRange("2024-01-01", "2026-12-06"), now)).toBeNull();
    expect(trendPoints(customRange("2026-11-01", "2026-11-28"), now)!.points.every((p) => p.range.grain === "day")).toBe(true);
  });
});
