/**
 * Every figure on the widgets and badges equals SQL over the raw records. (No range=24h or
 * range=90d overview here: overview.spec.ts needs those cache entries fresh.)
 */
import { runsOf } from "../support/runs-of";
import { expect, test, type Page } from "@playwright/test";
import { exitCodeInfo } from "../../lib/exit-codes";
import { formatCompact, formatInt, formatPercent } from "../../lib/format";
import { wilson } from "../../lib/stats";
import { sql } from "./data";
import { OS_FULL_LABEL_SQL } from "../support/labels";

/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();

const app = () => process.env.E2E_APP_URL!;
const SUCCESS = "status IN ('sucess','success','done')";
const DAYS = "substr(created,1,10) BETWEEN @from AND @to";

interface Counts {
  runs: number;
  success: number;
  failed: number;
}

function counts(range: { from: string; to: string }, nsapp?: string): Counts {
  const where = nsapp ? `${DAYS} AND nsapp = @nsapp` : DAYS;
  return sql<Counts>(`SELECT COUNT(*) AS runs, SUM(${SUCCESS}) AS success, SUM(status='failed') AS failed FROM ${RUNS} WHERE ${where}`, { ...range, nsapp })[0]!;
}

/** Opens a widget and returns the days it covers (data-from/data-to on the card). */
async function open(page: Page, path: string) {
  const res = await page.goto(`${app()}${path}`);
  expect(res?.status(), path).toBe(200);
  await expect(page.locator(".note")).toHaveCount(0);
  const card = page.locator("main.card");
  return { from: (await card.getAttribute("data-from"))!, to: (await card.getAttribute("data-to"))! };
}

const figure = (page: Page, name: string) => page.locator(`[data-figure="${name}"]`).first();
const interval = (k: number, n: number) => {
  const w = wilson(k, n)!;
  return `95 % CI ${(w.low * 100).toFixed(1)}–${(w.high * 100).toFixed(1)} %`;
};

/** The rows of a bar list: [label, figure]. */
async function bars(page: Page): Promise<[string, string][]> {
  return page.locator(".bars li").evaluateAll((lis) => lis.map((li) => [li.querySelector(".what")!.textContent!, li.querySelector(".num")!.textContent!] as [string, string]));
}

test("summary: runs, success rate with its interval and failures equal SQL", async ({ page }) => {
  const range = await open(page, "/embed/summary");
  const c = counts(range);
  expect(c.runs).toBeGreaterThan(50_000);
  await expect(figure(page, "runs")).toHaveText(formatInt(c.runs));
  await expect(figure(page, "success-rate")).toHaveText(formatPercent(c.success / (c.success + c.failed)));
  await expect(page.locator("dd.sub").first()).toHaveText(interval(c.success, c.success + c.failed));
  await expect(figure(page, "failed")).toHaveText(formatInt(c.failed));
});

test("app card: runs, success rate, n and the top exit code equal SQL; too few runs say so", async ({ page }) => {
  const range = await open(page, "/embed/app/docker?range=7d");
  const c = counts(range, "docker");
  await expect(figure(page, "runs")).toHaveText(formatInt(c.runs));
  await expect(figure(page, "n")).toHaveText(formatInt(c.success + c.failed));
  await expect(figure(page, "success-rate")).toHaveText(formatPercent(c.success / (c.success + c.failed)));
  // As every exit-code list: user aborts (129, 130, 143) left out.
  const top = sql<{ code: number; failed: number }>(
    `SELECT exit_code AS code, SUM(status='failed') AS failed FROM ${RUNS}
     WHERE ${DAYS} AND nsapp='docker' AND exit_code NOT IN (129, 130, 143) GROUP BY exit_code HAVING failed > 0 ORDER BY failed DESC, exit_code LIMIT 1`,
    range,
  )[0]!;
  await expect(figure(page, "top-exit-code")).toHaveText(
    `Top exit code ${top.code}: ${exitCodeInfo(top.code).message} · ${formatInt(top.failed)} of ${formatInt(c.failed)} failures`,
  );

  // The rarest app with any run: below the minimum sample.
  const rare = sql<{ nsapp: string }>(`SELECT nsapp FROM ${RUNS} WHERE ${DAYS} GROUP BY nsapp ORDER BY COUNT(*), nsapp LIMIT 1`, range)[0]!;
  await open(page, `/embed/app/${rare.nsapp}?range=7d`);
  await expect(figure(page, "success-rate")).toHaveText("not enough data");
});

test("exit codes: failures per code equal SQL (user aborts left out, as on the site), with their explanations", async ({ page }) => {
  const range = await open(page, "/embed/exit-codes");
  const fixable = "status = 'failed' AND exit_code NOT IN (129, 130, 143)";
  const want = sql<{ code: number; n: number }>(
    `SELECT exit_code AS code, COUNT(*) AS n FROM ${RUNS} WHERE ${fixable} AND ${DAYS} GROUP BY exit_code ORDER BY n DESC, code LIMIT 8`,
    range,
  );
  const all = sql<{ n: number }>(`SELECT COUNT(*) AS n FROM ${RUNS} WHERE ${fixable} AND ${DAYS}`, range)[0]!.n;
  expect(await bars(page)).toEqual(want.map((w) => [`Exit code ${w.code}`, `${formatInt(w.n)} · ${formatPercent(w.n / all)}`]));
  await expect(page.locator(".bars .why").first()).toHaveText(exitCodeInfo(want[0]!.code).message);
});

