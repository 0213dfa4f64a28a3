/**
 * Options of widgets (/embed/…) and badges (/badge/…): the range and type through the one URL
 * parser (lib/params.ts, views `embed` and `badge`) plus presentation options. Same contract
 * as pages: an invalid value becomes its default and a note.
 */
import { get, parseViewState, type Parsed, type RawParams, type ViewState } from "../params";
import { type View, VIEWS } from "../views";
import { BADGE_METRICS, CHART_METRICS, EMBED_THEMES, type BadgeMetric, type ChartMetric, type EmbedTheme } from "./catalog";

/** nsapp as the scripts send it: lowercase letters, digits, dots, dashes and underscores. */
export const NSAPP_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface EmbedOptions {
  view: ViewState;
  theme: EmbedTheme;
  /** bg=transparent: no page or card background (the host's shows through). */
  transparent: boolean;
  compact: boolean;
  /** title=0 hides the visible title (it stays for screen readers). */
  title: boolean;
  /** A validated "#rrggbb" colour for charts, or null for the palette's accent. */
  accent: string | null;
  /** link=0: no click-through to the dashboard. */
  link: boolean;
  /** One app (syntax checked here; whether it exists is the route's question). */
  app: string | null;
}

const RANGE_KEYS = ["range", "from", "to"];
/** The options of images: badges and charts. */
/** The range and whose runs (repo=, lib/repo.ts): what a widget's, a badge's or a chart's figures are read for. */
const SELECTION_KEYS = [...RANGE_KEYS, "repo"];
const IMAGE_KEYS = [...SELECTION_KEYS, "metric", "theme"];
const IMAGE_THEMES = ["light", "dark"] as const;

const EMBED_KEYS = ["range", "from", "to", "repo", "type", "theme", "bg", "compact", "title", "accent", "link", "app"];
const FLAG_TRUE = ["", "1", "true", "yes"];
const FLAG_FALSE = ["0", "false", "no"];

/** "#abc", "abc", "#aabbcc" or "aabbcc" (any case) → "#aabbcc"; anything else → null. It goes into CSS. */
export function parseHexColor(raw: string): string | null {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(raw);
  if (!m) return null;
  const hex = m[1]!.toLowerCase();
  return `#${hex.length === 3 ? [...hex].map((c) => c + c).join("") : hex}`;
}

/**
 * The range (and type) through parseViewState, which sees only those keys; every key outside
 * `known` is named in a note, so a typo is visible. `firstDay`: where "all time" starts
 * (lib/data/index.ts firstDataDay; see parseViewState).
 */
function parseEmbedView(raw: RawParams, now: Date, firstDay: string | null | undefined, of: View, viewKeys: readonly string[], known: readonly string[]): Parsed {
  const keys = raw instanceof URLSearchParams ? [...new Set(raw.keys())] : Object.keys(raw);
  const view: Record<string, string | undefined> = {};
  for (const key of viewKeys) view[key] = get(raw, key);
  const parsed = parseViewState(view, now, of, firstDay);
  for (const key of keys) if (!known.includes(key)) parsed.notes.push(`Ignored unknown option "${key.slice(0, 40)}".`);
  return parsed;
}

/**
 * Options of a widget: range/from/to/type (parseViewState), theme, bg, compact, title, accent,
 * link, app.
 */
export function parseEmbedOptions(raw: RawParams, now: Date, firstDay?: string | null): { options: EmbedOptions; notes: string[] } {
  const { state, notes } = parseEmbedView(raw, now, firstDay, VIEWS.embed, [...SELECTION_KEYS, "type"], EMBED_KEYS);
  function flag(key: string, fallback: boolean): boolean {
    const value = get(raw, key);
    if (value === undefined) return fallback;
    if (FLAG_TRUE.includes(value)) return true;
    if (FLAG_FALSE.includes(value)) return false;
    notes.push(`Ignored ${key}="${value.slice(0, 40)}": expected 1 or 0.`);
    return fallback;
  }
  function oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const value = get(raw, key);
    if (value === undefined || value === "") return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    notes.push(`Ignored ${key}="${value.slice(0, 40)}": expected ${allowed.join(", ")}.`);
    return fallback;
  }
  const accentRaw = get(raw, "accent");
  const accent = accentRaw === undefined || accentRaw === "" ? null : parseHexColor(accentRaw);
  if (accentRaw && accent === null) notes.push(`Ignored accent="${accentRaw.slice(0, 40)}": expected a hex colour such as ff6600.`);
  const appRaw = get(raw, "app");
  const app = appRaw === undefined || appRaw === "" ? null : NSAPP_PATTERN.test(appRaw) ? appRaw : null;
  if (appRaw && app === null) notes.push(`Ignored app="${appRaw.slice(0, 40)}": expected an app name such as jellyfin.`);
  const options: EmbedOptions = {
    view: state,
    theme: oneOf("theme", EMBED_THEMES, "auto"),
    transparent: oneOf("bg", ["transparent", "default"] as const, "default") === "transparent",
    compact: flag("compact", false),
    title: flag("title", true),
    accent,
    link: flag("link", true),
    app,
  };
  return { options, notes };
}

/**
 * Options of an image (a badge, the README chart): range/from/to, metric, theme (light or dark:
 * an <img> cannot follow the reader's colour scheme). An image cannot show a note, so its route
 * answers a "bad option" image (400) when `notes` is not empty.
 */
export interface ImageOptions<M extends string> {
  view: ViewState;
  metric: M;
  theme: Exclude<EmbedTheme, "auto">;
}
export type BadgeOptions = ImageOptions<BadgeMetric>;
export type ChartOptions = ImageOptions<ChartMetric>;

function parseImageOptions<M extends string>(
  raw: RawParams,
  now: Date,
  firstDay: string | null | undefined,
  of: View,
  metrics: readonly [M, ...M[]],
): { options: ImageOptions<M>; notes: string[] } {
  const { state, notes } = parseEmbedView(raw, now, firstDay, of, SELECTION_KEYS, IMAGE_KEYS);
  return { options: { view: state, metric: imageOption(raw, "metric", metrics, notes), theme: imageOption(raw, "theme", IMAGE_THEMES, notes) }, notes };
}

/** An image's option from a list; the first is the default. */
function imageOption<T extends string>(raw: RawParams, key: string, allowed: readonly [T, ...T[]], notes: string[]): T {
  const value = get(raw, key) || allowed[0];
  if ((allowed as readonly string[]).includes(value)) return value as T;
  notes.push(`Ignored ${key}="${value.slice(0, 40)}": expected ${allowed.join(", ")}.`);
  return allowed[0];
}

/** A badge (/badge/<nsapp>.svg): metric success-rate, installs, failure-rate or install-time. */
export function parseBadgeOptions(raw: RawParams, now: Date, firstDay?: string | null) {
  return parseImageOptions(raw, now, firstDay, VIEWS.badge, BADGE_METRICS);
}

/** The README chart (/chart/<nsapp>.svg): metric outcomes or failure-rate. */
export function parseChartOptions(raw: RawParams, now: Date, firstDay?: string | null) {
  return parseImageOptions(raw, now, firstDay, VIEWS.chart, CHART_METRICS);
}

/** The range of a page's preview image (/og/…); nothing else. */
export function parsePreviewOptions(raw: RawParams, now: Date, firstDay?: string | null): Parsed {
  return parseEmbedView(raw, now, firstDay, VIEWS.image, RANGE_KEYS, RANGE_KEYS);
}
