/**
 * What a visitor meets: on a 390 px phone every table's key columns are on screen; the
 * navigation keeps the range and marks the page; while PocketBase is slow, a section shows its
 * skeleton instead of holding the page; widgets refuse to be framed by origins
 * EMBED_ALLOWED_ORIGINS does not list.
 */
import { expect, test } from "@playwright/test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startFaultProxy, type FaultProxy } from "../../scripts/lib/fault-proxy";
import { type Dashboard, startDashboard } from "./dashboard";

const app = () => process.env.E2E_APP_URL!;
const PAGES = ["/", "/apps", "/apps/docker", "/apps/docker?outcome=aborted", "/errors", "/errors/100", "/os", "/api", "/digest"];

test("on a 390 px phone every table's key columns are on screen without sideways scrolling", async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  // Every visible header cell of every table ends inside the screen.
  const overflowing = () =>
    page.evaluate(() =>
      [...document.querySelectorAll("table.dt th")]
        .filter((th) => th.getBoundingClientRect().width > 0 && !th.closest("details:not([open])"))
        .filter((th) => th.getBoundingClientRect().right > window.innerWidth + 1)
        .map((th) => th.textContent),
    );
  for (const path of PAGES) {
    await page.goto(`${app()}${path}`);
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    expect(scroll, path).toBeLessThanOrEqual(client);
    expect(await overflowing(), path).toEqual([]);
    // Whatever the data: a long unbroken value in a row's text cells or folded details (a failing
    // command, a URL; the seeded data has one only some hours) breaks instead of widening its column.
    // Values kept on one line (.nw: times, dates) are short by design and left as they are.
    await page.evaluate(() => {
      const long = `curl${"-fsSL/https://dl.example.org/app".repeat(3)}`;
      for (const row of document.querySelectorAll("table.dt tbody tr:first-child")) {
        for (const el of row.querySelectorAll("td.text a, td.text > span:not(.nw), .row-details dd")) el.textContent = long;
      }
    });
    expect(await overflowing(), `${path} with a long value`).toEqual([]);
  }
  // The figures that moved off the row are still there, under the row's first cell.
  await page.goto(`${app()}/apps`);
  const first = page.getByTestId("apps-table").locator("tbody tr").first();
  await expect(first.locator(".row-details")).toBeVisible();
  await expect(first.locator(".row-details")).toContainText("Failures");
  await page.close();
});

test("the navigation keeps the range, marks the current page, and ← All apps returns to the list as it was", async ({ page }) => {
  await page.goto(`${app()}/apps?range=7d&type=vm&min=0`);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Apps" })).toHaveAttribute("aria-current", "page");
  const list = page.url();
  // The list remembers itself once hydrated (this tab's sessionStorage); a click before that is a plain link.
  await expect.poll(() => page.evaluate(() => sessionStorage.getItem("pve-telemetry:list:/apps"))).toBe("/apps?range=7d&type=vm&min=0");
  await page.getByTestId("apps-table").locator("tbody tr a").first().click();
  await expect(page).toHaveURL(/range=7d/);
  const back = page.getByRole("link", { name: "← All apps" });
  await expect(back).toHaveAttribute("href", "/apps?range=7d&type=vm&min=0");
  await back.click();
  await expect(page).toHaveURL(list);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Exit codes" }).click();
  await expect(page).toHaveURL(/\/errors\?range=7d$/);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "OS" }).click();
  await expect(page).toHaveURL(/\/os\?range=7d$/);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "OS" })).toHaveAttribute("aria-current", "page");
});

test.describe("a slow PocketBase", () => {
  let proxy: FaultProxy;
  let server: Dashboard | undefined;
  let url = "";
  test.beforeAll(async () => {
    proxy = await startFaultProxy(process.env.E2E_PB_URL!);
    server = await startDashboard({ POCKETBASE_URL: proxy.url, RATE_LIMIT_PER_MINUTE: "0" });
    url = server.url;
  });
  test.afterAll(async () => {
    server?.stop();
    await proxy?.stop();
  });

  test("a section waiting for its data shows a skeleton of its size, then the data", async ({ page }) => {
    await page.goto(`${url}/methodology`);
    proxy.setMode({ kind: "delay", ms: 2500 });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Exit codes" }).click();
    // The shell waits for the page's metadata (one PocketBase read, 2.5 s here: link previewers
    // need the figures in <head>); the sections still loading after it show their skeletons.
    await expect(page.getByTestId("skeleton").first()).toBeVisible({ timeout: 10_000 });
    await expect(page.getByRole("heading", { name: "Exit codes", level: 1 })).toBeVisible();
    await expect(page.getByTestId("exit-code-table")).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId("skeleton")).toHaveCount(0);
    proxy.setMode({ kind: "pass" });
  });
});

