/**
 * The exit-code and OS data layer (lib/data/queries/exit-codes.ts, lib/data/queries/os.ts) equals
 * hand-written SQL over the raw records of a seeded PocketBase, for several ranges.
 */
import { runsOf } from "../support/runs-of";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { queryExitCodeDetail, queryExitCodeRanking, queryExitCodeTrend } from "../../lib/data/queries/exit-codes";
import { queryOsShareSeries, queryOsVersions, MAX_SHARE_SERIES } from "../../lib/data/queries/os";
import { allTimeRange, customRange, presetRange, rangeBuckets, type Range } from "../../lib/range";
import { wilson } from "../../lib/stats";
import { addDays, utcDay } from "../../lib/time";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { OS_LABEL_SQL, OS_VERSION_LABEL_SQL } from "../support/labels";
import { api, startTestPocketBase, type TestPocketBase } from "../support/pocketbase";

const T = "_dev_telemetry_data";
/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();
/** The range's rows by their day or hour (named parameters @from, @to). */
const IN = (r: Range) => `substr(created,1,${r.grain === "hour" ? 13 : 10})`;
const IN_RANGE = (r: Range) => `${IN(r)} BETWEEN @from AND @to`;
const SUCCESS = "status IN ('sucess','success','done')";

describe("exit-code and OS data layer", () => {
  let pb: TestPocketBase;
  const now = new Date();
  const today = utcDay(now);
  const ranges: Range[] = [
    presetRange("30d", now),
    presetRange("24h", now),
    customRange(addDays(today, -39), addDays(today, -20)),
    customRange(addDays(today, -3), addDays(today, -3)),
    allTimeRange(now, "2026-01-01"),
  ];

  beforeAll(async () => {
    pb = await startTestPocketBase({
      seed: (dir) => {
        insertRows(join(dir, "data.db"), generateRows({ seed: 7, days: 40, runsPerDay: 300, end: now }), { maintainRollups: false });
      },
    });
    pb.useForDataLayer();
  });
  afterAll(async () => pb?.stop());

  const all = <R>(sql: string, params: object) => pb.db.prepare(sql).all(params) as R[];

  function sqlCodes(r: Range) {
    return all<{ code: number; failed: number; aborted: number }>(
      `SELECT COALESCE(exit_code,0) AS code, SUM(status='failed') AS failed, SUM(status='aborted') AS aborted
       FROM ${RUNS} WHERE ${IN_RANGE(r)} AND status IN ('failed','aborted') GROUP BY 1 ORDER BY COUNT(*) DESC, code`,
      r,
    );
  }

  function sqlSeries(r: Range, codes: number[]) {
    const rows = all<{ bucket: string; code: number; n: number }>(
      `SELECT ${IN(r)} AS bucket, COALESCE(exit_code,0) AS code, COUNT(*) AS n
       FROM ${RUNS} WHERE ${IN_RANGE(r)} AND status IN ('failed','aborted') GROUP BY 1,2`,
      r,
    );
    return rangeBuckets(r).map((bucket) => ({
      bucket,
      values: codes.map((c) => rows.find((x) => x.bucket === bucket && x.code === c)?.n ?? 0),
    }));
  }

  it("ranks every exit code of failed and aborted runs with its share", async () => {
    for (const r of ranges) {
      const want = sqlCodes(r);
      const got = await queryExitCodeRanking(r, true);
      expect(got.codes.map((c) => [c.exitCode, c.failed, c.aborted])).toEqual(want.map((c) => [c.code, c.failed, c.aborted]));
      // Without user aborts: failures of every other code.
      const fixable = want.filter((c) => ![129, 130, 143].includes(c.code) && c.failed > 0);
      expect((await queryExitCodeRanking(r, false)).codes.map((c) => [c.exitCode, c.failed]).sort()).toEqual(fixable.map((c) => [c.code, c.failed]).sort());
      const total = want.reduce((n, c) => n + c.failed + c.aborted, 0);
      expect(got.failed + got.aborted).toBe(total);
      for (const c of got.codes) expect(c.share).toBeCloseTo((c.failed + c.aborted) / total, 12);
      if (r.grain === "day" && r.length >= 20) expect(want.length).toBeGreaterThan(5);
    }
  });

  it("gives counts per code per day (per hour for 24 h), every bucket of the range filled", async () => {
    for (const r of ranges.slice(0, 3)) {
      const top = sqlCodes(r)
        .slice(0, 3)
        .map((c) => c.code);
      const absent = [...Array(256).keys()].find((c) => !sqlCodes(allTimeRange(now, "2020-01-01")).some((x) => x.code === c))!;
      const codes = [...top, absent];
      expect((await queryExitCodeTrend(r, codes, true)).map(({ partial: _, ...p }) => p)).toEqual(sqlSeries(r, codes));
    }
    expect((await queryExitCodeTrend(ranges[0]!, [])).every((p) => p.values.length === 0)).toBe(true);
  });

  it("details one code: totals, daily series, apps (paged) and OS split", async () => {
    for (const r of ranges.slice(0, 2)) {
      const codes = sqlCodes(r);
      for (const c of [codes[0]!, codes[Math.floor(codes.length / 2)]!]) {
        const p = { ...r, code: c.code };
        const apps = all<{ nsapp: string; failed: number; aborted: number }>(
          `SELECT COALESCE(nsapp,'') AS nsapp, SUM(status='failed') AS failed, SUM(status='aborted') AS aborted
           FROM ${RUNS} WHERE ${IN_RANGE(r)} AND COALESCE(exit_code,0) = @code AND status IN ('failed','aborted')
           GROUP BY 1 ORDER BY failed + aborted DESC, failed DESC, nsapp`,
          p,
        );
        const os = all<{ osType: string; osVersion: string; failed: number; aborted: number }>(
          `SELECT ${OS_LABEL_SQL} AS osType, ${OS_VERSION_LABEL_SQL} AS osVersion, SUM(status='failed') AS failed,
             SUM(status='aborted') AS aborted
           FROM ${RUNS} WHERE ${IN_RANGE(r)} AND COALESCE(exit_code,0) = @code AND status IN ('failed','aborted')
           GROUP BY 1,2 ORDER BY failed + aborted DESC, failed DESC, osType, osVersion`,
          p,
        );
        const got = await queryExitCodeDetail(c.code, r, { page: 1, perPage: 1000 });
        expect([got.failed, got.aborted]).toEqual([c.failed, c.aborted]);
        expect(got.series.map(({ partial: _, ...x }) => x)).toEqual(sqlSeries(r, [c.code]));
        expect(got.apps).toEqual(apps);
        expect(got.appCount).toBe(apps.length);
        expect(got.os.map(({ share, ...o }) => o)).toEqual(os);
        for (const o of got.os) expect(o.share).toBeCloseTo((o.failed + o.aborted) / (c.failed + c.aborted), 12);
        const page2 = await queryExitCodeDetail(c.code, r, { page: 2, perPage: 3 });
        expect(page2.apps).toEqual(apps.slice(3, 6));
      }
    }
    const none = await queryExitCodeDetail(254, customRange(addDays(today, 3), addDays(today, 5)));
    expect([none.failed, none.aborted, none.appCount, none.os.length]).toEqual([0, 0, 0, 0]);
    expect(none.series.map((d) => d.values)).toEqual([[0], [0], [0]]);
  });

  it("follows a PATCH to failed with a new exit code", async () => {
    const { id } = pb.db.prepare(`SELECT id FROM ${RUNS} WHERE status='installing' ORDER BY created DESC LIMIT 1`).get() as { id: string };
    const res = await api(pb.url, `/api/collections/${T}/records/${id}`, { method: "PATCH", body: { status: "failed", exit_code: 231 } });
    expect(res.status).toBe(200);
    const r = ranges[0]!;
    expect((await queryExitCodeRanking(r, true)).codes.map((c) => [c.exitCode, c.failed, c.aborted])).toEqual(sqlCodes(r).map((c) => [c.code, c.failed, c.aborted]));
  });

  function sqlOsDaily(r: Range, type: string | null, os: string | null) {
    const by = os ? OS_VERSION_LABEL_SQL : OS_LABEL_SQL;
    return all<{ bucket: string; cat: string; n: number }>(
      `SELECT ${IN(r)} AS bucket, ${by} AS cat, COUNT(*) AS n FROM ${RUNS}
       WHERE ${IN_RANGE(r)} AND (@type IS NULL OR type = @type) AND (@os IS NULL OR COALESCE(os_type,'') = @os) GROUP BY 1,2`,
      { ...r, type, os },
    );
  }

  it("splits runs per day by OS, by type and by version of one OS", async () => {
    const cases: [string | null, string | null][] = [
      [null, null],
      ["lxc", null],
      ["vm", null],
      [null, "debian"],
      ["lxc", "ubuntu"],
    ];
    for (const r of ranges.slice(0, 3)) {
      for (const [type, os] of cases) {
        const rows = sqlOsDaily(r, type, os);
        const got = await queryOsShareSeries(r, { type: type as "lxc" | "vm" | null, os });
        const cats = [...new Set(rows.map((x) => x.cat))];
        expect(cats.length).toBeLessThanOrEqual(MAX_SHARE_SERIES); // no "other" bucket in this data
        expect([...got.categories].sort()).toEqual(cats.sort());
        expect(got.points.map((p) => p.bucket)).toEqual(rangeBuckets(r));
        for (const p of got.points) {
          got.categories.forEach((c, i) => {
            expect(p.values[i], `${p.bucket} ${c}`).toBe(rows.find((x) => x.bucket === p.bucket && x.cat === c)?.n ?? 0);
          });
        }
        if (r.grain === "day" && r.length > 1 && !(type === "lxc" && os === "ubuntu")) expect(cats.length).toBeGreaterThan(1);
      }
    }
  });

  it("gives runs, failures, shares and failure rates per OS version", async () => {
    for (const r of ranges) {
      for (const type of [null, "lxc", "pve"] as const) {
        const want = all<{ type: string; osType: string; osVersion: string; runs: number; success: number; failed: number; aborted: number }>(
          `SELECT type, ${OS_LABEL_SQL} AS osType, ${OS_VERSION_LABEL_SQL} AS osVersion, COUNT(*) AS runs,
             SUM(${SUCCESS}) AS success, SUM(status='failed') AS failed, SUM(status='aborted') AS aborted
           FROM ${RUNS} WHERE ${IN_RANGE(r)} AND (@type IS NULL OR type = @type) GROUP BY 1,2,3 ORDER BY type, runs DESC, osType, osVersion`,
          { ...r, type },
        );
        const typeRuns = new Map<string, number>();
        for (const w of want) typeRuns.set(w.type, (typeRuns.get(w.type) ?? 0) + w.runs);
        const got = await queryOsVersions(r, { type, sort: "-runs" });
        expect(got.map((g) => [g.type, g.osType, g.osVersion, g.runs, g.success, g.failed, g.aborted])).toEqual(
          want.map((w) => [w.type, w.osType, w.osVersion, w.runs, w.success, w.failed, w.aborted]),
        );
        for (const g of got) {
          expect(g.share).toBeCloseTo(g.runs / typeRuns.get(g.type)!, 12);
          const w = wilson(g.failed, g.success + g.failed);
          if (w === null) expect(g.failureRate).toBeNull();
          else {
            expect(g.failureRate).toBeCloseTo(w.rate, 9);
            expect(g.failureLow).toBeCloseTo(w.low, 9);
            expect(g.failureHigh).toBeCloseTo(w.high, 9);
          }
        }
        const debian = await queryOsVersions(r, { type, os: "debian", sort: "failure_rate" });
        expect(debian.every((g) => g.osType === "debian")).toBe(true);
        expect(debian.map((g) => [g.type, g.osVersion, g.runs, g.share]).sort()).toEqual(
          got
            .filter((g) => g.osType === "debian")
            .map((g) => [g.type, g.osVersion, g.runs, g.share])
            .sort(),
        );
      }
    }
  });

  it("treats hostile filter values as plain values", async () => {
    const r = ranges[0]!;
    expect((await queryOsShareSeries(r, { os: "debian' || os_type != '" })).categories).toEqual([]);
    expect(await queryOsVersions(r, { os: 'x" || 1=1 || "' })).toEqual([]);
  });
});
