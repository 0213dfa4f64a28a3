/** Cross-app incidents on hand-made code series, app attribution, and the scan plan. */
import { describe, expect, it } from "vitest";
import { affectedApps, elevatedApps, INCIDENT_SCAN, signalWindows, withoutExplainedCategories, type SignalSeries, type SignalWindow } from "../../lib/insights/incidents";
import { bestWindow, quietStretch } from "../../lib/insights/changepoint";
import { mergeIncidents, type Incident } from "../../lib/insights/find-incidents";
import { BASELINE_DAYS, bucketSpan, joinParts, overlaps, scanPlan, SCAN_MAX_DAYS } from "../../lib/insights/scan-plan";
import { SearchMemo } from "../../lib/insights/search-memo";
import { poissonSfAtLeast } from "../../lib/insights/significance";
import { allTimeRange, customRange, presetRange } from "../../lib/range";

const hour = (i: number) => `2026-11-2${7 + Math.floor(i / 24)} ${String(i % 24).padStart(2, "0")}`;
/** 72 hours, 500 decided runs each. */
const buckets = Array.from({ length: 72 }, (_, i) => ({ bucket: hour(i), decided: 500 }));
const codeSeries = (exitCode: number, perHour: (i: number) => number): SignalSeries => ({
  signal: { kind: "exit_code", exitCode },
  failed: new Map(buckets.map((b, i) => [b.bucket, perHour(i)])),
});

