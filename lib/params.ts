/**
 * The one parser of view state in URLs, shared by pages, route handlers and client filters.
 * Every value is validated; an invalid one is replaced by its default and reported in `notes`
 * (shown on the page / returned by the API), never a 500.
 */
import { z } from "zod";
import { OUTCOMES, type Outcome } from "./outcomes";
import { customRange, FIRST_DAY, presetRange, RANGE_PRESET_KEYS, type Range, type RangePreset } from "./range";
import { BADGE_METRICS, EMBED_THEMES, type BadgeMetric, type EmbedTheme } from "./embed/catalog";
import { utcDay } from "./time";

export const TYPES = ["lxc", "vm", "addon", "pve"] as const;
export const PAGE_SIZES = [10, 25, 50, 100] as const;

export interface ViewState {
  /** The preset, or "custom" when from/to were given. */
  preset: RangePreset | "custom";
  range: Range;
  type: (typeof TYPES)[number] | null;
  os: string | null;
  q: string | null;
  /** One outcome of runs, for lists of runs (null: the list's default). */
  outcome: Outcome | null;
  minRuns: number;
  /** A sort key of the page (validated by the page's list), "-" prefix for descending. */
  sort: string;
  page: number;
  pageSize: number;
}

export interface Parsed {
  state: ViewState;
  notes: string[];
}

export type RawParams = URLSearchParams | Record<string, string | string[] | undefined>;

function get(raw: RawParams, key: string): string | undefined {
  const v = raw instanceof URLSearchParams ? raw.get(key) ?? undefined : raw[key];
  return Array.isArray(v) ? v[0] : v;
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && utcDay(new Date(`${d}T00:00:00Z`)) === d);
const schemas = {
  range: z.enum(RANGE_PRESET_KEYS),
  type: z.enum(TYPES),
  os: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{0,31}$/i),
  q: z.string().trim().min(1).max(64),
  outcome: z.enum(OUTCOMES),
  min: z.coerce.number().int().min(0).max(1_000_000),
  page: z.coerce.number().int().positive().max(100_000),
  size: z.coerce.number().int().refine((n) => (PAGE_SIZES as readonly number[]).includes(n)),
};

export interface ParseOptions {
  /** Sort keys the page allows (without "-"); the first entry of `defaultSort` when invalid. */
  sortKeys?: readonly string[];
  defaultSort?: string;
  defaultPreset?: RangePreset;
}

export function parseViewState(raw: RawParams, now: Date, opts: ParseOptions = {}): Parsed {
  const notes: string[] = [];
  function pick<T>(key: string, schema: z.ZodType<T>, fallback: T, expected: string): T {
    const value = get(raw, key);
    if (value === undefined || value === "") return fallback;
    const res = schema.safeParse(value);
    if (res.success) return res.data;
    notes.push(`Ignored ${key}="${value.slice(0, 40)}": expected ${expected}.`);
    return fallback;
  }

  const defaultPreset = opts.defaultPreset ?? "30d";
  let preset: ViewState["preset"] = pick("range", schemas.range, defaultPreset, RANGE_PRESET_KEYS.join(", "));
  let range = presetRange(preset, now);
  const from = get(raw, "from");
  const to = get(raw, "to");
  if (from !== undefined || to !== undefined) {
    const today = utcDay(now);
    const f = day.safeParse(from);
    const t = day.safeParse(to ?? today);
    if (!f.success || !t.success) notes.push("Ignored from/to: expected dates as YYYY-MM-DD.");
    else if (f.data > t.data) notes.push(`Ignored from/to: ${f.data} is after ${t.data}.`);
    else if (f.data < FIRST_DAY || t.data > today) notes.push(`Ignored from/to: dates must lie between ${FIRST_DAY} and today (${today}).`);
    else {
      preset = "custom";
      range = customRange(f.data, t.data);
    }
  }

  const sortKeys = opts.sortKeys ?? [];
  const defaultSort = opts.defaultSort ?? "";
  let sort = get(raw, "sort") ?? defaultSort;
  if (sort !== defaultSort && !sortKeys.includes(sort.replace(/^-/, ""))) {
    notes.push(`Ignored sort="${sort.slice(0, 40)}": expected one of ${sortKeys.join(", ")} (prefix "-" for descending).`);
    sort = defaultSort;
  }

  const state: ViewState = {
    preset,
    range,
    type: pick("type", schemas.type.nullable(), null, TYPES.join(", ")),
    os: pick("os", schemas.os.nullable(), null, "an OS name such as debian"),
    q: pick("q", schemas.q.nullable(), null, "1 to 64 characters"),
    outcome: pick("outcome", schemas.outcome.nullable(), null, OUTCOMES.join(", ")),
    minRuns: pick("min", schemas.min, 0, "a whole number ≥ 0"),
    sort,
    page: pick("page", schemas.page, 1, "a page number ≥ 1"),
    pageSize: pick("size", schemas.size, 25, PAGE_SIZES.join(", ")),
  };
  return { state, notes };
}

