/**
 * The range sums (pocketbase/pb_hooks/rollup_sums.pb.js, docs/ROLLUPS.md "Range sums") answer
 * exactly what the range views answer — the same keys, counts and rates to the last bit — for
 * every rollup, daily and hourly, over ranges ending today, in the past, before the data and
 * inside one day, after writes of every kind: inserts, an outcome changed, a run re-dated into
 * an older day, runs deleted. Bad requests get a clear 400/404.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { publicClient } from "../../lib/data/pocketbase";
import { appSeriesRows, keyedByApp, rangeAll, rangeAllFromSums, rangeAllFromView, rangeSeriesRows } from "../../lib/data/queries/rollup-range";
import { presetRange, type Range } from "../../lib/range";
import { type PublicRollup, ROLLUPS, rollupDims, rollupTable } from "../../lib/rollups/spec";
import { addDays, utcDay } from "../../lib/time";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { api, RECORDS, startTestPocketBase, type TestPocketBase } from "../support/pocketbase";

const DAILY = ROLLUPS.filter((r) => r.grain === "day" && !r.distinct).map((r) => r.name as PublicRollup);

/** The sums' rows equal the view's (its record fields aside), in key order; the sums' rows. */
function expectSameRows(rollup: PublicRollup, sums: readonly object[], view: readonly object[], what: string): Record<string, unknown>[] {
  const dims = rollupDims(rollup).map((d) => d.column);
  const key = (r: Record<string, unknown>) => JSON.stringify(dims.map((d) => r[d]));
  const strip = (r: Record<string, unknown>) => {
    const { id: _i, collectionId: _c, collectionName: _n, range_from: _f, range_to: _t, ...rest } = r;
    return rest;
  };
  const want = view.map((r) => strip({ ...r })).sort((a, b) => (key(a) < key(b) ? -1 : 1));
  const got = sums.map((r) => ({ ...r }) as Record<string, unknown>).sort((a, b) => (key(a) < key(b) ? -1 : 1));
  expect(got, what).toEqual(want);
  return got;
}

