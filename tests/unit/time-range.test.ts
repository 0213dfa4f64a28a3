import { describe, expect, it } from "vitest";
import { pointOf, seriesPoints, toSeries, weekOf } from "../../lib/buckets";
import { allTimeRange, customRange, DAILY_MAX_DAYS, presetRange, previousRange, rangeBounds, rangeBuckets, spanLabel, WEEKLY_MAX_DAYS } from "../../lib/range";
import { addDays, addHours, bucketLabel, bucketTick, daysBetween, hoursBetween, pbTime, utcDay, utcHour } from "../../lib/time";

describe("UTC days and hours", () => {
  it("steps across month, year and DST boundaries by whole days and hours", () => {
    expect(addDays("2026-03-28", 2)).toBe("2026-03-30");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(daysBetween("2026-10-30", "2026-11-02")).toEqual(["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"]);
    expect(addHours("2026-12-31 23", 1)).toBe("2027-01-01 00");
    expect(addHours("2026-03-29 00", -1)).toBe("2026-03-28 23");
    expect(hoursBetween("2026-10-25 00", "2026-10-25 03")).toEqual(["2026-10-25 00", "2026-10-25 01", "2026-10-25 02", "2026-10-25 03"]);
  });
  it("formats like PocketBase so timestamps compare as strings", () => {
    expect(pbTime(new Date("2026-11-22T01:02:03.004Z"))).toBe("2026-11-22 01:02:03.004Z");
    expect(utcDay(new Date("2026-11-22T23:59:59.999Z"))).toBe("2026-11-22");
    expect(utcHour(new Date("2026-11-22T23:59:59.999Z"))).toBe("2026-11-22 23");
    expect(bucketLabel("2026-11-22 05")).toBe("2026-11-22 05:00");
    expect(bucketTick("2026-11-22 05")).toBe("05:00");
    expect(bucketTick("2026-11-22")).toBe("11-22");
  });
});

describe("ranges", () => {
  it("last 30 days is today and the 29 days before, and the previous period abuts it", () => {
    const r = presetRange("30d", new Date("2026-11-22T08:00:00Z"));
    expect(r).toEqual({ grain: "day", from: "2026-10-24", to: "2026-11-22", length: 30, bucket: "day", repo: "official" });
    expect(previousRange(r)).toEqual({ grain: "day", from: "2026-09-24", to: "2026-10-23", length: 30, bucket: "day", repo: "official" });
    expect(rangeBuckets(r)).toHaveLength(30);
    expect(rangeBounds(r)).toEqual({ start: "2026-10-24 00:00:00.000Z", end: "2026-11-23 00:00:00.000Z" });
    expect(spanLabel(r)).toBe("30 days");
  });
  it("last 24 hours is the current hour and the 23 before, hourly", () => {
    const r = presetRange("24h", new Date("2026-11-22T08:59:00Z"));
    expect(r).toEqual({ grain: "hour", from: "2026-11-21 09", to: "2026-11-22 08", length: 24, bucket: "hour", repo: "official" });
    expect(previousRange(r)).toEqual({ grain: "hour", from: "2026-11-20 09", to: "2026-11-21 08", length: 24, bucket: "hour", repo: "official" });
    expect(rangeBuckets(r)).toHaveLength(24);
    expect(rangeBuckets(r)[0]).toBe("2026-11-21 09");
    expect(rangeBounds(r)).toEqual({ start: "2026-11-21 09:00:00.000Z", end: "2026-11-22 09:00:00.000Z" });
    expect(spanLabel(r)).toBe("24 hours");
  });
  it("custom ranges are whole days", () => {
    expect(customRange("2026-11-01", "2026-11-01")).toEqual({ grain: "day", from: "2026-11-01", to: "2026-11-01", length: 1, bucket: "day", repo: "official" });
    expect(spanLabel(customRange("2026-11-01", "2026-11-01"))).toBe("1 day");
  });
});

describe("series points", () => {
  const now = new Date("2026-11-22T10:00:00Z"); // a Sunday
  it("sums days into Monday-based weeks for a year, marking the cut first week and the running one partial", () => {
    const r = presetRange("365d", now);
    const points = seriesPoints(r, now);
    expect(points[0]).toEqual({ bucket: weekOf(r.from), partial: weekOf(r.from) < r.from });
    expect(points.at(-1)).toEqual({ bucket: "2026-11-16", partial: true });
    expect(points.every((p, i) => i === 0 || addDays(points[i - 1]!.bucket, 7) === p.bucket)).toBe(true);
    expect(pointOf(r, "2026-11-19")).toBe("2026-11-16");
  });
  it("starts all time on the first day with data, its points by its length like any range", () => {
    const r = allTimeRange(now, "2025-03-14");
    expect(r).toMatchObject({ grain: "day", from: "2025-03-14", to: "2026-11-22", bucket: "week" });
    const rows = [
      { bucket: "2025-03-14", n: 2 },
      { bucket: "2025-03-16", n: 3 },
      { bucket: "2026-11-22", n: 1 },
    ];
    const series = toSeries(
      r,
      now,
      rows,
      (p) => ({ ...p, n: 0 }),
      (p, row) => void (p.n += row.n),
    );
    expect(series[0]).toEqual({ bucket: "2025-03-10", partial: true, n: 5 });
    expect(series.at(-1)).toEqual({ bucket: "2026-11-16", partial: true, n: 1 });
    // Two years and more: months; a few weeks of data: days; none yet: today alone.
    expect(allTimeRange(now, "2024-01-01")).toMatchObject({ from: "2024-01-01", bucket: "month" });
    expect(allTimeRange(now, "2026-10-01")).toMatchObject({ length: 53, bucket: "day" });
    expect(allTimeRange(now, null)).toMatchObject({ from: "2026-11-22", to: "2026-11-22", length: 1, bucket: "day", repo: "official" });
    // The thresholds: day up to DAILY_MAX_DAYS, week up to WEEKLY_MAX_DAYS.
    expect(customRange("2026-07-26", "2026-11-22")).toMatchObject({ length: DAILY_MAX_DAYS, bucket: "day" });
    expect(customRange("2026-07-25", "2026-11-22")).toMatchObject({ length: DAILY_MAX_DAYS + 1, bucket: "week" });
    expect(customRange("2024-11-22", "2026-11-22")).toMatchObject({ length: WEEKLY_MAX_DAYS, bucket: "week" });
    expect(customRange("2024-11-21", "2026-11-22")).toMatchObject({ length: WEEKLY_MAX_DAYS + 1, bucket: "month" });
  });
  it("marks today partial in day ranges and labels points by their kind", () => {
    const points = seriesPoints(presetRange("7d", now), now);
    expect(points.map((p) => p.partial)).toEqual([false, false, false, false, false, false, true]);
    expect(bucketLabel("2026-11-16", "week")).toBe("week of 2026-11-16");
    expect(bucketTick("2026-11", "month")).toBe("2026-11");
    expect(bucketTick("2026-11-22", "day", true)).toBe("2026-11-22");
  });
});
