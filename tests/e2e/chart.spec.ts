/**
 * The README chart (/chart/<nsapp>.svg) on the production build: an SVG image GitHub's proxy
 * passes (content type, nothing that runs or fetches), whose every bar equals SQL over the raw
 * records, which a real browser renders as an <img>, and whose numbers match the API.
 * (jellyfin: no test adds runs to it, so cached figures stay equal to SQL.)
 */
import { runsOf } from "../support/runs-of";
import { expect, test } from "@playwright/test";
import { formatInt, formatPercent } from "../../lib/format";
import { presetRange } from "../../lib/range";
import { wilson } from "../../lib/stats";
import { elements, selfContainedSvg } from "../support/svg";
import { children } from "../support/xml";
import { sql } from "./data";

/** The runs the default (official) figures count: what they must equal. */
const RUNS = runsOf();

const app = () => process.env.E2E_APP_URL!;
const IMAGE_CACHE = "public, max-age=0, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400";
const OUTCOME = `CASE WHEN status IN ('sucess','success','done') THEN 'success' WHEN status IN ('failed','aborted','installing') THEN status ELSE 'unknown' END`;
const KEYS = ["success", "failed", "aborted", "unknown", "installing"] as const;

type Day = Record<(typeof KEYS)[number], number> & { day: string };

/** Runs of `nsapp` per day and stored outcome over [from, to], every day (zeros included). */
function sqlDays(nsapp: string, from: string, to: string): Day[] {
  const rows = sql<{ day: string; outcome: string; n: number }>(
    `SELECT substr(created, 1, 10) AS day, ${OUTCOME} AS outcome, COUNT(*) AS n FROM ${RUNS}
     WHERE nsapp = ? AND substr(created, 1, 10) BETWEEN ? AND ? GROUP BY 1, 2`,
    nsapp,
    from,
    to,
  );
  const days: Day[] = [];
  for (let d = from; d <= to; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) {
    const day = { day: d, success: 0, failed: 0, aborted: 0, unknown: 0, installing: 0 };
    for (const r of rows.filter((x) => x.day === d)) day[r.outcome as (typeof KEYS)[number]] += r.n;
    days.push(day);
  }
  return days;
}

async function chart(request: import("@playwright/test").APIRequestContext, path: string) {
  const res = await request.get(`${app()}${path}`);
  const text = await res.text();
  return { res, text, root: selfContainedSvg(text) };
}

const bars = (root: ReturnType<typeof selfContainedSvg>) => elements(root).filter((e) => e.name === "g" && e.attrs["data-from"] !== undefined);

test("runs per day by outcome: an image GitHub's proxy takes, every bar equal to SQL", async ({ request }) => {
  const range = presetRange("30d", new Date());
  const { res, text, root } = await chart(request, "/chart/jellyfin.svg");
  expect(res.status()).toBe(200);
  const h = res.headers();
  expect(h["content-type"]).toBe("image/svg+xml; charset=utf-8");
  expect(h["cache-control"]).toBe(IMAGE_CACHE);
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["content-security-policy"]).toContain("default-src 'none'");
  expect(h["access-control-allow-origin"]).toBe("*");
  expect(Buffer.byteLength(text)).toBeLessThan(100_000);

  const want = sqlDays("jellyfin", range.from, range.to);
  const got = bars(root).map((b) => ({ day: b.attrs["data-from"], ...Object.fromEntries(KEYS.map((k) => [k, Number(b.attrs[`data-${k}`])])) }));
  expect(got).toEqual(want);
  const total = (k: (typeof KEYS)[number]) => want.reduce((n, d) => n + d[k], 0);
  const runs = KEYS.reduce((n, k) => n + total(k), 0);
  const n = total("success") + total("failed");
  expect(children(root, "title")[0]!.text).toBe("jellyfin: runs per day by outcome, last 30 days");
  const desc = children(root, "desc")[0]!.text;
  expect(desc).toContain(`${formatInt(runs)} runs (${formatInt(total("success"))} succeeded, ${formatInt(total("failed"))} failed`);
  expect(desc).toContain(`${formatPercent(total("success") / n)} succeeded (n ${formatInt(n)})`);
  // Each bar says its figures in words too.
  const first = want[0]!;
  expect(children(bars(root)[0]!, "title")[0]!.text).toContain(`${first.day}: ${formatInt(KEYS.reduce((s, k) => s + first[k], 0))} runs`);
});