describe("signalWindows", () => {
  it("finds the hours in which one code's share of all runs jumped", () => {
    const spike = codeSeries(22, (i) => (i >= 40 && i <= 44 ? 25 : i % 4 === 0 ? 1 : 0));
    const quiet = codeSeries(100, (i) => (i % 2 ? 2 : 1));
    const [w, ...rest] = signalWindows(buckets, [spike, quiet], { hypotheses: 271, openEnd: true });
    expect(rest).toEqual([]);
    expect(w).toMatchObject({ signal: { kind: "exit_code", exitCode: 22 }, start: hour(40), last: hour(44), end: hour(44), failed: 125, decided: 2500 });
    expect(w!.baselineRate).toBeCloseTo(16 / (67 * 500), 12); // one failure every 4 hours outside
    expect(w!.excess).toBeCloseTo(125 - 2500 * w!.baselineRate, 9);
    expect(w!.q).toBeLessThan(0.01);
  });

  it("does not join a burst to a later one of the same code across quiet hours (the incident would read ongoing)", () => {
    // The e2e data's shape: an incident in hours 40–44, three hours at the usual rate, then one
    // app's ten failures of the same code in the current hour, which few runs reach yet.
    const few = buckets.slice(0, 49).map((b, i) => ({ ...b, decided: i === 48 ? 12 : 220 }));
    const perHour = (i: number) => (i >= 40 && i <= 44 ? 15 : i === 48 ? 10 : i % 5 === 0 ? 1 : 0);
    const series = few.map((b, i) => ({ failed: perHour(i), decided: b.decided }));
    const spans = few.map((b) => bucketSpan(b.bucket));
    // The largest-G window bridges the two …
    const bridged = bestWindow(series, INCIDENT_SCAN, [], spans)!;
    expect([bridged.first, bridged.last]).toEqual([40, 48]);
    expect(quietStretch(series, bridged, INCIDENT_SCAN.quietAlpha!)).not.toBeNull();
    // … the accepted windows split there: the incident is over, the new burst a window of its own.
    const failed = new Map(few.map((b, i) => [b.bucket, perHour(i)]));
    const windows = signalWindows(few, [{ signal: { kind: "exit_code", exitCode: 22 }, failed }], { hypotheses: 271, openEnd: true });
    expect(windows.map((w) => [w.start, w.last, w.end, w.failed])).toEqual([
      [hour(40), hour(44), hour(44), 75],
      [hour(45), hour(48), null, 11],
    ]);
  });

  it("keeps a burst whole when its own hours vary", () => {
    const series = buckets.map((b, i) => ({ failed: i >= 30 && i <= 41 ? [20, 4, 18, 25, 9, 22, 15, 30, 11, 19, 24, 16][i - 30]! : i % 4 === 0 ? 1 : 0, decided: b.decided }));
    const w = bestWindow(
      series,
      INCIDENT_SCAN,
      [],
      buckets.map((b) => bucketSpan(b.bucket)),
    )!;
    expect([w.first, w.last]).toEqual([30, 41]);
    expect(quietStretch(series, w, INCIDENT_SCAN.quietAlpha!)).toBeNull();
  });

  it("keeps a versioned signal's searches between scans, and searches again when its version or the buckets change", () => {
    const spike = { ...codeSeries(22, (i) => (i >= 40 && i <= 44 ? 25 : i % 4 === 0 ? 1 : 0)), version: "v1" };
    const quiet = { ...codeSeries(100, (i) => (i % 2 ? 2 : 1)), version: "v1" };
    const unversioned = codeSeries(101, (i) => i % 3);
    const opts = { hypotheses: 271, openEnd: true };
    const found = signalWindows(buckets, [spike, quiet, unversioned], opts);
    expect(found).toHaveLength(1);
    const memo = new SearchMemo();
    expect(signalWindows(buckets, [spike, quiet, unversioned], { ...opts, memo })).toEqual(found);
    // Two first searches and the spike's accepted windows; the unversioned signal is never kept.
    expect(memo.stats).toEqual({ hits: 0, misses: 3 });
    expect(signalWindows(buckets, [spike, quiet, unversioned], { ...opts, memo })).toEqual(found);
    expect(memo.stats).toEqual({ hits: 3, misses: 3 });
    // The spike's rows changed (a new version: here it healed) — searched again, nothing found.
    const healed = { ...codeSeries(22, (i) => (i % 4 === 0 ? 1 : 0)), version: "v2" };
    expect(signalWindows(buckets, [healed, quiet, unversioned], { ...opts, memo })).toEqual([]);
    expect(memo.stats).toEqual({ hits: 4, misses: 4 });
    // Other buckets (more runs in each): every search's input changed.
    const busier = buckets.map((b) => ({ ...b, decided: 900 }));
    signalWindows(busier, [spike, quiet, unversioned], { ...opts, memo });
    expect(memo.stats.hits).toBe(4);
  });

  it("finds nothing in ordinary noise and nothing without signals", () => {
    expect(signalWindows(buckets, [codeSeries(6, (i) => i % 3)], { hypotheses: 271, openEnd: true })).toEqual([]);
    expect(signalWindows(buckets, [], { hypotheses: 271, openEnd: true })).toEqual([]);
  });
});

describe("affectedApps", () => {
  const window = { baselineRate: 0.002 };

  it("keeps apps with clearly more failures than their own baseline predicts", () => {
    const rows = [
      { nsapp: "adguard", windowFailed: 8, windowDecided: 20, baselineFailed: 2, baselineDecided: 2000 },
      { nsapp: "plex", windowFailed: 5, windowDecided: 15, baselineFailed: 0, baselineDecided: 1500 },
      { nsapp: "docker", windowFailed: 2, windowDecided: 400, baselineFailed: 80, baselineDecided: 20000 }, // as usual
      { nsapp: "tiny", windowFailed: 1, windowDecided: 1, baselineFailed: 0, baselineDecided: 10 }, // one failure: never enough
      { nsapp: "none", windowFailed: 0, windowDecided: 30, baselineFailed: 0, baselineDecided: 100 },
    ];
    const apps = affectedApps(window, rows);
    expect(apps.map((a) => a.nsapp)).toEqual(["adguard", "plex"]);
    const expected = 20 * ((2 + 200 * 0.002) / (2000 + 200));
    expect(apps[0]).toMatchObject({ failed: 8, expected: expect.closeTo(expected, 12), excess: expect.closeTo(8 - expected, 12) });
    expect(apps[0]!.p).toBeCloseTo(poissonSfAtLeast(8, expected), 20);
  });
});

