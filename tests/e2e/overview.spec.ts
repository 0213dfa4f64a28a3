/**
 * The overview page in a real browser shows exactly what SQL over the raw records says.
 */
import { expect, test } from "@playwright/test";
import Database from "better-sqlite3";
import { join } from "node:path";

const num = (s: string | null) => Number((s ?? "").replace(/[^0-9.]/g, ""));

interface Totals {
  runs: number;
  success: number;
  failed: number;
  aborted: number;
  unfinished: number;
  running: number;
}

function expected(from: string, to: string, now: Date): Totals & { perDay: { day: string; failed: number }[] } {
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
       FROM _dev_telemetry_data WHERE created >= @from AND created < @end`,
    )
    .get({ from: `${from} 00:00:00.000Z`, end: `${to} 23:59:59.999Z`, cutoff }) as Totals;
  const perDay = db
    .prepare(`SELECT substr(created,1,10) AS day, SUM(status = 'failed') AS failed FROM _dev_telemetry_data WHERE created >= ? GROUP BY 1`)
    .all(`${from} 00:00:00.000Z`) as { day: string; failed: number }[];
  db.close();
  return { ...row, perDay };
}

test("overview figures equal SQL over the raw records", async ({ page, request }) => {
  // Three runs that start now and stay installing: the page must count them as running.
  for (let i = 0; i < 3; i++) {
    const res = await request.post(`${process.env.E2E_PB_URL}/api/collections/_dev_telemetry_data/records`, {
      data: { random_id: `e2e-live-${Date.now()}-${i}`, type: "lxc", ct_type: 1, nsapp: "docker", status: "installing" },
    });
    expect(res.status()).toBe(200);
  }

  // Pages cache data for up to a minute (lib/cached.ts); a range no other test opened is a
  // fresh cache entry, computed after the inserts above.
  await page.goto(`${process.env.E2E_APP_URL}/?range=90d`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("last 90 days");
  const from = await page.getByTestId("range-from").textContent();
  const to = await page.getByTestId("range-to").textContent();
  const want = expected(from!, to!, new Date());

  expect(want.runs).toBeGreaterThan(5000);
  expect(num(await page.getByTestId("stat-runs").textContent())).toBe(want.runs);
  expect(num(await page.getByTestId("stat-failed").textContent())).toBe(want.failed);
  expect(num(await page.getByTestId("stat-aborted").textContent())).toBe(want.aborted);
  expect(num(await page.getByTestId("stat-unfinished").textContent())).toBe(want.unfinished);
  expect(num(await page.getByTestId("stat-running").textContent())).toBe(want.running);
  expect(want.running).toBe(3);
  const rate = ((want.success / (want.success + want.failed)) * 100).toFixed(1);
  await expect(page.getByTestId("stat-success-rate")).toHaveText(`${rate} %`);

  // The chart draws, and its data table carries the same daily failures as SQL.
  await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await page.getByText("Show data as a table").click();
  for (const d of want.perDay.filter((x) => x.day >= from! && x.day <= to!).slice(-5)) {
    const cells = page.getByRole("row", { name: new RegExp(`^${d.day}`) }).getByRole("cell");
    expect(num(await cells.nth(2).textContent())).toBe(d.failed);
  }
});

test("an unknown path answers 404 with a page", async ({ page }) => {
  const res = await page.goto(`${process.env.E2E_APP_URL}/no-such-page`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});
