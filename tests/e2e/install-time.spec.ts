/**
 * Install time and scripts in testing on the production build (issue 15): the API, its CSV, the
 * /apps column and sort, the app page's section, the badge and the widget against SQL over the
 * raw runs (nearest-rank percentiles, bucketed by a rule written here); the seeded truths —
 * the slow app, the core-bound app, the ready and the not-ready script in testing — where a
 * visitor sees them.
 */
import { expect, test } from "@playwright/test";
import { CORE_BOUND_APP, SLOW_APP, TESTING_APPS } from "../../scripts/lib/demo-model";
import { formatRatio } from "../../lib/format";
import { sql } from "./data";

const app = () => process.env.E2E_APP_URL!;
const SOURCES = { official: "repo_source IN ('ProxmoxVE', '')", dev: "repo_source = 'ProxmoxVED'", fork: "repo_source = 'external'", all: "1 = 1" } as const;

const bucketOf = (s: number) => {
  const step = s < 120 ? 5 : s < 300 ? 10 : s < 600 ? 20 : s < 1200 ? 30 : s < 1800 ? 60 : s < 3600 ? 120 : s < 7200 ? 300 : 900;
  return Math.floor(s / step) * step;
};

/** n, p50, p90 per app of one outcome over whole days, from the raw runs. */
function truth(from: string, to: string, repo: keyof typeof SOURCES, outcome: "success" | "failed") {
  const status = outcome === "success" ? "status IN ('sucess','success','done')" : "status = 'failed'";
  const rows = sql<{ nsapp: string; d: number }>(
    `SELECT nsapp, install_duration AS d FROM _dev_telemetry_data WHERE execution_id != '' AND ${status} AND ${SOURCES[repo]}
     AND substr(created, 1, 10) BETWEEN ? AND ? ORDER BY nsapp, d`,
    from,
    to,
  );
  const by = new Map<string, number[]>();
  for (const r of rows) by.set(r.nsapp, [...(by.get(r.nsapp) ?? []), r.d]);
  const rank = (xs: number[], p: number) => bucketOf(xs[Math.max(1, Math.ceil((p * xs.length) / 100)) - 1]!);
  return new Map([...by].map(([k, xs]) => [k, { n: xs.length, p50: rank(xs, 50), p90: rank(xs, 90) }]));
}

test("GET /api/v1/durations equals SQL for the official and the development repository, and its CSV the JSON", async ({ request }) => {
  // Every selection is compared with SQL in tests/integration/durations.test.ts; two here keep the build's test short.
  for (const repo of ["official", "dev"] as const) {
    const res = await request.get(`${app()}/api/v1/durations?range=30d&repo=${repo}&min=0&size=100&sort=nsapp`);
    expect(res.status(), repo).toBe(200);
    const body = await res.json();
    expect(body.repo).toBe(repo);
    const { from, to } = body.range;
    const success = truth(from, to, repo, "success");
    const failed = truth(from, to, repo, "failed");
    const names = [...new Set([...success.keys(), ...failed.keys()])].sort();
    expect(body.page.total, repo).toBe(names.length);
    const none = { n: 0, p50: null, p90: null };
    const want = names.slice(0, 100).map((nsapp) => ({ nsapp, success: success.get(nsapp) ?? none, failed: failed.get(nsapp) ?? none }));
    expect(body.data, repo).toEqual(want);
    if (repo === "official") {
      const csv = (await (await request.get(`${app()}/api/v1/durations.csv?range=30d&min=0&size=100&sort=nsapp`)).text()).trim().split("\r\n");
      expect(csv[0]).toBe("nsapp,success_n,success_p50,success_p90,failed_n,failed_p50,failed_p90");
      const cell = (v: number | null) => (v === null ? "" : String(v));
      expect(csv.slice(1)).toEqual(want.map((w) => [w.nsapp, w.success.n, cell(w.success.p50), cell(w.success.p90), w.failed.n, cell(w.failed.p50), cell(w.failed.p90)].join(",")));
    }
  }
  const bad = await (await request.get(`${app()}/api/v1/durations?repo=upstream`)).json();
  expect(bad.notes.join(" ")).toMatch(/Ignored repo="upstream": expected official, dev, fork, all/);
  expect(bad.repo).toBe("official");
});

