/**
 * Script changes on the production build over the e2e data, which carries the demo's seeded
 * changes (scripts/lib/demo-changes.ts): an app's changes equal SQL over `script_changes`; each
 * seeded regression's likely cause is its seeded change and no unrelated change is named first;
 * CSV and unknown apps.
 */
import { expect, test } from "@playwright/test";
import { demoChanges } from "../../scripts/lib/demo-changes";
import { sql } from "./data";

const base = () => `${process.env.E2E_APP_URL}/api/v1`;

test("an app's changes equal SQL: its own files and the shared libraries of its type, newest first", async ({ request }) => {
  const body = await (await request.get(`${base()}/apps/jellyfin/changes?range=30d`)).json();
  const from = `${body.range.from} 00:00:00.000Z`;
  const to = `${body.range.to} 23:59:59.999Z`;
  const want = sql<{ sha: string; kind: string }>(
    `SELECT sha, CASE WHEN EXISTS (SELECT 1 FROM json_each(apps) WHERE value = 'jellyfin') THEN 'app' ELSE 'shared' END AS kind
     FROM script_changes
     WHERE COALESCE(NULLIF(pushed, ''), committed) BETWEEN ? AND ?
       AND (EXISTS (SELECT 1 FROM json_each(apps) WHERE value = 'jellyfin') OR EXISTS (SELECT 1 FROM json_each(shared) WHERE value IN ('all', 'lxc')))
     ORDER BY committed DESC, sha DESC`,
    from,
    to,
  );
  expect(want.length).toBeGreaterThanOrEqual(2);
  expect(body.data.map((c: { sha: string; kind: string }) => ({ sha: c.sha, kind: c.kind }))).toEqual(want);
  expect(body.totals).toEqual({ changes: want.length, app: want.filter((w) => w.kind === "app").length, shared: want.filter((w) => w.kind === "shared").length });
  for (const c of body.data) expect(c.url).toBe(`https://github.com/${c.repository}/commit/${c.sha}`);

  const csv = await request.get(`${base()}/apps/jellyfin/changes.csv?range=30d`);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).split("\r\n").filter(Boolean);
  expect(lines[0]).toBe("repository,sha,url,message,committed,pushed,paths,apps,shared,kind");
  expect(lines).toHaveLength(want.length + 1);
  expect((await request.get(`${base()}/apps/no-such-app-xyz/changes`)).status()).toBe(404);
});

test("each seeded regression's likely cause is its seeded change; unrelated changes are never named first", async ({ request }) => {
  const body = await (await request.get(`${base()}/regressions?range=30d`)).json();
  const seeded = demoChanges(new Date(process.env.E2E_DATA_END!));
  const unrelated = new Set(seeded.filter((c) => !c.causes).map((c) => c.sha));
  let named = 0;
  for (const cause of seeded.filter((c) => c.causes)) {
    const r = body.data.find((x: { nsapp: string }) => x.nsapp === cause.apps[0]);
    if (!r) continue; // a regression the scan did not find at this volume is the insights' test
    expect(r.likely_causes[0]?.sha, r.nsapp).toBe(cause.sha);
    expect(r.likely_causes[0].hours_before).toBeLessThanOrEqual(72);
    named++;
  }
  expect(named).toBeGreaterThanOrEqual(5);
  for (const r of body.data) {
    if (r.likely_causes[0]) expect(unrelated.has(r.likely_causes[0].sha), `${r.nsapp} blames an unrelated change`).toBe(false);
  }
  const header = (await (await request.get(`${base()}/regressions.csv?range=30d`)).text()).split("\r\n")[0];
  // Appended in v1.3; v1.5 appended the failing command after them.
  expect(header).toMatch(
    /,likely_cause_sha,likely_cause_url,likely_cause_message,likely_cause_hours_before,baseline_failed,baseline_decided,failing_command,failing_command_line$/,
  );
});

