/**
 * Widgets embedded in a page of another origin with /embed.js: they render, each iframe is as
 * tall as its content and follows changes; widgets carry no script file and almost no script;
 * bad options are named in a note, never a 5xx; axe finds nothing serious in either theme.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Frame, type Page } from "@playwright/test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

const app = () => process.env.E2E_APP_URL!;
const WIDGETS = ["/embed/summary", "/embed/app/docker", "/embed/outcomes", "/embed/failure-rate?app=docker", "/embed/exit-codes", "/embed/os", "/embed/failing-apps"];
const HOSTED = ["/embed/summary", "/embed/app/docker?range=7d", "/embed/exit-codes?compact"];

let host: Server;
let hostUrl = "";

test.beforeAll(async () => {
  // A plain HTML page on another origin (another port), as an embedding website would have.
  host = createServer((_req, res) => {
    const frames = HOSTED.map(
      (p, i) => `<iframe data-pve-telemetry id="w${i}" src="${app()}${p}" title="widget ${i}" width="100%" height="150" style="border:0;display:block"></iframe>`,
    );
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><html lang="en"><head><title>Host</title></head><body><main style="max-width:420px">${frames.join("\n")}</main><script src="${app()}/embed.js" async></script></body></html>`,
    );
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}/`;
});

test.afterAll(() => new Promise<void>((resolve) => host.close(() => resolve())));

/** The iframe element's height and its document's content height. */
async function heights(page: Page, index: number): Promise<{ frame: number; content: number }> {
  const el = page.locator(`#w${index}`);
  const frame = (await el.elementHandle())!;
  const inner = (await frame.contentFrame()) as Frame;
  return {
    frame: await el.evaluate((f) => f.getBoundingClientRect().height),
    content: await inner.evaluate(() => document.documentElement.getBoundingClientRect().height),
  };
}

test("a page on another origin embeds three widgets; each iframe takes its content's height and follows it", async ({ page }) => {
  await page.setViewportSize({ width: 1000, height: 1600 });
  await page.goto(hostUrl);
  for (let i = 0; i < HOSTED.length; i++) {
    const frame = page.frameLocator(`#w${i}`);
    await expect(frame.locator("main.card h1")).toBeVisible();
    await expect(frame.locator(".note")).toHaveCount(0);
    await expect
      .poll(async () => {
        const h = await heights(page, i);
        return Math.abs(h.frame - h.content) <= 2 && h.content > 150;
      }, `widget ${HOSTED[i]}`)
      .toBe(true);
  }
  // A content change inside the second widget: its iframe grows by as much.
  const before = await heights(page, 1);
  const inner = (await (await page.locator("#w1").elementHandle())!.contentFrame())!;
  await inner.evaluate(() => {
    const extra = document.createElement("div");
    extra.style.height = "137px";
    document.querySelector("main")!.append(extra);
  });
  await expect.poll(async () => (await heights(page, 1)).frame).toBeGreaterThanOrEqual(before.frame + 135);
  const after = await heights(page, 1);
  expect(Math.abs(after.frame - after.content)).toBeLessThanOrEqual(2);
  // ... and back when it shrinks (a widget on a wider or narrower page re-reports the same way).
  await inner.evaluate(() => document.querySelector("main > div:last-child")!.remove());
  await expect.poll(async () => Math.abs((await heights(page, 1)).frame - before.frame)).toBeLessThanOrEqual(2);
});

test("embed.js sizes a frame only by its own messages", async ({ page }) => {
  await page.goto(hostUrl);
  for (const i of [0, 1]) await expect.poll(async () => (await heights(page, i)).frame).toBeGreaterThan(150);
  const sized = [(await heights(page, 0)).frame, (await heights(page, 1)).frame];
  // Resolves once the host's listeners (embed.js registered first) have seen the message.
  const delivered = () => page.evaluate(() => new Promise((r) => window.addEventListener("message", () => setTimeout(r, 0), { once: true })));
  // The host window itself is no sized frame: nothing changes.
  let seen = delivered();
  await page.evaluate(() => window.postMessage({ type: "pve-telemetry:height", id: "/embed/summary", height: 999 }, "*"));
  await seen;
  expect([(await heights(page, 0)).frame, (await heights(page, 1)).frame]).toEqual(sized);
  // Widget 0 claiming 999 px resizes widget 0 only.
  seen = delivered();
  const inner = (await (await page.locator("#w0").elementHandle())!.contentFrame())!;
  await inner.evaluate(() => window.parent.postMessage({ type: "pve-telemetry:height", id: "x", height: 999 }, "*"));
  await seen;
  expect((await heights(page, 0)).frame).toBe(999);
  expect((await heights(page, 1)).frame).toBe(sized[1]);
});

test("widgets load no script file; their only script is the inline height reporter, far below 60 KB", async ({ page, request }) => {
  for (const path of WIDGETS) {
    const html = await (await request.get(`${app()}${path}`)).text();
    expect(html, path).not.toMatch(/<script[^>]*\ssrc=/i);
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(r.url());
    });
    await page.goto(`${app()}${path}`);
    const inlineBytes = await page.evaluate(() => [...document.scripts].reduce((n, s) => n + new TextEncoder().encode(s.text).length, 0));
    expect(scripts, path).toEqual([]);
    expect(inlineBytes, path).toBeLessThan(2_000);
    page.removeAllListeners("request");
  }
});