describe("pre-filters before reading per-app data", () => {
  const w = (signal: SignalWindow["signal"], start: number, last: number, excess: number): SignalWindow => ({
    signal,
    start: hour(start),
    last: hour(last),
    end: hour(last),
    failed: 0,
    decided: 0,
    rate: 0,
    baselineRate: 0,
    expected: 0,
    excess,
    q: 0,
  });

  it("drops a category window that one overlapping code of the category explains", () => {
    const code = w({ kind: "exit_code", exitCode: 22 }, 40, 44, 60);
    const explained = w({ kind: "category", category: "network" }, 41, 45, 100);
    const broader = w({ kind: "category", category: "network" }, 41, 45, 130); // 22 is under half of it
    const other = w({ kind: "category", category: "storage" }, 41, 45, 100);
    const later = w({ kind: "category", category: "network" }, 60, 61, 20);
    expect(withoutExplainedCategories([code, explained, broader, other, later], () => "network")).toEqual([code, broader, other, later]);
  });

  it("counts the apps whose own failures rose in the window", () => {
    const apps = ["a", "b", "c"].map((nsapp, k) => ({
      nsapp,
      buckets: buckets.map((b, i) => ({ bucket: b.bucket, decided: 20, failed: k < 2 && i >= 40 && i <= 44 ? 6 : i % 10 === 0 ? 1 : 0 })),
    }));
    expect(elevatedApps({ start: hour(40), last: hour(44) }, apps)).toEqual(["a", "b"]);
    expect(elevatedApps({ start: hour(10), last: hour(12) }, apps)).toEqual([]);
  });

  it("counts a window's runs from running totals as a pass over every bucket does: days then hours, day windows, unsorted buckets", () => {
    // Days, then the hourly part (scan-plan.ts joinParts), as a scan lays them out.
    const days = Array.from({ length: 20 }, (_, i) => `2026-11-${String(i + 1).padStart(2, "0")}`);
    const hours = Array.from({ length: 48 }, (_, i) => `2026-11-${21 + Math.floor(i / 24)} ${String(i % 24).padStart(2, "0")}`);
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const apps = Array.from({ length: 40 }, (_, k) => {
      const laid = [...days, ...(k % 3 ? hours : [])].map((bucket) => ({ bucket, decided: 30 + rand(50), failed: rand(k % 5 === 0 ? 25 : 4) }));
      return { nsapp: `app${k}`, buckets: k === 7 ? [...laid].reverse() : laid }; // one app's buckets out of order
    });
    const naive = (window: { start: string; last: string }) => {
      const inside = (b: string) => b >= window.start && b.slice(0, window.last.length) <= window.last;
      return apps.flatMap((a) => {
        let [wf, wd, bf, bd] = [0, 0, 0, 0];
        for (const b of a.buckets) {
          if (inside(b.bucket)) [wf, wd] = [wf + b.failed, wd + b.decided];
          else [bf, bd] = [bf + b.failed, bd + b.decided];
        }
        return wf >= 2 && bd > 0 && poissonSfAtLeast(wf, (wd * (bf + 1)) / (bd + 1)) <= 0.01 / apps.length ? [a.nsapp] : [];
      });
    };
    const windows = [
      { start: "2026-11-05", last: "2026-11-07" },
      { start: "2026-11-19", last: "2026-11-21" }, // a day window reaching into the hours
      { start: "2026-11-21 03", last: "2026-11-21 09" },
      { start: "2026-11-22 20", last: "2026-11-22 23" },
      { start: "2026-11-30", last: "2026-12-01" }, // after every bucket
    ];
    let found = 0;
    for (const window of windows) {
      const want = naive(window);
      found += want.length;
      expect(elevatedApps(window, apps), JSON.stringify(window)).toEqual(want);
    }
    expect(found).toBeGreaterThan(0);
  });
});

