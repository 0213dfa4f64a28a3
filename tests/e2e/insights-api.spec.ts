/**
 * The insight endpoints on the production build over the e2e data (30 days at 3,000 runs a day,
 * ending two hours ago, with the generator's seeded events): the seeded regressions and the
 * incident are listed with their dates, an environment-specific regression's app names its
 * trait, figures equal SQL, CSV works, unknown apps are a 404.
 */
import { runsOf } from "../support/runs-of";
import { expect, test } from "@playwright/test";
import { sql, truth } from "./data";

/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();

const base = () => `${process.env.E2E_APP_URL}/api/v1`;

test("regressions list the largest seeded regression with its dates and code, figures equal to SQL", async ({ request }) => {
  const res = await request.get(`${base()}/regressions?range=30d`);
  expect(res.status()).toBe(200);
  const body = await res.json();
  const jellyfin = truth().get("jellyfin-apt")!;
  const r = body.data.find((x: { nsapp: string }) => x.nsapp === "jellyfin");
  expect(r).toMatchObject({ start: jellyfin.start, end: jellyfin.last });
  expect(r.exit_codes[0].exit_code).toBe(100);
  const [want] = sql<{ failed: number; decided: number }>(
    `SELECT SUM(status='failed') AS failed, SUM(status IN ('sucess','success','done','failed')) AS decided FROM ${RUNS}
     WHERE nsapp = 'jellyfin' AND substr(created,1,10) BETWEEN ? AND ?`,
    r.start,
    r.last,
  );
  expect([r.failed, r.decided]).toEqual([want!.failed, want!.decided]);
  const open = body.data.filter((x: { end: string | null }) => x.end === null).length;
  expect(body.totals).toEqual({ regressions: body.data.length, open });
  expect(body.data.slice(0, open).every((x: { end: string | null }) => x.end === null)).toBe(true); // open first
});

test("incidents list the seeded cross-app incident in the hourly window, with its apps", async ({ request }) => {
  const body = await (await request.get(`${base()}/incidents?range=7d`)).json();
  const seeded = truth().get("github-http-22")!;
  const i = body.data.find((x: { exit_code: number | null }) => x.exit_code === 22);
  expect(i).toMatchObject({ start: seeded.start, end: seeded.last, category: "network" });
  expect(i.apps.filter((a: { nsapp: string }) => seeded.apps.includes(a.nsapp)).length).toBeGreaterThanOrEqual(5);
  const csv = await request.get(`${base()}/incidents.csv?range=7d`);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect((await csv.text()).split("\r\n")[0]).toContain("exit_code,category,label,start,end");
});

test("an app's insights name the PVE version its regression hit, and give the rate series as CSV", async ({ request }) => {
  const body = await (await request.get(`${base()}/apps/nginxproxymanager/insights?range=30d`)).json();
  expect(body.data.unusual.map((c: { sentence: string }) => c.sentence).join(" | ")).toMatch(/more often on PVE 9\.2: /);
  expect(body.data.series).toHaveLength(30);
  expect(body.data.totals.actionable_failed).toBe(body.data.totals.failed - body.data.totals.outside_failed);
  const csv = await (await request.get(`${base()}/apps/nginxproxymanager/insights.csv?range=24h`)).text();
  expect(csv.split("\r\n").filter(Boolean)).toHaveLength(25); // header + 24 hours
  expect((await request.get(`${base()}/apps/no-such-app-xyz/insights`)).status()).toBe(404);
});
