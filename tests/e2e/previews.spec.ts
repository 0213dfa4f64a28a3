/**
 * Link previews, as a link-preview consumer (Discord, Slack, GitHub) takes a page: the raw HTML
 * parsed without running scripts, the <head>'s Open Graph and Twitter tags read, og:image
 * followed and decoded. Tags equal the figures (SQL over the seeded records); canonical links
 * are the URLs the server redirects to, absolute on the Host asked (or PUBLIC_URL); permutations
 * and empty results are noindex.
 */
import { runsOf } from "../support/runs-of";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { request as httpRequest } from "node:http";
import { formatDaySpan, formatInt, formatPercent } from "../../lib/format";
import { customRange, presetRange } from "../../lib/range";
import { addDays, utcDay } from "../../lib/time";
import { APPS } from "../../lib/reference/apps";
import { decodePng } from "../support/png";
import { startDashboard } from "./dashboard";
import { sql } from "./data";

/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();

const app = () => process.env.E2E_APP_URL!;
const SUCCESS = "status IN ('sucess','success','done')";
const BOT = "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)";
const IMAGE_CACHE = "public, max-age=0, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400";

/** What a link previewer reads from a document's <head> (no script runs: DOMParser). */
interface Preview {
  title: string;
  description: string | null;
  robots: string | null;
  canonical: string | null;
  og: Record<string, string>;
  twitter: Record<string, string>;
  feeds: { href: string; title: string }[];
  /** Preview tags found outside <head> (should be none). */
  outside: number;
}

async function preview(page: Page, html: string): Promise<Preview> {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, "text/html");
    const head = doc.head;
    const metas = (attr: string, prefix: string) =>
      Object.fromEntries([...head.querySelectorAll(`meta[${attr}^="${prefix}"]`)].map((m) => [m.getAttribute(attr)!.slice(prefix.length), m.getAttribute("content") ?? ""]));
    return {
      title: head.querySelector("title")?.textContent ?? "",
      description: head.querySelector('meta[name="description"]')?.getAttribute("content") ?? null,
      robots: head.querySelector('meta[name="robots"]')?.getAttribute("content") ?? null,
      canonical: head.querySelector('link[rel="canonical"]')?.getAttribute("href") ?? null,
      og: metas("property", "og:"),
      twitter: metas("name", "twitter:"),
      feeds: [...head.querySelectorAll('link[rel="alternate"][type="application/atom+xml"]')].map((l) => ({ href: l.getAttribute("href")!, title: l.getAttribute("title")! })),
      outside: doc.body.querySelectorAll('meta[property^="og:"], meta[name^="twitter:"], link[rel="canonical"]').length,
    };
  }, html);
}

async function fetchPreview(page: Page, request: APIRequestContext, path: string) {
  const res = await request.get(`${app()}${path}`, { headers: { "user-agent": BOT }, maxRedirects: 0 });
  return { status: res.status(), preview: await preview(page, await res.text()) };
}

function appCounts(nsapp: string, range: { from: string; to: string }) {
  return sql<{ runs: number; success: number; failed: number }>(
    `SELECT COUNT(*) AS runs, SUM(${SUCCESS}) AS success, SUM(status = 'failed') AS failed FROM ${RUNS} WHERE nsapp = ? AND substr(created, 1, 10) BETWEEN ? AND ?`,
    nsapp,
    range.from,
    range.to,
  )[0]!;
}

/** GET with a Host header of our choosing (fetch does not let one set it) and, like some previewers, no User-Agent. */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string; cache: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path: `${u.pathname}${u.search}`, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), cache: String(res.headers["x-cache"]) }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("an app page previews its name, its figures (equal to SQL) and an image of 1200 × 630", async ({ page, request }) => {
  const range = presetRange("30d", new Date());
  const c = appCounts("jellyfin", range);
  const { status, preview: p } = await fetchPreview(page, request, "/apps/jellyfin");
  expect(status).toBe(200);
  expect(p.outside).toBe(0);
  const name = APPS.find((a) => a.nsapp === "jellyfin")!.name!;
  const figures = `jellyfin: ${formatInt(c.runs)} installs in 30 days, ${formatPercent(c.success / (c.success + c.failed))} succeeded (n ${formatInt(c.success + c.failed)})`;
  expect(p.description).toContain(figures);
  expect(p.og.description).toBe(p.description);
  expect(p.twitter.description).toBe(p.description);
  expect(p.og.title).toContain(name);
  expect(p.title).toBe(p.og.title);
  expect(p.og.site_name).toBe("Proxmox VE script installs");
  expect(p.og.type).toBe("website");
  expect(p.canonical).toBe(`${app()}/apps/jellyfin`);
  expect(p.og.url).toBe(p.canonical);
  expect(p.robots).toBe("index, follow");
  expect(p.twitter.card).toBe("summary_large_image");
  expect(p.feeds).toEqual([{ href: `${app()}/apps/jellyfin/feed.xml`, title: expect.stringContaining("jellyfin") }]);
  expect((await request.get(p.feeds[0]!.href)).headers()["content-type"]).toContain("application/atom+xml");

  // The image: followed as a previewer does, decoded as a PNG of the size the tags say.
  expect(p.og.image).toBe(`${app()}/og/apps/jellyfin.png`);
  expect(p.twitter.image).toBe(p.og.image);
  expect([p.og["image:width"], p.og["image:height"], p.og["image:type"]]).toEqual(["1200", "630", "image/png"]);
  expect(p.og["image:alt"]).toContain("jellyfin");
  const img = await request.get(p.og.image!, { headers: { "user-agent": BOT } });
  expect(img.status()).toBe(200);
  expect(img.headers()["content-type"]).toBe("image/png");
  expect(img.headers()["cache-control"]).toBe(IMAGE_CACHE);
  const png = await img.body();
  expect(decodePng(png)).toMatchObject({ width: 1200, height: 630 });
  expect(png.length).toBeLessThanOrEqual(100_000);
  console.log(`og image /og/apps/jellyfin.png: ${png.length} bytes`);
  // ... and as a browser decodes it.
  await page.goto(`${app()}/methodology`);
  const size = await page.evaluate(async (src) => {
    const im = new Image();
    im.src = src;
    await im.decode();
    return [im.naturalWidth, im.naturalHeight];
  }, p.og.image!);
  expect(size).toEqual([1200, 630]);
});

