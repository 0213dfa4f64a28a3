/**
 * The HTTP layer of the production server (server/): shared-cacheable pages with ETags and
 * 304s, one URL per view, security headers per route, CORS on the API, a strict CSP that the
 * pages themselves never violate, a per-client rate limit (on a second server with a low
 * limit and TRUST_PROXY, so two "clients" can be told apart), and render processes that are
 * replaced when they die.
 */
import { readdirSync, readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { type Dashboard, startDashboard } from "./dashboard";

const app = () => process.env.E2E_APP_URL!;

test("pages are shared-cacheable, answer 304 to a matching If-None-Match, and other spellings of a view redirect to one URL", async ({ request }) => {
  // An answer is stored for its shared-cache lifetime: 30 s less the age of its figures. A page
  // also shows figures other tests left in the data cache (scripts in testing, the range's first
  // day), each refreshed on its own 30 s cycle (lib/data/cache.ts LIVE); with two cycles 15 s
  // apart the oldest figure is always 15-30 s old, so an answer may be kept for only a few
  // seconds, or (at 30 s) not at all. Ask again at once with its ETag until one was stored: that
  // one must answer 304 with no body.
  test.setTimeout(120_000);
  const view = `${app()}/apps?range=7d&q=serving-etag`;
  let res = await request.get(view);
  let again = res;
  await expect
    .poll(
      async () => {
        res = await request.get(view);
        again = await request.get(view, { headers: { "if-none-match": res.headers().etag ?? "" } });
        return again.status();
      },
      { timeout: 65_000 },
    )
    .toBe(304);
  expect(res.status()).toBe(200);
  expect(Date.now() - Date.parse(res.headers()["last-modified"] ?? "")).toBeLessThan(60_000);
  const h = res.headers();
  expect(h["cache-control"]).toBe("public, max-age=0, s-maxage=30, stale-while-revalidate=300, stale-if-error=86400");
  expect(h.vary).not.toMatch(/cookie|user-agent/i);
  expect(h.etag).toMatch(/^W\/".+"$/);
  expect(again.headers().etag).toBe(h.etag);
  expect(await again.text()).toBe("");

  for (const [from, to] of [
    ["/apps?type=vm&range=7d", "/apps?range=7d&type=vm"],
    ["/apps?range=30d&min=20&page=1", "/apps"],
    ["/?utm_source=newsletter", "/"],
  ]) {
    const r = await request.get(`${app()}${from}`, { maxRedirects: 0 });
    expect(r.status(), from).toBe(308);
    expect(r.headers().location, from).toBe(to);
  }
  // Invalid values are not redirected away: the page names them.
  expect((await request.get(`${app()}/apps?range=forever`, { maxRedirects: 0 })).status()).toBe(200);
});

test("security headers per route; the API answers CORS preflights and allows any origin", async ({ request }) => {
  const page = (await request.get(`${app()}/methodology`)).headers();
  expect(page["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'sha256-[^']+' 'strict-dynamic'/);
  expect(page["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(page["x-frame-options"]).toBe("DENY");
  expect(page["x-content-type-options"]).toBe("nosniff");
  expect(page["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(page["permissions-policy"]).toContain("camera=()");
  expect(page["strict-transport-security"]).toBeUndefined(); // plain HTTP here

  const api = (await request.get(`${app()}/api/v1/summary`)).headers();
  expect(api["access-control-allow-origin"]).toBe("*");
  expect(api["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  const preflight = await request.fetch(`${app()}/api/v1/apps`, { method: "OPTIONS", headers: { origin: "https://example.org", "access-control-request-method": "GET" } });
  expect(preflight.status()).toBe(204);
  expect(preflight.headers()["access-control-allow-methods"]).toContain("GET");
  // Static files keep the basic headers too.
  expect((await request.get(`${app()}/icon.svg`)).headers()["x-content-type-options"]).toBe("nosniff");
});

test("no page breaks its own Content-Security-Policy", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content.Security.Policy|Refused to (execute|load|apply)/i.test(m.text())) violations.push(m.text().slice(0, 200));
  });
  for (const path of ["/", "/apps", "/apps/docker", "/errors", "/errors/100", "/os", "/methodology", "/api"]) {
    await page.goto(`${app()}${path}`);
    await page.mouse.wheel(0, 400); // charts load on scroll
    await page.waitForTimeout(300);
  }
  expect(violations).toEqual([]);
  // Client code ran (the theme toggle hydrated): scripts were allowed.
  await page.getByRole("button", { name: /Theme:/ }).click();
  await expect(page.getByRole("button", { name: /Theme: light/ })).toBeVisible();
});

let limited: Dashboard | undefined;
let limitedUrl = "";

test.describe("rate limit", () => {
  test.beforeAll(async () => {
    limited = await startDashboard({ RATE_LIMIT_PER_MINUTE: "6", RATE_LIMIT_BURST: "3", TRUST_PROXY: "1" });
    limitedUrl = limited.url;
  });
  test.afterAll(() => limited?.stop());

  test("a client over its limit gets 429 with Retry-After for uncached work; cached answers and other clients are not limited", async ({ request }) => {
    const as = (ip: string) => ({ headers: { "x-forwarded-for": `203.0.113.7, ${ip}` } });
    // Four different uncached API answers from one client: the burst is 3.
    const statuses = [];
    for (const r of ["7d", "30d", "90d", "365d"]) statuses.push((await request.get(`${limitedUrl}/api/v1/summary?range=${r}`, as("198.51.100.1"))).status());
    expect(statuses).toEqual([200, 200, 200, 429]);
    // The first X-Forwarded-For entry is the client's own claim: changing it does not help.
    const refused = await request.get(`${limitedUrl}/api/v1/summary?range=all`, { headers: { "x-forwarded-for": "10.9.9.9, 198.51.100.1" } });
    expect(refused.status()).toBe(429);
    expect(Number(refused.headers()["retry-after"])).toBeGreaterThan(0);
    expect((await refused.json()).error).toContain("retry in");
    // The same client still gets what is already cached, and another client is served.
    expect((await request.get(`${limitedUrl}/api/v1/summary?range=7d`, as("198.51.100.1"))).headers()["x-cache"]).toBe("HIT");
    expect((await request.get(`${limitedUrl}/api/v1/summary?range=all`, as("198.51.100.2"))).status()).not.toBe(429);
  });
});

/** The render processes of the dashboard listening on `port` (they inherit its PORT). */
function renderProcesses(port: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      const env = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
      if (env.some((e) => e.startsWith("DASHBOARD_RENDER_SOCKET=")) && env.includes(`PORT=${port}`)) pids.push(Number(pid));
    } catch {
      // gone, or not ours
    }
  }
  return pids;
}

test.describe("render processes", () => {
  let own: Dashboard | undefined;
  test.beforeAll(async () => {
    own = await startDashboard({ RATE_LIMIT_PER_MINUTE: "0" });
  });
  test.afterAll(() => own?.stop());

  test("a render process that dies is replaced; meanwhile cached pages are answered and renders get 503 at once, never a hang", async ({ request }) => {
    const url = own!.url;
    expect((await request.get(`${url}/apps`)).status()).toBe(200);
    const before = renderProcesses(new URL(url).port);
    expect(before.length).toBeGreaterThan(0);
    for (const pid of before) process.kill(pid, "SIGKILL");

    const cached = await request.get(`${url}/apps`);
    expect([cached.status(), cached.headers()["x-cache"]]).toEqual([200, "HIT"]);
    const uncached = await request.get(`${url}/apps?range=7d`, { timeout: 10_000 });
    expect(uncached.status()).toBe(503);
    expect(Number(uncached.headers()["retry-after"])).toBeGreaterThan(0);

    await expect.poll(async () => (await request.get(`${url}/apps?range=90d`)).status(), { timeout: 45_000, intervals: [500] }).toBe(200);
    const after = renderProcesses(new URL(url).port);
    expect(after.length).toBe(before.length);
    expect(after.some((pid) => before.includes(pid))).toBe(false);
  });
});
