/**
 * The weekly digest and the Atom feeds on the production build over the e2e data (30 days at
 * 3,000 runs a day, ending two hours ago, with the generator's seeded events): every section
 * renders with figures equal to SQL over the raw records of the week, the API answers its
 * schema, the feeds are Atom that Chromium parses and list the seeded regressions and incident.
 */
import { runsOf } from "../support/runs-of";
import { expect, test, type Page } from "@playwright/test";
import { request as httpRequest } from "node:http";
import * as S from "../../lib/api-schemas";
import { lastCompleteWeek, weekContaining, type Week } from "../../lib/week";
import { sql, truth } from "./data";

/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();

const app = () => process.env.E2E_APP_URL!;
const ATOM = "http://www.w3.org/2005/Atom";
const DECIDED = "status IN ('sucess','success','done','failed')";

const before = (w: Week) => weekContaining(new Date(Date.parse(`${w.monday}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10));

/** Runs, failures and decided runs per app in a week, from the raw records. */
function perApp(w: Week): Map<string, { runs: number; failed: number; decided: number }> {
  const rows = sql<{ nsapp: string; runs: number; failed: number; decided: number }>(
    `SELECT nsapp, COUNT(*) AS runs, SUM(status='failed') AS failed, SUM(${DECIDED}) AS decided FROM ${RUNS}
     WHERE substr(created,1,10) BETWEEN ? AND ? GROUP BY nsapp`,
    w.monday,
    w.sunday,
  );
  return new Map(rows.map((r) => [r.nsapp, r]));
}

const num = (text: string | null) => Number((text ?? "").replace(/,/g, "").trim());

/** "40 of 200" → [40, 200]. */
function failedOf(text: string | null): [number, number] {
  const m = /([\d,]+)\s+of\s+([\d,]+)/.exec(text ?? "");
  return [num(m?.[1] ?? ""), num(m?.[2] ?? "")];
}

/** Every app row of a digest table: its failures and decided runs equal SQL for the week. */
async function rowsEqualSql(page: Page, testId: string, week: Week) {
  const counts = perApp(week);
  const rows = page.getByTestId(testId).locator("tbody tr[data-nsapp]");
  const n = await rows.count();
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i);
    const nsapp = (await row.getAttribute("data-nsapp"))!;
    const want = counts.get(nsapp) ?? { runs: 0, failed: 0, decided: 0 };
    expect(failedOf(await row.locator('td[data-testid="digest-failed"]').textContent()), `${testId} ${nsapp}`).toEqual([want.failed, want.decided]);
    const href = await row.locator("td a").first().getAttribute("href");
    expect(href).toBe(`/apps/${encodeURIComponent(nsapp)}?from=${week.monday}&to=${week.sunday}`);
  }
  return n;
}

test("/digest shows every section of the last complete week, with figures equal to SQL over the raw records", async ({ page }) => {
  const week = lastCompleteWeek(new Date());
  const res = await page.goto(`${app()}/digest`);
  expect(res?.status()).toBe(200);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Digest" })).toHaveAttribute("aria-current", "page");
  for (const id of ["newly-failing", "recovered", "still-failing", "movers", "incidents"]) await expect(page.locator(`[data-section="${id}"] h2`)).toBeVisible();
  await expect(page.locator(".error-box")).toHaveCount(0); // no section failed to load

  const [total] = sql<{ runs: number; failed: number; decided: number }>(
    `SELECT COUNT(*) AS runs, SUM(status='failed') AS failed, SUM(${DECIDED}) AS decided FROM ${RUNS} WHERE substr(created,1,10) BETWEEN ? AND ?`,
    week.monday,
    week.sunday,
  );
  await expect(page.getByTestId("digest-total-runs")).toHaveText(total!.runs.toLocaleString("en-US"));
  await expect(page.getByTestId("digest-total-rate")).toHaveText(`${((total!.failed / total!.decided) * 100).toFixed(1)} %`);

  // Movers by runs: this week's and the week before's runs per app.
  const now = perApp(week);
  const prev = perApp(before(week));
  const movers = page.getByTestId("digest-movers-runs").locator("tbody tr[data-nsapp]");
  await expect(movers).toHaveCount(10);
  const deltas: number[] = [];
  for (const row of await movers.all()) {
    const nsapp = (await row.getAttribute("data-nsapp"))!;
    const runs = num(await row.locator('td[data-testid="digest-runs"]').textContent());
    const previous = num(await row.locator('td[data-testid="digest-previous-runs"]').textContent());
    expect([runs, previous], nsapp).toEqual([now.get(nsapp)?.runs ?? 0, prev.get(nsapp)?.runs ?? 0]);
    deltas.push(Math.abs(runs - previous));
  }
  expect(deltas).toEqual([...deltas].sort((a, b) => b - a));

  let listed = 0;
  for (const id of ["digest-newly-failing", "digest-recovered", "digest-still-failing", "digest-movers-rate"]) listed += await rowsEqualSql(page, id, week);
  expect(listed).toBeGreaterThan(0); // the movers by failure rate always have rows at 3,000 runs a day

  // The feed is linked from the page and its metadata; the week before is one click away.
  await expect(page.getByTestId("feed-link")).toHaveAttribute("href", "/feed.xml");
  await expect(page.locator('head link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute("href", /\/feed\.xml$/);
  await page.getByTestId("week-previous").click();
  await expect(page).toHaveURL(new RegExp(`/digest\\?week=${before(week).monday}$`));
  await expect(page.getByTestId("week-next")).toHaveAttribute("href", `/digest?week=${week.monday}`);
});

test("the week a seeded regression starts, its app is newly failing with SQL's figures", async ({ page }) => {
  const jellyfin = truth().get("jellyfin-apt")!;
  const week = weekContaining(jellyfin.start);
  await page.goto(`${app()}/digest?week=${week.monday}`);
  const row = page.getByTestId("digest-newly-failing").locator('tr[data-nsapp="jellyfin"]');
  await expect(row).toBeVisible();
  await rowsEqualSql(page, "digest-newly-failing", week);

  // Any day names its week, with a note; a week not over yet is replaced by the default, with a note.
  await page.goto(`${app()}/digest?week=${week.sunday}`);
  await expect(page.getByTestId("param-notes")).toContainText(`showing the week containing it, from Monday ${week.monday}`);
  await expect(page.getByTestId("digest-newly-failing").locator('tr[data-nsapp="jellyfin"]')).toBeVisible();
  const future = await page.goto(`${app()}/digest?week=2999-01-04`);
  expect(future?.status()).toBe(200);
  await expect(page.getByTestId("param-notes")).toContainText("showing the last complete week");
});

test("GET /api/v1/digest answers its schema with SQL's figures, and CSV", async ({ request }) => {
  const jellyfin = truth().get("jellyfin-apt")!;
  const week = weekContaining(jellyfin.start);
  const res = await request.get(`${app()}/api/v1/digest?week=${week.monday}`);
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toContain("s-maxage=60");
  const body = await res.json();
  const parsed = S.DigestSchema.safeParse(body);
  expect(parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 3))).toBe("");
  expect(body.range).toMatchObject({ preset: "custom", from: week.monday, to: week.sunday });
  expect(body.data.week).toMatchObject({ monday: week.monday, sunday: week.sunday, previous: before(week).monday });
  const counts = perApp(week);
  const sum = (k: "runs" | "failed" | "decided") => [...counts.values()].reduce((s, r) => s + r[k], 0);
  expect(body.data.totals).toMatchObject({ runs: sum("runs"), failed: sum("failed"), decided: sum("decided") });
  const j = body.data.newly_failing.find((r: { nsapp: string }) => r.nsapp === "jellyfin");
  expect([j.runs, j.failed, j.decided]).toEqual([counts.get("jellyfin")!.runs, counts.get("jellyfin")!.failed, counts.get("jellyfin")!.decided]);

  const odd = await (await request.get(`${app()}/api/v1/digest?week=nope&range=7d`)).json();
  expect(odd.notes).toEqual(['Ignored week="nope": expected a date as YYYY-MM-DD (a Monday); showing the last complete week.', "Ignored range: this endpoint does not use it."]);
  expect(odd.data.week.monday).toBe(lastCompleteWeek(new Date()).monday);
  const csv = await request.get(`${app()}/api/v1/digest.csv?week=${week.monday}`);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).split("\r\n");
  expect(lines[0]!.startsWith("section,nsapp,runs,previous_runs,failed,decided")).toBe(true);
  expect(lines.some((l) => l.startsWith("newly_failing,jellyfin,"))).toBe(true);
});

interface FeedSummary {
  error: string | null;
  ns: string | null;
  root: string | null;
  feed: Record<string, string | null>;
  self: string | null;
  entries: { id: string; title: string; updated: string; link: string | null; summary: string }[];
}

/** Fetches a feed in Chromium and reads it with the browser's own XML parser. */
async function readFeed(page: Page, path: string): Promise<{ status: number; type: string; summary: FeedSummary }> {
  const res = await page.request.get(`${app()}${path}`);
  const text = await res.text();
  await page.goto(`${app()}/methodology`);
  const summary = await page.evaluate(
    ({ text, ns }) => {
      const doc = new DOMParser().parseFromString(text, "application/xml");
      const root = doc.documentElement;
      const own = (el: Element, name: string) => [...el.children].find((c) => c.localName === name && c.namespaceURI === ns) ?? null;
      return {
        error: doc.getElementsByTagName("parsererror")[0]?.textContent ?? null,
        ns: root.namespaceURI,
        root: root.localName,
        feed: Object.fromEntries(["id", "title", "updated", "author"].map((n) => [n, own(root, n)?.textContent ?? null])),
        self: [...root.children].find((c) => c.localName === "link" && c.getAttribute("rel") === "self")?.getAttribute("href") ?? null,
        entries: [...root.children]
          .filter((c) => c.localName === "entry")
          .map((e) => ({
            id: own(e, "id")?.textContent ?? "",
            title: own(e, "title")?.textContent ?? "",
            updated: own(e, "updated")?.textContent ?? "",
            link: own(e, "link")?.getAttribute("href") ?? null,
            summary: own(e, "summary")?.textContent ?? "",
          })),
      };
    },
    { text, ns: ATOM },
  );
  return { status: res.status(), type: res.headers()["content-type"] ?? "", summary };
}

function expectAtom(s: FeedSummary, self: string) {
  expect(s.error).toBeNull();
  expect([s.ns, s.root]).toEqual([ATOM, "feed"]);
  for (const k of ["id", "title", "updated", "author"]) expect(s.feed[k], k).toBeTruthy();
  expect(s.self).toBe(`${app()}${self}`);
  expect(s.entries.length).toBeGreaterThan(0);
  for (const e of s.entries) {
    expect(e.id).toMatch(/^tag:127\.0\.0\.1,2026:/);
    expect(e.title && e.summary && e.link).toBeTruthy();
    expect(e.updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
  }
  expect(s.entries.map((e) => e.updated)).toEqual(
    s.entries
      .map((e) => e.updated)
      .sort()
      .reverse(),
  ); // newest first
}

test("/feed.xml is Atom that Chromium parses, with the seeded regressions, the incident and the weekly digests", async ({ page }) => {
  const res = await page.request.get(`${app()}/feed.xml`);
  expect(res.headers()["content-type"]).toBe("application/atom+xml; charset=utf-8");
  expect(res.headers()["cache-control"]).toContain("s-maxage=60");
  expect(res.headers()["content-security-policy"]).toContain("default-src 'none'");
  const { summary } = await readFeed(page, "/feed.xml");
  expectAtom(summary, "/feed.xml");
  const ids = summary.entries.map((e) => e.id);
  const day = (d: string, n: number) => new Date(Date.parse(`${d.slice(0, 10)}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
  for (const t of truth().values()) {
    if (t.kind === "incident") {
      expect(ids, t.id).toContain(`tag:127.0.0.1,2026:incident/${t.exitCode}/${t.start.slice(0, 10)}`);
      continue;
    }
    // Start within one bucket of the truth, as the insights promise.
    const near = [-1, 0, 1].map((n) => `tag:127.0.0.1,2026:regression/${t.apps[0]}/${day(t.start, n)}`);
    expect(
      ids.some((id) => near.includes(id)),
      t.id,
    ).toBe(true);
  }
  const week = lastCompleteWeek(new Date());
  const digest = summary.entries.find((e) => e.id === `tag:127.0.0.1,2026:digest/${week.monday}`);
  expect(digest?.link).toBe(`${app()}/digest?week=${week.monday}`);
});

test("an app's feed lists its seeded regression and the week it was newly failing; unknown apps are a 404", async ({ page }) => {
  await page.goto(`${app()}/apps/jellyfin`);
  await expect(page.getByTestId("app-feed-link")).toHaveAttribute("href", "/apps/jellyfin/feed.xml");
  await expect(page.locator('head link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute("href", /\/apps\/jellyfin\/feed\.xml$/);

  const { status, type, summary } = await readFeed(page, "/apps/jellyfin/feed.xml");
  expect([status, type]).toEqual([200, "application/atom+xml; charset=utf-8"]);
  expectAtom(summary, "/apps/jellyfin/feed.xml");
  const jellyfin = truth().get("jellyfin-apt")!;
  const regression = summary.entries.find((e) => e.id.startsWith("tag:127.0.0.1,2026:regression/jellyfin/"));
  expect(regression?.link).toMatch(new RegExp(`^${app()}/apps/jellyfin\\?from=`));
  expect(summary.entries.map((e) => e.id)).toContain(`tag:127.0.0.1,2026:digest/${weekContaining(jellyfin.start).monday}/jellyfin`);
  expect(summary.entries.every((e) => e.id.includes("/jellyfin"))).toBe(true);

  const missing = await page.request.get(`${app()}/apps/${encodeURIComponent('no-such-app"<>')}/feed.xml`);
  expect(missing.status()).toBe(404);
});

/** A GET with a Host header of our choosing (fetch and Playwright set their own). */
function getWithHost(path: string, host: string): Promise<string> {
  const { hostname, port } = new URL(app());
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, headers: { host } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    req.end();
  });
}

test("a forged Host header only ever reaches the client that sent it: feeds are cached per host", async ({ request }) => {
  const forged = await getWithHost("/feed.xml", "evil.example");
  expect(forged).toContain('<link rel="self" type="application/atom+xml" href="http://evil.example/feed.xml"/>');
  const body = await (await request.get(`${app()}/feed.xml`)).text();
  expect(body).toContain(`<link rel="self" type="application/atom+xml" href="${app()}/feed.xml"/>`);
  expect(body).not.toContain("evil.example");
  // A Host that is no host name is not used at all.
  expect(await getWithHost("/feed.xml", "evil.example/<x>")).not.toContain("evil.example");
});
