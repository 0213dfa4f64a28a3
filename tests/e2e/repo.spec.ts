/**
 * The repository selection on the production build (issue 15, docs/REPOSITORIES.md): every
 * surface reads `repo=` through the one parser, official by default, and each selection's
 * figures equal SQL over that selection's raw runs (tests/support/runs-of.ts). The seeded data
 * holds development runs (scripts in testing) and forks, so a surface that ignored the
 * selection would show the same figures for every one.
 */
import { expect, test } from "@playwright/test";
import { REPOS, type Repo } from "../../lib/repo";
import { runsOf } from "../support/runs-of";
import { sql } from "./data";

const app = () => process.env.E2E_APP_URL!;
const SUCCESS = "status IN ('sucess','success','done')";
const days = (from: string, to: string) => `substr(created, 1, 10) BETWEEN '${from}' AND '${to}'`;

interface Summary {
  range: { from: string; to: string; repo: Repo };
  data: { totals: { runs: number; success: number; failed: number } };
}

test("the summary counts each selection's runs exactly, official by default, and every selection differs on the seeded data", async ({ request }) => {
  // Days no other test asks for: the response cache holds no older answer of these URLs.
  const span = `from=${utcDaysAgo(20)}&to=${utcDaysAgo(0)}`;
  const runs = new Map<Repo, number>();
  for (const repo of REPOS) {
    const res = await request.get(`${app()}/api/v1/summary?${span}&repo=${repo}`);
    expect(res.status(), repo).toBe(200);
    const body = (await res.json()) as Summary;
    expect(body.range.repo).toBe(repo);
    const [want] = sql<{ runs: number; success: number; failed: number }>(
      `SELECT COUNT(*) AS runs, SUM(${SUCCESS}) AS success, SUM(status = 'failed') AS failed FROM ${runsOf(repo)} WHERE ${days(body.range.from, body.range.to)}`,
    );
    expect({ runs: body.data.totals.runs, success: body.data.totals.success, failed: body.data.totals.failed }, repo).toEqual(want);
    runs.set(repo, body.data.totals.runs);
  }
  expect(runs.get("dev")).toBeGreaterThan(0);
  expect(runs.get("fork")).toBeGreaterThan(0);
  expect(runs.get("official")! + runs.get("dev")! + runs.get("fork")!).toBe(runs.get("all"));
  // Without repo=: the official figures (the same data-cache entry as repo=official, read just before).
  const plain = (await (await request.get(`${app()}/api/v1/summary?${span}`)).json()) as Summary;
  expect(plain.range.repo).toBe("official");
  expect(plain.data.totals.runs).toBe(runs.get("official"));
});

test("apps, an app, its runs and exit codes of the development repository equal SQL over its runs", async ({ request }) => {
  const apps = (await (await request.get(`${app()}/api/v1/apps?repo=dev&min=0&size=100`)).json()) as {
    range: { from: string; to: string };
    page: { total: number };
    data: { nsapp: string; type: string; runs: number; failed: number }[];
  };
  const where = days(apps.range.from, apps.range.to);
  const want = sql<{ k: string; runs: number; failed: number }>(
    `SELECT nsapp || '/' || type AS k, COUNT(*) AS runs, SUM(status = 'failed') AS failed FROM ${runsOf("dev")} WHERE ${where} GROUP BY 1`,
  );
  expect(want.length).toBeGreaterThan(100);
  expect(apps.page.total).toBe(want.length);
  const sqlRows = new Map(want.map(({ k, ...c }) => [k, c]));
  expect(apps.data).toHaveLength(100);
  for (const r of apps.data) expect({ runs: r.runs, failed: r.failed }, `${r.nsapp}/${r.type}`).toEqual(sqlRows.get(`${r.nsapp}/${r.type}`));

  const busiest = [...apps.data].sort((a, b) => b.runs - a.runs)[0]!;
  const one = (await (await request.get(`${app()}/api/v1/apps/${busiest.nsapp}?repo=dev`)).json()) as { data: { totals: { runs: number } } };
  const [n] = sql<{ n: number }>(`SELECT COUNT(*) AS n FROM ${runsOf("dev")} WHERE nsapp = ? AND ${where}`, busiest.nsapp);
  expect(one.data.totals.runs).toBe(n!.n);
  const runs = (await (await request.get(`${app()}/api/v1/apps/${busiest.nsapp}/runs?repo=dev&outcome=failed`)).json()) as { page: { total: number } };
  const [f] = sql<{ n: number }>(`SELECT COUNT(*) AS n FROM ${runsOf("dev")} WHERE nsapp = ? AND status = 'failed' AND ${where}`, busiest.nsapp);
  expect(runs.page.total).toBe(f!.n);

  const errors = (await (await request.get(`${app()}/api/v1/errors?repo=fork`)).json()) as { data: { exit_code: number; failed: number }[] };
  const codes = sql<{ code: number; failed: number }>(
    `SELECT exit_code AS code, SUM(status = 'failed') AS failed FROM ${runsOf("fork")} WHERE ${where} GROUP BY 1 HAVING failed > 0`,
  );
  expect(new Map(errors.data.filter((e) => e.failed > 0).map((e) => [e.exit_code, e.failed]))).toEqual(new Map(codes.map((c) => [c.code, c.failed])));
});

