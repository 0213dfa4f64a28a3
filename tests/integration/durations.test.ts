/**
 * Install time (issue 15): every percentile the data layer reads equals the nearest-rank
 * percentile of SQL over the raw rows, bucketed by a rule written here independently of
 * lib/durations.ts — for every repository selection, daily and hourly ranges, and after inserts,
 * updates of every column it depends on, and deletes. It also holds the stated precision: the
 * raw percentile lies in [reported, reported + bucket width), and that width is at most 5 s
 * under a minute, 8.3 % of the reported value up to 2 h and 12.5 % beyond.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryAllDurations, queryAllDurationsFromView, queryAppDurations, queryAppDurationSteps, queryDurationsOf } from "../../lib/data/queries/durations";
import { listDurations } from "../../lib/durations";
import { trendPoints } from "../../lib/install-trend";
import { queryAppList } from "../../lib/data/queries/apps";
import { parseViewState } from "../../lib/params";
import { customRange, presetRange, type Range, withRepo } from "../../lib/range";
import { VIEWS } from "../../lib/views";
import { REPOS, type Repo } from "../../lib/repo";
import { insertRows } from "../../scripts/lib/bulk-insert";
import { generateRows } from "../../scripts/lib/generate";
import { startTestPocketBase, type TestPocketBase } from "../support/pocketbase";
import { rng } from "../support/random";
import { expectRollupsExact } from "../support/rollups";

/** Stored repo_source values per selection, written out here (not lib/repo.ts). */
const SOURCES: Record<Repo, string> = {
  official: "repo_source IN ('ProxmoxVE', '')",
  dev: "repo_source = 'ProxmoxVED'",
  fork: "repo_source = 'external'",
  all: "1 = 1",
};

/** The bucket start: 5 s steps below 2 min, then 10 s, 20 s, 30 s, 1 min, 2 min, 5 min, 15 min. */
function bucketOf(s: number): number {
  const step = s < 120 ? 5 : s < 300 ? 10 : s < 600 ? 20 : s < 1200 ? 30 : s < 1800 ? 60 : s < 3600 ? 120 : s < 7200 ? 300 : 900;
  return Math.floor(s / step) * step;
}
const widthAt = (s: number) => (s < 120 ? 5 : s < 300 ? 10 : s < 600 ? 20 : s < 1200 ? 30 : s < 1800 ? 60 : s < 3600 ? 120 : s < 7200 ? 300 : 900);

interface Side {
  n: number;
  p50: number | null;
  p90: number | null;
}

/** Nearest rank on the sorted raw durations. */
function rank(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(1, Math.ceil((p * sorted.length) / 100)) - 1]!;
}

