/**
 * Badges for READMEs and script pages: one app's success rate (default), installs, failure
 * rate or install time ("typically 4 min": its successful runs' median, official repository) over a range, as an SVG drawn by badgen (its Verdana width table sizes the text) or as a
 * shields.io endpoint JSON (https://shields.io/badges/endpoint-badge) to restyle there.
 * Pure: the route (app/badge/[file]/route.ts) reads the figures.
 */
import { badgen } from "badgen";
import { DURATION_MIN_RUNS, type DurationSummary } from "../durations";
import { formatApproxDuration, formatCompact, formatPercent } from "../format";
import type { ViewState } from "../params";
import type { BadgeOptions } from "./options";
import { MIN_SAMPLE, type BadgeMetric } from "./catalog";

export type BadgeColor = "brightgreen" | "green" | "yellow" | "orange" | "red" | "blue" | "lightgrey";

export interface Badge {
  label: string;
  message: string;
  color: BadgeColor;
}

/** Hex per colour name and theme: shields' colours on light pages, darker ones on dark pages. */
const COLORS: Record<"light" | "dark", Record<BadgeColor | "label", string>> = {
  light: { label: "555", brightgreen: "4c1", green: "97ca00", yellow: "dfb317", orange: "fe7d37", red: "e05d44", blue: "007ec6", lightgrey: "9f9f9f" },
  dark: { label: "30363d", brightgreen: "238636", green: "4d7f17", yellow: "9e6a03", orange: "bd561d", red: "b62324", blue: "1f6feb", lightgrey: "57606a" },
};

/** Totals of one app over the range; its successful runs' install time for metric install-time. */
export interface BadgeFigures {
  runs: number;
  success: number;
  failed: number;
  installTime?: DurationSummary;
}

/** "30d", "24h", "all", or "2026-10-01…2026-10-31". */
export function rangeTag(view: Pick<ViewState, "preset" | "range">): string {
  return view.preset === "custom" ? `${view.range.from}…${view.range.to}` : view.preset;
}

function rateColor(rate: number): BadgeColor {
  if (rate >= 0.98) return "brightgreen";
  if (rate >= 0.95) return "green";
  if (rate >= 0.9) return "yellow";
  if (rate >= 0.8) return "orange";
  return "red";
}

const LABELS: Record<BadgeMetric, (nsapp: string) => string> = {
  "success-rate": (nsapp) => nsapp,
  installs: (nsapp) => `${nsapp} installs`,
  "failure-rate": (nsapp) => `${nsapp} failure rate`,
  "install-time": (nsapp) => `${nsapp} install time`,
};

/** The badge's text and colour. Rates need MIN_SAMPLE finished runs (successes + failures). */
export function badgeFor(nsapp: string, options: Pick<BadgeOptions, "metric" | "view">, f: BadgeFigures): Badge {
  const label = LABELS[options.metric](nsapp);
  const tag = rangeTag(options.view);
  if (options.metric === "installs") return { label, message: `${formatCompact(f.runs)} · ${tag}`, color: "blue" };
  if (options.metric === "install-time") {
    const t = f.installTime ?? { n: 0, p50: null, p90: null };
    if (t.n === 0 || t.p50 === null) return { label, message: `no data · ${tag}`, color: "lightgrey" };
    if (t.n < DURATION_MIN_RUNS) return { label, message: `n < ${DURATION_MIN_RUNS} · ${tag}`, color: "lightgrey" };
    return { label, message: `typically ${formatApproxDuration(t.p50)} · n ${formatCompact(t.n)} · ${tag}`, color: "blue" };
  }
  const n = f.success + f.failed;
  if (n === 0) return { label, message: `no data · ${tag}`, color: "lightgrey" };
  if (n < MIN_SAMPLE) return { label, message: `n < ${MIN_SAMPLE} · ${tag}`, color: "lightgrey" };
  const success = f.success / n;
  const shown = options.metric === "success-rate" ? success : 1 - success;
  return { label, message: `${formatPercent(shown)} · n ${formatCompact(n)} · ${tag}`, color: rateColor(success) };
}

/** A grey badge that says what is wrong (unknown app, bad option, unavailable). */
export function problemBadge(label: string, message: string): Badge {
  return { label, message, color: "lightgrey" };
}

export function badgeSvg(b: Badge, theme: "light" | "dark"): string {
  const c = COLORS[theme];
  // "flat" draws no gradient and therefore no random element ids: the same figures give the same bytes.
  return badgen({ label: b.label, status: b.message, color: c[b.color], labelColor: c.label, style: "flat" });
}

/** The shields.io endpoint schema (schemaVersion 1). */
export function shieldsJson(b: Badge, isError = false) {
  return { schemaVersion: 1 as const, label: b.label, message: b.message, color: b.color, ...(isError ? { isError: true } : {}) };
}