test("failure rate over 7 days: each bin's failed of finished equals SQL, the headline its rate with the interval and n", async ({ request }) => {
  const range = presetRange("7d", new Date());
  const { res, root } = await chart(request, "/chart/jellyfin.svg?range=7d&metric=failure-rate&theme=dark");
  expect(res.status()).toBe(200);
  const days = sqlDays("jellyfin", range.from, range.to);
  for (const b of bars(root)) {
    const inBin = days.filter((d) => d.day >= b.attrs["data-from"]! && d.day <= b.attrs["data-to"]!);
    expect(Number(b.attrs["data-failed"]), b.attrs["data-from"]).toBe(inBin.reduce((n, d) => n + d.failed, 0));
    expect(Number(b.attrs["data-finished"]), b.attrs["data-from"]).toBe(inBin.reduce((n, d) => n + d.success + d.failed, 0));
  }
  expect(bars(root)[0]!.attrs["data-from"]).toBe(range.from);
  expect(bars(root).at(-1)!.attrs["data-to"]).toBe(range.to);
  const k = days.reduce((n, d) => n + d.failed, 0);
  const n = days.reduce((a, d) => a + d.success + d.failed, 0);
  const w = wilson(k, n)!;
  expect(children(root, "desc")[0]!.text).toContain(
    `${formatPercent(w.rate)} failed (95 % interval ${(w.low * 100).toFixed(1)}–${(w.high * 100).toFixed(1)} %, n ${formatInt(n)})`,
  );
});

test("a real browser renders it as an <img> on another page, and its numbers match the API", async ({ page, request }) => {
  await page.setContent(
    `<!doctype html><html lang="en"><body><img id="chart" src="${app()}/chart/jellyfin.svg?range=7d" alt="jellyfin installs" crossorigin="anonymous"></body></html>`,
  );
  const img = page.locator("#chart");
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && [i.naturalWidth, i.naturalHeight].join("×"))).toBe("800×310");
  // Drawn, not a broken-image placeholder: green bars (successes) are painted. (crossorigin: the
  // image's CORS header lets the test read its pixels.)
  const painted = await img.evaluate(async (i: HTMLImageElement) => {
    const c = document.createElement("canvas");
    c.width = i.naturalWidth;
    c.height = i.naturalHeight;
    const ctx = c.getContext("2d")!;
    ctx.drawImage(i, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let coloured = 0;
    for (let p = 0; p < data.length; p += 4) if (data[p + 1]! > data[p]! + 40 && data[p + 1]! > data[p + 2]! + 40) coloured++; // green: successes
    return coloured;
  });
  expect(painted).toBeGreaterThan(500);

  const api = (await (await request.get(`${app()}/api/v1/apps/jellyfin?range=7d`)).json()) as {
    data: { totals: Record<string, number>; series: ({ bucket: string } & Record<string, number>)[] };
  };
  const { root } = await chart(request, "/chart/jellyfin.svg?range=7d");
  expect(bars(root).map((b) => [b.attrs["data-from"], ...KEYS.map((k) => Number(b.attrs[`data-${k}`]))])).toEqual(api.data.series.map((p) => [p.bucket, ...KEYS.map((k) => p[k])]));
  expect(children(root, "desc")[0]!.text).toContain(`${formatInt(api.data.totals.runs!)} runs`);
});

test("an unknown app, a bad option or a hostile name is an image that says so, never a 5xx", async ({ request }) => {
  for (const [path, status, says] of [
    ["/chart/no-such-app.svg", 404, "Unknown app"],
    ["/chart/jellyfin.svg?metric=pie", 400, 'Ignored metric="pie"'],
    ["/chart/jellyfin.svg?range=2y", 400, 'Ignored range="2y"'],
    ["/chart/%3Cscript%3Ealert(1)%3C%2Fscript%3E.svg", 404, "Unknown app"],
    ["/chart/jellyfin.png", 404, "/chart/<app>.svg"],
  ] as const) {
    const res = await request.get(`${app()}${path}`);
    expect(res.status(), path).toBe(status);
    expect(res.headers()["content-type"], path).toBe("image/svg+xml; charset=utf-8");
    const root = selfContainedSvg(await res.text());
    expect(children(root, "desc")[0]!.text + children(root, "title")[0]!.text, path).toContain(says);
  }
});
