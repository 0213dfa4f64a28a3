/**
 * With PocketBase unreachable, pages say so and the API answers 503 with a message — the error
 * must survive the `use cache` boundary (lib/data/index.ts), where React would reduce it to a digest.
 */
import { expect, test } from "@playwright/test";
import { freePort } from "../../scripts/lib/pocketbase-server";
import { type Dashboard, startDashboard } from "./dashboard";

let server: Dashboard | undefined;
let url = "";
let deadPocketBase = "";

test.beforeAll(async () => {
  deadPocketBase = `http://127.0.0.1:${await freePort()}`;
  server = await startDashboard({ POCKETBASE_URL: deadPocketBase, POCKETBASE_READER_EMAIL: "x@example.com", POCKETBASE_READER_PASSWORD: "x" });
  url = server.url;
});

test.afterAll(() => server?.stop());

test("with nothing cached, pages explain that the source is unreachable with a 503; the API answers 503 + Retry-After", async ({ page, request }) => {
  for (const path of ["/", "/apps", "/apps/docker", "/errors", "/os"]) {
    const res = await page.goto(`${url}${path}`);
    expect(res?.status(), path).toBe(503);
    expect(Number(res?.headers()["retry-after"]), path).toBeGreaterThan(0);
    expect(res?.headers()["cache-control"], path).toBe("no-store");
    await expect(
      page
        .getByRole("alert")
        .filter({ hasText: /not reachable|not answering/ })
        .first(),
      path,
    ).toBeVisible();
    // The public message does not reveal where PocketBase lives (the page's own canonical link
    // names the dashboard's host, which is 127.0.0.1 here too).
    expect(await page.content(), path).not.toContain(new URL(deadPocketBase).host);
  }
  const api = await request.get(`${url}/api/v1/apps`);
  expect(api.status()).toBe(503);
  expect(Number(api.headers()["retry-after"])).toBeGreaterThan(0);
  expect((await api.json()).error).toMatch(/not reachable|not answering/);
});

test("widgets answer a small 'statistics unavailable' card and badges a grey badge, with 503 and Retry-After", async ({ request }) => {
  for (const path of ["/embed/summary", "/embed/app/docker", "/embed/failing-apps"]) {
    const res = await request.get(`${url}${path}`);
    expect(res.status(), path).toBe(503);
    expect(res.headers()["retry-after"]).toBe("30");
    expect(res.headers()["content-type"]).toContain("text/html");
    const body = await res.text();
    expect(body).toContain("Statistics unavailable");
    expect(body).not.toContain("127.0.0.1"); // the reason is logged, not shown to embedding sites
  }
  const badge = await request.get(`${url}/badge/docker.svg`);
  expect(badge.status()).toBe(503);
  expect(badge.headers()["retry-after"]).toBe("30");
  expect(await badge.text()).toContain("docker: statistics unavailable");
});