test("the overview, an exit code and a range preview their own figures and image", async ({ page, request }) => {
  // Days that are over: no run added by another test (overview.spec.ts) changes them, whatever is cached.
  const today = utcDay(new Date());
  const range = customRange(addDays(today, -20), addDays(today, -2));
  const total = sql<{ runs: number; success: number; failed: number; apps: number }>(
    `SELECT COUNT(*) AS runs, SUM(${SUCCESS}) AS success, SUM(status = 'failed') AS failed, COUNT(DISTINCT nsapp) AS apps FROM ${RUNS} WHERE substr(created, 1, 10) BETWEEN ? AND ?`,
    range.from,
    range.to,
  )[0]!;
  const query = `from=${range.from}&to=${range.to}`;
  const home = (await fetchPreview(page, request, `/?${query}`)).preview;
  expect(home.description).toContain(
    `${formatInt(total.runs)} installs of ${formatInt(total.apps)} apps in ${formatDaySpan(range.from, range.to)}, ${formatPercent(total.success / (total.success + total.failed))} succeeded (n ${formatInt(total.success + total.failed)})`,
  );
  expect(home.og.image).toBe(`${app()}/og/site.png?${query}`);
  expect(home.robots).toBe("noindex, follow");
  expect(home.feeds.map((f) => f.href)).toEqual([`${app()}/feed.xml`]);

  const code = sql<{ failed: number; aborted: number; apps: number }>(
    `SELECT SUM(status = 'failed') AS failed, SUM(status = 'aborted') AS aborted, COUNT(DISTINCT nsapp) AS apps FROM ${RUNS}
     WHERE exit_code = 100 AND status IN ('failed', 'aborted') AND substr(created, 1, 10) BETWEEN ? AND ?`,
    range.from,
    range.to,
  )[0]!;
  const e = (await fetchPreview(page, request, `/errors/100?${query}`)).preview;
  expect(e.description).toContain(
    `${formatInt(code.failed)} failed runs${code.aborted ? ` and ${formatInt(code.aborted)} aborted runs` : ""} in ${formatDaySpan(range.from, range.to)}, in ${formatInt(code.apps)} apps`,
  );
  expect(e.og.image).toBe(`${app()}/og/errors/100.png?${query}`);
  expect(decodePng(await (await request.get(e.og.image!)).body())).toMatchObject({ width: 1200, height: 630 });

  // Another range: its own figures, canonical URL and image, not indexed.
  const week = presetRange("7d", new Date());
  const w = appCounts("jellyfin", week);
  const p = (await fetchPreview(page, request, "/apps/jellyfin?range=7d")).preview;
  expect(p.description).toContain(`jellyfin: ${formatInt(w.runs)} installs in 7 days`);
  expect(p.canonical).toBe(`${app()}/apps/jellyfin?range=7d`);
  expect(p.og.image).toBe(`${app()}/og/apps/jellyfin.png?range=7d`);
  expect(p.robots).toBe("noindex, follow");
  const site = await request.get(`${app()}/og/site.png?range=7d`);
  expect(decodePng(await site.body())).toMatchObject({ width: 1200, height: 630 });
});

