/**
 * The public API on the production build: every endpoint answers its documented schema
 * (lib/api-schemas.ts, the source of /api/v1/openapi.json), figures equal SQL, CSV for tables,
 * clear errors, cache headers.
 */
import { runsOf } from "../support/runs-of";
import { expect, test } from "@playwright/test";
import type { z } from "zod";
import * as S from "../../lib/api-schemas";
import { sql } from "./data";

/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();

const base = () => `${process.env.E2E_APP_URL}/api/v1`;

const CONTRACTS: [string, z.ZodType][] = [
  ["/summary?range=7d", S.SummarySchema],
  ["/summary?range=all&type=vm", S.SummarySchema],
  ["/apps?range=90d&type=lxc", S.AppsSchema],
  ["/apps?range=24h&min=0", S.AppsSchema],
  ["/apps/docker?range=365d", S.AppSchema],
  ["/apps/docker/runs?outcome=failed&size=10", S.RunsSchema],
  ["/errors?aborts=include", S.ExitCodesSchema],
  ["/errors/100?range=90d", S.ExitCodeSchema],
  ["/os?type=lxc", S.OsSchema],
  ["/regressions?range=30d", S.RegressionsSchema],
  ["/incidents?range=7d", S.IncidentsSchema],
  ["/apps/docker/insights?range=90d", S.AppInsightsSchema],
  ["/apps/jellyfin/changes?range=30d", S.ChangesSchema],
  ["/apps/jellyfin/failing-commands?range=30d", S.FailingCommandsSchema],
  ["/apps/pii-probe/failing-commands?range=24h", S.FailingCommandsSchema],
  ["/digest", S.DigestSchema],
  ["/durations?range=30d", S.DurationsSchema],
  ["/durations?repo=dev&sort=-failed_p90&min=0", S.DurationsSchema],
  ["/durations?range=24h&repo=all", S.DurationsSchema],
  ["/testing?range=30d", S.TestingSchema],
  ["/apps/ollama/hardware?range=30d", S.AppHardwareSchema],
  ["/apps/ollama/hardware?range=24h", S.AppHardwareSchema],
  ["/hardware?range=90d&type=vm", S.HardwareSchema],
];

test("every endpoint answers exactly its documented schema, and the OpenAPI document lists them all", async ({ request }) => {
  for (const [path, schema] of CONTRACTS) {
    const res = await request.get(`${base()}${path}`);
    expect(res.status(), path).toBe(200);
    const parsed = schema.safeParse(await res.json());
    expect(parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 3)), path).toBe("");
  }
  const doc = await (await request.get(`${base()}/openapi.json`)).json();
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths).sort()).toEqual(
    [
      "/api/v1/summary",
      "/api/v1/apps",
      "/api/v1/apps/{nsapp}",
      "/api/v1/apps/{nsapp}/runs",
      "/api/v1/apps/{nsapp}/insights",
      "/api/v1/apps/{nsapp}/changes",
      "/api/v1/apps/{nsapp}/failing-commands",
      "/api/v1/errors",
      "/api/v1/errors/{code}",
      "/api/v1/os",
      "/api/v1/regressions",
      "/api/v1/incidents",
      "/api/v1/digest",
      "/api/v1/durations",
      "/api/v1/testing",
      "/api/v1/apps/{nsapp}/hardware",
      "/api/v1/hardware",
    ].sort(),
  );
  expect(doc.paths["/api/v1/apps"].get.responses["200"].content["application/json"].schema.properties.data.items.required).toContain("failure_low");
});

