/**
 * The README chart (/chart/<nsapp>.svg): one app's runs per bucket by outcome, or its failure
 * rate with the 95 % Wilson band, as a standalone SVG image — what GitHub's image proxy (camo)
 * passes through and an <img> shows: no script, no external reference (fonts are the reader's
 * system fonts, colours inline), a <title> and <desc> that say the figures, and per bucket a
 * <title> and data-* attributes with its exact counts. The same figures give the same bytes.
 * Pure: app/chart/[file]/route.ts reads the figures (the rollups, exact like every figure).
 */
import { formatInt, formatInterval, formatPercent, formatRate } from "../format";
import type { StoredOutcome } from "../outcomes";
import { wilson } from "../stats";
import { bucketLabel } from "../time";
import { CHART_SIZE, MIN_SAMPLE, type ChartMetric } from "./catalog";
import { binLabel, binSeries, binSize, rateBinSize, type Bin } from "./charts";
import { PALETTE } from "./document";
import { html, htmlText, type Html } from "./html";
import { binUnit, rangeLabel } from "./widgets/types";
import type { ChartOptions } from "./options";

const CHART_WIDTH = CHART_SIZE.width;
const CHART_HEIGHT = CHART_SIZE.height;
const PLOT = { left: 56, right: CHART_WIDTH - 20, top: 74, bottom: 226 };
const FONT = `-apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif`;
const r = (n: number) => Math.round(n * 10) / 10;

/** Stacking order and labels, as on the app page's outcome chart. */
const SERIES: readonly { key: StoredOutcome; label: string; color: keyof typeof PALETTE }[] = [
  { key: "success", label: "succeeded", color: "success" },
  { key: "failed", label: "failed", color: "failed" },
  { key: "aborted", label: "aborted", color: "aborted" },
  { key: "unknown", label: "unknown", color: "unknown" },
  { key: "installing", label: "no result yet", color: "unfinished" },
];
const KEYS = SERIES.map((s) => s.key);

export type ChartPoint = { bucket: string } & Record<StoredOutcome, number>;

export interface ChartInput {
  nsapp: string;
  /** One point per bucket of the range (lib/data/queries/app-detail.ts `series`). */
  points: readonly ChartPoint[];
  options: ChartOptions;
}

type Colors = (name: keyof typeof PALETTE) => string;

function frame(c: Colors, title: string, desc: string, heading: string, sub: string, body: Html, legend: Html, footer: string): string {
  return htmlText(html`<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" font-family="${FONT}" font-size="12">
<title id="chart-title">${title}</title>
<desc id="chart-desc">${desc}</desc>
<rect x="0.5" y="0.5" width="${CHART_WIDTH - 1}" height="${CHART_HEIGHT - 1}" rx="6" fill="${c("panel")}" stroke="${c("border")}"/>
<text x="16" y="26" font-size="15" font-weight="600" fill="${c("text")}">${heading}</text>
<text x="16" y="48" fill="${c("muted")}">${sub}</text>
${body}
${legend}
<text x="16" y="${CHART_HEIGHT - 12}" font-size="11" fill="${c("muted")}">${footer}</text>
</svg>
`);
}

const ROUND = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** The smallest round step (ROUND × a power of ten; whole for counts) with two steps reaching `max`. */
function niceStep(max: number, whole: boolean): number {
  const raw = max / 2;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = ROUND.map((m) => m * p).find((c) => c >= raw * (1 - 1e-9) && (!whole || Number.isInteger(c))) ?? 10 * p;
  return whole ? Math.max(1, step) : step;
}