describe("install time", () => {
  let pb: TestPocketBase;
  const now = new Date();
  const r = rng(15);
  beforeAll(async () => {
    pb = await startTestPocketBase({
      seed: (dir) => insertRows(join(dir, "data.db"), generateRows({ seed: 15, days: 30, runsPerDay: 300, end: now }), { maintainRollups: false }),
    });
    pb.useForDataLayer();
  });
  afterAll(async () => pb?.stop());

  /** Raw durations per app and outcome over a range, bucketed, for a selection. */
  function truth(range: Range, repo: Repo): Map<string, { success: Side; failed: Side; raw: { success: number[]; failed: number[] } }> {
    const rows = pb.db
      .prepare(
        `SELECT nsapp, CASE WHEN status IN ('sucess','success','done') THEN 'success' ELSE 'failed' END AS o, install_duration AS d
         FROM _dev_telemetry_data
         WHERE execution_id != '' AND status IN ('sucess','success','done','failed')
           AND substr(created, 1, ${range.grain === "hour" ? 13 : 10}) BETWEEN ? AND ? AND ${SOURCES[repo]}
         ORDER BY nsapp, o, d`,
      )
      .all(range.from, range.to) as { nsapp: string; o: "success" | "failed"; d: number }[];
    const raw = new Map<string, { success: number[]; failed: number[] }>();
    for (const row of rows) {
      const e = raw.get(row.nsapp) ?? { success: [], failed: [] };
      e[row.o].push(row.d);
      raw.set(row.nsapp, e);
    }
    const side = (xs: number[]): Side => {
      const p50 = rank(xs, 50);
      const p90 = rank(xs, 90);
      return { n: xs.length, p50: p50 === null ? null : bucketOf(p50), p90: p90 === null ? null : bucketOf(p90) };
    };
    return new Map([...raw].map(([nsapp, e]) => [nsapp, { success: side(e.success), failed: side(e.failed), raw: e }]));
  }

  async function expectExact(range: Range) {
    for (const repo of REPOS) {
      const want = truth(range, repo);
      const got = await queryDurationsOf([...want.keys(), "no-such-app"], withRepo(range, repo));
      expect(got.has("no-such-app")).toBe(false);
      const expected = new Map([...want].map(([k, v]) => [k, { success: v.success, failed: v.failed }]));
      expect(new Map([...got].map(([k, v]) => [k, { success: v.success, failed: v.failed }])), `${repo} ${range.from}…${range.to}`).toEqual(expected);
      // A few apps: each app's keys alone (the app page's read, and a page of the apps table).
      const few = [...want.keys()].slice(0, 6);
      const each = await queryDurationsOf([...few, "no-such-app"], withRepo(range, repo));
      expect(new Map([...each].map(([k, v]) => [k, { success: v.success, failed: v.failed }])), `per app ${repo} ${range.from}…${range.to}`).toEqual(
        new Map(few.map((k) => [k, expected.get(k)])),
      );
      // Every app from the range sums (the path above when more than a few apps are named) and from the percentile view.
      for (const [path, read] of [
        ["sums", queryAllDurations],
        ["view", queryAllDurationsFromView],
      ] as const) {
        const every = await read(withRepo(range, repo));
        expect(new Map(every.map((d) => [d.nsapp, { success: d.success, failed: d.failed }])), `${path} ${repo} ${range.from}…${range.to}`).toEqual(expected);
      }
    }
  }

  it("equals SQL over the raw rows for every repository, over days and hours", async () => {
    const ranges = [presetRange("7d", now), presetRange("30d", now), presetRange("24h", now), customRange(presetRange("30d", now).from, presetRange("7d", now).from)];
    for (const range of ranges) await expectExact(range);
    // The data has runs of every selection with durations (else the test would prove little).
    for (const repo of REPOS) expect(truth(presetRange("30d", now), repo).size, repo).toBeGreaterThan(0);
  });

  it("the trend's weeks each equal SQL over their own days (the app page's and the API's install time per week)", async () => {
    const trend = trendPoints(presetRange("30d", now), now)!;
    expect(trend.points.length).toBeGreaterThanOrEqual(5);
    for (const point of trend.points) await expectExact(point.range);
    // The app page reads every point of an app in one request (running totals at the points' ends).
    for (const repo of REPOS) {
      const ranges = trend.points.map((p) => withRepo(p.range, repo));
      const truths = ranges.map((r) => truth(r, repo));
      const apps = [...new Set(truths.flatMap((t) => [...t.keys()]))].slice(0, 8);
      for (const nsapp of [...apps, "no-such-app"]) {
        const steps = await queryAppDurationSteps(nsapp, ranges);
        expect(
          steps.map((d) => ({ success: d.success, failed: d.failed })),
          `${nsapp} ${repo}`,
        ).toEqual(truths.map((t) => ({ success: t.get(nsapp)?.success ?? { n: 0, p50: null, p90: null }, failed: t.get(nsapp)?.failed ?? { n: 0, p50: null, p90: null } })));
      }
    }
  });

  it("keeps the stated precision: the raw percentile lies in its bucket, at most 5 s or 8.3 % wide", () => {
    let checked = 0;
    for (const [, e] of truth(presetRange("30d", now), "all")) {
      for (const o of ["success", "failed"] as const) {
        for (const p of [50, 90] as const) {
          const exact = rank(e.raw[o], p);
          const reported = e[o][p === 50 ? "p50" : "p90"];
          if (exact === null || reported === null) continue;
          expect(exact).toBeGreaterThanOrEqual(reported);
          expect(exact).toBeLessThan(reported + widthAt(reported));
          expect(reported < 60 ? widthAt(reported) <= 5 : widthAt(reported) / reported <= (reported < 7200 ? 0.0834 : 0.125)).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("one app, and a sorted page of every app, agree with it", async () => {
    const range = presetRange("30d", now);
    const want = truth(range, "official");
    const busiest = [...want].sort((a, b) => b[1].success.n - a[1].success.n)[0]!;
    expect(await queryAppDurations(busiest[0], range)).toEqual({ nsapp: busiest[0], success: busiest[1].success, failed: busiest[1].failed });
    expect(await queryAppDurations("no-such-app", range)).toEqual({
      nsapp: "no-such-app",
      success: { n: 0, p50: null, p90: null },
      failed: { n: 0, p50: null, p90: null },
    });
    const all = await queryAllDurations(range);
    const page = listDurations(all, { q: null, minRuns: 5, sort: "-success_p50", page: 1, pageSize: 10 });
    const ranked = [...want]
      .filter(([, e]) => e.success.n >= 5)
      .sort((a, b) => b[1].success.p50! - a[1].success.p50! || a[0].localeCompare(b[0]))
      .slice(0, 10)
      .map(([nsapp, e]) => ({ nsapp, success: e.success, failed: e.failed }));
    expect(page.items).toEqual(ranked);
    expect(page.total).toBe([...want].filter(([, e]) => e.success.n >= 5).length);
    // Every app (min 0), ascending: apps whose runs all failed have no success time and come last, as everywhere.
    const every = listDurations(all, { q: null, minRuns: 0, sort: "success_p50", page: 1, pageSize: 1000 });
    expect(every.total).toBe(want.size);
    const times = every.items.map((d) => d.success.p50);
    const known = times.filter((x): x is number => x !== null);
    expect(times).toEqual([...known.sort((a, b) => a - b), ...times.filter((x) => x === null)]);
  });

  it("the apps table's column and its sort by install time agree with it", async () => {
    const { state } = parseViewState({ range: "30d", min: "0", sort: "-install_time", size: "100" }, now, VIEWS.apps);
    const want = truth(state.range, "official");
    const list = await queryAppList(state);
    const p50 = (nsapp: string) => want.get(nsapp)?.success.p50 ?? null;
    for (const r of list.rows) expect(r.installTime, r.nsapp).toEqual(want.get(r.nsapp)?.success ?? { n: 0, p50: null, p90: null });
    const shown = list.rows.map((r) => p50(r.nsapp));
    const withTime = shown.filter((x): x is number => x !== null);
    // Descending, apps without a time last; the first page holds the longest times of all.
    expect(withTime).toEqual([...withTime].sort((a, b) => b - a));
    expect(shown.slice(0, withTime.length).every((x) => x !== null)).toBe(true);
    expect(withTime[0]).toBe(Math.max(...[...want.values()].map((e) => e.success.p50 ?? 0)));
  });

  it("stays exact after inserts, updates of every column it reads, and deletes", async () => {
    const ids = (pb.db.prepare("SELECT id FROM _dev_telemetry_data WHERE created >= ?").all(presetRange("7d", now).from) as { id: string }[]).map((x) => x.id);
    const at = (ms: number) => new Date(ms).toISOString().replace("T", " ");
    const insert = pb.db.prepare(
      `INSERT INTO _dev_telemetry_data (id, random_id, execution_id, type, nsapp, status, install_duration, repo_source, created, updated)
       VALUES (?, ?, ?, 'lxc', ?, ?, ?, ?, ?, ?)`,
    );
    const updates = [
      pb.db.prepare("UPDATE _dev_telemetry_data SET install_duration = ? WHERE id = ?"),
      pb.db.prepare("UPDATE _dev_telemetry_data SET repo_source = ? WHERE id = ?"),
      pb.db.prepare("UPDATE _dev_telemetry_data SET status = ? WHERE id = ?"),
      pb.db.prepare("UPDATE _dev_telemetry_data SET execution_id = ? WHERE id = ?"),
      pb.db.prepare("UPDATE _dev_telemetry_data SET created = ? WHERE id = ?"),
      pb.db.prepare("UPDATE _dev_telemetry_data SET nsapp = ? WHERE id = ?"),
    ];
    const duration = () => r.pick([0, 1, 59, 119, 120, 124, 599, 600, 1799, 1800, 7199, 7200, 86_400, r.int(3600)]);
    pb.db.transaction(() => {
      for (let i = 0; i < 300; i++) {
        const created = at(Date.now() - r.int(6 * 24) * 3_600_000);
        const exec = `exec-${i}`;
        insert.run(
          `dur${String(i).padStart(12, "0")}`,
          exec,
          exec,
          r.pick(["docker", "jellyfin", "x-new"]),
          r.pick(["success", "failed", "installing"]),
          duration(),
          r.pick(["ProxmoxVE", "ProxmoxVED", "external", ""]),
          created,
          created,
        );
      }
      for (let i = 0; i < 400; i++) {
        const id = r.pick(ids);
        const k = r.int(updates.length);
        const value = [
          duration(),
          r.pick(["ProxmoxVE", "ProxmoxVED", "external", ""]),
          r.pick(["success", "failed", "aborted"]),
          r.pick(["", `re-${i}`]),
          at(Date.now() - r.int(40 * 24) * 3_600_000),
          r.pick(["docker", "x-moved"]),
        ][k];
        updates[k]!.run(value, id);
      }
      const del = pb.db.prepare("DELETE FROM _dev_telemetry_data WHERE id = ?");
      for (let i = 0; i < 200; i++) del.run(r.pick(ids));
    })();
    expectRollupsExact(pb.db);
    for (const range of [presetRange("7d", now), presetRange("30d", now), presetRange("24h", now)]) await expectExact(range);
  });
});