test("apps JSON equals SQL for a filtered, sorted page, with cache headers and no PocketBase internals", async ({ request }) => {
  const res = await request.get(`${base()}/apps?range=90d&type=lxc&min=20&sort=-runs&size=10`);
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toContain("s-maxage=60");
  expect(res.headers()["cache-control"]).toContain("stale-while-revalidate");
  const body = await res.json();
  const from: string = body.range.from;
  const to: string = body.range.to;
  const want = sql<{ nsapp: string; runs: number; failed: number; decided: number }>(
    `SELECT nsapp, COUNT(*) AS runs, SUM(status='failed') AS failed, SUM(status IN ('sucess','success','done','failed')) AS decided FROM ${RUNS}
     WHERE type='lxc' AND substr(created,1,10) BETWEEN ? AND ? GROUP BY nsapp HAVING runs >= 20 ORDER BY runs DESC, nsapp LIMIT 10`,
    from,
    to,
  );
  expect(body.data.map((r: { nsapp: string; runs: number; failed: number }) => [r.nsapp, r.runs, r.failed])).toEqual(want.map((r) => [r.nsapp, r.runs, r.failed]));
  expect(body.data.map((r: { decided: number }) => r.decided)).toEqual(want.map((r) => r.decided));
  const total = sql<{ n: number }>(
    `SELECT COUNT(*) AS n FROM (SELECT nsapp FROM ${RUNS} WHERE type='lxc' AND substr(created,1,10) BETWEEN ? AND ? GROUP BY nsapp HAVING COUNT(*) >= 20)`,
    from,
    to,
  )[0]!.n;
  expect(body.page).toEqual({ number: 1, size: 10, total, pages: Math.ceil(total / 10) });
  const text = JSON.stringify(body);
  for (const internal of ["collectionId", "collectionName", "range_from", '"id"']) expect(text).not.toContain(internal);
});

test("range=24h: hourly series and per-code totals over the last 24 hours equal SQL", async ({ request }) => {
  // type=lxc: the overview spec needs the unfiltered 24-hour summary uncached.
  const summary = await (await request.get(`${base()}/summary?range=24h&type=lxc`)).json();
  expect(summary.range).toMatchObject({ preset: "24h", grain: "hour", bucket: "hour" });
  const { from, to } = summary.range as { from: string; to: string };
  const buckets = (summary.data.series as { bucket: string; failed: number }[]).map((b) => b.bucket);
  expect(buckets).toHaveLength(24);
  expect(buckets[0]).toBe(from);
  expect(buckets[23]).toBe(to);
  const perHour = sql<{ hour: string; failed: number }>(
    `SELECT substr(created,1,13) AS hour, SUM(status='failed') AS failed FROM ${RUNS} WHERE type='lxc' AND substr(created,1,13) BETWEEN ? AND ? GROUP BY 1`,
    from,
    to,
  );
  for (const b of summary.data.series as { bucket: string; failed: number }[]) expect(b.failed, b.bucket).toBe(perHour.find((h) => h.hour === b.bucket)?.failed ?? 0);

  const codes = await (await request.get(`${base()}/errors?range=24h&aborts=include`)).json();
  const want = sql<{ code: number; n: number }>(
    `SELECT exit_code AS code, COUNT(*) AS n FROM ${RUNS} WHERE status IN ('failed','aborted') AND substr(created,1,13) BETWEEN ? AND ? GROUP BY 1`,
    codes.range.from,
    codes.range.to,
  );
  const got = codes.data as { exit_code: number; failed: number; aborted: number }[];
  expect(new Map(got.map((c) => [c.exit_code, c.failed + c.aborted]))).toEqual(new Map(want.map((w) => [w.code, w.n])));
  const csv = await request.get(`${base()}/summary.csv?range=24h&type=lxc`);
  expect(csv.headers()["content-disposition"]).toMatch(/filename="summary-\d{4}-\d{2}-\d{2}T\d{2}-\d{4}-\d{2}-\d{2}T\d{2}\.csv"/);
});