/** Grid lines at 0, one step and two steps; returns the axis top (two steps). */
function yAxis(c: Colors, max: number, label: (v: number) => string, whole: boolean): { top: number; grid: Html } {
  const step = niceStep(max, whole);
  const top = 2 * step;
  const ticks = [0, step, top];
  const grid = html`${ticks.map((v) => {
    const y = r(PLOT.bottom - (v / top) * (PLOT.bottom - PLOT.top));
    return html`<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${y}" y2="${y}" stroke="${c("border")}"/><text x="${PLOT.left - 6}" y="${y + 4}" text-anchor="end" fill="${c("muted")}">${label(v)}</text>`;
  })}`;
  return { top, grid };
}

function xAxis(c: Colors, bins: readonly { from: string; to: string }[]): Html {
  if (bins.length === 0) return html``;
  const y = PLOT.bottom + 16;
  const first = bucketLabel(bins[0]!.from);
  const last = bucketLabel(bins[bins.length - 1]!.to);
  return html`<text x="${PLOT.left}" y="${y}" fill="${c("muted")}">${first}</text><text x="${PLOT.right}" y="${y}" text-anchor="end" fill="${c("muted")}">${last}</text>`;
}

function legendOf(c: Colors, items: readonly { label: string; color: string; line?: boolean; faint?: boolean }[]): Html {
  let x = PLOT.left;
  const y = CHART_HEIGHT - 40;
  return html`${items.map((it) => {
    const mark = it.line
      ? html`<line x1="${x}" x2="${x + 14}" y1="${y - 4}" y2="${y - 4}" stroke="${it.color}" stroke-width="2"/>`
      : html`<rect x="${x}" y="${y - 9}" width="10" height="10" rx="2" fill="${it.color}"${it.faint ? html` fill-opacity="0.3"` : html``}/>`;
    const out = html`${mark}<text x="${x + (it.line ? 18 : 14)}" y="${y}" fill="${c("muted")}">${it.label}</text>`;
    x += (it.line ? 18 : 14) + it.label.length * 6.6 + 16;
    return out;
  })}`;
}

function outcomes(c: Colors, input: ChartInput, who: string): string {
  const { options } = input;
  const bins = binSeries([...input.points], KEYS);
  const unit = binUnit(options.view.range.bucket, binSize(input.points.length));
  const totals = Object.fromEntries(KEYS.map((k) => [k, bins.reduce((n, b) => n + b.counts[k], 0)])) as Record<StoredOutcome, number>;
  const runs = KEYS.reduce((n, k) => n + totals[k], 0);
  const n = totals.success + totals.failed;
  const rate = n >= MIN_SAMPLE ? `${formatPercent(totals.success / n)} succeeded (n ${formatInt(n)})` : `n ${formatInt(n)} finished: too few for a success rate`;
  const sums = bins.map((b) => KEYS.reduce((s, k) => s + b.counts[k], 0));
  const axis = yAxis(c, Math.max(1, ...sums), (v) => formatInt(v), true);
  const max = axis.top;
  const step = (PLOT.right - PLOT.left) / Math.max(1, bins.length);
  const gap = step > 6 ? step * 0.18 : 0;
  const height = PLOT.bottom - PLOT.top;
  const bars = bins.map((b, i) => {
    let base = PLOT.bottom;
    const rects = SERIES.map((s) => {
      const h = (b.counts[s.key] / max) * height;
      if (h <= 0) return html``;
      base -= h;
      return html`<rect x="${r(PLOT.left + i * step + gap / 2)}" y="${r(base)}" width="${r(Math.max(0.5, step - gap))}" height="${r(h)}" fill="${c(s.color)}"/>`;
    });
    const parts = SERIES.map((s) => `${formatInt(b.counts[s.key])} ${s.label}`).join(", ");
    return html`<g data-from="${b.from}" data-to="${b.to}" ${dataCounts(b)}><title>${binLabel(b)}: ${formatInt(sums[i]!)} runs (${parts})</title>${rects}</g>`;
  });
  const range = `${bucketLabel(options.view.range.from)} to ${bucketLabel(options.view.range.to)} (UTC)`;
  const breakdown = SERIES.map((s) => `${formatInt(totals[s.key])} ${s.label}`).join(", ");
  return frame(
    c,
    `${who}: runs ${unit} by outcome, ${rangeLabel(options.view)}`,
    `${range}: ${formatInt(runs)} runs (${breakdown}); ${rate}. Proxmox VE script install statistics.`,
    `${who} · runs ${unit} by outcome`,
    `${rangeLabel(options.view)} · ${formatInt(runs)} runs · ${rate}`,
    html`${axis.grid}${bars}${xAxis(c, bins)}`,
    legendOf(
      c,
      SERIES.map((s) => ({ label: s.label, color: c(s.color) })),
    ),
    `Proxmox VE script installs · ${range}`,
  );
}

/** data-success="…" … on a bar: its exact counts, for scripts and tests. */
function dataCounts(b: Bin<StoredOutcome>): Html {
  return html`${KEYS.map((k, i) => html`${i ? " " : ""}data-${k}="${b.counts[k]}"`)}`;
}

function failureRate(c: Colors, input: ChartInput, who: string): string {
  const { options } = input;
  const size = rateBinSize(
    input.points.map((p) => p.success + p.failed),
    MIN_SAMPLE,
  );
  const bins = binSeries([...input.points], ["success", "failed"] as const, size);
  const unit = binUnit(options.view.range.bucket, size);
  const stats = bins.map((b) => ({ ...b, n: b.counts.success + b.counts.failed, w: wilson(b.counts.failed, b.counts.success + b.counts.failed) }));
  const k = stats.reduce((a, s) => a + s.counts.failed, 0);
  const n = stats.reduce((a, s) => a + s.n, 0);
  const overall = wilson(k, n);
  const headline =
    overall && n >= MIN_SAMPLE
      ? `${formatPercent(overall.rate)} failed (95 % interval ${formatInterval(overall.low, overall.high)}, n ${formatInt(n)})`
      : `n ${formatInt(n)} finished: too few for a failure rate`;
  const axis = yAxis(c, Math.min(1, Math.max(0.01, ...stats.map((s) => (s.w ? (s.n >= MIN_SAMPLE ? s.w.high : s.w.rate) : 0)))), (v) => formatRate(v), false);
  const top = axis.top;
  const step = (PLOT.right - PLOT.left) / Math.max(1, bins.length);
  const x = (i: number) => r(PLOT.left + (i + 0.5) * step);
  const y = (v: number) => r(PLOT.bottom - (v / top) * (PLOT.bottom - PLOT.top));
  // The line wherever a bin has a finished run (gaps elsewhere); the band where it has MIN_SAMPLE.
  // A bin between gaps is a dot; consecutive ones a line.
  const line = runsOf(stats, (s) => s.w !== null).map((run) =>
    run.length === 1
      ? html`<circle cx="${x(run[0]!)}" cy="${y(stats[run[0]!]!.w!.rate)}" r="3" fill="${c("accent")}"/>`
      : html`<path d="M${run.map((i) => `${x(i)},${y(stats[i]!.w!.rate)}`).join("L")}" fill="none" stroke="${c("accent")}" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/>`,
  );
  const band = runsOf(stats, (s) => s.w !== null && s.n >= MIN_SAMPLE).map(
    (run) =>
      `M${run.map((i) => `${x(i)},${y(stats[i]!.w!.high)}`).join("L")}L${[...run]
        .reverse()
        .map((i) => `${x(i)},${y(stats[i]!.w!.low)}`)
        .join("L")}Z`,
  );
  const accent = c("accent");
  const points = stats.map(
    (s, i) =>
      html`<g data-from="${s.from}" data-to="${s.to}" data-failed="${s.counts.failed}" data-finished="${s.n}"><title>${binLabel(s)}: ${s.w ? `${formatPercent(s.w.rate)} failed` : "no finished run"} (${formatInt(s.counts.failed)} of ${formatInt(s.n)} finished)</title><rect x="${r(PLOT.left + i * step)}" y="${PLOT.top}" width="${r(step)}" height="${PLOT.bottom - PLOT.top}" fill="${accent}" fill-opacity="0"/></g>`,
  );
  const range = `${bucketLabel(options.view.range.from)} to ${bucketLabel(options.view.range.to)} (UTC)`;
  return frame(
    c,
    `${who}: failure rate ${unit}, ${rangeLabel(options.view)}`,
    `${range}: ${headline}. Failure rate = failed ÷ (succeeded + failed); the band is the 95 % Wilson interval where ${unit.replace("per ", "a ")} has at least ${MIN_SAMPLE} finished runs. Proxmox VE script install statistics.`,
    `${who} · failure rate ${unit}`,
    `${rangeLabel(options.view)} · ${headline}`,
    html`${axis.grid}${band.length ? html`<path d="${band.join("")}" fill="${accent}" fill-opacity="0.18"/>` : html``}${line}${points}${xAxis(c, bins)}`,
    legendOf(c, [{ label: "failure rate", color: accent, line: true }, ...(band.length ? [{ label: `95 % interval (n ≥ ${MIN_SAMPLE})`, color: accent, faint: true }] : [])]),
    `Proxmox VE script installs · ${range}`,
  );
}

/** Indexes of consecutive items that pass `keep`, one list per run. */
function runsOf<T>(items: readonly T[], keep: (t: T) => boolean): number[][] {
  const out: number[][] = [];
  items.forEach((t, i) => {
    if (!keep(t)) return;
    const last = out[out.length - 1];
    if (last && last[last.length - 1] === i - 1) last.push(i);
    else out.push([i]);
  });
  return out;
}

export function chartSvg(input: ChartInput): string {
  const theme = input.options.theme === "dark" ? 1 : 0;
  const c: Colors = (name) => PALETTE[name]![theme];
  const draw: Record<ChartMetric, typeof outcomes> = { outcomes, "failure-rate": failureRate };
  return draw[input.options.metric](c, input, input.nsapp);
}

/** A chart-sized image that says what is wrong (unknown app, bad option, unavailable). */
export function chartMessage(heading: string, message: string, theme: ChartOptions["theme"]): string {
  const c: Colors = (name) => PALETTE[name]![theme === "dark" ? 1 : 0];
  return frame(c, heading, message, heading, message, html``, html``, "Proxmox VE script installs");
}
