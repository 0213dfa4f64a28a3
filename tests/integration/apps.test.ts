/**
 * The apps table and the app page equal SQL over the raw records on a seeded PocketBase,
 * across filter, sort and paging combinations.
 */
import { runsOf } from "../support/runs-of";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OUTCOMES } from "../../lib/outcomes";
import { MAX_LIST_ROWS, pageCount, parseViewState } from "../../lib/params";
import { queryAppDetail } from "../../lib/data/queries/app-detail";
import { queryRuns } from "../../lib/data/queries/runs";
import { queryAppList } from "../../lib/data/queries/apps";
import { VIEWS } from "../../lib/views";
import { previousRange, rangeBuckets } from "../../lib/range";
import { APPS } from "../../lib/reference/apps";
import { wilson } from "../../lib/stats";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { withContractRows } from "../support/contract-rows";
import { startTestPocketBase, type TestPocketBase } from "../support/pocketbase";

/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();

const SUCCESS = "status IN ('sucess','success','done')";

describe("apps data layer", () => {
  let pb: TestPocketBase;
  const now = new Date();
  beforeAll(async () => {
    pb = await startTestPocketBase({
      seed: (dir) => insertRows(join(dir, "data.db"), withContractRows(generateRows({ seed: 5, days: 70, runsPerDay: 250, end: now }), now), { maintainRollups: false }),
    });
    pb.useForDataLayer();
  });
  afterAll(async () => pb?.stop());

  /** Apps over a day range, or an hour range ("YYYY-MM-DD HH" ends). */
  function sqlApps(from: string, to: string, where: string) {
    return pb.db
      .prepare(
        `SELECT nsapp, type, COUNT(*) AS runs, SUM(${SUCCESS}) AS success, SUM(status='failed') AS failed
         FROM ${RUNS} WHERE substr(created,1,${from.length}) BETWEEN ? AND ? ${where} GROUP BY nsapp, type`,
      )
      .all(from, to) as { nsapp: string; type: string; runs: number; success: number; failed: number }[];
  }

  const cases: [string, Record<string, string>, string, (r: { runs: number }) => boolean][] = [
    ["defaults (apps with at least 20 runs)", {}, "", (r) => r.runs >= 20],
    ["every app", { min: "0" }, "", () => true],
    ["type + min runs", { type: "lxc", min: "50" }, "AND type = 'lxc'", (r) => r.runs >= 50],
    ["search", { q: "alpine", min: "0" }, "AND nsapp LIKE '%alpine%'", () => true],
    ["OS", { os: "debian", range: "90d", min: "0" }, "AND os_type = 'debian'", () => true],
    ["last 24 hours", { range: "24h", min: "0" }, "", () => true],
    ["last 24 hours + OS + type", { range: "24h", os: "debian", type: "lxc", min: "0" }, "AND os_type = 'debian' AND type = 'lxc'", () => true],
    [
      "OS + type + custom range",
      { os: "alpine", type: "lxc", from: "2026-01-01", to: new Date().toISOString().slice(0, 10), min: "0" },
      "AND os_type = 'alpine' AND type = 'lxc'",
      () => true,
    ],
  ];

  for (const [name, query, where, keep] of cases) {
    it(`lists every app as SQL does: ${name}, sorted most failing first, paged`, async () => {
      const { state, notes } = parseViewState({ ...query, size: "100" }, now, VIEWS.apps);
      expect(notes).toEqual([]);
      const want = sqlApps(state.range.from, state.range.to, where).filter(keep);
      const got = [];
      for (let page = 1; page <= 20; page++) {
        const list = await queryAppList({ ...state, page });
        expect(list.total).toBe(want.length);
        got.push(...list.rows);
        if (list.rows.length < state.pageSize) break;
      }
      expect(new Map(got.map((r) => [`${r.nsapp}/${r.type}`, [r.runs, r.success, r.failed]]))).toEqual(
        new Map(want.map((r) => [`${r.nsapp}/${r.type}`, [r.runs, r.success, r.failed]])),
      );
      const lows = got.map((r) => wilson(r.failed, r.success + r.failed)?.low ?? -1);
      expect(lows).toEqual([...lows].sort((a, b) => b - a));
    });
  }

  for (const range of ["30d", "24h"]) {
    it(`reports change against the previous period and sparklines that sum to the runs (${range})`, async () => {
      // min=0: this is about the previous period and the sparklines, not the sample floor (20 runs;
      // the busiest app has ~25–35 runs in these 24 hours). Once, on a loaded machine, this listed
      // no app at all with the floor; not reproduced in three runs.
      const { state } = parseViewState({ range, sort: "-runs", size: "10", min: "0" }, now, VIEWS.apps);
      const list = await queryAppList(state);
      expect(list.rows.length).toBeGreaterThan(0);
      const prev = previousRange(state.range);
      for (const r of list.rows) {
        const [p] = sqlApps(prev.from, prev.to, `AND nsapp = '${r.nsapp}' AND type = '${r.type}'`);
        expect(r.previous).toEqual({ runs: p?.runs ?? 0, success: p?.success ?? 0, failed: p?.failed ?? 0 });
        expect(r.spark).toHaveLength(state.range.length);
        expect(r.spark.reduce((a, b) => a + b, 0)).toBe(r.runs);
      }
      expect(list.rows.map((r) => r.runs)).toEqual([...list.rows.map((r) => r.runs)].sort((a, b) => b - a));
    });
  }

  /** Per app and type: counts over a bucket range (days or hours) with an extra condition, and per bucket. */
  function sqlCounts(from: string, to: string, where: string) {
    const rows = pb.db
      .prepare(
        `SELECT nsapp || '/' || type AS k, substr(created,1,${from.length}) AS bucket, COUNT(*) AS runs, SUM(${SUCCESS}) AS success, SUM(status='failed') AS failed
         FROM ${RUNS} WHERE substr(created,1,${from.length}) BETWEEN ? AND ? ${where} GROUP BY 1, 2`,
      )
      .all(from, to) as { k: string; bucket: string; runs: number; success: number; failed: number }[];
    const totals = new Map<string, { runs: number; success: number; failed: number }>();
    for (const r of rows) {
      const t = totals.get(r.k) ?? { runs: 0, success: 0, failed: 0 };
      t.runs += r.runs;
      t.success += r.success;
      t.failed += r.failed;
      totals.set(r.k, t);
    }
    return { totals, perBucket: new Map(rows.map((r) => [`${r.k}@${r.bucket}`, r.runs])) };
  }

  const rateOf = (c: { success: number; failed: number } | undefined) => (c && c.success + c.failed > 0 ? c.failed / (c.success + c.failed) : null);

  // Each row is one app *and type* (and OS, with an OS filter): its previous period, its rate
  // change and its sparkline — up to today's partial day — count exactly those runs.
  const rowCases: [string, Record<string, string>, string][] = [
    ["every app and type", { range: "30d", min: "0" }, ""],
    ["type filter", { range: "30d", type: "addon", min: "0" }, "AND type = 'addon'"],
    ["OS filter, a range ending today", { range: "7d", os: "ubuntu", min: "0" }, "AND os_type = 'ubuntu'"],
    ["OS filter, last 24 hours", { range: "24h", os: "debian", min: "0" }, "AND os_type = 'debian'"],
  ];
  for (const [name, query, where] of rowCases) {
    it(`compares each app and type with its own previous period, sparkline included: ${name}`, async () => {
      const { state } = parseViewState({ ...query, size: "100", sort: "nsapp" }, now, VIEWS.apps);
      const rows = [];
      for (let page = 1; page <= 20; page++) {
        const list = await queryAppList({ ...state, page });
        rows.push(...list.rows);
        if (list.rows.length < state.pageSize) break;
      }
      expect(rows.length).toBeGreaterThan(0);
      const prev = previousRange(state.range);
      const cur = sqlCounts(state.range.from, state.range.to, where);
      const before = sqlCounts(prev.from, prev.to, where);
      const buckets = rangeBuckets(state.range);
      for (const r of rows) {
        const k = `${r.nsapp}/${r.type}`;
        expect(r.previous, k).toEqual(before.totals.get(k) ?? { runs: 0, success: 0, failed: 0 });
        const want = rateOf(cur.totals.get(k)) !== null && rateOf(before.totals.get(k)) !== null ? rateOf(cur.totals.get(k))! - rateOf(before.totals.get(k))! : null;
        if (want === null) expect(r.change?.change ?? null, k).toBeNull();
        else expect(r.change?.change, k).toBeCloseTo(want, 12);
        expect(r.spark, k).toEqual(buckets.map((b) => cur.perBucket.get(`${k}@${b}`) ?? 0));
      }
      if (!where) {
        // The data has apps with two types whose changes differ: a per-app figure could not match both.
        const byApp = new Map<string, Set<number | null>>();
        for (const r of rows) byApp.set(String(r.nsapp), (byApp.get(String(r.nsapp)) ?? new Set()).add(r.change?.change ?? null));
        expect([...byApp.values()].some((changes) => changes.size > 1)).toBe(true);
      }
      if (query.os) {
        // The last (partial) bucket has runs of other OSes too, so ignoring the filter there would show.
        const all = sqlCounts(state.range.to, state.range.to, "");
        expect(rows.some((r) => (all.totals.get(`${r.nsapp}/${r.type}`)?.runs ?? 0) > (cur.perBucket.get(`${r.nsapp}/${r.type}@${state.range.to}`) ?? 0))).toBe(true);
      }
    });
  }

  for (const range of ["90d", "24h"]) {
    it(`details one app exactly: totals, exit codes, OS, failed runs (${range})`, async () => {
      const { state } = parseViewState({ range }, now, VIEWS.app);
      const inRange = `substr(created,1,${state.range.from.length}) BETWEEN @from AND @to`;
      const top = pb.db.prepare(`SELECT nsapp FROM ${RUNS} WHERE status='failed' AND ${inRange} GROUP BY 1 ORDER BY COUNT(*) DESC, nsapp LIMIT 1`).get(state.range) as {
        nsapp: string;
      };
      const d = await queryAppDetail(top.nsapp, state.range, true);
      expect(d.series).toHaveLength(state.range.length);
      const where = `nsapp = @app AND ${inRange}`;
      const args = { app: top.nsapp, from: state.range.from, to: state.range.to };
      const totals = pb.db.prepare(`SELECT COUNT(*) AS runs, SUM(status='failed') AS failed FROM ${RUNS} WHERE ${where}`).get(args) as { runs: number; failed: number };
      expect([d.totals.runs, d.totals.failed]).toEqual([totals.runs, totals.failed]);
      expect(d.series.reduce((a, x) => a + x.failed, 0)).toBe(totals.failed);
      const codes = pb.db.prepare(`SELECT exit_code, SUM(status='failed') AS failed FROM ${RUNS} WHERE ${where} AND status IN ('failed','aborted') GROUP BY 1`).all(args) as {
        exit_code: number;
        failed: number;
      }[];
      expect(new Map(d.codes.map((c) => [Number(c.exit_code), c.failed]))).toEqual(new Map(codes.map((c) => [c.exit_code, c.failed])));
      // By default, as on /errors: user aborts left out — aborted runs and failures with 129, 130, 143.
      const withoutAborts = (await queryAppDetail(top.nsapp, state.range, false)).codes;
      const failures = pb.db
        .prepare(`SELECT exit_code, COUNT(*) AS failed FROM ${RUNS} WHERE ${where} AND status = 'failed' AND exit_code NOT IN (129, 130, 143) GROUP BY 1`)
        .all(args) as { exit_code: number; failed: number }[];
      expect(new Map(withoutAborts.map((c) => [Number(c.exit_code), [c.failed, c.aborted]]))).toEqual(new Map(failures.map((c) => [c.exit_code, [c.failed, 0]])));
      const os = pb.db.prepare(`SELECT os_type || ' ' || os_version AS k, COUNT(*) AS n FROM ${RUNS} WHERE ${where} GROUP BY 1`).all(args) as {
        k: string;
        n: number;
      }[];
      expect(d.os.reduce((a, o) => a + o.runs, 0)).toBe(os.reduce((a, o) => a + o.n, 0));
      const page2 = await queryRuns(top.nsapp, state.range, "failed", 2, 5);
      expect(page2.totalItems).toBe(totals.failed);
      // Page 2 (empty when there is no second page: past the end, nothing is read).
      expect([page2.page, page2.pages]).toEqual([2, Math.max(1, Math.ceil(totals.failed / 5))]);
      const want = pb.db.prepare(`SELECT created FROM ${RUNS} WHERE ${where} AND status='failed' ORDER BY created DESC LIMIT 5 OFFSET 5`).all(args) as {
        created: string;
      }[];
      expect(page2.items.map((r) => r.started)).toEqual(want.map((r) => r.created.slice(0, 16)));
      expect(Object.keys(page2.items[0] ?? {})).not.toContain("random_id");
      expect(Object.keys(page2.items[0] ?? {})).not.toContain("error");
      expect(page2.items.every((r) => r.outcome === "failed")).toBe(true);

      // Resources against the script defaults, per resource, as SQL compares them.
      const cat = APPS.find((a) => a.nsapp === top.nsapp);
      for (const [resource, column, def] of [
        ["RAM", "ram_size", cat?.ramMb],
        ["Cores", "core_count", cat?.cpu],
        ["Disk", "disk_size", cat?.diskGb],
      ] as const) {
        const cmp = d.resources.find((r) => r.resource === resource)!;
        expect(cmp.default).toBe(def ?? null);
        const rel =
          def == null ? "'no default'" : `CASE WHEN ${column} = 0 THEN 'no default' WHEN ${column} < ${def} THEN 'below' WHEN ${column} > ${def} THEN 'above' ELSE 'default' END`;
        const want = pb.db.prepare(`SELECT ${rel} AS k, COUNT(*) AS runs, SUM(status='failed') AS failed FROM ${RUNS} WHERE ${where} GROUP BY 1`).all(args) as {
          k: string;
          runs: number;
          failed: number;
        }[];
        expect(new Map(cmp.choices.map((c) => [c.relation, [c.runs, c.failed]]))).toEqual(new Map(want.map((w) => [w.k, [w.runs, w.failed]])));
      }
    });
  }

  it("lists one app's runs of each outcome, and of all outcomes, as SQL does", async () => {
    const { state } = parseViewState({ range: "30d" }, now, VIEWS.app);
    const nsapp = "docker";
    const cutoff = new Date(now.getTime() - 3_600_000).toISOString().replace("T", " ");
    const conditions: Record<string, string> = {
      success: "status IN ('sucess','success','done')",
      failed: "status = 'failed'",
      aborted: "status = 'aborted'",
      unknown: "status NOT IN ('sucess','success','done','failed','aborted','installing')",
      unfinished: "status = 'installing' AND created < @cutoff",
      running: "status = 'installing' AND created >= @cutoff",
    };
    const count = (cond: string) =>
      (
        pb.db
          .prepare(`SELECT COUNT(*) AS n FROM ${RUNS} WHERE nsapp = @nsapp AND substr(created,1,10) BETWEEN @from AND @to AND ${cond}`)
          .get({ nsapp, from: state.range.from, to: state.range.to, cutoff }) as { n: number }
      ).n;
    let sum = 0;
    for (const outcome of OUTCOMES) {
      const res = await queryRuns(nsapp, state.range, outcome, 1, 10, now);
      expect(res.totalItems, outcome).toBe(count(conditions[outcome]!));
      expect(
        res.items.every((r) => r.outcome === outcome),
        outcome,
      ).toBe(true);
      sum += res.totalItems;
    }
    expect(count("1")).toBeGreaterThan(300);
    expect(sum).toBe(count("1"));
    const all = await queryRuns(nsapp, state.range, null, 1, 10, now);
    expect(all.totalItems).toBe(sum);
    expect(all.items.map((r) => r.started)).toEqual([...all.items.map((r) => r.started)].sort().reverse());
  });

  it("pages a run list as SQL slices it, to its last page, and reads nothing past it", async () => {
    const { state } = parseViewState({ range: "90d" }, now, VIEWS.app);
    const args = { nsapp: "docker", from: state.range.from, to: state.range.to };
    const slice = (page: number, size: number) =>
      (
        pb.db
          .prepare(
            `SELECT created FROM ${RUNS} WHERE nsapp = @nsapp AND substr(created,1,10) BETWEEN @from AND @to ORDER BY created DESC LIMIT ${size} OFFSET ${(page - 1) * size}`,
          )
          .all(args) as { created: string }[]
      ).map((r) => r.created.slice(0, 16));
    const third = await queryRuns("docker", state.range, null, 3, 10, now);
    expect(third.items.map((r) => r.started)).toEqual(slice(3, 10));
    // The last page (every row of the list: docker's runs are fewer than MAX_LIST_ROWS), then past it.
    expect(third.totalItems).toBeGreaterThan(100);
    expect(third.totalItems).toBeLessThan(MAX_LIST_ROWS);
    expect(third.pages).toBe(Math.ceil(third.totalItems / 10));
    const deepest = await queryRuns("docker", state.range, null, pageCount(third.totalItems, 2), 2, now);
    expect(deepest.items.map((r) => r.started)).toEqual(slice(deepest.pages, 2));
    const past = await queryRuns("docker", state.range, null, deepest.pages + 1, 2, now);
    expect([past.page, past.pages, past.items]).toEqual([deepest.pages + 1, deepest.pages, []]);
  });
});