test("the slow app leads /apps sorted by install time; its page, badge and widget say how long it takes", async ({ page, request }) => {
  const api = await (await request.get(`${app()}/api/v1/apps?range=30d&sort=-install_time&size=10`)).json();
  expect(api.data[0].nsapp).toBe(SLOW_APP.nsapp);
  const want = truth(api.range.from, api.range.to, "official", "success").get(SLOW_APP.nsapp)!;
  expect(api.data[0].install_time).toEqual(want);
  expect(Math.abs(want.p50 / 60 - SLOW_APP.medianMinutes) / SLOW_APP.medianMinutes).toBeLessThan(0.25);

  await page.goto(`${app()}/apps?sort=-install_time`);
  await expect(page.getByTestId("app-install-time").first()).toContainText(`${Math.round(want.p50 / 60)} min`);
  await page.goto(`${app()}/apps/${SLOW_APP.nsapp}`);
  await expect(page.getByTestId("install-p50")).toHaveText(`${Math.round(want.p50 / 60)} min`);
  await expect(page.getByText(`n ${want.n} successful runs`)).toBeVisible();

  const badge = await (await request.get(`${app()}/badge/${SLOW_APP.nsapp}.json?metric=install-time`)).json();
  expect(badge.message).toBe(`typically ${Math.round(want.p50 / 60)} min · n ${want.n} · 30d`);
  const widget = await (await request.get(`${app()}/embed/app/${SLOW_APP.nsapp}`)).text();
  expect(widget).toContain(`data-figure="install-time">Typically <strong>${Math.round(want.p50 / 60)} min</strong>`);
});

test("the slow app's install time per week: the API's points equal SQL over each week's days, and its page draws them", async ({ page, request }) => {
  const body = await (await request.get(`${app()}/api/v1/apps/${SLOW_APP.nsapp}?range=30d`)).json();
  const trend = body.data.install_time.trend;
  expect(trend.unit).toBe("week");
  expect(trend.points[0].from).toBe(body.range.from);
  expect(trend.points.at(-1).to).toBe(body.range.to);
  const none = { n: 0, p50: null, p90: null };
  for (const p of trend.points) {
    expect(p.success, p.bucket).toEqual(truth(p.from, p.to, "official", "success").get(SLOW_APP.nsapp) ?? none);
    expect(p.failed, p.bucket).toEqual(truth(p.from, p.to, "official", "failed").get(SLOW_APP.nsapp) ?? none);
  }
  expect((await (await request.get(`${app()}/api/v1/apps/${SLOW_APP.nsapp}?range=7d`)).json()).data.install_time.trend).toBeNull();

  await page.goto(`${app()}/apps/${SLOW_APP.nsapp}`);
  const section = page.getByTestId("install-trend");
  await expect(section.getByRole("img", { name: `Typical and slow install time of ${SLOW_APP.nsapp} per week` })).toBeVisible();
  // The chart's table (for screen readers and without JavaScript) holds every week's n and p50.
  const rows = section.locator("table tbody tr");
  await expect(rows).toHaveCount(trend.points.length);
  await expect(rows.nth(1)).toContainText(String(trend.points[1].success.n));
});

