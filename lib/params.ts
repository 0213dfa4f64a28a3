/**
 * The one parser of view state in URLs, shared by pages, route handlers, widgets and the HTTP
 * server (canonical redirects). A view (lib/views.ts) says which parameters it reads and their
 * defaults. Every value is validated; an invalid one is replaced by its default and reported
 * in `notes` (shown on the page / returned by the API), never a 500. API views also note
 * parameters they do not use.
 */
import { z } from "zod";
import { OUTCOMES, type Outcome } from "./outcomes";
import { allTimeRange, customRange, FIRST_DAY, presetRange, RANGE_PRESET_KEYS, type Range, type RangePreset, withRepo } from "./range";
import { utcDay } from "./time";
import { DEFAULT_REPO, type Repo, REPOS } from "./repo";
import { type RunType, TYPES } from "./run-type";
import type { Param, View } from "./views";
import { FIRST_WEEK, isComplete, lastCompleteWeek, weekContaining, weekRange } from "./week";

export const PAGE_SIZES = [10, 25, 50, 100] as const;

/**
 * The one paging rule of every paged list (apps, an app's runs, the apps an exit code hit), on
 * pages and in the API: a list serves its first MAX_LIST_ROWS rows — deeper pages of raw runs
 * would cost a growing OFFSET, and narrower ranges reach older rows. `total` counts every
 * matching row; `pageCount` is the pages that can be fetched; a later page is past the end.
 */
export const MAX_LIST_ROWS = 5_000;

/** Pages a list of `total` rows offers at `size` rows a page: at least one, never beyond MAX_LIST_ROWS. */
export function pageCount(total: number, size: number): number {
  return Math.max(1, Math.ceil(Math.min(total, MAX_LIST_ROWS) / size));
}

export interface ViewState {
  /** The preset, or "custom" when from/to were given. */
  preset: RangePreset | "custom";
  range: Range;
  type: RunType | null;
  os: string | null;
  q: string | null;
  /** One outcome of runs, for lists of runs (null: the list's default). */
  outcome: Outcome | null;
  minRuns: number;
  /** A sort key of the view, "-" prefix for descending. */
  sort: string;
  page: number;
  pageSize: number;
  /** Exit-code rankings: include user aborts (left out by default). */
  aborts: boolean;
  /**
   * The digest's week as given in the URL (its Monday), or null for the default: the last
   * complete week. Either way `range` is the week shown (Monday to Sunday).
   */
  week: string | null;
  /** The first day with data the parser was given (where "all time" starts), or null. */
  firstDay: string | null;
  /** Which repository's runs (lib/repo.ts); "official" (with the older protocol's runs) by default. */
  repo: Repo;
}

export interface Parsed {
  state: ViewState;
  notes: string[];
}

export type RawParams = URLSearchParams | Record<string, string | string[] | undefined>;

/** Every parameter name the parser knows (others are never read). */
const KNOWN = ["range", "from", "to", "type", "os", "q", "outcome", "min", "sort", "page", "size", "aborts", "week", "repo", "format"];

/** A parameter's (first) value. */
export function get(raw: RawParams, key: string): string | undefined {
  const v = raw instanceof URLSearchParams ? (raw.get(key) ?? undefined) : raw[key];
  return Array.isArray(v) ? v[0] : v;
}

function keys(raw: RawParams): string[] {
  return raw instanceof URLSearchParams ? [...new Set(raw.keys())] : Object.keys(raw).filter((k) => raw[k] !== undefined);
}

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && utcDay(new Date(`${d}T00:00:00Z`)) === d);
const schemas = {
  range: z.enum(RANGE_PRESET_KEYS),
  type: z.enum(TYPES),
  os: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{0,31}$/i),
  q: z.string().trim().min(1).max(64),
  outcome: z.enum(OUTCOMES),
  min: z.coerce.number().int().min(0).max(1_000_000),
  page: z.coerce.number().int().positive().max(100_000),
  size: z.coerce
    .number()
    .int()
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n)),
  aborts: z.enum(["include", "exclude"]),
  repo: z.enum(REPOS),
};

