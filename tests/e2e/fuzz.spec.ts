/**
 * Property-based fuzzing of every page, widget, badge, chart, preview image, feed, crawler file and API route of the production build
 * with random and hostile values for every parameter and path segment (fixed seed, bounded
 * number of cases): never a 5xx, the API answers JSON (a 400/404 with an error, or notes),
 * pages answer HTML, and no hostile text comes back unescaped. PocketBase's own messages and
 * address never reach the public.
 */
import { expect, test } from "@playwright/test";
import fc from "fast-check";
import { ENDPOINTS } from "../../lib/openapi";

const app = () => process.env.E2E_APP_URL!;

const HOSTILE = [
  "'",
  '"',
  "' || 1=1 || '",
  "a && b",
  "~",
  "%",
  "_",
  "d%r",
  "\\",
  "@request.auth.id",
  "@collection.users.email",
  "{:nsapp}",
  "NaN",
  "Infinity",
  "-Infinity",
  "1e308",
  "-1",
  "0",
  "007",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "../../etc/passwd",
  "\u0000",
  "\u202e",
  "😀",
  "ünïcödé",
  "x".repeat(3000),
];
/** Raw escapes, some malformed, inserted into URLs as they are. */
const RAW = ["%E0%A4%A", "%", "%%", "%zz", "%00", "%2F..%2F", "%ff%fe", "%C0%AF"];

const PARAMS = [
  "range",
  "from",
  "to",
  "type",
  "os",
  "q",
  "outcome",
  "min",
  "sort",
  "page",
  "size",
  "aborts",
  "format",
  "theme",
  "bg",
  "compact",
  "title",
  "accent",
  "link",
  "app",
  "metric",
  "week",
  "repo",
];
/** Pages, embeds and files; the API routes come from the OpenAPI document, so a new endpoint is fuzzed from the day it is documented. */
const PAGES = [
  "/",
  "/apps",
  "/apps/{}",
  "/errors",
  "/errors/{}",
  "/os",
  "/methodology",
  "/api",
  "/embed",
  "/embed/summary",
  "/embed/app/{}",
  "/embed/outcomes",
  "/embed/failure-rate",
  "/embed/exit-codes",
  "/embed/os",
  "/embed/failing-apps",
  "/badge/{}.svg",
  "/badge/{}.json",
  "/digest",
  "/feed.xml",
  "/apps/{}/feed.xml",
  "/chart/{}.svg",
  "/og/apps/{}.png",
  "/og/errors/{}.png",
  "/og/{}",
  "/robots.txt",
  "/sitemap.xml",
  "/regressions",
];
const ROUTES = [...PAGES, ...ENDPOINTS.map((e) => e.path.replace(/\{[a-z]+\}/, "{}")), "/api/v1/apps.csv"];

const encoded = fc.oneof(
  fc.constantFrom(...HOSTILE).map(encodeURIComponent),
  fc.constantFrom(...RAW),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.string({ unit: "grapheme", maxLength: 20 }).map(encodeURIComponent),
  // (No "24h": overview.spec.ts needs the unfiltered 24-hour figures uncached when it runs.)
  fc.constantFrom("7d", "all", "lxc", "debian", "docker", "failed", "-runs", "2", "100", "csv", "dark", "ff6600", "installs"),
);

const request = fc.record({
  route: fc.constantFrom(...ROUTES),
  segment: encoded,
  params: fc.array(fc.tuple(fc.constantFrom(...PARAMS, "zz", "a[]"), encoded), { maxLength: 6 }),
});

test("hostile values in every parameter and path segment never cause a 5xx or come back unescaped", async ({ request: http }) => {
  test.setTimeout(240_000); // a hang guard: ~1.5 min on a loaded 2-core machine
  const seen: string[] = [];
  await fc.assert(
    fc.asyncProperty(request, async ({ route, segment, params }) => {
      const path = route.replace("{}", segment);
      const query = params.map(([k, v]) => `${k}=${v}`).join("&");
      const url = `${app()}${path}${query ? `?${query}` : ""}`;
      const res = await http.get(url, { maxRedirects: 0, failOnStatusCode: false });
      const status = res.status();
      seen.push(`${status} ${path}`);
      expect(status, url).toBeLessThan(500);
      const type = res.headers()["content-type"] ?? "";
      const body = status === 304 || status === 308 ? "" : await res.text();
      if (path.startsWith("/api/v1/") && status !== 308) {
        if (type.includes("json")) {
          const json = JSON.parse(body) as { error?: string; notes?: string[] };
          if (status >= 400) expect(typeof json.error, url).toBe("string");
          else expect(Array.isArray(json.notes), url).toBe(true);
        } else expect(type, url).toContain("text/csv");
      }
      // Reflected text is escaped: the raw payloads never appear as markup in HTML or SVG
      // (JSON and CSV carry them as data, under nosniff, never rendered as documents).
      if (/html|svg|xml/.test(type)) {
        expect(body, url).not.toContain("<script>alert(1)</script>");
        expect(body, url).not.toContain("<img src=x onerror");
      } else expect(res.headers()["x-content-type-options"], url).toBe("nosniff");
      expect(body, url).not.toMatch(/127\.0\.0\.1:\d+\/api\/collections/);
      expect(body, url).not.toContain("ClientResponseError");
    }),
    { seed: 20261129, numRuns: 1000 },
  );
  // The run reached every kind of route, including unknown segments (404) and bad options (400).
  expect(new Set(seen.map((s) => s.split(" ")[0])).size).toBeGreaterThan(2);
});

test("oversized requests get a status and a message, not a bare reset or an empty 431", async ({ request: http }) => {
  const res = await http.get(`${app()}/apps?q=${"x".repeat(20_000)}`, { failOnStatusCode: false });
  expect(res.status()).toBe(431);
  expect(await res.text()).toContain("too large");
  const repeated = await http.get(`${app()}/api/v1/apps?${Array.from({ length: 50 }, (_, i) => `type=vm&page=${i}`).join("&")}`);
  expect(repeated.status()).toBe(200);
});
