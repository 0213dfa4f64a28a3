/**
 * Only the normalised failure signature is public, never the trace: the e2e setup sent failure
 * traces full of addresses, e-mail addresses, home paths, host names, tokens and passwords
 * through the real ingest (tests/support/pii-traces.ts). None of them may reach any page, API
 * answer (JSON or CSV), widget, badge, chart, feed, the sitemap, or PocketBase's public rollups
 * — while the signatures themselves are shown (so this test would see a leak).
 */
import { expect, test } from "@playwright/test";
import signature from "../../pocketbase/pb_hooks/telemetry-signature.cjs";
import { PII, PII_APP, piiEvents } from "../support/pii-traces";
import { sql } from "./data";

const app = () => process.env.E2E_APP_URL!;
const pbUrl = () => process.env.E2E_PB_URL!;
const today = () => new Date().toISOString().slice(0, 10);

const PAGES = [
  "/",
  "/?range=24h",
  "/apps",
  "/apps?q=pii&min=0",
  "/apps?range=24h&min=0",
  `/apps/${PII_APP}`,
  `/apps/${PII_APP}?range=24h`,
  `/apps/${PII_APP}?outcome=failed`,
  `/apps/${PII_APP}?range=24h&outcome=failed&aborts=include`,
  "/errors",
  "/errors/1",
  "/errors/1?range=24h",
  "/regressions",
  "/regressions?range=24h",
  "/os",
  "/digest",
  "/methodology",
  "/feed.xml",
  `/apps/${PII_APP}/feed.xml`,
  "/sitemap.xml",
  "/robots.txt",
  `/embed/app/${PII_APP}`,
  "/embed/exit-codes",
  `/embed/exit-codes?app=${PII_APP}`,
  `/badge/${PII_APP}.svg`,
  `/badge/${PII_APP}.json`,
  `/chart/${PII_APP}.svg`,
];
const API = [
  "/api/v1/summary?range=24h",
  "/api/v1/apps?q=pii&min=0",
  "/api/v1/apps.csv?q=pii&min=0",
  `/api/v1/apps/${PII_APP}`,
  `/api/v1/apps/${PII_APP}.csv`,
  `/api/v1/apps/${PII_APP}/runs?outcome=failed`,
  `/api/v1/apps/${PII_APP}/runs.csv?outcome=failed`,
  `/api/v1/apps/${PII_APP}/insights`,
  `/api/v1/apps/${PII_APP}/failing-commands`,
  `/api/v1/apps/${PII_APP}/failing-commands.csv`,
  `/api/v1/apps/${PII_APP}/failing-commands?range=24h`,
  `/api/v1/apps/${PII_APP}/hardware?range=24h`,
  "/api/v1/errors?aborts=include",
  "/api/v1/errors/1",
  "/api/v1/errors/1.csv",
  "/api/v1/regressions",
  "/api/v1/regressions.csv",
  "/api/v1/incidents",
  "/api/v1/digest",
  "/api/v1/openapi.json",
];

function leaks(body: string): string[] {
  return PII.filter((p) => body.includes(p));
}

test("the signatures of the traces sent are what the app shows, masked", async ({ request }) => {
  const want = [...new Set(piiEvents().map((b) => signature.signatureOf(JSON.parse(b).error as string).command))];
  const body = await (await request.get(`${app()}/api/v1/apps/${PII_APP}/failing-commands?range=24h`)).json();
  expect(body.data.map((c: { command: string }) => c.command).sort()).toEqual(want.sort());
  expect(body.data.every((c: { failed: number }) => c.failed === 2)).toBe(true);
  expect(body.totals).toEqual({ failed: want.length * 2, with_command: want.length * 2 });
  // The stored raw rows do hold the details (the test would see them if they leaked).
  const stored = sql<{ error: string }>("SELECT error FROM _dev_telemetry_data WHERE nsapp = ?", PII_APP);
  expect(stored.length).toBe(want.length * 2);
  expect(PII.filter((p) => stored.some((r) => r.error.includes(p))).length).toBeGreaterThan(PII.length - 4);
});