test("noindex only for permutations, deep pages and empty results; unknown subjects are 404", async ({ page, request }) => {
  for (const path of ["/", "/apps", "/apps/docker", "/errors", "/errors/100", "/os", "/regressions", "/digest", "/methodology", "/api", "/embed"]) {
    const { status, preview: p } = await fetchPreview(page, request, path);
    expect(status, path).toBe(200);
    expect(p.robots, path).toBe("index, follow");
    expect(p.canonical, path).toBe(`${app()}${path}`);
  }
  for (const [path, canonical] of [
    ["/apps?sort=runs", "/apps?sort=runs"],
    ["/apps?type=lxc&q=doc", "/apps?type=lxc&q=doc"],
    ["/apps/docker?outcome=aborted&page=2", "/apps/docker?outcome=aborted&page=2"],
    ["/errors?aborts=include", "/errors?aborts=include"],
    ["/apps?range=forever", "/apps"],
  ] as const) {
    const { status, preview: p } = await fetchPreview(page, request, path);
    expect(status, path).toBe(200);
    expect(p.robots, path).toBe("noindex, follow");
    expect(p.canonical, path).toBe(`${app()}${canonical}`);
  }
  // An empty result: an exit code nothing failed with (every catalogue app has runs in the seeded
  // data; apps without runs in 90 days are left out of the active set: tests/integration/sitemap.test.ts).
  const codes = new Set(sql<{ code: number }>("SELECT DISTINCT exit_code AS code FROM _dev_telemetry_data WHERE status IN ('failed', 'aborted')").map((r) => r.code));
  const unused = [...Array(256).keys()].reverse().find((c) => !codes.has(c))!;
  expect((await fetchPreview(page, request, `/errors/${unused}`)).preview.robots).toBe("noindex, follow");
  for (const path of ["/apps/no-such-app", "/errors/999"]) {
    const { status, preview: p } = await fetchPreview(page, request, path);
    expect(status, path).toBe(404);
    expect(p.robots, path).toBe("noindex");
  }
  for (const path of ["/og/apps/no-such-app.png", "/og/nothing.png", "/og/errors/999.png"]) expect((await request.get(`${app()}${path}`)).status(), path).toBe(404);
  expect((await request.get(`${app()}/og/site.png?range=2y`)).status()).toBe(400);
});

test("absolute URLs follow the Host asked, each host cached apart, or PUBLIC_URL when set", async ({ page }) => {
  const a = await getWithHost(`${app()}/apps/docker`, "stats.example.org");
  const b = await getWithHost(`${app()}/apps/docker`, "other.example.net:8443");
  expect([a.status, b.status]).toEqual([200, 200]);
  expect((await preview(page, a.body)).canonical).toBe("http://stats.example.org/apps/docker");
  expect((await preview(page, b.body)).og.image).toBe("http://other.example.net:8443/og/apps/docker.png");
  expect((await getWithHost(`${app()}/robots.txt`, "stats.example.org")).body).toContain("Sitemap: http://stats.example.org/sitemap.xml");
  // A Host that is no host name never reaches a URL.
  const forged = await getWithHost(`${app()}/apps/docker`, "evil.example/<x>");
  expect((await preview(page, forged.body)).canonical).toBe("http://localhost/apps/docker");

  const pinned = await startDashboard({ PUBLIC_URL: "https://stats.example.org" });
  try {
    const res = await getWithHost(`${pinned.url}/apps/docker?range=7d`, "127.0.0.1");
    expect(res.status, res.body.slice(0, 300)).toBe(200);
    const p = await preview(page, res.body);
    expect(p.canonical).toBe("https://stats.example.org/apps/docker?range=7d");
    expect(p.og.image).toBe("https://stats.example.org/og/apps/docker.png?range=7d");
    const sitemap = (await getWithHost(`${pinned.url}/sitemap.xml`, "evil.example")).body;
    expect(sitemap).toContain("<loc>https://stats.example.org/apps/docker</loc>");
    expect(sitemap).not.toContain("evil.example");
  } finally {
    pinned.stop();
  }
});

test("the builder offers the README chart: a live image and copyable Markdown", async ({ page }) => {
  await page.goto(`${app()}/embed`);
  const img = page.getByTestId("chart-preview");
  await expect(img).toHaveAttribute("src", `${app()}/chart/jellyfin.svg`);
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(800);
  await expect(page.getByTestId("snippet-chart-markdown")).toHaveValue(`[![jellyfin: installs per day by outcome](${app()}/chart/jellyfin.svg)](${app()}/apps/jellyfin)`);
  await page.getByLabel("Chart", { exact: true }).selectOption("failure-rate");
  await page.getByLabel("Range").first().selectOption("7d");
  await expect(page.getByTestId("snippet-chart-markdown")).toHaveValue(
    `[![jellyfin: install failure rate per day](${app()}/chart/jellyfin.svg?range=7d&metric=failure-rate)](${app()}/apps/jellyfin?range=7d)`,
  );
  await expect(page.getByTestId("snippet-chart-picture")).toHaveValue(/<source media="\(prefers-color-scheme: dark\)" srcset="[^"]*theme=dark">/);
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalHeight)).toBe(310);
});
