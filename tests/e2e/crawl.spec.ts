/**
 * robots.txt and sitemap.xml as a crawler reads them: robots rules by RFC 9309 (longest match),
 * the sitemap parsed as XML; it lists the overview, the lists and every app and exit code
 * active in the last 90 days exactly once with their last day (SQL over the seeded records),
 * and every URL in it answers 200, is canonical (its own canonical link, no redirect), indexed
 * and open to crawlers.
 */
import { runsOf } from "../support/runs-of";
import { expect, test } from "@playwright/test";
import { presetRange } from "../../lib/range";
import { allowed, parseRobots } from "../support/robots";
import { children, parseXml } from "../support/xml";
import { sql } from "./data";

/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();

const app = () => process.env.E2E_APP_URL!;
const CRAWLER_CACHE = "public, max-age=3600, s-maxage=3600, stale-while-revalidate=86400, stale-if-error=86400";
const DAY = "substr(created, 1, 10)";

test("robots.txt opens the canonical pages and preview images and closes permutations, data and images for other sites", async ({ request }) => {
  const res = await request.get(`${app()}/robots.txt`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("text/plain; charset=utf-8");
  expect(res.headers()["cache-control"]).toBe(CRAWLER_CACHE);
  const robots = parseRobots(await res.text());
  expect(robots.sitemaps).toEqual([`${app()}/sitemap.xml`]);
  for (const path of ["/", "/apps", "/apps/docker", "/errors/100", "/feed.xml", "/og/apps/docker.png?range=7d", "/sitemap.xml"]) expect(allowed(robots, path), path).toBe(true);
  for (const path of [
    "/apps?sort=runs",
    "/apps?page=2",
    "/apps/docker?range=7d",
    "/apps/docker?outcome=failed&page=3",
    "/api/v1/summary",
    "/embed/summary",
    "/badge/docker.svg",
    "/chart/docker.svg",
  ])
    expect(allowed(robots, path), path).toBe(false);
});

test("the sitemap lists every active app and exit code once with its last day, and each URL is a 200, canonical, indexed page", async ({ request }) => {
  test.setTimeout(300_000);
  const res = await request.get(`${app()}/sitemap.xml`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("application/xml; charset=utf-8");
  expect(res.headers()["cache-control"]).toBe(CRAWLER_CACHE);
  const root = parseXml(await res.text());
  expect([root.name, root.ns]).toEqual(["urlset", "http://www.sitemaps.org/schemas/sitemap/0.9"]);
  const urls = children(root, "url").map((u) => ({ loc: children(u, "loc")[0]!.text, lastmod: children(u, "lastmod")[0]?.text }));
  expect(new Set(urls.map((u) => u.loc)).size).toBe(urls.length);
  const byPath = new Map(urls.map((u) => [u.loc.slice(app().length), u.lastmod]));
  for (const u of urls) {
    expect(u.loc.startsWith(`${app()}/`), u.loc).toBe(true);
    if (u.lastmod !== undefined) expect(u.lastmod, u.loc).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  }

  const window = presetRange("90d", new Date());
  const apps = sql<{ nsapp: string; day: string }>(
    `SELECT nsapp, MAX(${DAY}) AS day FROM ${RUNS} WHERE ${DAY} BETWEEN ? AND ? AND nsapp != '' GROUP BY nsapp`,
    window.from,
    window.to,
  );
  const codes = sql<{ code: number; day: string }>(
    `SELECT COALESCE(exit_code, 0) AS code, MAX(${DAY}) AS day FROM ${RUNS} WHERE ${DAY} BETWEEN ? AND ? AND status IN ('failed', 'aborted') GROUP BY 1`,
    window.from,
    window.to,
  ).filter((c) => c.code >= 0 && c.code <= 255);
  const lastDay = sql<{ day: string }>(`SELECT MAX(${DAY}) AS day FROM ${RUNS}`)[0]!.day;
  expect(apps.length).toBeGreaterThan(500);
  const listed = (prefix: string) => [...byPath.keys()].filter((p) => p.startsWith(prefix));
  expect(listed("/apps/").sort()).toEqual(apps.map((a) => `/apps/${encodeURIComponent(a.nsapp)}`).sort());
  for (const a of apps) expect(byPath.get(`/apps/${encodeURIComponent(a.nsapp)}`), a.nsapp).toBe(a.day);
  expect(listed("/errors/").sort()).toEqual(codes.map((c) => `/errors/${c.code}`).sort());
  for (const c of codes) expect(byPath.get(`/errors/${c.code}`), String(c.code)).toBe(c.day);
  for (const path of ["/", "/apps", "/os", "/regressions"]) expect(byPath.get(path), path).toBe(lastDay);
  for (const path of ["/errors", "/digest", "/methodology", "/api", "/embed"]) expect(byPath.has(path), path).toBe(true);

  // Every URL, as a crawler would fetch it (three at a time: the server's per-client render bound is four).
  const robots = parseRobots(await (await request.get(`${app()}/robots.txt`)).text());
  const problems: string[] = [];
  const queue = [...urls];
  const started = Date.now();
  await Promise.all(
    [0, 1, 2].map(async () => {
      for (let u = queue.shift(); u; u = queue.shift()) {
        const path = u.loc.slice(app().length);
        if (!allowed(robots, path)) problems.push(`${path}: closed by robots.txt`);
        const r = await fetch(u.loc, { redirect: "manual" });
        const html = await r.text();
        if (r.status !== 200) problems.push(`${path}: ${r.status}`);
        const canonical = /<link rel="canonical" href="([^"]*)"/.exec(html)?.[1]?.replace(/&amp;/g, "&");
        if (canonical !== u.loc) problems.push(`${path}: canonical ${canonical}`);
        if (!html.includes('<meta name="robots" content="index, follow"/>')) problems.push(`${path}: not indexed`);
      }
    }),
  );
  expect(problems).toEqual([]);
  console.log(`sitemap: ${urls.length} URLs (${apps.length} apps, ${codes.length} exit codes) fetched in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});
