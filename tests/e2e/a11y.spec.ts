/** No serious or critical axe violation on any page (light and dark colour schemes). */
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";

// `/?range=24h` is left to overview.spec.ts, which needs a fresh cache entry for it.
const PAGES = [
  "/",
  "/apps?range=24h",
  "/apps",
  "/apps/docker",
  "/apps/ollama",
  // The seeded core-bound app: its page shows "Where install time differs" tables.
  "/apps/debian",
  "/apps/no-such-app",
  "/errors",
  "/errors/100",
  "/os",
  "/methodology",
  "/api",
  "/apps?range=365d",
  "/digest",
  "/regressions",
];
// The /embed builder is checked in tests/e2e/embed.spec.ts, with its widget preview loaded.

for (const scheme of ["light", "dark"] as const) {
  for (const path of PAGES) {
    test(`${path} has no serious accessibility violation (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${process.env.E2E_APP_URL}${path}`);
      await page.waitForLoadState("networkidle");
      const result = await new AxeBuilder({ page }).analyze();
      const serious = result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.help} (${v.nodes.length}×, e.g. ${v.nodes[0]?.target.join(" ")})`);
      expect(serious).toEqual([]);
    });
  }
}