test("no page, feed, widget, badge or chart shows any of the traces' private details", async ({ page, request }) => {
  for (const path of PAGES) {
    const res = await request.get(`${app()}${path}`);
    expect(res.status(), path).toBeLessThan(500);
    expect(leaks(await res.text()), path).toEqual([]);
  }
  // The app page renders its failing commands (streamed sections included) in a browser too.
  await page.goto(`${app()}/apps/${PII_APP}?range=24h`);
  const table = page.getByTestId("app-failing-commands");
  await expect(table).toContainText("https://…/releases/latest");
  await expect(table).toContainText("<secret>");
  expect(leaks(await page.content())).toEqual([]);
});

test("no API answer, JSON or CSV, carries them", async ({ request }) => {
  for (const path of API) {
    const res = await request.get(`${app()}${path}`);
    expect(res.status(), path).toBe(200);
    expect(leaks(await res.text()), path).toEqual([]);
  }
});

test("PocketBase's public collections do not either: the rollups hold the signature only, raw records answer nothing", async ({ request }) => {
  const day = today();
  const hour = new Date().toISOString().slice(0, 13).replace("T", " ");
  const from = new Date(Date.now() - 23 * 3_600_000).toISOString().slice(0, 13).replace("T", " ");
  const filter = encodeURIComponent(`(nsapp='${PII_APP}')`);
  const reads = [
    `/api/collections/stats_app_failure_range/records?from=${day}&to=${day}&filter=${filter}&perPage=100`,
    `/api/collections/stats_app_failure_series/records?from=${day}&to=${day}&filter=${filter}&perPage=100`,
    `/api/collections/stats_app_failure_hourly_range/records?from=${encodeURIComponent(from)}&to=${encodeURIComponent(hour)}&filter=${filter}&perPage=100`,
    `/api/collections/stats_app_failure/records?filter=${filter}&perPage=100`,
    `/api/collections/_dev_telemetry_data/records?filter=${filter}&perPage=100`,
  ];
  let seen = 0;
  for (const path of reads) {
    const res = await request.get(`${pbUrl()}${path}`);
    const text = await res.text();
    expect(leaks(text), path).toEqual([]);
    if (path.includes("stats_app_failure_range")) seen = (JSON.parse(text) as { items: unknown[] }).items.length;
  }
  expect(seen).toBeGreaterThan(0);
});

test("sessions (random_id) stay in PocketBase: the session rollup is superusers' only, and what is public is counts", async ({ request }) => {
  const day = today();
  const ids = sql<{ random_id: string }>("SELECT DISTINCT random_id FROM _dev_telemetry_data WHERE repo_source = 'ProxmoxVED'").map((r) => r.random_id);
  expect(ids.length).toBeGreaterThan(10);
  const named = (text: string) => ids.filter((id) => text.includes(id));
  for (const path of [
    "/api/collections/stats_app_session/records?perPage=100",
    "/api/collections/stats_app_session_hourly/records?perPage=100",
    `/api/collections/stats_app_session_range/records?from=${day}&to=${day}&perPage=100`,
  ]) {
    const res = await request.get(`${pbUrl()}${path}`);
    expect(res.status(), path).toBe(403);
    expect(named(await res.text()), path).toEqual([]);
  }
  const sums = await request.get(`${pbUrl()}/api/rollups/stats_app_session/sums?from=${day}&to=${day}`);
  expect(sums.status()).toBe(404);
  const counts = await request.get(`${pbUrl()}/api/rollups/stats_app_session/distinct?from=2020-01-01&to=${day}`);
  expect(counts.status()).toBe(200);
  const rows = (await counts.json()) as [string, number][];
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((r) => r.length === 2 && typeof r[1] === "number")).toBe(true);
  for (const path of ["/api/v1/testing", "/api/v1/testing.csv", "/api/v1/testing?range=24h", "/apps", "/apps?repo=dev"]) {
    const res = await request.get(`${app()}${path}`);
    expect(res.status(), path).toBe(200);
    expect(named(await res.text()), path).toEqual([]);
  }
});
