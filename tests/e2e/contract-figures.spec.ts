/**
 * The API's contract on the production build, part 1 (issue 20): the two figures that were
 * wrong, and the seams about what a figure means — each answer against SQL over the raw
 * records and against what the OpenAPI document says. The data has an app on two OSes up to
 * the current hour and an app whose two install types move apart (tests/support/contract-rows.ts).
 */
import { runsOf } from "../support/runs-of";
import { expect, test } from "@playwright/test";
import { addDays } from "../../lib/time";
import { OS_LABEL_SQL, OS_VERSION_LABEL_SQL } from "../support/labels";
import { sql } from "./data";

/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();

const base = () => `${process.env.E2E_APP_URL}/api/v1`;
const SUCCESS = "status IN ('sucess','success','done')";

interface AppRow {
  nsapp: string;
  type: string;
  runs: number;
  success: number;
  failed: number;
  failure_rate: number | null;
  previous: { runs: number; success: number; failed: number };
  rate_change: { change: number | null; points: number | null; significant: boolean } | null;
  runs_series: number[];
}

/** Runs, successes and failures per app and type over whole days, with an extra condition. */
function counts(from: string, to: string, where = "") {
  const rows = sql<{ k: string; runs: number; success: number; failed: number }>(
    `SELECT nsapp || '/' || type AS k, COUNT(*) AS runs, SUM(${SUCCESS}) AS success, SUM(status='failed') AS failed
     FROM ${RUNS} WHERE substr(created,1,10) BETWEEN ? AND ? ${where} GROUP BY 1`,
    from,
    to,
  );
  return new Map(rows.map(({ k, ...c }) => [k, c]));
}

const rate = (c: { success: number; failed: number } | undefined) => (c && c.success + c.failed > 0 ? c.failed / (c.success + c.failed) : null);

async function apps(request: import("@playwright/test").APIRequestContext, query: string): Promise<{ range: { from: string; to: string }; data: AppRow[] }> {
  const res = await request.get(`${base()}/apps?${query}`);
  expect(res.status(), query).toBe(200);
  return res.json();
}

test("rate change: each app and type has its own, equal to SQL, and a type filter leaves it as it is", async ({ request }) => {
  const all = await apps(request, "range=7d&q=coolify&min=0");
  const { from, to } = all.range;
  const now = counts(from, to);
  const before = counts(addDays(from, -7), addDays(from, -1));
  const rows = all.data.filter((r) => r.nsapp === "coolify");
  expect(rows.map((r) => r.type).sort()).toEqual(["addon", "lxc"]);
  for (const r of rows) {
    const k = `${r.nsapp}/${r.type}`;
    expect(r.previous, k).toEqual(before.get(k) ?? { runs: 0, success: 0, failed: 0 });
    expect(r.rate_change?.change, k).toBeCloseTo(rate(now.get(k))! - rate(before.get(k))!, 12);
    expect(r.rate_change?.points, `${k}: the deprecated alias`).toBe(r.rate_change?.change);
  }
  // Two types, two changes (the sum of both was shown for both).
  expect(rows[0]!.rate_change!.change).not.toBe(rows[1]!.rate_change!.change);
  const addon = await apps(request, "range=7d&q=coolify&min=0&type=addon");
  expect(addon.data.map((r) => [r.type, r.rate_change])).toEqual([["addon", rows.find((r) => r.type === "addon")!.rate_change]]);
});

test("an OS filter holds on a range that ends today: sparkline to the partial day, previous period and change", async ({ request }) => {
  const body = await apps(request, "range=7d&q=docker&os=ubuntu&min=0");
  const { from, to } = body.range;
  const row = body.data.find((r) => r.nsapp === "docker" && r.type === "lxc")!;
  const perDay = sql<{ day: string; runs: number; other: number }>(
    `SELECT substr(created,1,10) AS day, SUM(os_type = 'ubuntu') AS runs, SUM(os_type != 'ubuntu') AS other FROM ${RUNS}
     WHERE nsapp = 'docker' AND type = 'lxc' AND substr(created,1,10) BETWEEN ? AND ? GROUP BY 1`,
    from,
    to,
  );
  const days = Array.from({ length: 7 }, (_, i) => addDays(from, i));
  expect(row.runs_series).toEqual(days.map((d) => perDay.find((p) => p.day === d)?.runs ?? 0));
  // Today has docker runs on another OS too: a sparkline ignoring the filter would show them.
  expect(perDay.find((p) => p.day === to)?.other ?? 0).toBeGreaterThan(0);
  const where = "AND os_type = 'ubuntu'";
  const before = counts(addDays(from, -7), addDays(from, -1), where);
  expect(row.previous).toEqual(before.get("docker/lxc"));
  expect(row.rate_change?.change).toBeCloseTo(rate(counts(from, to, where).get("docker/lxc"))! - rate(before.get("docker/lxc"))!, 12);
});

