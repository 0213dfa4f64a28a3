import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests run in Debian's Chromium (Playwright's own browser download is not
 * available here; CHROMIUM_PATH overrides) against a production build (`next build` +
 * `next start`) and a real, seeded PocketBase — both started by tests/e2e/global-setup.ts.
 */
export default defineConfig({
  testDir: "tests/e2e",
  globalSetup: "./tests/e2e/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
    screenshot: "only-on-failure",
  },
});
