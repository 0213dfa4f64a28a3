import { describe, expect, it } from "vitest";
import { customRange, presetRange, previousRange, rangeBounds, rangeBuckets, spanLabel } from "../../lib/range";
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
    expect(r).toEqual({ grain: "day", from: "2026-10-24", to: "2026-11-22", length: 30 });
    expect(previousRange(r)).toEqual({ grain: "day", from: "2026-09-24", to: "2026-10-23", length: 30 });
    expect(rangeBuckets(r)).toHaveLength(30);
    expect(rangeBounds(r)).toEqual({ start: "2026-10-24 00:00:00.000Z", end: "2026-11-23 00:00:00.000Z" });
    expect(spanLabel(r)).toBe("30 days");
  });
  it("last 24 hours is the current hour and the 23 before, hourly", () => {
    const r = presetRange("24h", new Date("2026-11-22T08:59:00Z"));
    expect(r).toEqual({ grain: "hour", from: "2026-11-21 09", to: "2026-11-22 08", length: 24 });
    expect(previousRange(r)).toEqual({ grain: "hour", from: "2026-11-20 09", to: "2026-11-21 08", length: 24 });
    expect(rangeBuckets(r)).toHaveLength(24);
    expect(rangeBuckets(r)[0]).toBe("2026-11-21 09");
    expect(rangeBounds(r)).toEqual({ start: "2026-11-21 09:00:00.000Z", end: "2026-11-22 09:00:00.000Z" });
    expect(spanLabel(r)).toBe("24 hours");
  });
  it("custom ranges are whole days", () => {
    expect(customRange("2026-11-01", "2026-11-01")).toEqual({ grain: "day", from: "2026-11-01", to: "2026-11-01", length: 1 });
    expect(spanLabel(customRange("2026-11-01", "2026-11-01"))).toBe("1 day");
  });
});
