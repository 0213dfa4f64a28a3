/**
 * One chart each: outcome trend, failure-rate trend, top exit codes, OS distribution, most
 * failing apps. Overall, or one app where `app` is given (not for most failing apps).
 */
import { OUTCOME_SERIES, STORED_SERIES } from "../../outcome-style";
import { fetchAppDetail, fetchAppList, fetchExitCodeRanking, fetchOsVersions, fetchOverview } from "../../data";
import { exitCodeInfo } from "../../exit-codes";
import { formatInt, formatInterval, formatPercent } from "../../format";
import { rangeHref, viewHref, type ViewState } from "../../params";
import { osLabel } from "../../labels";
import { VIEWS } from "../../views";
import { wilson } from "../../stats";
import { bucketLabel } from "../../time";
import { MIN_SAMPLE } from "../catalog";
import { binLabel, binSeries, binSize, dataTable, rateBinSize, horizontalBars, rateLine, stackedBars, type BarRow } from "../charts";
import { html } from "../html";
import { binUnit, type WidgetRenderer } from "./types";

const plotHeight = (compact: boolean) => (compact ? 80 : 120);
const rows = (compact: boolean) => (compact ? 5 : 8);
const appPath = (nsapp: string) => `/apps/${encodeURIComponent(nsapp)}`;
const share = (part: number, whole: number) => formatPercent(whole === 0 ? null : part / whole);

/** Outcome series of every app (six outcomes) or one app (stored outcomes: installing not split). */
async function outcomeSeries(view: ViewState, app: string | null) {
  if (app) {
    const d = await fetchAppDetail(app, view.range, false);
    return { name: d.catalogue[0]?.name ?? app, points: d.series, series: STORED_SERIES, href: rangeHref(appPath(app), view) };
  }
  const o = await fetchOverview(view.range, view.type);
  return { name: null, points: o.series, series: OUTCOME_SERIES, href: rangeHref("/", view) };
}

export const outcomesWidget: WidgetRenderer = async ({ view, app, compact }) => {
  const s = await outcomeSeries(view, app);
  const keys = s.series.map((x) => x.key);
  // Both series lists name keys of their own point type; the cast joins the two shapes.
  const bins = binSeries(s.points as unknown as ({ bucket: string } & Record<string, number>)[], keys);
  const unit = binUnit(view.range.bucket, binSize(s.points.length));
  const total = bins.reduce((n, b) => n + keys.reduce((m, k) => m + (b.counts[k] ?? 0), 0), 0);
  const failed = bins.reduce((n, b) => n + (b.counts.failed ?? 0), 0);
  const label = `Install runs ${unit}${s.name ? ` of ${s.name}` : ""}, ${bucketLabel(view.range.from)} to ${bucketLabel(view.range.to)}: ${formatInt(total)} runs, ${formatInt(failed)} failed`;
  const body = html`${stackedBars(bins, s.series, label, plotHeight(compact))}${
    compact
      ? html``
      : dataTable(
          "Data table",
          ["Bucket", ...s.series.map((x) => x.label)],
          bins.map((b) => [binLabel(b), ...keys.map((k) => formatInt(b.counts[k] ?? 0))]),
        )
  }`;
  return { title: s.name ? `${s.name}: outcomes ${unit}` : `Outcomes ${unit}`, body, href: s.href };
};

export const failureRateWidget: WidgetRenderer = async ({ view, app, compact }) => {
  const s = await outcomeSeries(view, app);
  const size = rateBinSize(
    s.points.map((p) => p.success + p.failed),
    MIN_SAMPLE,
  );
  const bins = binSeries(s.points, ["success", "failed"] as const, size);
  const unit = binUnit(view.range.bucket, size);
  const points = bins.map((b) => ({ from: b.from, to: b.to, k: b.counts.failed, n: b.counts.success + b.counts.failed }));
  const k = points.reduce((a, p) => a + p.k, 0);
  const n = points.reduce((a, p) => a + p.n, 0);
  const w = wilson(k, n);
  const overall =
    w && n >= MIN_SAMPLE
      ? html`<p class="headline"><strong data-figure="failure-rate">${formatPercent(w.rate)}</strong> failed <span class="muted">(95 % interval ${formatInterval(w.low, w.high)}, n ${formatInt(n)})</span></p>`
      : html`<p class="headline" data-figure="failure-rate">Not enough data <span class="muted">(n ${formatInt(n)}, fewer than ${MIN_SAMPLE} finished runs)</span></p>`;
  const label = `Failure rate ${unit}${s.name ? ` of ${s.name}` : ""}, ${bucketLabel(view.range.from)} to ${bucketLabel(view.range.to)}: ${w ? formatPercent(w.rate) : "no finished runs"} overall`;
  const table = dataTable(
    "Data table",
    ["Bucket", "Failed", "Finished", "Failure rate"],
    points.map((p) => [binLabel(p), formatInt(p.k), formatInt(p.n), formatPercent(p.n ? p.k / p.n : null)]),
  );
  const body = html`${overall}${rateLine(points, label, MIN_SAMPLE, plotHeight(compact))}${compact ? html`` : table}`;
  return { title: s.name ? `${s.name}: failure rate ${unit}` : `Failure rate ${unit}`, body, href: s.href };
};