test("/regressions names each regression's likely change and links a prefilled GitHub issue with its figures", async ({ page, request }) => {
  const seeded = demoChanges(new Date(process.env.E2E_DATA_END!)).find((c) => c.causes === "jellyfin-apt")!;
  const api = await (await request.get(`${base()}/regressions?range=30d`)).json();
  const r = api.data.find((x: { nsapp: string }) => x.nsapp === "jellyfin");
  await page.goto(`${process.env.E2E_APP_URL}/regressions`);
  const row = page.locator('[data-testid="regressions"] tr[data-app="jellyfin"]').first();
  await expect(row.getByRole("link", { name: seeded.message })).toHaveAttribute("href", seeded.url);
  const href = await row.getByRole("link", { name: "Report on GitHub" }).getAttribute("href");
  const url = new URL(href!);
  expect(`${url.origin}${url.pathname}`).toBe("https://github.com/community-scripts/ProxmoxVE/issues/new");
  expect(url.searchParams.get("template")).toBe("bug_report.yml");
  expect(url.searchParams.get("script_name")).toBe("jellyfin");
  const pct = (f: number, d: number) => `${((f / d) * 100).toFixed(1)} %`;
  expect(url.searchParams.get("title")).toBe(
    `jellyfin: failure rate up from ${pct(r.baseline_failed, r.baseline_decided)} to ${pct(r.failed, r.decided)} since ${r.start} (exit code 100)`,
  );
  const report = url.searchParams.get("issue_description")!;
  expect(report).toContain(`**Failure rate since:** ${pct(r.failed, r.decided)} (${r.failed.toLocaleString("en-US")} of ${r.decided.toLocaleString("en-US")} finished runs)`);
  expect(report).toContain(`**Failure rate before:** ${pct(r.baseline_failed, r.baseline_decided)} (${r.baseline_failed.toLocaleString("en-US")} of`);
  expect(report).toContain(`(${seeded.url}) (${seeded.sha.slice(0, 7)},`);
  expect(report).toContain(`/apps/jellyfin?from=${r.start.slice(0, 10)}&to=${r.last.slice(0, 10)}`);
  expect(href!.length).toBeLessThanOrEqual(8000);

  // The app's Atom feed carries the likely change too.
  const feed = await (await request.get(`${process.env.E2E_APP_URL}/apps/jellyfin/feed.xml`)).text();
  expect(feed).toMatch(/Likely change: (&quot;|")Jellyfin: install from the upstream repository/);
  expect(feed).toContain(seeded.url);
});

test("an app page marks its script changes on the charts, lists them, and names a regression's likely change", async ({ page }) => {
  const seeded = demoChanges(new Date(process.env.E2E_DATA_END!)).filter((c) => c.apps.includes("jellyfin"));
  const cause = seeded.find((c) => c.causes === "jellyfin-apt")!;
  await page.goto(`${process.env.E2E_APP_URL}/apps/jellyfin`);
  const list = page.getByTestId("app-changes");
  // Every seeded change to jellyfin's files is listed (the website-only one too: the list says what changed).
  for (const c of seeded) await expect(list.getByRole("link", { name: c.message })).toHaveAttribute("href", c.url);
  const note = page.getByTestId("regression").first();
  await expect(note.getByTestId("likely-change")).toHaveAttribute("href", cause.url);
  await expect(note.getByTestId("report-issue")).toHaveAttribute("href", /^https:\/\/github\.com\/community-scripts\/ProxmoxVE\/issues\/new\?template=bug_report\.yml&/);
  // The charts mark the change that runs (not the website-only one) with its short sha, as the list shows it beside the link.
  await page.locator(".charts").first().scrollIntoViewIfNeeded();
  await expect(page.locator(`.charts svg text[data-change="${cause.sha.slice(0, 7)}"]`)).toHaveCount(2);
  const websiteOnly = seeded.find((c) => c.paths.every((p) => p.endsWith(".json")))!;
  await expect(page.locator(`.charts svg text[data-change="${websiteOnly.sha.slice(0, 7)}"]`)).toHaveCount(0);
});