test.describe("framing policy", () => {
  let narrow: Dashboard | undefined;
  let narrowUrl = "";
  let host: Server;
  let hostUrl = "";
  test.beforeAll(async () => {
    narrow = await startDashboard({ EMBED_ALLOWED_ORIGINS: "https://community-scripts.github.io" });
    narrowUrl = narrow.url;
    host = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<!doctype html><title>Host</title><iframe id="allowed" src="${app()}/embed/summary"></iframe><iframe id="refused" src="${narrowUrl}/embed/summary"></iframe>`);
    });
    await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
  });
  test.afterAll(async () => {
    narrow?.stop();
    await new Promise<void>((resolve) => host.close(() => resolve()));
  });

  test("with EMBED_ALLOWED_ORIGINS set to another origin the browser refuses to frame a widget; by default any origin may", async ({ page, request }) => {
    const csp = (await request.get(`${narrowUrl}/embed/summary`)).headers()["content-security-policy"];
    expect(csp).toContain("frame-ancestors 'self' https://community-scripts.github.io");
    expect((await request.get(`${narrowUrl}/badge/docker.svg`)).headers()["content-security-policy"]).toContain("frame-ancestors 'self' https://community-scripts.github.io");
    expect((await request.get(`${narrowUrl}/embed/summary`)).headers()["x-frame-options"]).toBeUndefined();
    await page.goto(hostUrl);
    await expect(page.frameLocator("#allowed").locator("main.card h1")).toBeVisible();
    const refused = page.frames().find((f) => f.url().startsWith(narrowUrl) || f.url().startsWith("chrome-error"));
    await expect
      .poll(async () =>
        refused
          ? await refused
              .locator("main.card")
              .count()
              .catch(() => 0)
          : 0,
      )
      .toBe(0);
    expect(await page.frameLocator("#refused").locator("main.card").count()).toBe(0);
  });
});

test.describe("PocketBase failing after pages were served", () => {
  let proxy: FaultProxy;
  let server: Dashboard | undefined;
  let url = "";
  test.beforeAll(async () => {
    proxy = await startFaultProxy(process.env.E2E_PB_URL!);
    // Answers count as fresh for a second and the response cache is off, so the test need
    // not wait out the production windows (30 s) to see what happens after them.
    server = await startDashboard({ POCKETBASE_URL: proxy.url, DATA_CACHE_FRESH_SECONDS: "1", RESPONSE_CACHE: "0", RATE_LIMIT_PER_MINUTE: "0" });
    url = server.url;
  });
  test.afterAll(async () => {
    server?.stop();
    await proxy?.stop();
  });

  test("pages keep the last good figures with a visible 'data as of' notice, briefly cacheable, and recover by themselves", async ({ page }) => {
    expect((await page.goto(`${url}/apps?range=7d`))?.status()).toBe(200);
    const rows = await page.getByTestId("apps-table").locator("tbody tr").allTextContents();
    await expect(page.getByTestId("stale-notice")).toHaveCount(0);

    proxy.setMode({ kind: "drop" });
    await new Promise((r) => setTimeout(r, 1500));
    // Past its fresh second the answer is served while a background refresh runs; that refresh
    // fails, and from then on the figures say how old they are.
    await page.goto(`${url}/apps?range=7d`);
    await new Promise((r) => setTimeout(r, 1000));
    const stale = await page.goto(`${url}/apps?range=7d`);
    expect(stale?.status()).toBe(200);
    expect(stale?.headers()["cache-control"]).toContain("s-maxage=10");
    await expect(page.getByTestId("stale-notice").first()).toContainText(/Data as of .* UTC — .*retrying/);
    expect(await page.getByTestId("apps-table").locator("tbody tr").allTextContents()).toEqual(rows);
    // A view never loaded before has nothing to fall back on: 503 with a retry link.
    const none = await page.goto(`${url}/apps?range=90d`);
    expect(none?.status()).toBe(503);
    await expect(page.getByRole("alert").first().getByRole("link", { name: "Retry" })).toBeVisible();

    proxy.setMode({ kind: "pass" });
    await expect
      .poll(
        async () => {
          await page.goto(`${url}/apps?range=7d`);
          return page.getByTestId("stale-notice").count();
        },
        { timeout: 30_000 },
      )
      .toBe(0);
  });
});