describe("range sums", () => {
  let pb: TestPocketBase;
  const now = new Date();
  const today = utcDay(now);
  beforeAll(async () => {
    pb = await startTestPocketBase({
      seed: (dir) => insertRows(join(dir, "data.db"), generateRows({ seed: 31, days: 40, runsPerDay: 250, end: now }), { maintainRollups: false }),
    });
    pb.useForDataLayer();
    // Writes through the triggers: a new run, an outcome changed, a run re-dated 20 days back
    // (its key's later rows change), runs deleted in the middle of the history.
    const created = await api(pb.url, RECORDS, { method: "POST", body: { random_id: "sums-1", type: "lxc", nsapp: "docker", status: "installing" } });
    expect(created.status).toBe(200);
    pb.db.prepare("UPDATE _dev_telemetry_data SET status = 'failed', exit_code = 7 WHERE random_id = 'sums-1'").run();
    pb.db
      .prepare(
        `UPDATE _dev_telemetry_data SET created = '${addDays(today, -20)} 10:00:00.000Z' WHERE id = (SELECT id FROM _dev_telemetry_data WHERE created >= '${addDays(today, -2)}' LIMIT 1)`,
      )
      .run();
    pb.db.prepare(`DELETE FROM _dev_telemetry_data WHERE id IN (SELECT id FROM _dev_telemetry_data WHERE created LIKE '${addDays(today, -15)}%' LIMIT 40)`).run();
  });
  afterAll(async () => pb?.stop());

  const day = (from: number, to: number): Range => ({ grain: "day", bucket: "day", repo: "official", from: addDays(today, from), to: addDays(today, to), length: to - from + 1 });
  // [name, range, whether it has runs]: the view answers nothing outside its calendar, for a day that does not exist or a reversed range, and neither do the sums.
  const ranges: [string, Range, boolean][] = [
    ["24h", presetRange("24h", now), true],
    ["30d", presetRange("30d", now), true],
    ["90d (starts before the data)", presetRange("90d", now), true],
    ["a past month", day(-35, -12), true],
    ["one past day", day(-15, -15), true],
    ["before the data", day(-200, -100), false],
    ["today", day(0, 0), true],
    ["ending after the calendar", { grain: "day", bucket: "day", repo: "official", from: addDays(today, -5), to: "2041-01-01", length: 1 }, false],
    ["a day that does not exist", { grain: "day", bucket: "day", repo: "official", from: "2026-02-30", to: today, length: 1 }, false],
    ["from after to", day(-3, -5), false],
  ];

  it.each(ranges)("equal the range view for every rollup over %s", async (_, range, hasRuns) => {
    const pbc = publicClient();
    let keys = 0;
    for (const rollup of DAILY) {
      try {
        rollupTable(rollup, range.grain);
      } catch {
        continue; // no hourly sibling
      }
      const [sums, view] = await Promise.all([rangeAll(pbc, rollup, range), rangeAllFromView(pbc, rollup, range, { sort: "" })]);
      keys += expectSameRows(rollup, sums, view, `${rollup} ${range.from}…${range.to}`).length;
    }
    expect(keys > 0).toBe(hasRuns);
  });

  // An app page's sections read one app's keys: the key index's route (rangeSumsSql's `app`).
  const APPS = ["docker", "mastodon", "no-such-app", `it's "quoted" \\ %_`];
  it.each(ranges)("of one app equal the range view filtered to it, for every rollup keyed by the app, over %s", async (_, range, hasRuns) => {
    const pbc = publicClient();
    let keys = 0;
    for (const rollup of DAILY.filter(keyedByApp)) {
      try {
        rollupTable(rollup, range.grain);
      } catch {
        continue;
      }
      for (const app of APPS) {
        const [sums, view] = await Promise.all([rangeAllFromSums(pbc, rollup, range, "", app), rangeAllFromView(pbc, rollup, range, { app, sort: "" })]);
        const got = expectSameRows(rollup, sums, view, `${rollup} ${app} ${range.from}…${range.to}`);
        expect(got.every((r) => r.nsapp === app)).toBe(true);
        keys += got.length;
      }
    }
    expect(keys > 0).toBe(hasRuns);
  });

  // An app page's series read one app's own rows: the hook's rows answer.
  it.each(ranges)("one app's rows equal the rollup's records of the app, for every rollup keyed by the app, over %s", async (_, range) => {
    const pbc = publicClient();
    for (const rollup of DAILY.filter(keyedByApp)) {
      try {
        rollupTable(rollup, range.grain);
      } catch {
        continue;
      }
      const dims = ["bucket", ...rollupDims(rollup).map((d) => d.column)];
      const pick = (r: Record<string, unknown>) => Object.fromEntries([...dims, "success", "failed", "aborted", "unknown", "installing"].map((c) => [c, r[c]]));
      const order = (a: Record<string, unknown>, b: Record<string, unknown>) => (JSON.stringify(dims.map((d) => a[d])) < JSON.stringify(dims.map((d) => b[d])) ? -1 : 1);
      for (const app of APPS) {
        const [rows, records] = await Promise.all([
          appSeriesRows(pbc, rollup, range, app),
          range.from > range.to ? [] : rangeSeriesRows(pbc, rollup, range, { expr: "nsapp = {:app}", params: { app } }),
        ]);
        const want = records.map((r) => pick(r as unknown as Record<string, unknown>)).sort(order);
        expect(rows.map((r) => pick(r as unknown as Record<string, unknown>)).sort(order), `${rollup} ${app} ${range.from}…${range.to}`).toEqual(want);
      }
    }
  });

  it("sort as PocketBase sorts the view, ties by the key", async () => {
    const range = presetRange("30d", now);
    const pbc = publicClient();
    const sums = await rangeAll(pbc, "stats_app", range, { sort: "-runs,nsapp" });
    const view = await rangeAllFromView(pbc, "stats_app", range, { sort: "-runs,nsapp,type" });
    expect(sums.map((r) => `${r.nsapp}/${r.type}/${r.runs}`)).toEqual(view.map((r) => `${r.nsapp}/${r.type}/${r.runs}`));
  });

  it("answer 400 to bad ranges and 404 to unknown rollups, never a 5xx", async () => {
    const get = (path: string) => fetch(`${pb.url}${path}`);
    for (const q of ["", "?from=2026-01-01", "?from=2026-1-1&to=2026-01-02", "?from=2026-01-03&to=2026-01-02", "?from=2026-01-01%2000&to=2026-01-02", "?from='x&to=y"]) {
      const res = await get(`/api/rollups/stats_app/sums${q}`);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/from and to must be days/);
    }
    expect((await get("/api/rollups/stats_app_hourly/sums?from=2026-01-01&to=2026-01-02")).status).toBe(400);
    // One app's keys: only of rollups keyed by the app first; any text is a bound value.
    const notPerApp = await get("/api/rollups/stats_daily/sums?from=2026-01-01&to=2026-01-02&repo=all&nsapp=docker");
    expect(notPerApp.status).toBe(400);
    expect(((await notPerApp.json()) as { message: string }).message).toMatch(/not kept per app/);
    expect((await get(`/api/rollups/stats_app_os/sums?from=2026-01-01&to=2026-01-02&repo=all&nsapp=${"x".repeat(201)}`)).status).toBe(400);
    expect((await get("/api/rollups/stats_daily/rows?from=2026-01-01&to=2026-01-02&repo=all&nsapp=docker")).status).toBe(404);
    const noApp = await get("/api/rollups/stats_app/rows?from=2026-01-01&to=2026-01-02&repo=all");
    expect(noApp.status).toBe(400);
    expect(((await noApp.json()) as { message: string }).message).toMatch(/nsapp is required/);
    // One app's running totals at several days: daily rollups keyed by the app; days checked and bound.
    expect((await get("/api/rollups/stats_app_duration/steps?days=2026-01-01,2026-01-08&nsapp=docker")).status).toBe(200);
    expect((await get("/api/rollups/stats_app_hourly/steps?days=2026-01-01&nsapp=docker&repo=all")).status).toBe(404);
    expect((await get("/api/rollups/stats_daily/steps?days=2026-01-01&repo=all")).status).toBe(404);
    expect((await get("/api/rollups/stats_app_duration/steps?days=2026-01-01")).status).toBe(400);
    for (const days of ["", "2026-01-01,x", `${"2026-01-01,".repeat(64)}2026-01-01`, "2026-01-01')--"]) {
      const res = await get(`/api/rollups/stats_app_duration/steps?nsapp=docker&days=${encodeURIComponent(days)}`);
      expect(res.status, days).toBe(400);
      expect(((await res.json()) as { message: string }).message).toMatch(/days must be/);
    }
    expect(await (await get(`/api/rollups/stats_app_os/sums?from=2026-01-01&to=2026-01-02&repo=all&nsapp=${encodeURIComponent("' OR 1=1 --")}`)).json()).toEqual([]);
    expect((await get("/api/rollups/_dev_telemetry_data/sums?from=2026-01-01&to=2026-01-02")).status).toBe(404);
    expect((await get("/api/rollups/__proto__/sums?from=2026-01-01&to=2026-01-02")).status).toBe(404);
    // A rollup keyed by the repository selection is read for one: required, and a value no selection has matches nothing.
    const week = `from=${addDays(today, -6)}&to=${today}`;
    const noRepo = await get(`/api/rollups/stats_app/sums?${week}`);
    expect(noRepo.status).toBe(400);
    expect(((await noRepo.json()) as { message: string }).message).toMatch(/repo is required/);
    expect((await get(`/api/rollups/stats_app/sums?${week}&repo=${encodeURIComponent("x' OR 1=1 --")}`)).status).toBe(400);
    expect(await (await get(`/api/rollups/stats_app/sums?${week}&repo=nope`)).json()).toEqual([]);
    expect((await get(`/api/rollups/stats_app_duration/sums?${week}`)).status).toBe(200); // keyed by the stored source: no selection
    const ok = await get(`/api/rollups/stats_app/sums?${week}&repo=official`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/application\/json/);
    // A private rollup (keyed by a session id) has no range sums; its distinct counts are the only answer, and only its.
    expect((await get(`/api/rollups/stats_app_session/sums?${week}`)).status).toBe(404);
    expect((await get(`/api/rollups/stats_app/distinct?${week}`)).status).toBe(404);
    expect((await get(`/api/rollups/stats_app_session/rows?${week}`)).status).toBe(404);
    expect((await get("/api/rollups/stats_app_session/distinct?from=2026-01-03&to=2026-01-02")).status).toBe(400);
    expect((await get("/api/rollups/stats_app_session_hourly/distinct?from=2026-01-01&to=2026-01-02")).status).toBe(400);
    const distinct = await get(`/api/rollups/stats_app_session/distinct?${week}`);
    expect(distinct.status).toBe(200);
    const rows = (await distinct.json()) as unknown[][];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.length === 2 && typeof r[0] === "string" && Number.isInteger(r[1]))).toBe(true);
  });
});
