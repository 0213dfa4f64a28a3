/** Install-time buckets, nearest-rank percentiles, their SQL twin, and how durations read. */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { type AppDurations, bucketWidth, DURATION_STEPS, durationBucket, durationBucketSql, listDurations, NO_DURATION, percentile, summarize } from "../../lib/durations";
import { formatApproxDuration, formatDuration, formatDurationTick } from "../../lib/format";

describe("duration buckets", () => {
  it("are 5 s wide under a minute, at most 8.3 % of their start up to 2 h and 12.5 % beyond, up to 24 h", () => {
    const wrong: number[] = [];
    for (let s = 0; s <= 86_400; s++) {
      const b = durationBucket(s);
      const w = bucketWidth(b);
      if (b > s || s - b >= w || (b < 60 ? w > 5 : w / b > (b < 7200 ? 0.0834 : 0.125))) wrong.push(s);
    }
    expect(wrong).toEqual([]);
    expect(DURATION_STEPS[0]).toEqual([0, 5]);
  });

  it("SQL gives the same bucket, and NO_DURATION to rows of the older protocol", () => {
    const db = new Database(":memory:");
    db.exec("CREATE TABLE t (execution_id TEXT, install_duration NUMERIC)");
    const ins = db.prepare("INSERT INTO t VALUES (?, ?)");
    const samples = [0, 1, 119, 120, 121, 124, 125, 599, 600, 614, 615, 1799, 1800, 1859, 1860, 7199, 7200, 7499, 7500, 86_399, 86_400];
    for (const s of samples) ins.run("e", s);
    ins.run("", 300);
    ins.run(null, 300);
    const got = db.prepare(`SELECT ${durationBucketSql("t")} AS b FROM t`).all() as { b: number }[];
    expect(got.map((r) => r.b)).toEqual([...samples.map(durationBucket), NO_DURATION, NO_DURATION]);
  });
});

describe("percentile (nearest rank)", () => {
  const hist = (xs: number[]) => {
    const m = new Map<number, number>();
    for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
    return m;
  };
  it("is the ceil(p·n)-th smallest bucket; null when empty; ignores NO_DURATION", () => {
    expect(percentile(hist([5, 1, 3, 2, 4]), 0.5)).toBe(3);
    expect([0, 4, 5, 119, 120, 129, 299, 300, 319, 7199, 7200, 8099, 8100, 86_400].map(durationBucket)).toEqual([
      0, 0, 5, 115, 120, 120, 290, 300, 300, 6900, 7200, 7200, 8100, 86_400,
    ]);
    expect(percentile(hist([1, 2, 3, 4]), 0.5)).toBe(2);
    expect(percentile(hist([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 0.9)).toBe(9);
    expect(percentile(hist([7]), 0.9)).toBe(7);
    expect(percentile(new Map(), 0.5)).toBeNull();
    expect(
      summarize(
        new Map([
          [NO_DURATION, 4],
          [60, 2],
          [120, 1],
        ]),
      ),
    ).toEqual({ n: 3, p50: 60, p90: 120 });
  });
});

describe("formatting durations", () => {
  it("labels axis ticks exactly (a 90 s tick is not '2 min')", () => {
    expect([0, 30, 90, 600, 5400, 7200].map(formatDurationTick)).toEqual(["0 s", "30 s", "1.5 min", "10 min", "1.5 h", "2 h"]);
  });

  it("reads seconds, minutes and hours", () => {
    expect([0, 45, 60, 245, 600, 615, 1815, 3600, 3900, null].map(formatDuration)).toEqual([
      "0 s",
      "45 s",
      "1 min",
      "4 min 5 s",
      "10 min",
      "10 min",
      "30 min",
      "1 h",
      "1 h 5 min",
      "–",
    ]);
    expect([45, 89, 90, 245, 1815, 5399, 5400, 9000].map(formatApproxDuration)).toEqual(["45 s", "89 s", "2 min", "4 min", "30 min", "90 min", "1.5 h", "2.5 h"]);
  });
});

describe("the install-time list (search, sort and page in memory)", () => {
  const side = (n: number, p50: number | null) => ({ n, p50: n ? p50 : null, p90: n ? p50 : null });
  const app = (nsapp: string, n: number, p50: number | null, failed = 1): AppDurations => ({ nsapp, success: side(n, p50), failed: side(failed, 30) });
  const all = [app("jellyfin", 40, 130), app("plex", 12, 130), app("broken", 0, null, 9), app("Docker", 5, 60), app("alpine", 3, 20)];
  const names = (r: { items: AppDurations[] }) => r.items.map((d) => d.nsapp);
  const q = { q: null, minRuns: 0, sort: "-success_p50", page: 1, pageSize: 10 };

  it("sorts by the key either way, ties by name in code-unit order, an app without a value last both ways", () => {
    expect(names(listDurations(all, q))).toEqual(["jellyfin", "plex", "Docker", "alpine", "broken"]);
    expect(names(listDurations(all, { ...q, sort: "success_p50" }))).toEqual(["alpine", "Docker", "jellyfin", "plex", "broken"]);
    expect(names(listDurations(all, { ...q, sort: "nsapp" }))).toEqual(["Docker", "alpine", "broken", "jellyfin", "plex"]);
    expect(names(listDurations(all, { ...q, sort: "-failed_n" }))[0]).toBe("broken");
  });

  it("filters by minimum timed successes and by name as PocketBase's contains does (ASCII case folded, a NUL matches nothing)", () => {
    expect(listDurations(all, { ...q, minRuns: 10 }).total).toBe(2);
    expect(names(listDurations(all, { ...q, q: "DOCK" }))).toEqual(["Docker"]);
    expect(names(listDurations(all, { ...q, q: "l" }))).toEqual(["jellyfin", "plex", "alpine"]);
    expect(listDurations(all, { ...q, q: "%" }).total).toBe(0);
    expect(listDurations(all, { ...q, q: "a\0" }).total).toBe(0);
  });

  it("pages after filtering and sorting; total counts every match", () => {
    const second = listDurations(all, { ...q, page: 2, pageSize: 2 });
    expect(names(second)).toEqual(["Docker", "alpine"]);
    expect(second.total).toBe(5);
    expect(listDurations(all, { ...q, page: 4, pageSize: 2 }).items).toEqual([]);
  });
});
