/**
 * Server-rendered SVG charts for the widgets: no JavaScript. Plots have a fixed pixel height
 * and stretch to the card's width (preserveAspectRatio="none", strokes that do not scale), so a
 * widget's height does not depend on the frame's width; text (axes, legends) is HTML.
 * Each chart is an image with a text alternative; widgets add a data table.
 */
import { formatInt, formatPercent } from "../format";
import { wilson } from "../stats";
import { bucketLabel } from "../time";
import { html, type Html } from "./html";

const r = (n: number) => Math.round(n * 100) / 100;

/** A bucket of a series (a day or an hour, or a bin of them) with one count per series key. */
export interface Bin<K extends string> {
  /** First and last bucket in the bin (equal unless binned). */
  from: string;
  to: string;
  counts: Record<K, number>;
}

export const MAX_BINS = 120;

/** Buckets per bin so that `length` buckets draw at most `max` bars. */
export function binSize(length: number, max = MAX_BINS): number {
  return Math.max(1, Math.ceil(length / max));
}

/**
 * Buckets per bin for a rate: enough that an average bin holds `minN` decided runs (so its
 * interval can be drawn), keeping at least `minBins` bins and at most MAX_BINS.
 */
export function rateBinSize(decided: readonly number[], minN: number, minBins = 5): number {
  const base = binSize(decided.length);
  const total = decided.reduce((a, n) => a + n, 0);
  if (total === 0) return base;
  const wanted = Math.ceil(minN / (total / decided.length));
  return Math.max(base, Math.min(wanted, Math.floor(decided.length / minBins)));
}

/** Sums runs of `size` consecutive buckets (the last bin may be shorter); rates are then recomputed from the sums. */
export function binSeries<K extends string>(points: ({ bucket: string } & Record<K, number>)[], keys: readonly K[], size = binSize(points.length)): Bin<K>[] {
  const bins: Bin<K>[] = [];
  for (let i = 0; i < points.length; i += size) {
    const chunk = points.slice(i, i + size);
    const counts = Object.fromEntries(keys.map((k) => [k, chunk.reduce((n, p) => n + p[k], 0)])) as Record<K, number>;
    bins.push({ from: chunk[0]!.bucket, to: chunk[chunk.length - 1]!.bucket, counts });
  }
  return bins;
}

export function binLabel(b: { from: string; to: string }): string {
  return b.from === b.to ? bucketLabel(b.from) : `${bucketLabel(b.from)} – ${bucketLabel(b.to)}`;
}

function axis(bins: { from: string; to: string }[]): Html {
  if (bins.length === 0) return html``;
  return html`<div class="axis" aria-hidden="true"><span>${bucketLabel(bins[0]!.from)}</span><span>${bucketLabel(bins[bins.length - 1]!.to)}</span></div>`;
}

/** A line of values (null = a gap), stretched to the width; `area` shades it down to zero (counts). */
export function sparkline(values: readonly (number | null)[], label: string, opts: { max?: number; height?: number; area?: boolean } = {}): Html {
  const h = opts.height ?? 36;
  const w = Math.max(1, values.length - 1);
  const max = opts.max ?? Math.max(1e-9, ...values.map((v) => v ?? 0));
  const y = (v: number) => r(h - 2 - (v / max) * (h - 4));
  const runs: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length) runs.push(current.join(" "));
      current = [];
    } else current.push(`${values.length === 1 ? 0 : i},${y(v)}`);
  });
  if (current.length) runs.push(current.join(" "));
  // A run of one point still shows as a dot.
  const paths = runs.map((pts) => {
    const one = !pts.includes(" ");
    const d = one ? `M${pts}h0.001` : `M${pts.replace(/ /g, "L")}`;
    return html`<path d="${d}" fill="none" stroke="var(--chart)" stroke-width="${one ? 3 : 1.6}" stroke-linecap="round" stroke-linejoin="round" vector-effect="non-scaling-stroke"/>`;
  });
  const area =
    opts.area && runs.length === 1 && values.length > 1 ? html`<path d="M${runs[0]!.replace(/ /g, "L")}L${w},${h}L0,${h}Z" fill="var(--chart)" fill-opacity="0.12"/>` : html``;
  return html`<svg class="spark" role="img" aria-label="${label}" viewBox="0 0 ${w} ${h}" preserveAspectRatio="none" height="${h}">${area}${paths}</svg>`;
}

export interface Series<K extends string> {
  key: K;
  label: string;
  color: string;
}