test("CSV: every table endpoint answers text/csv with a header row, with format=csv and with a .csv suffix alike", async ({ request }) => {
  for (const path of ["/summary", "/apps", "/apps/docker", "/apps/docker/runs", "/errors", "/errors/100", "/os", "/durations", "/testing"]) {
    const res = await request.get(`${base()}${path}?format=csv&range=30d`);
    expect(res.status(), path).toBe(200);
    expect(res.headers()["content-type"]).toContain("text/csv");
    const text = await res.text();
    const lines = text.trim().split("\r\n");
    expect(lines.length, path).toBeGreaterThan(1);
    expect(lines[0]).toMatch(/^[a-z][a-z0-9_]*(,[a-z][a-z0-9_]*)*$/);
    const suffixed = await request.get(`${base()}${path}.csv?range=30d`);
    expect(suffixed.headers()["content-type"], `${path}.csv`).toContain("text/csv");
    // Served by the one server in one hop: the same cache entry, no internal rewrite URL shown.
    // The first answer is stored only while its figures are younger than s-maxage (60 s); the data
    // cache may have handed it figures read up to 60 s earlier (another test's), and then nothing
    // was stored and the suffixed request renders anew. Any other MISS means two cache keys.
    if (suffixed.headers()["x-cache"] !== "HIT") {
      const dataAge = (Date.parse(res.headers().date!) - Date.parse(res.headers()["last-modified"]!)) / 1000;
      expect(dataAge, `${path}.csv was ${suffixed.headers()["x-cache"]} though ${path}?format=csv had fresh figures`).toBeGreaterThanOrEqual(59);
    }
    expect(suffixed.headers()["x-middleware-rewrite"], `${path}.csv`).toBeUndefined();
    expect(await suffixed.text(), `${path}.csv`).toBe(text);
    // Nothing matched (a week before the data): the same header row, no rows.
    const empty = await request.get(`${base()}${path}.csv?from=2020-01-01&to=2020-01-07`);
    expect(empty.status(), `${path} empty`).toBe(200);
    expect((await empty.text()).split("\r\n")[0], `${path} empty`).toBe(lines[0]);
  }
  const errors = await (await request.get(`${base()}/errors.csv`)).text();
  const failed100 = sql<{ n: number }>(`SELECT COUNT(*) AS n FROM ${RUNS} WHERE exit_code = 100 AND status = 'failed' AND substr(created,1,10) >= date('now','-29 days')`)[0]!.n;
  const row = errors.split("\r\n").find((l) => l.startsWith("100,"))!;
  expect(row).toContain(`,${failed100},`);
});

test("bad input: notes or 400/404 with a JSON message, never a 500", async ({ request }) => {
  const notes = await request.get(`${base()}/apps?range=zzz&min=-4&sort=evil`);
  expect(notes.status()).toBe(200);
  expect((await notes.json()).notes).toHaveLength(3);
  // A parameter an endpoint does not use is named, never silently ignored.
  const unused = await (await request.get(`${base()}/summary?type=pve&os=debian&outcome=failed`)).json();
  expect(unused.data.type).toBe("pve");
  expect(unused.notes).toEqual(["Ignored os: this endpoint does not use it.", "Ignored outcome: this endpoint does not use it."]);
  const outcome = await (await request.get(`${base()}/apps/docker/runs?outcome=exploded&size=10`)).json();
  expect(outcome.notes.join(" ")).toContain('outcome="exploded"');
  expect(outcome.data).toHaveLength(10);
  expect((await request.get(`${base()}/apps?format=xml`)).status()).toBe(400);
  expect((await request.get(`${base()}/apps/docker/runs?page=999`)).status()).toBe(400);
  // Unknown apps and codes; paths that name no endpoint (JSON too, not the HTML not-found page).
  for (const path of ["/apps/no-such-app", "/apps/%22%27%3B", "/errors/256", "/errors/abc", "/errors/007", "", "/nope", "/apps/docker/nope", "/nope.csv"]) {
    const res = await request.get(`${base()}${path}`);
    expect(res.status(), path).toBe(404);
    expect(res.headers()["content-type"], path).toBe("application/json");
    expect(typeof (await res.json()).error).toBe("string");
  }
});