test("OS versions: runs per OS and version equal SQL", async ({ page }) => {
  const range = await open(page, "/embed/os?type=lxc");
  // Under the labels every breakdown shows: Ubuntu "2404" and "24.04" are one row.
  const want = sql<{ os: string; n: number }>(
    `SELECT ${OS_FULL_LABEL_SQL} AS os, COUNT(*) AS n FROM ${RUNS}
     WHERE type='lxc' AND ${DAYS} GROUP BY os ORDER BY n DESC, os`,
    range,
  );
  const total = want.reduce((a, w) => a + w.n, 0);
  const shown = await bars(page);
  expect(shown.slice(0, 7)).toEqual(want.slice(0, 7).map((w) => [w.os, `${formatInt(w.n)} · ${formatPercent(w.n / total)}`]));
  const rest = want.slice(7).reduce((a, w) => a + w.n, 0);
  if (want.length > 8) expect(shown[7]).toEqual([`${want.length - 7} others`, `${formatInt(rest)} · ${formatPercent(rest / total)}`]);
});

test("most failing apps: the ranking by the interval's lower bound and the rates equal SQL", async ({ page }) => {
  const range = await open(page, "/embed/failing-apps");
  const apps = sql<Counts & { nsapp: string }>(
    `SELECT nsapp, COUNT(*) AS runs, SUM(${SUCCESS}) AS success, SUM(status='failed') AS failed FROM ${RUNS} WHERE ${DAYS} GROUP BY nsapp, type`,
    range,
  );
  const want = apps
    .filter((a) => a.runs >= 20 && a.success + a.failed >= 20 && a.failed > 0)
    .map((a) => ({ ...a, w: wilson(a.failed, a.success + a.failed)! }))
    .sort((a, b) => b.w.low - a.w.low || a.nsapp.localeCompare(b.nsapp))
    .slice(0, 8);
  expect(want.length).toBe(8);
  expect(await bars(page)).toEqual(want.map((a) => [a.nsapp, formatPercent(a.w.rate)]));
});

test("outcome trend and failure-rate trend: per-day counts and the overall rate equal SQL", async ({ page }) => {
  const range = await open(page, "/embed/outcomes");
  const perDay = sql<{ day: string; success: number; failed: number; aborted: number; unknown: number; installing: number }>(
    `SELECT substr(created,1,10) AS day, SUM(${SUCCESS}) AS success, SUM(status='failed') AS failed, SUM(status='aborted') AS aborted,
       SUM(status NOT IN ('sucess','success','done','failed','aborted','installing')) AS unknown, SUM(status='installing') AS installing
     FROM ${RUNS} WHERE ${DAYS} GROUP BY day`,
    range,
  );
  const rows = await page.locator("details table tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent!)));
  expect(rows).toHaveLength(30);
  for (const row of rows) {
    const d = perDay.find((p) => p.day === row[0]) ?? { success: 0, failed: 0, aborted: 0, unknown: 0, installing: 0 };
    const [, success, failed, aborted, unknown, unfinished, running] = row.map((c) => Number(c.replace(/,/g, "")));
    expect([success, failed, aborted, unknown, unfinished! + running!], row[0]).toEqual([d.success, d.failed, d.aborted, d.unknown, d.installing]);
  }

  await open(page, "/embed/failure-rate?app=jellyfin");
  const c = counts(range, "jellyfin");
  await expect(figure(page, "failure-rate")).toHaveText(formatPercent(c.failed / (c.success + c.failed)));
});

test("badges: SVG that parses as XML and JSON in the shields schema, with figures equal to SQL", async ({ page, request }) => {
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
  const c = counts({ from, to }, "docker");
  const n = c.success + c.failed;
  const cases: [string, string, string][] = [
    ["/badge/docker", "docker", `${formatPercent(c.success / n)} · n ${formatCompact(n)} · 30d`],
    ["/badge/docker?metric=installs&theme=dark", "docker installs", `${formatCompact(c.runs)} · 30d`],
    ["/badge/docker?metric=failure-rate", "docker failure rate", `${formatPercent(c.failed / n)} · n ${formatCompact(n)} · 30d`],
  ];
  await page.goto(`${app()}/embed/summary`); // a page whose DOMParser parses the SVGs
  for (const [path, label, message] of cases) {
    const [base, query = ""] = path.split("?");
    const svg = await request.get(`${app()}${base}.svg${query ? `?${query}` : ""}`);
    expect(svg.status(), path).toBe(200);
    expect(svg.headers()["content-type"]).toBe("image/svg+xml; charset=utf-8");
    const parsed = await page.evaluate(
      (text) => {
        const d = new DOMParser().parseFromString(text, "image/svg+xml");
        return { error: d.getElementsByTagName("parsererror").length, root: d.documentElement.nodeName, title: d.querySelector("title")?.textContent };
      },
      await svg.text(),
    );
    expect(parsed).toEqual({ error: 0, root: "svg", title: `${label}: ${message}` });

    const json = await request.get(`${app()}${base}.json${query ? `?${query.replace(/&?theme=dark/, "")}` : ""}`);
    expect(json.headers()["content-type"]).toContain("application/json");
    const body = await json.json();
    expect(body).toEqual({ schemaVersion: 1, label, message, color: expect.stringMatching(/^(brightgreen|green|yellow|orange|red|blue)$/) });
  }

  const unknown = await request.get(`${app()}/badge/no-such-app.svg`);
  expect(unknown.status()).toBe(404);
  expect(await unknown.text()).toContain("no-such-app: unknown app");
  const unknownJson = await request.get(`${app()}/badge/no-such-app.json`);
  expect(unknownJson.status()).toBe(404);
  expect(await unknownJson.json()).toEqual({ schemaVersion: 1, label: "no-such-app", message: "unknown app", color: "lightgrey", isError: true });
  const bad = await request.get(`${app()}/badge/docker.svg?metric=instals`);
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toContain("docker: bad metric=&quot;instals&quot;");
});