test("badges, widgets, charts and feeds take the selection; CSV names it; a bad value is named, never a 5xx", async ({ request }) => {
  const dev = (await (await request.get(`${app()}/api/v1/apps?repo=dev&min=0`)).json()) as { data: { nsapp: string; runs: number }[] };
  const nsapp = dev.data[0]!.nsapp;
  const installs = async (repo: Repo) => {
    const res = await request.get(`${app()}/badge/${nsapp}.json?metric=installs&repo=${repo}`);
    expect(res.status(), repo).toBe(200);
    return ((await res.json()) as { message: string }).message;
  };
  expect(await installs("dev")).not.toBe(await installs("all"));
  expect((await request.get(`${app()}/badge/${nsapp}.svg?repo=nope`)).status()).toBe(400);

  const widget = await request.get(`${app()}/embed/app/${nsapp}?repo=dev`);
  expect(widget.status()).toBe(200);
  expect(await widget.text()).not.toContain("Ignored");
  expect((await request.get(`${app()}/chart/${nsapp}.svg?repo=dev`)).status()).toBe(200);

  const feed = await request.get(`${app()}/feed.xml?repo=dev`);
  expect(feed.status()).toBe(200);
  const xml = await feed.text();
  expect(xml).toContain("/feed.xml?repo=dev");
  expect(xml).not.toMatch(/tag:[^<]*,2026:(regression|incident|digest)\//); // every id names the selection
  expect((await request.get(`${app()}/feed.xml?repo=nope`)).status()).toBe(400);

  const csv = await request.get(`${app()}/api/v1/summary?repo=dev&format=csv`);
  expect(csv.headers()["content-disposition"]).toMatch(/filename="summary-dev-\d{4}-\d{2}-\d{2}-/);
  const bad = (await (await request.get(`${app()}/api/v1/summary?repo=nope`)).json()) as { notes: string[]; range: { repo: string } };
  expect(bad.notes.join(" ")).toContain('Ignored repo="nope"');
  expect(bad.range.repo).toBe("official");
});

test("pages: the selection is one URL, shown as the current filter, and its figures are the selection's", async ({ page, request }) => {
  const canonical = await request.get(`${app()}/apps?repo=official`, { maxRedirects: 0 });
  expect(canonical.status()).toBe(308);
  expect(canonical.headers().location).toBe("/apps");
  await page.goto(`${app()}/apps?repo=dev&min=0`);
  const filter = page.getByRole("navigation", { name: "Repository" });
  await expect(filter.getByRole("link", { name: "Development" })).toHaveAttribute("aria-current", "true");
  const rows = page.getByTestId("apps-table").locator("tbody tr");
  const [devApps] = sql<{ n: number }>(`SELECT COUNT(DISTINCT nsapp || type) AS n FROM ${runsOf("dev")} WHERE ${days(utcDaysAgo(29), utcDaysAgo(0))}`);
  await expect(rows).toHaveCount(Math.min(devApps!.n, 25));
  await page.goto(`${app()}/regressions?repo=fork`);
  await expect(page.getByRole("navigation", { name: "Repository" }).getByRole("link", { name: "Forks" })).toHaveAttribute("aria-current", "true");
  // Its feed follows the same selection.
  await expect(page.getByTestId("feed-link")).toHaveAttribute("href", "/feed.xml?repo=fork");
});

function utcDaysAgo(n: number): string {
  return new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
}
