/** Reading rollup rows for the insights: packed series, merging an app's types, long key lists in chunks. */
import { describe, expect, it } from "vitest";
import { mergeSeriesBy, parsePackedSeries } from "../../lib/insights/source";
import { chunkFilter } from "../../lib/data/queries/insights-source";
import { rangeBuckets } from "../../lib/range";

describe("parsePackedSeries", () => {
  it("turns offsets into buckets, sorted, and skips offsets outside the span", () => {
    const days = rangeBuckets({ from: "2026-11-01", to: "2026-11-05", grain: "day" });
    expect(parsePackedSeries("3|10|1,0|7|0,9|1|1", days)).toEqual([
      { bucket: "2026-11-01", success: 7, failed: 0 },
      { bucket: "2026-11-04", success: 10, failed: 1 },
    ]);
    const hours = rangeBuckets({ from: "2026-11-28 22", to: "2026-11-29 01", grain: "hour" });
    expect(parsePackedSeries("2|4|2", hours)).toEqual([{ bucket: "2026-11-29 00", success: 4, failed: 2 }]);
    expect(parsePackedSeries("", days)).toEqual([]);
  });
});

describe("mergeSeriesBy", () => {
  it("sums the rows of one app listed under two types, bucket by bucket", () => {
    const rows = [
      { key: { nsapp: "a", type: "lxc" }, success: 5, failed: 1, buckets: [{ bucket: "d1", success: 5, failed: 1 }] },
      {
        key: { nsapp: "a", type: "vm" },
        success: 2,
        failed: 2,
        buckets: [
          { bucket: "d1", success: 1, failed: 1 },
          { bucket: "d0", success: 1, failed: 1 },
        ],
      },
      { key: { nsapp: "b", type: "lxc" }, success: 1, failed: 0, buckets: [{ bucket: "d1", success: 1, failed: 0 }] },
    ];
    const merged = mergeSeriesBy(rows, "nsapp");
    expect(merged.get("a")).toMatchObject({
      success: 7,
      failed: 3,
      buckets: [
        { bucket: "d0", success: 1, failed: 1 },
        { bucket: "d1", success: 6, failed: 2 },
      ],
    });
    expect(merged.get("b")?.failed).toBe(0);
    expect(rows[0]!.buckets).toEqual([{ bucket: "d1", success: 5, failed: 1 }]); // inputs untouched
  });
});

describe("chunkFilter", () => {
  it("splits a long list (PocketBase rejects filters over ~3,500 characters) and keeps the other columns", () => {
    const apps = Array.from({ length: 300 }, (_, i) => `some-longer-app-name-${i}`);
    const chunks = chunkFilter({ nsapp: apps, exit_code: [22] });
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.flatMap((c) => c!.nsapp!)).toEqual(apps);
    for (const c of chunks) {
      expect(c!.exit_code).toEqual([22]);
      expect(c!.nsapp!.reduce<number>((s, a) => s + String(a).length + "nsapp".length + 12, 0)).toBeLessThanOrEqual(2000);
    }
    expect(chunkFilter({ nsapp: ["a"] })).toEqual([{ nsapp: ["a"] }]);
    expect(chunkFilter(undefined)).toEqual([undefined]);
  });
});
