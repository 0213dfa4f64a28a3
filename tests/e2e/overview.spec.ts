/**
 * The overview page in a real browser shows exactly what SQL over the raw records says.
 */
import { runsOf } from "../support/runs-of";
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { join } from "node:path";

/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();

const num = (s: string | null) => Number((s ?? "").replace(/[^0-9.]/g, ""));

interface Totals {
  runs: number;
  success: number;
  failed: number;
  aborted: number;
  unfinished: number;
  running: number;
}

/**
 * SQL over the raw records for the range the page shows: `from`/`to` as printed, days
 * ("2026-11-22") or hours ("2026-11-22 13:00"); `perBucket` keyed by those same labels.
 */
function expected(from: string, to: string, now: Date): Totals & { perBucket: { bucket: string; failed: number }[] } {
  const hourly = from.length > 10;
  const start = hourly ? `${from}:00.000Z` : `${from} 00:00:00.000Z`;
  const end = hourly ? `${to.slice(0, 13)}:59:59.999Z` : `${to} 23:59:59.999Z`;
  const db = new Database(join(process.env.E2E_DATA_DIR!, "data.db"), { readonly: true });
  const cutoff = new Date(now.getTime() - 3_600_000).toISOString().replace("T", " ");
  const row = db
    .prepare(
      `SELECT COUNT(*) AS runs,
        SUM(status IN ('sucess','success','done')) AS success,
        SUM(status = 'failed') AS failed,
        SUM(status = 'aborted') AS aborted,
        SUM(status = 'installing' AND created < @cutoff) AS unfinished,
        SUM(status = 'installing' AND created >= @cutoff) AS running
       FROM ${RUNS} WHERE created >= @from AND created < @end`,
    )
    .get({ from: start, end, cutoff }) as Totals;
  const label = hourly ? "substr(created,1,13) || ':00'" : "substr(created,1,10)";
  const perBucket = db.prepare(`SELECT ${label} AS bucket, SUM(status = 'failed') AS failed FROM ${RUNS} WHERE created >= ? AND created <= ? GROUP BY 1`).all(start, end) as {
    bucket: string;
    failed: number;
  }[];
  db.close();
  return { ...row, perBucket };
}

/** The headline figures and the chart's data table on the open page equal SQL. */
async function expectFiguresMatchSql(page: import("@playwright/test").Page, expectedBuckets: number) {
  const from = await page.getByTestId("range-from").textContent();
  const to = await page.getByTestId("range-to").textContent();
  const want = expected(from!, to!, new Date());
  expect(num(await page.getByTestId("stat-runs").textContent())).toBe(want.runs);
  expect(num(await page.getByTestId("stat-failed").textContent())).toBe(want.failed);
  expect(num(await page.getByTestId("stat-aborted").textContent())).toBe(want.aborted);
  expect(num(await page.getByTestId("stat-unfinished").textContent())).toBe(want.unfinished);
  expect(num(await page.getByTestId("stat-running").textContent())).toBe(want.running);
  const rate = ((want.success / (want.success + want.failed)) * 100).toFixed(1);
  await expect(page.getByTestId("stat-success-rate")).toHaveText(`${rate} %`);

  // The chart draws, and its data table carries the same failures per bucket as SQL.
  await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await page.getByText("Show data as a table").first().click();
  const rows = page.locator("section[aria-labelledby='daily-heading'] tbody tr");
  await expect(rows).toHaveCount(expectedBuckets);
  for (const d of want.perBucket.slice(-5)) {
    const cells = page.getByRole("row", { name: new RegExp(`^${d.bucket}`) }).getByRole("cell");
    expect(num(await cells.nth(2).textContent())).toBe(d.failed);
  }
  return want;
}

test("overview figures equal SQL over the raw records", async ({ page, request }) => {
  // Three runs that start now and stay installing: the page must count them as running.
  for (let i = 0; i < 3; i++) {
    const res = await request.post(`${process.env.E2E_PB_URL}/api/collections/_dev_telemetry_data/records`, {
      data: { random_id: `e2e-live-${Date.now()}-${i}`, type: "lxc", ct_type: 1, nsapp: "docker", status: "installing" },
    });
    expect(res.status()).toBe(200);
  }

  // Pages cache data for up to a minute (lib/data/index.ts); a range no other test opened is a
  // fresh cache entry, computed after the inserts above.
  await page.goto(`${process.env.E2E_APP_URL}/?range=90d`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("last 90 days");
  const want = await expectFiguresMatchSql(page, 90);
  expect(want.runs).toBeGreaterThan(5000);
  expect(want.running).toBe(3);
});

// No other test opens /?range=24h (a cached render from earlier would predate the runs added above).
test("the last 24 hours, hour by hour, equal SQL over the raw records", async ({ page }) => {
  await page.goto(`${process.env.E2E_APP_URL}/?range=24h`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("last 24 hours");
  await expect(page.getByRole("heading", { name: "Runs per hour by outcome" })).toBeVisible();
  const want = await expectFiguresMatchSql(page, 24);
  expect(want.runs).toBeGreaterThan(1000);
  // The other pages take the 24-hour range from the overview's links.
  await page.getByRole("link", { name: "All exit codes →" }).click();
  await expect(page).toHaveURL(/range=24h/);
  await expect(page.getByRole("heading", { name: "Top 5 exit codes per hour" })).toBeVisible();
});

test("an unknown path answers 404 with a page", async ({ page }) => {
  const res = await page.goto(`${process.env.E2E_APP_URL}/no-such-page`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});
