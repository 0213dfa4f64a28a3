/** The two figure cards: /embed/summary (every app) and /embed/app/{nsapp} (one app). */
import { fetchAppDetail, fetchAppDurations, fetchOverview } from "../../data";
import { DURATION_MIN_RUNS } from "../../durations";
import { explainExitCode } from "../../exit-codes";
import { formatApproxDuration, formatInt, formatInterval, formatPercent } from "../../format";
import { rangeHref } from "../../params";
import { wilson, type Interval } from "../../stats";
import { bucketLabel } from "../../time";
import { MIN_SAMPLE } from "../catalog";
import { binSeries, binSize, rateBinSize, sparkline } from "../charts";
import { html, type Html } from "../html";
import { binUnit, type WidgetRenderer } from "./types";

/** One figure of a card; `figure` names it for tests and scripts (data-figure). */
function stat(label: string, value: string, figure: string, sub?: string): Html {
  return html`<div><dt>${label}</dt><dd data-figure="${figure}">${value}</dd>${sub ? html`<dd class="sub">${sub}</dd>` : html``}</div>`;
}

function interval(w: Interval | null): string {
  return w ? `95 % CI ${formatInterval(w.low, w.high)}` : "";
}

const span = (from: string, to: string) => `${bucketLabel(from)} to ${bucketLabel(to)}`;

export const summaryWidget: WidgetRenderer = async ({ view }) => {
  const o = await fetchOverview(view.range, view.type);
  const t = o.totals;
  const w = wilson(t.success, t.success + t.failed);
  const bins = binSeries(
    o.series.map((d) => ({ bucket: d.bucket, runs: d.success + d.failed + d.aborted + d.unknown + d.unfinished + d.running })),
    ["runs"] as const,
  );
  const runs = bins.map((b) => b.counts.runs);
  const unit = binUnit(view.range.bucket, binSize(o.series.length));
  const body = html`<dl class="stats">${stat("Runs", formatInt(t.runs), "runs")}${stat("Success rate", formatPercent(w?.rate ?? null), "success-rate", interval(w))}${stat(
    "Failures",
    formatInt(t.failed),
    "failed",
  )}</dl>
${sparkline(runs, `Runs ${unit}, ${span(o.range.from, o.range.to)}: between ${formatInt(Math.min(...runs))} and ${formatInt(Math.max(...runs))}`, { area: true })}`;
  return { title: "Install runs", body, href: rangeHref("/", view) };
};

export const appWidget: WidgetRenderer = async ({ view, app }) => {
  const nsapp = app!;
  const [d, time] = await Promise.all([fetchAppDetail(nsapp, view.range, false), fetchAppDurations(nsapp, view.range)]);
  const t = d.totals;
  const n = t.success + t.failed;
  const w = wilson(t.success, n);
  const enough = n >= MIN_SAMPLE;
  const rate = enough
    ? stat("Success rate", formatPercent(w?.rate ?? null), "success-rate", interval(w))
    : stat("Success rate", "not enough data", "success-rate", `fewer than ${MIN_SAMPLE} finished runs`);
  const size = rateBinSize(
    d.series.map((b) => b.success + b.failed),
    MIN_SAMPLE,
  );
  const bins = binSeries(d.series, ["success", "failed"] as const, size);
  const rates = bins.map((b) => (b.counts.success + b.counts.failed > 0 ? b.counts.failed / (b.counts.success + b.counts.failed) : null));
  const unit = binUnit(view.range.bucket, size);
  const top = d.codes.find((c) => c.failed > 0);
  const topCode = top
    ? html`<p class="top-code" data-figure="top-exit-code">Top exit code <strong>${Number(top.exit_code)}</strong>: ${explainExitCode(Number(top.exit_code))} <span class="muted">· ${formatInt(top.failed)} of ${formatInt(t.failed)} failures</span></p>`
    : html`<p class="top-code muted" data-figure="top-exit-code">No failures in this range.</p>`;
  const shown = rates.filter((r): r is number => r !== null);
  const trend = enough
    ? html`<p class="muted spark-label">Failure rate ${unit}</p>${sparkline(
        rates,
        `Failure rate ${unit}, ${span(d.series[0]?.bucket ?? "", d.series[d.series.length - 1]?.bucket ?? "")}: between ${formatPercent(Math.min(...shown))} and ${formatPercent(Math.max(...shown))}`,
      )}`
    : html``;
  const s = time.success;
  const installTime =
    s.p50 !== null && s.n >= DURATION_MIN_RUNS
      ? html`<p class="top-code" data-figure="install-time">Typically <strong>${formatApproxDuration(s.p50)}</strong> to install <span class="muted">· median of ${formatInt(s.n)} successful runs</span></p>`
      : html``;
  const body = html`<dl class="stats">${stat("Runs", formatInt(t.runs), "runs")}${rate}${stat("n", formatInt(n), "n", "succeeded + failed")}</dl>${trend}${topCode}${installTime}`;
  return { title: d.catalogue[0]?.name ?? nsapp, body, href: rangeHref(`/apps/${encodeURIComponent(nsapp)}`, view) };
};
