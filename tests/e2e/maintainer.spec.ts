/**
 * The maintainer journey: find the worst LXC app with enough runs, read an exit code's
 * explanation, page through its failed runs, and get the same view back from the copied URL.
 */
import { expect, test } from "@playwright/test";
import { explainExitCode } from "../../lib/exit-codes";

test("triage a failing app from /apps to page 2 of its failed runs, and back from the URL", async ({ page, context }) => {
  await page.goto(`${process.env.E2E_APP_URL}/apps`);
  await page.getByLabel("Type").selectOption("lxc");
  await page.getByLabel("Min runs").fill("50");
  await page.getByRole("button", { name: "Apply" }).nth(1).click();
  await expect(page).toHaveURL(/type=lxc/);
  await expect(page).toHaveURL(/min=50/);

  // Most failing is the default order; clicking the header twice comes back to it.
  const rate = page.getByTestId("apps-table").getByRole("columnheader", { name: /^Failure rate \(95/ });
  await expect(rate).toHaveAttribute("aria-sort", "descending");
  const table = page.getByTestId("apps-table");
  const rows = table.locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  for (const row of await rows.all()) {
    expect(Number((await row.locator("td").nth(1).textContent())!.replace(/,/g, ""))).toBeGreaterThanOrEqual(50);
    await expect(row.locator("td").first()).toContainText("lxc");
  }
  const worst = (await rows.first().locator("td a").first().textContent())!;
  await rows.first().locator("td a").first().click();
  await expect(page).toHaveURL(new RegExp(`/apps/${encodeURIComponent(worst)}`));
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  // Each exit code shows the shared module's explanation beside it (readable on touch screens too).
  const code = page.getByTestId("app-exit-codes").locator(".code-cell").first();
  const n = Number((await code.locator(".code").textContent())!);
  await expect(code.locator(".code-text")).toHaveText(explainExitCode(n));

  // Page 2 of the failed runs (the run list's default outcome).
  await expect(page.getByRole("heading", { name: "Recent failed runs" })).toBeVisible();
  const failed = Number((await page.getByTestId("app-failed").textContent())!.replace(/,/g, ""));
  expect(failed).toBeGreaterThan(20);
  const firstPage = await page.getByTestId("runs").locator("tbody tr").first().textContent();
  await page.getByRole("navigation", { name: "Runs pages" }).getByRole("link", { name: /Next/ }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByRole("navigation", { name: "Runs pages" })).toContainText("page 2 of");
  const secondRows = await page.getByTestId("runs").locator("tbody tr").allTextContents();
  expect(secondRows[0]).not.toBe(firstPage);

  // Reload the copied URL in a fresh tab: the same view, scrolled to the runs.
  const copied = page.url();
  expect(copied).toMatch(/#runs$/);
  const again = await context.newPage();
  await again.goto(copied);
  // Still there once every section has streamed in: the sections above outgrow their skeletons,
  // some after the load event (components/HashAnchor.tsx).
  await expect(again.getByTestId("skeleton")).toHaveCount(0);
  await expect(again.getByRole("heading", { name: "Recent failed runs" })).toBeInViewport();
  expect(await again.getByTestId("runs").locator("tbody tr").allTextContents()).toEqual(secondRows);
  await expect(again.getByRole("heading", { level: 1 })).toHaveText((await page.getByRole("heading", { level: 1 }).textContent())!);

  // Another outcome: the aborted runs, in the URL too.
  await again.getByRole("navigation", { name: "Outcome" }).getByRole("link", { name: "Aborted" }).click();
  await expect(again).toHaveURL(/outcome=aborted/);
  await expect(again.getByRole("heading", { name: "Recent aborted runs" })).toBeVisible();
  const aborted = Number((await again.getByTestId("app-aborted").textContent())!.replace(/,/g, ""));
  await expect(again.getByRole("navigation", { name: "Runs pages" })).toContainText(`of ${aborted.toLocaleString("en-US")} ·`);
});

test("bad parameters show a note and sane defaults, never an error page", async ({ page }) => {
  const res = await page.goto(`${process.env.E2E_APP_URL}/apps?range=forever&type=docker&min=-1&sort=drop&page=x`);
  expect(res?.status()).toBe(200);
  await expect(page.getByTestId("param-notes")).toContainText('range="forever"');
  await expect(page.getByTestId("apps-table")).toBeVisible();
  const missing = await page.goto(`${process.env.E2E_APP_URL}/apps/${encodeURIComponent("no-such-app\"'<>")}`);
  expect(missing?.status()).toBe(404);
});
