/**
 * The widgets a website can embed: path, what they show, which options apply, and the iframe
 * height to use without embed.js (measured at 400 px wide with the default options; compact
 * and title=0 are shorter). Pure data, shared by the routes, the /embed builder and the docs.
 */

export const WIDGETS = {
  summary: { path: "/embed/summary", name: "Summary", what: "runs, success rate with its 95 % interval, failures, runs sparkline", app: false, type: false, height: 190 },
  app: {
    path: "/embed/app/{nsapp}",
    name: "One app",
    what: "runs, success rate with its interval, n, failure-rate sparkline, top exit code, typical install time",
    app: true,
    type: false,
    height: 275,
  },
  outcomes: { path: "/embed/outcomes", name: "Outcome trend", what: "stacked outcomes per day (per hour for 24h)", app: true, type: false, height: 300 },
  "failure-rate": { path: "/embed/failure-rate", name: "Failure-rate trend", what: "failure rate per day with its 95 % band", app: true, type: false, height: 310 },
  "exit-codes": { path: "/embed/exit-codes", name: "Top exit codes", what: "most frequent exit codes of failed and aborted runs, explained", app: true, type: false, height: 480 },
  os: { path: "/embed/os", name: "OS distribution", what: "runs by OS and version", app: true, type: true, height: 350 },
  "failing-apps": { path: "/embed/failing-apps", name: "Most failing apps", what: "apps ranked by the lower bound of their failure rate", app: false, type: true, height: 490 },
} as const;

export const EMBED_THEMES = ["light", "dark", "auto"] as const;
export type EmbedTheme = (typeof EMBED_THEMES)[number];
export const BADGE_METRICS = ["success-rate", "installs", "failure-rate", "install-time"] as const;
export type BadgeMetric = (typeof BADGE_METRICS)[number];
/** What the README chart (/chart/<nsapp>.svg) draws; the first is the default. */
export const CHART_METRICS = ["outcomes", "failure-rate"] as const;
export type ChartMetric = (typeof CHART_METRICS)[number];
/** The README chart's size in CSS pixels (it scales down with its container). */
export const CHART_SIZE = { width: 800, height: 310 } as const;

export type WidgetName = keyof typeof WIDGETS;
export const WIDGET_NAMES = Object.keys(WIDGETS) as WidgetName[];

/**
 * Below this many decided runs (successes + failures) a rate is "not enough data": on the app
 * widget, on badges, and as the floor of the most-failing list.
 */
export const MIN_SAMPLE = 20;

/** The data attribute embed.js looks for on iframes. */
export const EMBED_FRAME_ATTRIBUTE = "data-pve-telemetry";

/** The widget's URL path (the app's path segment encoded). */
export function widgetPath(name: WidgetName, nsapp: string | null): string {
  const path: string = WIDGETS[name].path;
  return path.replace("{nsapp}", encodeURIComponent(nsapp ?? ""));
}