test("rate_change.change is a fraction, points its deprecated alias — as the OpenAPI document says", async ({ request }) => {
  const doc = await (await request.get(`${base()}/openapi.json`)).json();
  const rc = doc.paths["/api/v1/apps"].get.responses["200"].content["application/json"].schema.properties.data.items.properties.rate_change.anyOf[0].properties;
  expect(rc.change.description).toContain("fraction");
  expect(rc.points.deprecated).toBe(true);
  const body = await apps(request, "range=30d&min=0&sort=-runs&size=25");
  for (const r of body.data) {
    if (r.rate_change?.change == null) continue;
    const prev = rate(r.previous)!;
    expect(r.rate_change.change, r.nsapp).toBeCloseTo(r.failure_rate! - prev, 12);
    expect(Math.abs(r.rate_change.change)).toBeLessThanOrEqual(1);
  }
  const csv = (await (await request.get(`${base()}/apps.csv?range=30d&min=0&sort=-runs&size=10`)).text()).split("\r\n")[0]!;
  // rate_change came in v1.1, after the v1.0 columns; later columns (v1.2's decided, v1.4's install time) come after it.
  expect(csv).toContain(",rate_change_points,rate_change_significant,newly_failing,recovered,rate_change,");
  expect(csv.split(",").slice(csv.split(",").indexOf("rate_change") + 1)).toEqual(["decided", "install_time_n", "install_time_p50", "install_time_p90"]);
});

test("min counts runs of every outcome, as README and OpenAPI say", async ({ request }) => {
  const body = await apps(request, "range=30d&min=20&sort=runs&size=100");
  const { from, to } = body.range;
  const want = [...counts(from, to)].filter(([, c]) => c.runs >= 20).length;
  expect((await (await request.get(`${base()}/apps?range=30d&min=20&size=10`)).json()).page.total).toBe(want);
  // Rows with 20 runs or more but fewer than 20 finished ones are listed.
  expect(body.data.some((r) => r.success + r.failed < 20 && r.runs >= 20)).toBe(true);
  const doc = await (await request.get(`${base()}/openapi.json`)).json();
  expect(doc.paths["/api/v1/apps"].get.parameters.find((p: { name: string }) => p.name === "min").description).toContain("every outcome");
});

test("sorting puts rows without a value last in both directions; one exit code's apps and OS rank alike", async ({ request }) => {
  for (const sort of ["failure_rate", "-failure_rate", "change", "-change"]) {
    const rows: AppRow[] = [];
    for (let page = 1; page <= 30; page++) {
      const body = await (await request.get(`${base()}/apps?range=7d&min=0&sort=${sort}&size=100&page=${page}`)).json();
      rows.push(...body.data);
      if (page >= body.page.pages) break;
    }
    const value = (r: AppRow) => (sort.endsWith("change") ? (r.rate_change?.change ?? null) : r.failure_rate);
    const firstMissing = rows.findIndex((r) => value(r) === null);
    expect(firstMissing, sort).toBeGreaterThan(0);
    expect(
      rows.slice(firstMissing).every((r) => value(r) === null),
      sort,
    ).toBe(true);
    const known = rows.slice(0, firstMissing).map((r) => value(r)!);
    expect(known, sort).toEqual([...known].sort((a, b) => (sort.startsWith("-") ? b - a : a - b)));
  }
  const code = (await (await request.get(`${base()}/errors/130?range=30d&size=100`)).json()).data;
  const runs = (r: { failed: number; aborted: number }) => r.failed + r.aborted;
  for (const list of [code.apps, code.os] as { failed: number; aborted: number }[][]) {
    expect(list.length).toBeGreaterThan(1);
    expect(list.map(runs)).toEqual([...list.map(runs)].sort((a, b) => b - a));
  }
});

test("run rows carry the labels every breakdown shows, not raw spellings", async ({ request }) => {
  const seen = new Set<string>();
  for (const nsapp of ["docker", "haos-vm"]) {
    const body = await (await request.get(`${base()}/apps/${nsapp}/runs?range=30d&outcome=success&size=100`)).json();
    const labels = sql<{ os: string; version: string }>(`SELECT DISTINCT ${OS_LABEL_SQL} AS os, ${OS_VERSION_LABEL_SQL} AS version FROM ${RUNS} WHERE nsapp = ?`, nsapp).map(
      (l) => `${l.os}|${l.version}`,
    );
    for (const r of body.data as { os_type: string; os_version: string }[]) {
      expect(labels, `${nsapp} ${r.os_type} ${r.os_version}`).toContain(`${r.os_type}|${r.os_version}`);
      seen.add(`${r.os_type}|${r.os_version}`);
    }
  }
  // Docker's Ubuntu runs are stored as "2404"; VM scripts send "n.d." or nothing.
  expect(seen).toContain("ubuntu|24.04");
  expect(seen).toContain("not reported|not reported");
  const breakdown = (await (await request.get(`${base()}/apps/docker?range=30d`)).json()).data.os.map((o: { label: string }) => o.label);
  expect(breakdown).toContain("ubuntu 24.04");
});
