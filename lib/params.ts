/**
 * The one parser of view state in URLs, shared by pages, route handlers and client filters.
 * Every value is validated; an invalid one is replaced by its default and reported in `notes`
 * (shown on the page / returned by the API), never a 500.
 */
import { z } from "zod";
import { OUTCOMES, type Outcome } from "./outcomes";
import { customRange, FIRST_DAY, presetRange, RANGE_PRESET_KEYS, type Range, type RangePreset } from "./range";
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
