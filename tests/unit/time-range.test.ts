import { describe, expect, it } from "vitest";
import { presetRange, previousRange } from "../../lib/range";
import { addDays, daysBetween, pbTime, utcDay } from "../../lib/time";

describe("UTC days", () => {
  it("steps across month, year and DST boundaries by whole days", () => {
    expect(addDays("2026-03-28", 2)).toBe("2026-03-30");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2028-03-01", -1)).toBe("2028-02-29");
    expect(daysBetween("2026-10-30", "2026-11-02")).toEqual(["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"]);
  });
  it("formats like PocketBase so timestamps compare as strings", () => {
    expect(pbTime(new Date("2026-11-22T01:02:03.004Z"))).toBe("2026-11-22 01:02:03.004Z");
    expect(utcDay(new Date("2026-11-22T23:59:59.999Z"))).toBe("2026-11-22");
  });
});

describe("ranges", () => {
  it("last 30 days is today and the 29 days before, and the previous period abuts it", () => {
    const r = presetRange("30d", new Date("2026-11-22T08:00:00Z"));
    expect(r).toEqual({ from: "2026-10-24", to: "2026-11-22", days: 30 });
    expect(previousRange(r)).toEqual({ from: "2026-09-24", to: "2026-10-23", days: 30 });
    expect(daysBetween(r.from, r.to)).toHaveLength(30);
  });
});