/**
 * Just the range as a query string ("range=24h", "from=…&to=…"), for links to other pages that
 * keep the range and drop the rest.
 */
export function rangeQuery(state: Pick<ViewState, "preset" | "range">): string {
  return state.preset === "custom" ? `from=${state.range.from}&to=${state.range.to}` : `range=${state.preset}`;
}

/** A link to `path` that keeps only the range (none for the default 30 days). */
export function rangeHref(path: string, state: Pick<ViewState, "preset" | "range">): string {
  return state.preset === "30d" ? path : `${path}?${rangeQuery(state)}`;
}

/**
 * Query string for a view state, omitting defaults, so links are short and shareable.
 * `patch` overrides fields (e.g. { page: 2 }); changing a filter should reset page to 1.
 */
export function viewHref(path: string, state: ViewState, patch: Partial<ViewState> = {}, opts: ParseOptions = {}): string {
  const s = { ...state, ...patch };
  const p = new URLSearchParams();
  if (s.preset === "custom") {
    p.set("from", s.range.from);
    p.set("to", s.range.to);
  } else if (s.preset !== (opts.defaultPreset ?? "30d")) p.set("range", s.preset);
  if (s.type) p.set("type", s.type);
  if (s.os) p.set("os", s.os);
  if (s.q) p.set("q", s.q);
  if (s.outcome) p.set("outcome", s.outcome);
  if (s.minRuns) p.set("min", String(s.minRuns));
  if (s.sort && s.sort !== (opts.defaultSort ?? "")) p.set("sort", s.sort);
  if (s.page > 1) p.set("page", String(s.page));
  if (s.pageSize !== 25) p.set("size", String(s.pageSize));
  const qs = p.toString();
  return qs ? `${path}?${qs}` : path;
}

// ── Embeds and badges ──────────────────────────────────────────────────────────────────────
// Widgets (/embed/…) and badges (/badge/…) take the range and type of parseViewState plus
// presentation options. Same contract: an invalid value becomes its default and a note.


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

const EMBED_KEYS = ["range", "from", "to", "type", "theme", "bg", "compact", "title", "accent", "link", "app"];
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
 * `known` is named in a note, so a typo is visible.
 */
function parseEmbedView(raw: RawParams, now: Date, viewKeys: readonly string[], known: readonly string[]): Parsed {
  const keys = raw instanceof URLSearchParams ? [...new Set(raw.keys())] : Object.keys(raw);
  const view: Record<string, string | undefined> = {};
  for (const key of viewKeys) view[key] = get(raw, key);
  const parsed = parseViewState(view, now);
  for (const key of keys) if (!known.includes(key)) parsed.notes.push(`Ignored unknown option "${key.slice(0, 40)}".`);
  return parsed;
}

/**
 * Options of a widget: range/from/to/type (parseViewState), theme, bg, compact, title, accent,
 * link, app.
 */
export function parseEmbedOptions(raw: RawParams, now: Date): { options: EmbedOptions; notes: string[] } {
  const { state, notes } = parseEmbedView(raw, now, ["range", "from", "to", "type"], EMBED_KEYS);
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

export interface BadgeOptions {
  view: ViewState;
  metric: BadgeMetric;
  theme: Exclude<EmbedTheme, "auto">;
}

/**
 * Options of a badge: range/from/to, metric, theme (light or dark: an <img> cannot follow the
 * reader's colour scheme). Badges are images and cannot show a note, so the route answers a
 * "bad option" badge when `notes` is not empty.
 */
export function parseBadgeOptions(raw: RawParams, now: Date): { options: BadgeOptions; notes: string[] } {
  const { state, notes } = parseEmbedView(raw, now, ["range", "from", "to"], ["range", "from", "to", "metric", "theme"]);
  const metric = get(raw, "metric") || "success-rate";
  const theme = get(raw, "theme") || "light";
  if (!(BADGE_METRICS as readonly string[]).includes(metric)) notes.push(`Ignored metric="${metric.slice(0, 40)}": expected ${BADGE_METRICS.join(", ")}.`);
  if (theme !== "light" && theme !== "dark") notes.push(`Ignored theme="${theme.slice(0, 40)}": expected light or dark.`);
  return {
    options: {
      view: state,
      metric: (BADGE_METRICS as readonly string[]).includes(metric) ? (metric as BadgeMetric) : "success-rate",
      theme: theme === "dark" ? "dark" : "light",
    },
    notes,
  };
}