describe("mergeIncidents", () => {
  const incident = (exit_code: number, start: number, last: number, apps: string[], excess: number): Incident => ({
    exit_code,
    category: "network",
    label: "",
    start: hour(start),
    end: hour(last),
    last: hour(last),
    failed: 0,
    expected_failures: 0,
    excess_failures: excess,
    rate: 0,
    baseline_rate: 0,
    q_value: 0,
    apps: apps.map((nsapp) => ({ nsapp, failed: 2, expected_failures: 0, excess_failures: 2, p_value: 0 })),
    other_exit_codes: [],
  });

  it("folds a smaller incident of the same apps and hours into the larger one", () => {
    const dns = incident(6, 40, 44, ["a", "b", "c", "d"], 50);
    const connect = incident(7, 41, 44, ["a", "b", "e"], 20);
    const elsewhere = incident(22, 60, 62, ["a", "b", "c"], 30);
    const merged = mergeIncidents([connect, elsewhere, dns]);
    expect(merged.map((i) => [i.exit_code, i.other_exit_codes])).toEqual([
      [6, [7]],
      [22, []],
    ]);
  });
});

describe("scanPlan", () => {
  const now = new Date("2026-11-29T21:36:00Z");

  it("reads the last three days in hours when the range reaches today, days before that", () => {
    const plan = scanPlan(presetRange("30d", now), now);
    expect(plan).toEqual({
      daily: { from: "2026-10-03", to: "2026-11-26" },
      hourly: { from: "2026-11-27 00", to: "2026-11-29 21" },
      from: "2026-10-03",
      to: "2026-11-29",
      open: true,
    });
    expect(BASELINE_DAYS).toBe(28);
  });

  it("plans the 24-hour view from its days, and past ranges in days only", () => {
    expect(scanPlan(presetRange("24h", now), now)).toMatchObject({ from: "2026-10-31", hourly: { from: "2026-11-27 00" }, open: true });
    expect(scanPlan(customRange("2026-09-01", "2026-09-30"), now)).toEqual({
      daily: { from: "2026-08-04", to: "2026-09-30" },
      hourly: null,
      from: "2026-08-04",
      to: "2026-09-30",
      open: false,
    });
  });

  it("scans at most SCAN_MAX_DAYS days of a long range", () => {
    const plan = scanPlan(allTimeRange(now, "2024-01-01"), now);
    expect(plan.from).toBe("2026-06-03");
    expect((Date.parse(plan.to) - Date.parse(plan.from)) / 86_400_000 + 1).toBe(SCAN_MAX_DAYS);
  });

  it("joins daily and hourly buckets without overlap, in time order", () => {
    const plan = scanPlan(presetRange("7d", now), now);
    const daily = ["2026-11-26", "2026-11-01", "2026-11-27", "2026-10-01"].map((bucket) => ({ bucket }));
    const hourly = ["2026-11-29 03", "2026-11-27 00", "2026-11-26 23"].map((bucket) => ({ bucket }));
    expect(joinParts(plan, daily, hourly).map((b) => b.bucket)).toEqual(["2026-11-01", "2026-11-26", "2026-11-27 00", "2026-11-29 03"]);
  });

  it("compares buckets of both grains in time", () => {
    expect(bucketSpan("2026-11-27 05")).toEqual([Date.parse("2026-11-27T05:00:00Z"), Date.parse("2026-11-27T06:00:00Z")]);
    const range = presetRange("24h", now); // 2026-11-28 22 … 2026-11-29 21
    expect(overlaps("2026-11-28", "2026-11-28", range)).toBe(true);
    expect(overlaps("2026-11-20", "2026-11-28 21", range)).toBe(false);
    expect(overlaps("2026-11-20", null, range)).toBe(true);
  });
});
