/**
 * The URLs and copy-paste snippets the /embed builder offers (pure; used in the browser and in
 * tests). Options at their defaults are left out of the URLs.
 */
import type { RangePreset } from "../range";
import { CHART_SIZE, EMBED_FRAME_ATTRIBUTE, WIDGETS, widgetPath, type BadgeMetric, type ChartMetric, type EmbedTheme, type WidgetName } from "./catalog";
import { escapeHtml } from "./html";

export interface WidgetChoice {
  widget: WidgetName;
  /** Required by the app widget, optional where the widget takes `app`. */
  app: string | null;
  range: RangePreset;
  type: string | null;
  theme: EmbedTheme;
  transparent: boolean;
  compact: boolean;
  title: boolean;
  link: boolean;
  /** "#rrggbb" or null. */
  accent: string | null;
}

export function widgetUrl(origin: string, c: WidgetChoice): string {
  const spec = WIDGETS[c.widget];
  const q = new URLSearchParams();
  if (c.range !== "30d") q.set("range", c.range);
  if (spec.type && c.type && !c.app) q.set("type", c.type);
  if (c.widget !== "app" && spec.app && c.app) q.set("app", c.app);
  if (c.theme !== "auto") q.set("theme", c.theme);
  if (c.transparent) q.set("bg", "transparent");
  if (c.compact) q.set("compact", "1");
  if (!c.title) q.set("title", "0");
  if (!c.link) q.set("link", "0");
  if (c.accent) q.set("accent", c.accent.replace(/^#/, ""));
  const qs = q.toString();
  return `${origin}${widgetPath(c.widget, c.app)}${qs ? `?${qs}` : ""}`;
}

export function frameTitle(c: Pick<WidgetChoice, "widget" | "app">): string {
  const what = c.widget === "app" ? `${c.app} installs` : `${WIDGETS[c.widget].name}${c.app ? ` (${c.app})` : ""}`;
  return `${what}: Proxmox VE script install statistics`;
}

/** The iframe (with the default height, for pages without the script) and the host script. */
export function iframeSnippet(origin: string, c: WidgetChoice): string {
  const height = WIDGETS[c.widget].height;
  return (
    `<iframe ${EMBED_FRAME_ATTRIBUTE} src="${escapeHtml(widgetUrl(origin, c))}" title="${escapeHtml(frameTitle(c))}"\n` +
    `  width="100%" height="${height}" style="border:0;display:block" loading="lazy"></iframe>\n` +
    `<script src="${escapeHtml(origin)}/embed.js" async></script>`
  );
}

export interface BadgeChoice {
  app: string;
  range: RangePreset;
  metric: BadgeMetric;
  theme: "light" | "dark";
}

const METRIC_WORDS: Record<BadgeMetric, string> = {
  "success-rate": "install success rate",
  installs: "installs",
  "failure-rate": "install failure rate",
  "install-time": "typical install time",
};

export function badgeSnippets(origin: string, b: BadgeChoice) {
  const q = new URLSearchParams();
  if (b.range !== "30d") q.set("range", b.range);
  if (b.metric !== "success-rate") q.set("metric", b.metric);
  const jsonQuery = q.toString();
  if (b.theme !== "light") q.set("theme", b.theme);
  const qs = q.toString();
  const name = encodeURIComponent(b.app);
  const svg = `${origin}/badge/${name}.svg${qs ? `?${qs}` : ""}`;
  const json = `${origin}/badge/${name}.json${jsonQuery ? `?${jsonQuery}` : ""}`;
  const page = `${origin}/apps/${name}${b.range !== "30d" ? `?range=${b.range}` : ""}`;
  const alt = `${b.app}: ${METRIC_WORDS[b.metric]}`;
  return {
    svg,
    json,
    page,
    markdown: `[![${alt.replace(/[[\]]/g, "")}](${svg})](${page})`,
    html: `<a href="${escapeHtml(page)}"><img src="${escapeHtml(svg)}" alt="${escapeHtml(alt)}"></a>`,
    shields: `https://img.shields.io/endpoint?url=${encodeURIComponent(json)}`,
  };
}

export interface ChartChoice {
  app: string;
  range: RangePreset;
  metric: ChartMetric;
  theme: "light" | "dark";
}

const CHART_WORDS: Record<ChartMetric, string> = { outcomes: "installs per day by outcome", "failure-rate": "install failure rate per day" };

/** The README chart (/chart/<nsapp>.svg): its URL, Markdown, and a <picture> that follows GitHub's light or dark theme. */
export function chartSnippets(origin: string, c: ChartChoice) {
  const q = new URLSearchParams();
  if (c.range !== "30d") q.set("range", c.range);
  if (c.metric !== "outcomes") q.set("metric", c.metric);
  const base = `${origin}/chart/${encodeURIComponent(c.app)}.svg`;
  const withTheme = (theme: "light" | "dark") => {
    const t = new URLSearchParams(q);
    if (theme !== "light") t.set("theme", theme);
    const qs = t.toString();
    return `${base}${qs ? `?${qs}` : ""}`;
  };
  const svg = withTheme(c.theme);
  const page = `${origin}/apps/${encodeURIComponent(c.app)}${c.range !== "30d" ? `?range=${c.range}` : ""}`;
  const alt = `${c.app}: ${CHART_WORDS[c.metric]}`;
  return {
    svg,
    page,
    markdown: `[![${alt.replace(/[[\]]/g, "")}](${svg})](${page})`,
    picture:
      `<a href="${escapeHtml(page)}"><picture>\n` +
      `  <source media="(prefers-color-scheme: dark)" srcset="${escapeHtml(withTheme("dark"))}">\n` +
      `  <img src="${escapeHtml(withTheme("light"))}" alt="${escapeHtml(alt)}" width="${CHART_SIZE.width}">\n` +
      `</picture></a>`,
  };
}