test("bad options are named in a note and replaced by defaults; hostile input never gives a 5xx", async ({ page, request }) => {
  await page.goto(`${app()}/embed/summary?theme=purple&accent=red;}body{display:none&range=2y&colour=1`);
  const notes = page.locator(".note");
  await expect(notes).toHaveCount(4);
  await expect(notes.filter({ hasText: 'Ignored theme="purple"' })).toBeVisible();
  await expect(notes.filter({ hasText: 'Ignored accent="red;}body{display:none"' })).toBeVisible();
  await expect(page.locator("main.card")).toBeVisible();
  await expect(page.locator('[data-figure="runs"]')).toHaveText(/^\d[\d,]*$/);

  const hostile = [
    "range=%00",
    "app=%3Cscript%3E",
    `app=${"a".repeat(500)}`,
    "from=2026-02-30&to=x",
    "type[]=1",
    "compact=%F0%9F%92%A5",
    "accent=%23ff6600%22%3E",
    "title=2",
    "%E0%A4%A=1",
  ];
  for (const path of WIDGETS.map((w) => w.split("?")[0]!)) {
    for (const q of hostile) {
      const res = await request.get(`${app()}${path}?${q}`);
      expect(res.status(), `${path} ${q}`).toBe(200);
      expect(await res.text()).toContain('class="note"');
    }
  }
  for (const bad of ["/embed/app/no-such-app", "/embed/app/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/embed/app/%E0%A4%A", "/embed/outcomes?app=no-such-app"]) {
    const res = await request.get(`${app()}${bad}`);
    expect(res.status(), bad).toBe(404);
    const body = await res.text();
    expect(body).toContain("Unknown app");
    expect(body).not.toContain("<script>alert");
  }
});

test("widgets link to the matching dashboard page in a new tab, or nowhere with link=0", async ({ page }) => {
  await page.goto(`${app()}/embed/app/docker?range=7d`);
  const link = page.locator("a.open");
  await expect(link).toHaveAttribute("href", "/apps/docker?range=7d");
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(link).toHaveAttribute("rel", "noopener");
  const [popup] = await Promise.all([page.waitForEvent("popup"), page.locator("main.card h1").click({ force: true })]);
  await expect(popup).toHaveURL(/\/apps\/docker\?range=7d$/);
  await popup.close();
  await page.goto(`${app()}/embed/app/docker?link=0`);
  await expect(page.locator("a")).toHaveCount(0);
});

test("the builder previews the chosen widget in an iframe sized by embed.js and offers its snippets", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto(`${app()}/embed`);
  const preview = page.getByTestId("embed-preview");
  await expect(page.frameLocator('[data-testid="embed-preview"]').locator("main.card h1")).toContainText("Jellyfin");
  await page.getByRole("combobox", { name: "Widget", exact: true }).selectOption("failure-rate");
  await page.getByRole("combobox", { name: /^App/ }).fill("docker");
  await page.getByRole("combobox", { name: "Range" }).selectOption("7d");
  await page.getByRole("combobox", { name: "Theme", exact: true }).selectOption("dark");
  await page.getByRole("checkbox", { name: "Compact" }).check();
  await expect(preview).toHaveAttribute("src", `${app()}/embed/failure-rate?range=7d&app=docker&theme=dark&compact=1`);
  const frame = page.frameLocator('[data-testid="embed-preview"]');
  await expect(frame.locator("main.card h1")).toContainText("Docker: failure rate");
  await expect
    .poll(async () => {
      const el = (await preview.elementHandle())!;
      const inner = (await el.contentFrame())!;
      const content = await inner.evaluate(() => document.documentElement.getBoundingClientRect().height);
      return Math.abs((await el.evaluate((f) => f.getBoundingClientRect().height)) - content) <= 2;
    })
    .toBe(true);
  const snippet = page.getByTestId("snippet-iframe");
  await expect(snippet).toHaveValue(/^<iframe data-pve-telemetry /);
  const code = await snippet.inputValue();
  expect(code).toContain(` src="${app()}/embed/failure-rate?range=7d&amp;app=docker&amp;theme=dark&amp;compact=1" `);
  expect(code.endsWith(`<script src="${app()}/embed.js" async></script>`)).toBe(true);
  await page.getByRole("button", { name: "Copy Embed code" }).click();
  await expect(page.getByRole("status").first()).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
  await page.getByRole("combobox", { name: "Figure" }).selectOption("installs");
  await expect(page.getByTestId("snippet-markdown")).toHaveValue(`[![docker: installs](${app()}/badge/docker.svg?range=7d&metric=installs)](${app()}/apps/docker?range=7d)`);
  await expect(page.getByTestId("badge-preview")).toHaveAttribute("src", `${app()}/badge/docker.svg?range=7d&metric=installs`);
});

test("widgets and badges send CDN cache headers and set no cookie", async ({ request }) => {
  for (const path of ["/embed/summary", "/embed/app/docker", "/badge/docker.svg", "/badge/docker.json"]) {
    const res = await request.get(`${app()}${path}`);
    expect(res.headers()["cache-control"], path).toBe("public, max-age=0, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400");
    expect(res.headers()["set-cookie"], path).toBeUndefined();
  }
});

const seriousViolations = async (page: Page) =>
  (await new AxeBuilder({ page }).analyze()).violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length}×, e.g. ${v.nodes[0]?.target.join(" ")})`);

// One test per document: each axe pass takes seconds on a busy machine, ten in one test did not fit its time.
for (const scheme of ["light", "dark"] as const) {
  test(`no serious accessibility violation on the builder (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${app()}/embed`);
    await expect(page.frameLocator('[data-testid="embed-preview"]').locator("main.card")).toBeVisible();
    expect(await seriousViolations(page), "/embed").toEqual([]);
  });
  for (const path of [...WIDGETS, "/embed/app/no-such-app", `/embed/os?theme=${scheme}&compact&title=0`]) {
    test(`no serious accessibility violation on ${path} (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${app()}${path}`);
      expect(await seriousViolations(page), path).toEqual([]);
    });
  }
}