/** Shows a user value in a note: shortened, control characters removed (pages escape it anyway). */
function shown(v: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return v.replace(/[\u0000-\u001f\u007f]/g, "").slice(0, 40);
}

/**
 * Whether parsing `raw` for `view` depends on the first day with data: "all time" starts there
 * and the digest's weeks begin there. Other requests need not wait for it (a slow PocketBase
 * would otherwise hold every page's shell, not just the sections that show figures).
 */
export function needsFirstDay(raw: RawParams, view: View): boolean {
  if (view.params.includes("week")) return true;
  return view.params.includes("range") && (view.defaultPreset === "all" || get(raw, "range") === "all");
}

/**
 * `firstDay`: the first day with data (lib/data/index.ts readViewState loads it), where "all time"
 * starts and the digest's weeks begin; null when there is no data yet (all time is today).
 * Omitted — only for callers that show no figures, e.g. canonical URLs — the calendar's first day.
 */
export function parseViewState(raw: RawParams, now: Date, view: View, firstDay?: string | null): Parsed {
  const notes: string[] = [];
  const uses = (p: Param) => view.params.includes(p);
  function pick<T>(key: Param, schema: z.ZodType<T>, fallback: T, expected: string): T {
    const value = get(raw, key);
    if (!uses(key) || value === undefined || value === "") return fallback;
    const res = schema.safeParse(value);
    if (res.success) return res.data;
    notes.push(`Ignored ${key}="${shown(value)}": expected ${expected}.`);
    return fallback;
  }

  let preset: ViewState["preset"] = pick("range", schemas.range, view.defaultPreset, RANGE_PRESET_KEYS.join(", "));
  let range = preset === "all" ? allTimeRange(now, firstDay === undefined ? FIRST_DAY : firstDay) : presetRange(preset, now);
  const from = get(raw, "from");
  const to = get(raw, "to");
  if (uses("range") && (from !== undefined || to !== undefined)) {
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

  const week = uses("week") ? parseWeek(get(raw, "week"), now, firstWeek(firstDay ?? null), notes) : null;
  if (uses("week")) {
    preset = "custom";
    range = weekRange(week ?? lastCompleteWeek(now).monday);
  }

  let sort = uses("sort") ? (get(raw, "sort") ?? view.defaultSort) : view.defaultSort;
  if (sort !== view.defaultSort && !view.sortKeys.includes(sort.replace(/^-/, ""))) {
    notes.push(`Ignored sort="${shown(sort)}": expected one of ${view.sortKeys.join(", ")} (prefix "-" for descending).`);
    sort = view.defaultSort;
  }

  if (view.strict) {
    for (const k of keys(raw)) {
      const param = k === "from" || k === "to" ? "range" : k;
      if (!KNOWN.includes(k)) notes.push(`Ignored ${shown(k)}: not a parameter of this endpoint.`);
      else if (param !== "format" && !uses(param as Param)) notes.push(`Ignored ${k}: this endpoint does not use it.`);
    }
  }

  const repo = pick("repo", schemas.repo, DEFAULT_REPO, REPOS.join(", "));
  const state: ViewState = {
    preset,
    // Every figure of the view is read for the selection: it travels with the range (lib/range.ts).
    range: withRepo(range, repo),
    type: pick("type", schemas.type.nullable(), null, TYPES.join(", ")),
    os: pick("os", schemas.os.nullable(), null, "an OS name such as debian"),
    q: pick("q", schemas.q.nullable(), null, "1 to 64 characters"),
    outcome: pick("outcome", schemas.outcome.nullable(), null, OUTCOMES.join(", ")),
    minRuns: pick("min", schemas.min, view.defaultMinRuns, "a whole number ≥ 0"),
    sort,
    page: pick("page", schemas.page, 1, "a page number ≥ 1"),
    pageSize: pick("size", schemas.size, view.defaultPageSize, PAGE_SIZES.join(", ")),
    aborts: pick("aborts", schemas.aborts, "exclude", "include or exclude") === "include",
    week,
    firstDay: firstDay ?? null,
    repo,
  };
  return { state, notes };
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** The first week a digest can show: the one holding the first day with data (the calendar's first week without data). */
export function firstWeek(firstDay: string | null): string {
  return firstDay === null ? FIRST_WEEK : weekContaining(firstDay).monday;
}

/**
 * A week's Monday from `week=`: any day names the week containing it (with a note unless it
 * is the Monday); a week not over yet, before the first week with data, or not a date is the
 * default (null).
 */
function parseWeek(value: string | undefined, now: Date, first: string, notes: string[]): string | null {
  if (value === undefined || value === "") return null;
  const d = day.safeParse(value);
  if (!d.success) {
    notes.push(`Ignored week="${shown(value)}": expected a date as YYYY-MM-DD (a Monday); showing the last complete week.`);
    return null;
  }
  const { monday } = weekContaining(d.data);
  if (monday < first) {
    notes.push(`Ignored week=${d.data}: the first week with data is the one from ${first}; showing the last complete week.`);
    return null;
  }
  if (!isComplete(monday, now)) {
    notes.push(`Ignored week=${d.data}: the week from ${monday} is not over yet; showing the last complete week.`);
    return null;
  }
  if (monday !== d.data) notes.push(`${d.data} is a ${WEEKDAYS[new Date(`${d.data}T00:00:00Z`).getUTCDay()]}: showing the week containing it, from Monday ${monday}.`);
  return monday;
}

/**
 * Link to `path` (a path of `view`, e.g. "/apps/docker") showing `state` with `patch` applied:
 * only the view's parameters, defaults omitted, in a fixed order — the view's canonical URL.
 * Changing a filter should reset page to 1 (pass `page: 1` in the patch).
 */
export function viewHref(view: View, path: string, state: ViewState, patch: Partial<ViewState> = {}): string {
  const s = { ...state, ...patch };
  const uses = (p: Param) => view.params.includes(p);
  const p = new URLSearchParams();
  if (uses("range")) {
    if (s.preset === "custom") {
      p.set("from", s.range.from);
      p.set("to", s.range.to);
    } else if (s.preset !== view.defaultPreset) p.set("range", s.preset);
  }
  if (uses("type") && s.type) p.set("type", s.type);
  if (uses("os") && s.os) p.set("os", s.os);
  if (uses("q") && s.q) p.set("q", s.q);
  if (uses("outcome") && s.outcome) p.set("outcome", s.outcome);
  if (uses("min") && s.minRuns !== view.defaultMinRuns) p.set("min", String(s.minRuns));
  if (uses("sort") && s.sort && s.sort !== view.defaultSort) p.set("sort", s.sort);
  if (uses("aborts") && s.aborts) p.set("aborts", "include");
  if (uses("week") && s.week) p.set("week", s.week);
  if (uses("repo") && s.repo !== DEFAULT_REPO) p.set("repo", s.repo);
  if (uses("page") && s.page > 1) p.set("page", String(s.page));
  if (uses("size") && s.pageSize !== view.defaultPageSize) p.set("size", String(s.pageSize));
  const qs = p.toString();
  return qs ? `${path}?${qs}` : path;
}

/** The range as query parameters ("range=24h", "from=…&to=…"; "" for the default 30 days). */
export function rangeQuery(state: Pick<ViewState, "preset" | "range">): string {
  if (state.preset === "custom") return `from=${state.range.from}&to=${state.range.to}`;
  return state.preset === "30d" ? "" : `range=${state.preset}`;
}

/** `repo=…` for a selection other than the default, else "": the selection's one spelling in a URL built outside viewHref. */
export function repoQuery(repo: Repo): string {
  return repo === DEFAULT_REPO ? "" : `repo=${repo}`;
}

/** `url` with the selection's `repo=` appended (after `?` or `&`); unchanged for the default selection. */
export function withRepoQuery(url: string, repo: Repo): string {
  const part = repoQuery(repo);
  return part ? `${url}${url.includes("?") ? "&" : "?"}${part}` : url;
}

/** A link to `path` that keeps only the range. */
export function rangeHref(path: string, state: Pick<ViewState, "preset" | "range">): string {
  // The range's repository selection goes along (a widget's link opens the figures it shows).
  const qs = [rangeQuery(state), repoQuery(state.range.repo)].filter(Boolean).join("&");
  return qs ? `${path}?${qs}` : path;
}
