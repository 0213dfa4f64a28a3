/**
 * The API's contract on the production build, part 2 (issue 20): paging, ranges and their
 * points, freshness, the digest's edges and user aborts — each as the OpenAPI document, the
 * README and /methodology state it, and equal to SQL over the raw records.
 */
import { runsOf } from "../support/runs-of";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { weekOf } from "../../lib/buckets";
import { addDays, utcDay } from "../../lib/time";
import { sql } from "./data";

/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();

const base = () => `${process.env.E2E_APP_URL}/api/v1`;
const get = async (request: APIRequestContext, path: string) => {
  const res = await request.get(`${base()}${path}`);
  return { status: res.status(), headers: res.headers(), body: await res.json() };
};
const firstDay = () => sql<{ d: string }>("SELECT min(substr(created,1,10)) AS d FROM _dev_telemetry_data")[0]!.d;

test("paging: one rule on every paged list, stated in the OpenAPI document", async ({ request }) => {
  const doc = await (await request.get(`${base()}/openapi.json`)).json();
  expect(doc.info.description).toContain("first 5000 rows");
  expect(doc.paths["/api/v1/apps/{nsapp}/runs"].get.parameters.find((p: { name: string }) => p.name === "page").description).toContain("400");
  for (const path of ["/apps/docker/runs?range=30d&size=10", "/apps?range=30d&min=0&size=10", "/errors/100?range=30d&size=10"]) {
    const first = await get(request, path);
    expect(first.status, path).toBe(200);
    const { total, size, pages } = first.body.page;
    // Never a page that cannot be fetched; every row up to 5,000.
    expect(pages, path).toBe(Math.max(1, Math.ceil(Math.min(total, 5000) / size)));
    const last = await get(request, `${path}&page=${pages}`);
    expect(last.status, path).toBe(200);
    const rows = Array.isArray(last.body.data) ? last.body.data : last.body.data.apps;
    expect(rows.length, path).toBe(Math.min(total, 5000) - (pages - 1) * size);
    const past = await get(request, `${path}&page=${pages + 1}`);
    expect([past.status, past.body.error], path).toEqual([400, `page ${pages + 1} is past the last page (${pages}) of this list`]);
  }
  // Docker has more runs in 30 days than a list serves at 10 a page: the pages stop at 5,000 rows.
  const docker = (await get(request, "/apps/docker/runs?range=30d&size=10")).body.page;
  expect(docker.total).toBeGreaterThan(5000);
  expect(docker.pages).toBe(500);
});

test("range=all starts on the first day with data, and every series covers exactly the range", async ({ request }) => {
  const summary = await get(request, "/summary?range=all");
  expect(summary.body.range).toMatchObject({ preset: "all", from: firstDay(), to: utcDay(new Date()), bucket: "day" });
  expect(summary.body.data.series[0].bucket).toBe(firstDay());
  expect(summary.body.data.series.at(-1)).toMatchObject({ bucket: utcDay(new Date()), partial: true });
  // A code no run ever had: the same points, all zero — not 84 empty months.
  const used = new Set(sql<{ c: number }>("SELECT DISTINCT exit_code AS c FROM _dev_telemetry_data").map((r) => r.c));
  const absent = [...Array(256).keys()].find((c) => !used.has(c))!;
  const code = await get(request, `/errors/${absent}?range=all`);
  expect(code.body.data.series.map((p: { bucket: string }) => p.bucket)).toEqual(summary.body.data.series.map((p: { bucket: string }) => p.bucket));
  expect(code.body.data.series.every((p: { runs: number }) => p.runs === 0)).toBe(true);
});

test("series points follow the range's length (day ≤ 120, week ≤ 731, month beyond), as documented", async ({ request }) => {
  const today = utcDay(new Date());
  const expected: [number, string][] = [
    [120, "day"],
    [121, "week"],
    [731, "week"],
    [732, "month"],
  ];
  for (const [days, bucket] of expected) {
    const r = (await get(request, `/summary?from=${addDays(today, -(days - 1))}&to=${today}`)).body.range;
    expect([days, r.bucket]).toEqual([days, bucket]);
  }
  const doc = await (await request.get(`${base()}/openapi.json`)).json();
  const rangeParam = doc.paths["/api/v1/summary"].get.parameters.find((p: { name: string }) => p.name === "range").description;
  expect(rangeParam).toContain("days up to 120 days, weeks up to 731");
  const methodology = (await (await request.get(`${process.env.E2E_APP_URL}/methodology`)).text()).replace(/<!-- -->/g, "");
  expect(methodology).toContain("per day for ranges up to 120 days, per week (Monday to Sunday) up to 731 days");
});

test("an app's insights honour range.bucket: weekly points with partial flags, each point's figures equal SQL", async ({ request }) => {
  const { body } = await get(request, "/apps/docker/insights?range=365d");
  expect(body.range.bucket).toBe("week");
  const series = body.data.series as { bucket: string; partial: boolean; runs: number; failed: number; decided: number }[];
  expect(series).toHaveLength(53);
  expect(series.every((p) => weekOf(p.bucket) === p.bucket)).toBe(true);
  expect(series[0]!.partial).toBe(weekOf(body.range.from) < body.range.from);
  expect(series.at(-1)!.partial).toBe(true);
  const weeks = sql<{ day: string; runs: number; failed: number; decided: number }>(
    `SELECT substr(created,1,10) AS day, COUNT(*) AS runs, SUM(status='failed') AS failed, SUM(status IN ('sucess','success','done','failed')) AS decided
     FROM ${RUNS} WHERE nsapp = 'docker' AND substr(created,1,10) BETWEEN ? AND ? GROUP BY 1`,
    body.range.from,
    body.range.to,
  );
  const want = new Map<string, [number, number, number]>();
  for (const d of weeks) {
    const w = want.get(weekOf(d.day)) ?? [0, 0, 0];
    want.set(weekOf(d.day), [w[0] + d.runs, w[1] + d.failed, w[2] + d.decided]);
  }
  for (const p of series) expect([p.runs, p.failed, p.decided], p.bucket).toEqual(want.get(p.bucket) ?? [0, 0, 0]);
});

