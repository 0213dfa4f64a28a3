/** Mobile width and the theme toggle, as a visitor meets them. */
import { expect, test } from "@playwright/test";

const PAGES = ["/", "/apps", "/apps/docker", "/errors", "/errors/100", "/os", "/methodology", "/digest"];

test("no page scrolls sideways on a 390 px phone", async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  for (const path of PAGES) {
    await page.goto(`${process.env.E2E_APP_URL}${path}`);
    await page.waitForLoadState("networkidle");
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    expect(scroll, path).toBeLessThanOrEqual(client);
  }
  await page.close();
});

test("the theme toggle cycles system → light → dark and the choice survives a reload", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(`${process.env.E2E_APP_URL}/methodology`);
  const toggle = page.getByRole("button", { name: /Theme: system/ });
  await toggle.click();
  await expect(page.getByRole("button", { name: /Theme: light/ })).toBeVisible();
  await page.getByRole("button", { name: /Theme: light/ }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(bg);
  expect(bg).toBe("rgb(15, 18, 22)");
});

test("keyboard: the skip link is the first stop and jumps to the content", async ({ page }) => {
  await page.goto(`${process.env.E2E_APP_URL}/apps`);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#content$/);
});

test("on a 390 px phone /apps folds range and filters behind one control that names them; from 700 px they are open", async ({ browser }) => {
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(`${process.env.E2E_APP_URL}/apps?range=7d&type=lxc&min=5`);
  const fold = phone.getByTestId("filter-fold");
  await expect(fold.locator("summary")).toHaveText("Filters 7 days · lxc · ≥ 5 runs");
  await expect(phone.getByLabel("App", { exact: true })).toBeHidden();
  await expect(phone.getByRole("link", { name: "24 hours" })).toBeHidden();
  // The list starts on the first screen (the filters used to take ~800 px of it).
  const firstRow = phone.getByTestId("apps-table").locator("tbody tr").first();
  await expect(firstRow).toBeVisible(); // the table streams in after the page's head (boundingBox does not wait)
  expect((await firstRow.boundingBox())?.y ?? Number.POSITIVE_INFINITY).toBeLessThan(844);
  await fold.locator("summary").click();
  await phone.getByLabel("App", { exact: true }).fill("dock");
  await phone.getByLabel("App", { exact: true }).press("Enter");
  await expect(phone).toHaveURL(/q=dock/);
  await expect(phone.getByTestId("filter-fold").locator("summary")).toHaveText("Filters 7 days · “dock” · lxc · ≥ 5 runs");
  await phone.close();

  const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await desktop.goto(`${process.env.E2E_APP_URL}/apps`);
  await expect(desktop.getByTestId("filter-fold").locator("summary")).toBeHidden();
  await expect(desktop.getByLabel("App", { exact: true })).toBeVisible();
  await expect(desktop.getByRole("link", { name: "24 hours" })).toBeVisible();
  await desktop.close();
});