test("scripts in testing: /apps and the API name the ready and the not-ready script", async ({ page, request }) => {
  const api = await (await request.get(`${app()}/api/v1/testing?range=30d`)).json();
  const script = (nsapp: string) => api.data.find((s: { nsapp: string }) => s.nsapp === nsapp);
  // The whole entry and the median in the message: a wrong verdict says which input was off (it failed once, unexplained, on 2026-12-06).
  const why = (nsapp: string) => JSON.stringify({ script: script(nsapp), median: api.official_median_failure_rate, range: api.range });
  expect(script(TESTING_APPS.ready)?.verdict, why(TESTING_APPS.ready)).toBe("ready");
  expect(script(TESTING_APPS.notReady)?.verdict, why(TESTING_APPS.notReady)).toBe("not ready");
  const [dev] = sql<{ runs: number; sessions: number }>(
    `SELECT COUNT(*) AS runs, COUNT(DISTINCT random_id) AS sessions FROM _dev_telemetry_data WHERE repo_source = 'ProxmoxVED' AND nsapp = ? AND status IN ('sucess','success','done','failed') AND substr(created, 1, 10) BETWEEN ? AND ?`,
    TESTING_APPS.ready,
    api.range.from,
    api.range.to,
  );
  expect({ runs: script(TESTING_APPS.ready).runs, sessions: script(TESTING_APPS.ready).sessions }).toEqual(dev);
  await page.goto(`${app()}/apps`);
  const table = page.getByTestId("testing-scripts");
  await expect(table.getByRole("row", { name: new RegExp(`^${TESTING_APPS.ready}\\b`) })).toContainText("ready");
  await expect(table.getByRole("row", { name: new RegExp(`^${TESTING_APPS.notReady}\\b`) })).toContainText("not ready");
  // Scripts with a verdict are listed; those with too few runs are counted and linked (every one is in the API and its CSV).
  const judged = api.data.filter((s: { verdict: string }) => s.verdict !== "too few runs").length;
  const few = api.data.length - judged;
  expect(judged).toBeGreaterThan(1);
  await expect(table.locator("tbody tr")).toHaveCount(judged);
  if (few > 0) await expect(page.getByTestId("testing-too-few")).toContainText(`${few} more`);
});

test("the core-bound app: the API's install time by cores equals SQL, says 1 core differs, and its page shows the Cores table", async ({ page, request }) => {
  const body = await (await request.get(`${app()}/api/v1/apps/${CORE_BOUND_APP.nsapp}?range=30d`)).json();
  const f = body.data.install_time.by_factor;
  expect([f.from, f.to]).toEqual([body.range.from, body.range.to]);
  const runs = sql<{ c: number; d: number }>(
    `SELECT core_count AS c, install_duration AS d FROM _dev_telemetry_data WHERE nsapp = ? AND execution_id != '' AND status IN ('sucess','success','done')
     AND ${SOURCES.official} AND substr(created, 1, 10) BETWEEN ? AND ? ORDER BY d`,
    CORE_BOUND_APP.nsapp,
    f.from,
    f.to,
  );
  const side = (xs: number[]) => ({ n: xs.length, p50: bucketOf(xs[Math.ceil(xs.length / 2) - 1]!), p90: bucketOf(xs[Math.ceil((9 * xs.length) / 10) - 1]!) });
  expect(f.overall).toEqual(side(runs.map((r) => r.d)));
  const cores = f.factors.find((x: { factor: string }) => x.factor === "cores");
  expect(cores.differs).toBe(true);
  const label = (c: number) => (c > 0 ? `${c} ${c === 1 ? "core" : "cores"}` : "not reported");
  for (const v of cores.values) {
    expect(v.success, v.value).toEqual(side(runs.filter((r) => label(r.c) === v.value).map((r) => r.d)));
    expect(v.rest, v.value).toEqual(side(runs.filter((r) => label(r.c) !== v.value).map((r) => r.d)));
  }
  const one = cores.values.find((v: { value: string }) => v.value === "1 core");
  expect(one.differs).toBe(true);
  expect(one.ratio).toBeGreaterThan(2);

  await page.goto(`${app()}/apps/${CORE_BOUND_APP.nsapp}`);
  const table = page.getByTestId("install-factor-cores");
  await expect(table.getByRole("row", { name: /^1 core\b/ })).toContainText(`n ${one.success.n}`);
  await expect(table.getByRole("row", { name: /^1 core\b/ })).toContainText(`${formatRatio(one.ratio)} slower`);
  // Only factors that differ are shown.
  const shown = f.factors.filter((x: { differs: boolean }) => x.differs).map((x: { factor: string }) => x.factor);
  await expect(page.locator('[data-testid^="install-factor-"]')).toHaveCount(shown.length);
});