/** Stacked bars, one per bin; each series is one path. */
export function stackedBars<K extends string>(bins: Bin<K>[], series: readonly Series<K>[], label: string, height = 120): Html {
  const totals = bins.map((b) => series.reduce((n, s) => n + b.counts[s.key], 0));
  const max = Math.max(1, ...totals);
  const gap = bins.length > 60 ? 0.1 : 0.2;
  const base = bins.map(() => 0);
  const paths = series.map((s) => {
    let d = "";
    bins.forEach((b, i) => {
      const v = b.counts[s.key];
      if (v <= 0) return;
      const top = base[i]! + v;
      const y0 = height - (base[i]! / max) * height;
      const y1 = height - (top / max) * height;
      d += `M${r(i + gap / 2)},${r(y0)}V${r(y1)}H${r(i + 1 - gap / 2)}V${r(y0)}Z`;
      base[i] = top;
    });
    return d ? html`<path d="${d}" fill="${s.color}"/>` : html``;
  });
  return html`<div class="ymax" aria-hidden="true">${formatInt(max)}</div>
<svg class="plot" role="img" aria-label="${label}" viewBox="0 0 ${Math.max(1, bins.length)} ${height}" preserveAspectRatio="none" height="${height}">${paths}</svg>
${axis(bins)}
<ul class="legend">${series.map((s) => html`<li><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" rx="2" fill="${s.color}"/></svg>${s.label}</li>`)}</ul>`;
}

export interface RatePoint {
  from: string;
  to: string;
  /** k of n: failures of the decided runs. */
  k: number;
  n: number;
}

/**
 * Failure rate per bin with its 95 % Wilson band. The band is left out where n < minN (it would
 * span most of the chart and say little); bins without any decided run are gaps in the line.
 */
export function rateLine(points: RatePoint[], label: string, minN: number, height = 120): Html {
  const stats = points.map((p) => ({ ...p, w: wilson(p.k, p.n) }));
  const shown = stats.filter((s) => s.w !== null);
  const top = Math.min(1, Math.max(0.01, ...shown.map((s) => (s.n >= minN ? s.w!.high : s.w!.rate))) * 1.1);
  const x = (i: number) => (points.length === 1 ? 0.5 : i);
  const y = (v: number) => r(height - (v / top) * height);
  const band: string[] = [];
  let upper: string[] = [];
  let lower: string[] = [];
  const flush = () => {
    if (upper.length) band.push(`M${upper.join("L")}L${lower.reverse().join("L")}Z`);
    upper = [];
    lower = [];
  };
  stats.forEach((s, i) => {
    if (s.w && s.n >= minN) {
      upper.push(`${x(i)},${y(s.w.high)}`);
      lower.push(`${x(i)},${y(s.w.low)}`);
    } else flush();
  });
  flush();
  const bandPath = band.length ? html`<path d="${band.join("")}" fill="var(--chart)" fill-opacity="0.18"/>` : html``;
  const width = Math.max(1, points.length - 1);
  return html`<div class="ymax" aria-hidden="true">${formatPercent(top)}</div>
<svg class="plot" role="img" aria-label="${label}" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" height="${height}">${bandPath}${ratePaths(stats, x, y)}</svg>
${axis(points)}
<ul class="legend"><li><svg width="14" height="10" aria-hidden="true"><path d="M0,5H14" stroke="var(--chart)" stroke-width="2"/></svg>failure rate</li>${
    band.length
      ? html`<li><svg width="14" height="10" aria-hidden="true"><rect width="14" height="10" fill="var(--chart)" fill-opacity="0.25"/></svg>95 % interval (where n ≥ ${minN})</li>`
      : html``
  }</ul>`;
}

function ratePaths(stats: (RatePoint & { w: ReturnType<typeof wilson> })[], x: (i: number) => number, y: (v: number) => number): Html {
  const segments: string[][] = [[]];
  stats.forEach((s, i) => {
    if (s.w) segments[segments.length - 1]!.push(`${x(i)},${y(s.w.rate)}`);
    else if (segments[segments.length - 1]!.length) segments.push([]);
  });
  return html`${segments
    .filter((s) => s.length)
    .map((s) => {
      const d = s.length === 1 ? `M${s[0]}h0.001` : `M${s.join("L")}`;
      return html`<path d="${d}" fill="none" stroke="var(--chart)" stroke-width="${s.length === 1 ? 4 : 2}" stroke-linecap="round" stroke-linejoin="round" vector-effect="non-scaling-stroke"/>`;
    })}`;
}

export interface BarRow {
  label: string;
  /** The figure at the right, e.g. "1,234 · 12.3 %". */
  value: string;
  /** 0..1 of the bar's full width. */
  share: number;
  /** A second line under the label (an exit code's explanation). */
  detail?: string;
}

/** Horizontal bars, one row each: label and value on one line, the bar under them. */
export function horizontalBars(rows: BarRow[], label: string): Html {
  return html`<ol class="bars" aria-label="${label}">${rows.map(
    (row) =>
      html`<li><span class="what">${row.label}</span><span class="num">${row.value}</span>${row.detail ? html`<span class="why">${row.detail}</span>` : html``}<svg viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true"><rect width="100" height="6" rx="1" fill="var(--border)"/><rect width="${r(Math.max(0, Math.min(1, row.share)) * 100)}" height="6" rx="1" fill="var(--chart)"/></svg></li>`,
  )}</ol>`;
}

/** A compact data table behind a disclosure (the chart's numbers for screen readers and the curious). */
export function dataTable(caption: string, head: readonly string[], rows: readonly (readonly string[])[]): Html {
  return html`<details><summary>${caption}</summary><table><thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead><tbody>${rows.map(
    (row) => html`<tr>${row.map((c) => html`<td>${c}</td>`)}</tr>`,
  )}</tbody></table></details>`;
}
