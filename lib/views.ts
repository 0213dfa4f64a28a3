/**
 * Every view of the dashboard — page or API endpoint — as data: its route, the URL parameters
 * it reads, its sort keys and defaults. The one URL parser (lib/params.ts) reads a view's
 * parameters from it and writes links back with `viewHref`, omitting defaults, so a view has
 * one canonical URL (the HTTP server redirects other spellings of it there).
 * Pure: shared by server components, client components and the HTTP server.
 */
import { DURATION_MIN_RUNS } from "./durations";
import type { RangePreset } from "./range";

export type Param = "range" | "type" | "os" | "q" | "outcome" | "min" | "sort" | "page" | "size" | "aborts" | "week" | "repo";

export interface View {
  /** Route pattern ("/apps/[nsapp]"). */
  route: string;
  /** The parameters the view reads ("range" includes from/to; "week" sets the range to a calendar week). */
  params: readonly Param[];
  sortKeys: readonly string[];
  defaultSort: string;
  defaultPreset: RangePreset;
  /** Minimum runs when `min` is absent (a sample floor; `min=0` shows everything). */
  defaultMinRuns: number;
  defaultPageSize: number;
  /** API endpoints list every parameter they do not use in `notes`; pages ignore them. */
  strict: boolean;
}

function view(route: string, v: Partial<Omit<View, "route">> = {}): View {
  return { route, params: ["range"], sortKeys: [], defaultSort: "", defaultPreset: "30d", defaultMinRuns: 0, defaultPageSize: 25, strict: false, ...v };
}

export const APP_SORT_KEYS = ["nsapp", "runs", "success", "failed", "aborted", "failure_rate", "failure_low", "change", "install_time"] as const;
export const CODE_SORT_KEYS = ["code", "failed", "aborted", "total"] as const;
export const OS_SORT_KEYS = ["runs", "failed", "failure_rate"] as const;
/** Install time lists: n and percentiles of successful runs and of failures (lib/durations.ts). */
export const DURATION_SORT_KEYS = ["nsapp", "success_n", "success_p50", "success_p90", "failed_n", "failed_p50", "failed_p90"] as const;

/** Apps with fewer runs than this are not ranked by default (the overview's "most failing" floor too). */
export const MIN_RUNS_FLOOR = 20;

const appsParams: Param[] = ["range", "repo", "type", "os", "q", "min", "sort", "page", "size"];

export const VIEWS = {
  overview: view("/", { params: ["range", "repo"] }),
  apps: view("/apps", { params: appsParams, sortKeys: APP_SORT_KEYS, defaultSort: "-failure_low", defaultMinRuns: MIN_RUNS_FLOOR }),
  app: view("/apps/[nsapp]", { params: ["range", "repo", "outcome", "page", "aborts"] }),
  errors: view("/errors", { params: ["range", "repo", "sort", "aborts"], sortKeys: CODE_SORT_KEYS, defaultSort: "-total" }),
  error: view("/errors/[code]", { params: ["range", "repo", "page", "size"] }),
  os: view("/os", { params: ["range", "repo", "type", "os", "sort"], sortKeys: OS_SORT_KEYS, defaultSort: "-runs" }),
  methodology: view("/methodology", { params: [] }),
  regressions: view("/regressions", { params: ["range", "repo"] }),
  digest: view("/digest", { params: ["week", "repo"] }),
  embed: view("/embed/[widget]", { params: ["range", "repo", "type"] }),
  badge: view("/badge/[file]", { params: ["range", "repo"] }),
  chart: view("/chart/[file]", { params: ["range", "repo"] }),
  /** The Atom feeds (/feed.xml, /apps/<nsapp>/feed.xml): a repository selection, nothing else. */
  feed: view("/feed.xml", { params: ["repo"] }),
  /** Open Graph images of pages (/og/site.png, /og/apps/<nsapp>.png, /og/errors/<code>.png). */
  image: view("/og/[...path]", {}),
  apiSummary: view("/api/v1/summary", { params: ["range", "repo", "type"], strict: true }),
  apiApps: view("/api/v1/apps", { params: appsParams, sortKeys: APP_SORT_KEYS, defaultSort: "-failure_low", defaultMinRuns: MIN_RUNS_FLOOR, strict: true }),
  apiApp: view("/api/v1/apps/[nsapp]", { params: ["range", "repo", "aborts"], strict: true }),
  apiRuns: view("/api/v1/apps/[nsapp]/runs", { params: ["range", "repo", "outcome", "page", "size"], strict: true }),
  apiErrors: view("/api/v1/errors", { params: ["range", "repo", "aborts"], strict: true }),
  apiError: view("/api/v1/errors/[code]", { params: ["range", "repo", "page", "size"], strict: true }),
  apiOs: view("/api/v1/os", { params: ["range", "repo", "type", "os", "sort"], sortKeys: OS_SORT_KEYS, defaultSort: "-runs", strict: true }),
  apiRegressions: view("/api/v1/regressions", { params: ["range", "repo"], strict: true }),
  apiIncidents: view("/api/v1/incidents", { params: ["range", "repo"], strict: true }),
  apiInsights: view("/api/v1/apps/[nsapp]/insights", { params: ["range", "repo"], strict: true }),
  apiChanges: view("/api/v1/apps/[nsapp]/changes", { strict: true }),
  apiFailingCommands: view("/api/v1/apps/[nsapp]/failing-commands", { params: ["range", "repo"], strict: true }),
  apiAppHardware: view("/api/v1/apps/[nsapp]/hardware", { params: ["range", "repo"], strict: true }),
  apiHardware: view("/api/v1/hardware", { params: ["range", "repo", "type"], strict: true }),
  apiDigest: view("/api/v1/digest", { params: ["week", "repo"], strict: true }),
  apiDurations: view("/api/v1/durations", {
    params: ["range", "repo", "q", "min", "sort", "page", "size"],
    sortKeys: DURATION_SORT_KEYS,
    defaultSort: "-success_p50",
    defaultMinRuns: DURATION_MIN_RUNS,
    strict: true,
  }),
  apiTesting: view("/api/v1/testing", { strict: true }),
} as const satisfies Record<string, View>;

/** The page view a path shows (for canonical redirects), with its dynamic segment. */
export function pageViewForPath(pathname: string): { view: View; path: string } | null {
  const [, first = "", second, third] = pathname.split("/");
  if (third !== undefined) return null;
  if (first === "" && second === undefined) return { view: VIEWS.overview, path: "/" };
  if (first === "apps") return { view: second ? VIEWS.app : VIEWS.apps, path: pathname };
  if (first === "errors") return { view: second ? VIEWS.error : VIEWS.errors, path: pathname };
  if (first === "os" && !second) return { view: VIEWS.os, path: pathname };
  if (first === "methodology" && !second) return { view: VIEWS.methodology, path: pathname };
  if (first === "regressions" && !second) return { view: VIEWS.regressions, path: pathname };
  if (first === "digest" && !second) return { view: VIEWS.digest, path: pathname };
  return null;
}
