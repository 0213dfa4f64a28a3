/**
 * The overview data layer equals SQL over the raw records on a seeded PocketBase, including
 * the clock-dependent running/unfinished split, and stays equal after runs finish and are
 * deleted through the API.
 */
import { runsOf } from "../support/runs-of";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { queryExitCodeRanking } from "../../lib/data/queries/exit-codes";
import { queryOsVersions } from "../../lib/data/queries/os";
import { queryOverview } from "../../lib/data/queries/overview";
import { queryAppRanking } from "../../lib/data/queries/overview-page";
import { rangeAll } from "../../lib/data/queries/rollup-range";
import { publicClient } from "../../lib/data/pocketbase";
import { addDays, utcDay } from "../../lib/time";
import { wilson } from "../../lib/stats";
import { presetRange, previousRange, type Range, type RangePreset } from "../../lib/range";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { OS_LABEL_SQL, OS_VERSION_LABEL_SQL } from "../support/labels";
import { api, RECORDS, startTestPocketBase, type TestPocketBase } from "../support/pocketbase";

/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();

const SUCCESS = "status IN ('sucess','success','done')";

describe("overview data layer", () => {
  let pb: TestPocketBase;
  const now = new Date();
  beforeAll(async () => {
    pb = await startTestPocketBase({
      seed: (dir) => {
        insertRows(join(dir, "data.db"), generateRows({ seed: 99, days: 40, runsPerDay: 300, end: now }), { maintainRollups: false });
      },
    });
    pb.useForDataLayer();
    // Runs that start now and stay installing: "running" must not depend on whether the
    // generator happened to place runs in the last hour at this time of day.
    for (let i = 0; i < 2; i++) {
      const res = await api(pb.url, RECORDS, {
        method: "POST",
        body: { random_id: `live-${i}`, type: "lxc", ct_type: 1, nsapp: "docker", status: "installing" },
      });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => pb?.stop());

  /** Rows of the range, by their day or hour (the range's buckets). */
  const inRange = (r: Range) => `substr(created,1,${r.grain === "hour" ? 13 : 10}) BETWEEN '${r.from}' AND '${r.to}'`;

  function sqlOverview(range: Range, at: Date) {
    const cutoff = new Date(at.getTime() - 3_600_000).toISOString().replace("T", " ");
    return pb.db
      .prepare(
        `SELECT substr(created,1,${range.grain === "hour" ? 13 : 10}) AS bucket, SUM(${SUCCESS}) AS success, SUM(status='failed') AS failed,
           SUM(status='aborted') AS aborted,
           SUM(status NOT IN ('sucess','success','done','failed','aborted','installing')) AS unknown,
           SUM(status='installing' AND created < @cutoff) AS unfinished, SUM(status='installing' AND created >= @cutoff) AS running
         FROM ${RUNS} WHERE ${inRange(range)} GROUP BY 1 ORDER BY 1`,
      )
      .all({ cutoff }) as Record<string, number | string>[];
  }

  async function expectMatchesSql(at: Date, preset: Exclude<RangePreset, "all"> = "30d") {
    const range = presetRange(preset, at);
    const got = await queryOverview(range, at);
    const want = sqlOverview(range, at);
    expect(got.series).toHaveLength(range.length);
    // Only the current day (hour) is still going on.
    expect(got.series.map((d) => d.partial)).toEqual(got.series.map((_, i) => i === got.series.length - 1));
    const nonEmpty = got.series.filter((d) => d.success + d.failed + d.aborted + d.unknown + d.unfinished + d.running > 0);
    expect(nonEmpty.map(({ partial: _, ...d }) => d)).toEqual(want);
    const runs = want.reduce((a, d) => a + (["success", "failed", "aborted", "unknown", "unfinished", "running"] as const).reduce((s, k) => s + Number(d[k]), 0), 0);
    expect(got.totals.runs).toBe(runs);
    return got;
  }

  it("matches SQL per day and in total, with live runs counted as running", async () => {
    const got = await expectMatchesSql(now);
    expect(got.totals.runs).toBeGreaterThan(8000);
    expect(got.totals.failed).toBeGreaterThan(0);
    expect(got.totals.running).toBeGreaterThanOrEqual(2);
    expect(got.totals.unfinished).toBeGreaterThan(0);
    const newest = pb.db.prepare(`SELECT MAX(created) AS t FROM _dev_telemetry_data`).get() as { t: string };
    expect(got.asOf).toBe(newest.t);
  });

  it("moves runs from running to unfinished as the clock passes the threshold", async () => {
    const later = new Date(now.getTime() + 2 * 3_600_000);
    const got = await expectMatchesSql(later);
    expect(got.totals.running).toBe(0);
    expect((await expectMatchesSql(later, "24h")).totals.running).toBe(0);
  });

  it("gives the last 24 hours per hour from the hourly rollups, as SQL does", async () => {
    const got = await expectMatchesSql(now, "24h");
    expect(got.series[0]!.bucket).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}$/);
    expect(got.totals.runs).toBeGreaterThan(150);
    expect(got.totals.running).toBeGreaterThanOrEqual(2);
    const range = presetRange("24h", now);
    const [ranking, previous, codes] = await Promise.all([queryAppRanking(range), queryOverview(previousRange(range), now), queryExitCodeRanking(range, true)]);
    const page = { ...ranking, previous, failed: codes.failed };
    const apps = pb.db.prepare(`SELECT nsapp, COUNT(*) AS runs FROM ${RUNS} WHERE ${inRange(range)} GROUP BY nsapp, type ORDER BY runs DESC, nsapp LIMIT 10`).all() as {
      nsapp: string;
      runs: number;
    }[];
    expect(page.topApps.map((a) => [a.nsapp, a.runs])).toEqual(apps.map((a) => [a.nsapp, a.runs]));
    const distinct = pb.db.prepare(`SELECT COUNT(DISTINCT nsapp) AS n FROM ${RUNS} WHERE ${inRange(range)}`).get() as { n: number };
    expect(page.apps.current).toBe(distinct.n);
    const prev = pb.db.prepare(`SELECT COUNT(*) AS n FROM ${RUNS} WHERE ${inRange(page.previous.range)}`).get() as { n: number };
    expect(page.previous.totals.runs).toBe(prev.n);
    expect(page.previous.range).toMatchObject({ grain: "hour", length: 24 });
    const failures = pb.db.prepare(`SELECT COUNT(*) AS n FROM ${RUNS} WHERE ${inRange(range)} AND status = 'failed'`).get() as { n: number };
    expect(page.failed).toBe(failures.n);
  });

  it("follows installing → failed PATCHes and deletes", async () => {
    const rows = pb.db.prepare(`SELECT id FROM ${RUNS} WHERE status='installing' ORDER BY created DESC LIMIT 6`).all() as { id: string }[];
    for (const { id } of rows.slice(0, 3)) {
      expect((await api(pb.url, `/api/collections/_dev_telemetry_data/records/${id}`, { method: "PATCH", body: { status: "failed", exit_code: 100 } })).status).toBe(200);
    }
    for (const { id } of rows.slice(3)) {
      expect((await api(pb.url, `/api/collections/_dev_telemetry_data/records/${id}`, { method: "DELETE", token: pb.superuserToken })).status).toBe(204);
    }
    await expectMatchesSql(new Date());
  });

  it("ranks apps, exit codes and OS versions exactly as SQL does", async () => {
    const range = presetRange("30d", new Date());
    const where = `substr(created,1,10) BETWEEN '${range.from}' AND '${range.to}'`;
    const apps = pb.db.prepare(`SELECT nsapp, type, COUNT(*) AS runs, SUM(status='failed') AS failed FROM ${RUNS} WHERE ${where} GROUP BY 1,2`).all() as {
      nsapp: string;
      type: string;
      runs: number;
      failed: number;
    }[];
    const gotApps = await rangeAll(publicClient(), "stats_app", range);
    const key = (r: { nsapp: string | number; type: string | number }) => `${r.nsapp}/${r.type}`;
    expect(new Map(gotApps.map((a) => [key(a), [a.runs, a.failed]]))).toEqual(new Map(apps.map((a) => [key(a), [a.runs, a.failed]])));

    const codes = pb.db
      .prepare(`SELECT exit_code, COUNT(*) AS n FROM ${RUNS} WHERE ${where} AND status IN ('failed','aborted') GROUP BY 1 ORDER BY n DESC, exit_code LIMIT 5`)
      .all() as { exit_code: number; n: number }[];
    const gotCodes = (await queryExitCodeRanking(range, true)).codes.slice(0, 5);
    expect(gotCodes.map((c) => [c.exitCode, c.total])).toEqual(codes.map((c) => [c.exit_code, c.n]));
    // By default user aborts are left out: aborted runs, and failures with codes 129, 130, 143.
    const fixable = pb.db
      .prepare(
        `SELECT exit_code, COUNT(*) AS n FROM ${RUNS} WHERE ${where} AND status = 'failed' AND exit_code NOT IN (129, 130, 143) GROUP BY 1 ORDER BY n DESC, exit_code LIMIT 5`,
      )
      .all() as { exit_code: number; n: number }[];
    expect((await queryExitCodeRanking(range, false)).codes.slice(0, 5).map((c) => [c.exitCode, c.total])).toEqual(fixable.map((c) => [c.exit_code, c.n]));

    const os = pb.db
      .prepare(`SELECT type, ${OS_LABEL_SQL} AS os_type, ${OS_VERSION_LABEL_SQL} AS os_version, COUNT(*) AS runs FROM ${RUNS} WHERE ${where} GROUP BY 1,2,3`)
      .all() as { type: string; os_type: string; os_version: string; runs: number }[];
    const gotOs = await queryOsVersions(range);
    expect(new Map(gotOs.map((o) => [`${o.type}/${o.osType}/${o.osVersion}`, o.runs]))).toEqual(new Map(os.map((o) => [`${o.type}/${o.os_type}/${o.os_version}`, o.runs])));
  });

  it("answers any [from, to] through the range views exactly as SQL does", async () => {
    const today = utcDay(new Date());
    const ranges = [
      [today, today],
      [addDays(today, -3), addDays(today, -3)],
      [addDays(today, -39), addDays(today, -20)],
      ["2020-01-01", addDays(today, -35)],
      [addDays(today, -10), addDays(today, 400)],
      [addDays(today, 5), addDays(today, 9)],
    ] as const;
    for (const [from, to] of ranges) {
      const where = `substr(created,1,10) BETWEEN '${from}' AND '${to}'`;
      const sqlApps = pb.db
        .prepare(
          `SELECT nsapp || '/' || type AS k, COUNT(*) AS runs, SUM(${SUCCESS}) AS success, SUM(status='failed') AS failed,
             SUM(status='installing') AS installing FROM ${RUNS} WHERE ${where} GROUP BY 1`,
        )
        .all() as { k: string; runs: number; success: number; failed: number; installing: number }[];
      const apps = await rangeAll(publicClient(), "stats_app", { grain: "day", from, to, repo: "official" });
      expect(new Map(apps.map((a) => [`${a.nsapp}/${a.type}`, [a.runs, a.success, a.failed, a.installing]]))).toEqual(
        new Map(sqlApps.map((a) => [a.k, [a.runs, a.success, a.failed, a.installing]])),
      );
      for (const a of apps) {
        const w = wilson(a.failed, a.success + a.failed);
        if (w === null) expect(a.failure_low).toBeNull();
        else {
          expect(a.failure_low).toBeCloseTo(w.low, 9);
          expect(a.failure_high).toBeCloseTo(w.high, 9);
          expect(a.failure_rate).toBeCloseTo(w.rate, 9);
        }
      }
      const sqlCodes = pb.db.prepare(`SELECT exit_code AS k, COUNT(*) AS n FROM ${RUNS} WHERE ${where} GROUP BY 1`).all() as { k: number; n: number }[];
      const codes = await rangeAll(publicClient(), "stats_code", { grain: "day", from, to, repo: "official" });
      expect(new Map(codes.map((c) => [Number(c.exit_code), c.runs]))).toEqual(new Map(sqlCodes.map((c) => [c.k, c.n])));
    }
  });

  it("gives the overview page's distinct apps, top apps, type split and previous period as SQL does", async () => {
    const range = presetRange("30d", new Date());
    const [ranking, current, previous] = await Promise.all([queryAppRanking(range), queryOverview(range), queryOverview(previousRange(range))]);
    const page = { ...ranking, current, previous };
    const where = (f: string, t: string) => `substr(created,1,10) BETWEEN '${f}' AND '${t}'`;
    const apps = pb.db.prepare(`SELECT COUNT(DISTINCT nsapp) AS n FROM ${RUNS} WHERE ${where(range.from, range.to)}`).get() as { n: number };
    expect(page.apps.current).toBe(apps.n);
    const top = pb.db.prepare(`SELECT nsapp, COUNT(*) AS runs FROM ${RUNS} WHERE ${where(range.from, range.to)} GROUP BY nsapp, type ORDER BY runs DESC, nsapp LIMIT 10`).all() as {
      nsapp: string;
      runs: number;
    }[];
    expect(page.topApps.map((a) => [a.nsapp, a.runs])).toEqual(top.map((a) => [a.nsapp, a.runs]));
    const types = pb.db.prepare(`SELECT type, COUNT(*) AS n FROM ${RUNS} WHERE ${where(range.from, range.to)} GROUP BY type`).all() as { type: string; n: number }[];
    expect(page.current.byType).toEqual(Object.fromEntries(types.map((t) => [t.type, t.n])));
    const prev = pb.db.prepare(`SELECT COUNT(*) AS n FROM ${RUNS} WHERE ${where(page.previous.range.from, page.previous.range.to)}`).get() as { n: number };
    expect(page.previous.totals.runs).toBe(prev.n);
    expect(page.previous.range.to < range.from).toBe(true);
  });
});