test("every answer says when its figures were read, at most a minute before the dashboard sent it", async ({ request }) => {
  for (const path of ["/summary?range=7d", "/apps?range=7d", "/errors", "/digest", "/apps/docker/insights?range=7d"]) {
    const first = await request.get(`${base()}${path}`);
    const again = await request.get(`${base()}${path}`); // a response-cache hit, or a fresh render
    for (const res of [first, again]) {
      const body = await res.json();
      const lastModified = Date.parse(res.headers()["last-modified"] ?? "");
      expect(Math.floor(Date.parse(body.data_as_of) / 1000) * 1000, path).toBe(lastModified);
      // Complete weeks (the digest) are settled: up to 15 minutes.
      expect(Date.now() - Date.parse(body.data_as_of), path).toBeLessThanOrEqual(path === "/digest" ? 15 * 60_000 : 61_000);
    }
  }
  for (const path of ["/embed/summary", "/badge/docker.svg", "/apps/docker", "/feed.xml"]) {
    const res = await request.get(`${process.env.E2E_APP_URL}${path}`);
    expect(res.status(), path).toBe(200);
    expect(Date.now() - Date.parse(res.headers()["last-modified"] ?? ""), path).toBeLessThanOrEqual(path === "/feed.xml" ? 15 * 60_000 : 61_000);
  }
});

test("the digest: a week before the data names the first week with data; q_value is null exactly when untested", async ({ request }) => {
  const early = await get(request, "/digest?week=2019-12-30");
  expect(early.body.notes).toEqual([`Ignored week=2019-12-30: the first week with data is the one from ${weekOf(firstDay())}; showing the last complete week.`]);
  const first = await get(request, `/digest?week=${weekOf(firstDay())}`);
  expect(first.body.data.week.previous).toBeNull();
  const d = first.body.data.week.next ? (await get(request, `/digest?week=${first.body.data.week.next}`)).body.data : first.body.data;
  const listed = [...d.newly_failing, ...d.recovered, ...d.still_failing, ...d.movers.runs, ...d.movers.failure_rate] as {
    failed: number;
    decided: number;
    previous_failed: number;
    previous_decided: number;
    q_value: number | null;
  }[];
  expect(listed.length).toBeGreaterThan(0);
  for (const a of listed) {
    const pooled = a.failed + a.previous_failed;
    const untested = a.decided < 10 || a.previous_decided < 10 || pooled === 0 || pooled === a.decided + a.previous_decided;
    expect(a.q_value === null).toBe(untested);
  }
});

test("user aborts: one rule on /errors and /apps/{nsapp}, with the same aborts parameter", async ({ request }) => {
  const left = await get(request, "/apps/docker?range=30d");
  const included = await get(request, "/apps/docker?range=30d&aborts=include");
  expect([left.body.notes, left.body.data.user_aborts_included, included.body.data.user_aborts_included]).toEqual([[], false, true]);
  const { from, to } = left.body.range;
  const byCode = (where: string) =>
    new Map(
      sql<{ c: number; failed: number; aborted: number }>(
        `SELECT exit_code AS c, SUM(status='failed') AS failed, SUM(status='aborted') AS aborted FROM ${RUNS}
         WHERE nsapp = 'docker' AND substr(created,1,10) BETWEEN ? AND ? AND ${where} GROUP BY 1`,
        from,
        to,
      ).map((r) => [r.c, [r.failed, r.aborted]]),
    );
  const codes = (b: { data: { exit_codes: { exit_code: number; failed: number; aborted: number }[] } }) =>
    new Map(b.data.exit_codes.map((c) => [c.exit_code, [c.failed, c.aborted]]));
  expect(codes(included.body)).toEqual(byCode("status IN ('failed','aborted')"));
  const withoutAborts = byCode("status = 'failed' AND exit_code NOT IN (129, 130, 143)");
  expect(codes(left.body)).toEqual(new Map([...withoutAborts].map(([c, [f]]) => [c, [f, 0]])));
  expect(codes(included.body).has(130)).toBe(true);
  // /errors leaves out the same runs.
  const errors = await get(request, "/errors?range=30d");
  expect(errors.body.data.some((c: { exit_code: number }) => [129, 130, 143].includes(c.exit_code))).toBe(false);
  const doc = await (await request.get(`${base()}/openapi.json`)).json();
  expect(doc.paths["/api/v1/apps/{nsapp}"].get.parameters.map((p: { name: string }) => p.name)).toContain("aborts");
});

test("the API changelog is on /api, linked, with every decision of this contract", async ({ page }) => {
  await page.goto(`${process.env.E2E_APP_URL}/api`);
  await page.getByRole("link", { name: "changes", exact: true }).click(); // not an endpoint whose path has "changes" in it
  await expect(page).toHaveURL(/#changes$/);
  // The contract's release, wherever later releases put it.
  const release = page.getByTestId("api-release").filter({ hasText: "One contract (issue 20)" });
  for (const heading of ["Corrected figures", "Changed meaning", "Additions", "Deprecated"]) await expect(release.getByRole("heading", { name: heading })).toBeVisible();
  await expect(release).toContainText("rate_change.points");
});