export const exitCodesWidget: WidgetRenderer = async ({ view, app, compact }) => {
  let codes: { code: number; total: number }[];
  let href: string;
  let name: string | null = null;
  if (app) {
    const d = await fetchAppDetail(app, view.range, false);
    // As every exit-code list by default: user aborts left out (applyAbortRule).
    codes = d.codes.map((c) => ({ code: Number(c.exit_code), total: c.failed }));
    name = d.catalogue[0]?.name ?? app;
    href = rangeHref(appPath(app), view);
  } else {
    codes = (await fetchExitCodeRanking(view.range, false)).codes.map((c) => ({ code: c.exitCode, total: c.total }));
    href = rangeHref("/errors", view);
  }
  const all = codes.reduce((a, c) => a + c.total, 0);
  const top = codes.slice(0, rows(compact));
  const max = Math.max(1, ...top.map((c) => c.total));
  const bars: BarRow[] = top.map((c) => ({
    label: `Exit code ${c.code}`,
    value: `${formatInt(c.total)} · ${share(c.total, all)}`,
    share: c.total / max,
    detail: exitCodeInfo(c.code).message,
  }));
  const body = top.length
    ? html`<p class="headline muted">${formatInt(all)} failures (user aborts left out)</p>${horizontalBars(bars, "Exit codes by failures")}`
    : html`<p class="empty">No failures in this range.</p>`;
  return { title: name ? `${name}: top exit codes` : "Top exit codes", body, href };
};

export const osWidget: WidgetRenderer = async ({ view, app, compact }) => {
  const byOs = new Map<string, number>();
  let href: string;
  let name: string | null = null;
  if (app) {
    const d = await fetchAppDetail(app, view.range, false);
    for (const b of d.os) byOs.set(b.key, (byOs.get(b.key) ?? 0) + b.runs);
    name = d.catalogue[0]?.name ?? app;
    href = rangeHref(appPath(app), view);
  } else {
    for (const r of await fetchOsVersions(view.range, { type: view.type })) {
      const key = osLabel(r.osType, r.osVersion);
      byOs.set(key, (byOs.get(key) ?? 0) + r.runs);
    }
    href = viewHref(VIEWS.os, "/os", view);
  }
  const ranked = [...byOs].map(([key, runs]) => ({ key: key === "" || key === "?" ? "not reported" : key, runs })).sort((a, b) => b.runs - a.runs || a.key.localeCompare(b.key));
  const total = ranked.reduce((a, r) => a + r.runs, 0);
  const n = rows(compact);
  const shown = ranked.length > n ? [...ranked.slice(0, n - 1), { key: `${ranked.length - n + 1} others`, runs: ranked.slice(n - 1).reduce((a, r) => a + r.runs, 0) }] : ranked;
  const max = Math.max(1, ...shown.map((r) => r.runs));
  const bars = shown.map((r) => ({ label: r.key, value: `${formatInt(r.runs)} · ${share(r.runs, total)}`, share: r.runs / max }));
  const body = shown.length
    ? html`<p class="headline muted">${formatInt(total)} runs${view.type && !app ? ` of type ${view.type}` : ""}</p>${horizontalBars(bars, "Runs by OS and version")}`
    : html`<p class="empty">No runs in this range.</p>`;
  return { title: name ? `${name}: OS versions` : "OS versions", body, href };
};

export const failingAppsWidget: WidgetRenderer = async ({ view, compact }) => {
  const list = await fetchAppList({ range: view.range, type: view.type, q: null, os: null, minRuns: MIN_SAMPLE, sort: VIEWS.apps.defaultSort, page: 1, pageSize: 50 });
  // Ranked by the interval's lower bound, as the apps table: few runs cannot top the list.
  const ranked = list.rows.filter((r) => r.failed > 0 && r.success + r.failed >= MIN_SAMPLE).slice(0, rows(compact));
  const max = Math.max(1e-9, ...ranked.map((r) => r.failure_rate ?? 0));
  const bars: BarRow[] = ranked.map((r) => ({
    label: r.nsapp,
    value: formatPercent(r.failure_rate),
    share: (r.failure_rate ?? 0) / max,
    detail: `${formatInt(r.failed)} of ${formatInt(r.success + r.failed)} failed · 95 % interval ${formatInterval(r.failure_low ?? 0, r.failure_high ?? 0)}`,
  }));
  const body = ranked.length
    ? html`<p class="headline muted">Apps with at least ${MIN_SAMPLE} finished runs${view.type ? ` of type ${view.type}` : ""}, by the lower bound of the failure rate</p>${horizontalBars(bars, "Most failing apps")}`
    : html`<p class="empty">No app with ${MIN_SAMPLE} or more finished runs failed in this range.</p>`;
  const href = viewHref(VIEWS.apps, "/apps", { ...view, q: null, os: null, outcome: null, minRuns: MIN_SAMPLE, sort: VIEWS.apps.defaultSort, page: 1, pageSize: 25 });
  return { title: "Most failing apps", body, href };
};
