/**
 * The OpenAPI 3.1 document of the public API, generated from the response schemas
 * (lib/api-schemas.ts) and the views' parameters (lib/views.ts) — so it cannot drift from what
 * the endpoints read and answer. Served at /api/v1/openapi.json and rendered on /api.
 */
import { z } from "zod";
import { API_CHANGELOG } from "./api-changelog";
import * as S from "./api-schemas";
import { OUTCOMES } from "./outcomes";
import { MAX_LIST_ROWS, PAGE_SIZES } from "./params";
import { REPOS } from "./repo";
import { TYPES } from "./run-type";
import { DAILY_MAX_DAYS, RANGE_PRESET_KEYS, WEEKLY_MAX_DAYS } from "./range";
import { VIEWS, type Param, type View } from "./views";

interface Endpoint {
  path: string;
  view: View;
  summary: string;
  schema: z.ZodType;
  /** What format=csv (or the .csv suffix) returns. */
  csv: string;
  pathParams?: { name: string; description: string; schema: object }[];
  /** What a shared parameter means here, where it differs from PARAMS. */
  paramDescriptions?: Partial<Record<Param, string>>;
}

const NSAPP = { name: "nsapp", description: "app name as the scripts report it (e.g. jellyfin)", schema: { type: "string", maxLength: 128 } };

export const ENDPOINTS: Endpoint[] = [
  { path: "/api/v1/summary", view: VIEWS.apiSummary, summary: "Totals by outcome, success rate and the outcome series", schema: S.SummarySchema, csv: "the series" },
  { path: "/api/v1/apps", view: VIEWS.apiApps, summary: "Apps with runs, outcomes and failure rates, filtered, sorted and paged", schema: S.AppsSchema, csv: "the apps" },
  {
    path: "/api/v1/apps/{nsapp}",
    view: VIEWS.apiApp,
    summary: "One app: totals, series, exit codes, environments, resources",
    schema: S.AppSchema,
    csv: "the series",
    pathParams: [NSAPP],
  },
  {
    path: "/api/v1/apps/{nsapp}/runs",
    view: VIEWS.apiRuns,
    summary: "One app's runs, newest first, optionally of one outcome",
    schema: S.RunsSchema,
    csv: "the runs",
    pathParams: [NSAPP],
  },
  { path: "/api/v1/errors", view: VIEWS.apiErrors, summary: "Exit codes of failed runs, ranked, with explanations", schema: S.ExitCodesSchema, csv: "the codes" },
  {
    path: "/api/v1/errors/{code}",
    view: VIEWS.apiError,
    summary: "One exit code: totals, series, apps it hit (paged), OS split",
    schema: S.ExitCodeSchema,
    csv: "the apps",
    pathParams: [{ name: "code", description: "exit code, 0 to 255", schema: { type: "integer", minimum: 0, maximum: 255 } }],
  },
  { path: "/api/v1/os", view: VIEWS.apiOs, summary: "Runs and failure rates per install type, OS and version", schema: S.OsSchema, csv: "the rows" },
  {
    path: "/api/v1/regressions",
    view: VIEWS.apiRegressions,
    summary: "Apps whose failure rate rose clearly above their own baseline (method: /methodology), open ones first",
    schema: S.RegressionsSchema,
    csv: "one row per regression",
  },
  {
    path: "/api/v1/incidents",
    view: VIEWS.apiIncidents,
    summary: "One exit code or category spiking across several apps at once",
    schema: S.IncidentsSchema,
    csv: "one row per incident and app",
  },
  {
    path: "/api/v1/apps/{nsapp}/insights",
    view: VIEWS.apiInsights,
    summary: "One app's failure rate over time with its interval, the actionable rate, categories and what is unusual about its failures",
    schema: S.AppInsightsSchema,
    csv: "the series",
    pathParams: [NSAPP],
  },
  {
    path: "/api/v1/apps/{nsapp}/changes",
    view: VIEWS.apiChanges,
    summary: "One app's script changes in the range (its own files and the shared libraries its type loads), newest first, with commit links",
    schema: S.ChangesSchema,
    csv: "the changes",
    pathParams: [NSAPP],
  },
  {
    path: "/api/v1/apps/{nsapp}/failing-commands",
    view: VIEWS.apiFailingCommands,
    summary: "One app's failures grouped by the command that failed (normalised, with its line): failures, share, first and last seen, exit codes",
    schema: S.FailingCommandsSchema,
    csv: "the commands",
    pathParams: [NSAPP],
  },
  {
    path: "/api/v1/apps/{nsapp}/hardware",
    view: VIEWS.apiAppHardware,
    summary:
      "One app's runs by hardware and platform (GPU passthrough, GPU and CPU vendor, architecture, platform): runs, share, outcomes, failure rate with interval and n per value; not reported counted",
    schema: S.AppHardwareSchema,
    csv: "one row per dimension and value",
    pathParams: [NSAPP],
  },
  {
    path: "/api/v1/hardware",
    view: VIEWS.apiHardware,
    summary:
      "Every app's runs by hardware and platform (GPU passthrough, GPU and CPU vendor, architecture, platform): runs, share, outcomes, failure rate with interval and n per value",
    schema: S.HardwareSchema,
    csv: "one row per dimension and value",
  },
  {
    path: "/api/v1/digest",
    view: VIEWS.apiDigest,
    summary: "The weekly digest: one calendar week against the week before — newly failing, recovered, still failing, biggest movers, incidents",
    schema: S.DigestSchema,
    csv: "one row per app listed (column section) and per incident and app",
  },
  {
    path: "/api/v1/durations",
    view: VIEWS.apiDurations,
    summary: "Install time per app: p50 and p90 of successful runs and of failures (time to fail), with n, for a repository selection; sorted and paged",
    schema: S.DurationsSchema,
    csv: "one row per app",
    paramDescriptions: { min: "minimum successful runs with a duration in the range" },
  },
  {
    path: "/api/v1/testing",
    view: VIEWS.apiTesting,
    summary: "Scripts in testing: the development repository's apps with finished runs, failure rate and interval, and whether each is ready to promote",
    schema: S.TestingSchema,
    csv: "one row per script",
  },
];

const PARAMS: Record<Param, { name: string; description: string; schema: object }[]> = {
  range: [
    {
      name: "range",
      description: `preset range (default 30d): 24h reads the hourly rollups; all runs from the first day with data to today. Series points (range.bucket): hours for 24h, days up to ${DAILY_MAX_DAYS} days, weeks up to ${WEEKLY_MAX_DAYS}, months beyond`,
      schema: { type: "string", enum: RANGE_PRESET_KEYS, default: "30d" },
    },
    { name: "from", description: "custom range start, a UTC day (with to)", schema: { type: "string", format: "date" } },
    { name: "to", description: "custom range end, a UTC day (default today)", schema: { type: "string", format: "date" } },
  ],
  type: [{ name: "type", description: "install type", schema: { type: "string", enum: TYPES } }],
  repo: [
    {
      name: "repo",
      description:
        "which repository's runs: official (default; includes runs of the older protocol, which name no repository), dev (the development repository: scripts in testing), fork, or all",
      schema: { type: "string", enum: REPOS, default: "official" },
    },
  ],
  os: [{ name: "os", description: "OS name (debian, ubuntu, alpine…)", schema: { type: "string", pattern: "^[a-z0-9][a-z0-9._-]{0,31}$" } }],
  q: [{ name: "q", description: "app name contains (literal text)", schema: { type: "string", minLength: 1, maxLength: 64 } }],
  outcome: [{ name: "outcome", description: "only runs of this outcome", schema: { type: "string", enum: OUTCOMES } }],
  min: [{ name: "min", description: "minimum runs in the range, of every outcome (not only finished ones)", schema: { type: "integer", minimum: 0 } }],
  sort: [
    {
      name: "sort",
      description: "sort key, '-' prefix for descending; rows without a value (a rate without decided runs, a change that cannot be computed) come last in both directions",
      schema: { type: "string" },
    },
  ],
  page: [
    {
      name: "page",
      description: `page number, 1 to page.pages; lists serve their first ${MAX_LIST_ROWS} rows, and a page after the last answers 400`,
      schema: { type: "integer", minimum: 1, default: 1 },
    },
  ],
  size: [{ name: "size", description: "page size", schema: { type: "integer", enum: PAGE_SIZES, default: 25 } }],
  week: [
    {
      name: "week",
      description: "a calendar week (Monday–Sunday, UTC) by its Monday; another day names its week (with a note); default the last complete week",
      schema: { type: "string", format: "date" },
    },
  ],
  aborts: [{ name: "aborts", description: "include user aborts (default: left out)", schema: { type: "string", enum: ["include", "exclude"], default: "exclude" } }],
};

function parameters(e: Endpoint) {
  const query = e.view.params
    .flatMap((p) => PARAMS[p])
    .map((p) => {
      if (p.name === "sort" && e.view.sortKeys.length) {
        const keys = e.view.sortKeys.flatMap((k) => [k, `-${k}`]);
        return { ...p, in: "query", schema: { type: "string", enum: keys, default: e.view.defaultSort } };
      }
      const description = e.paramDescriptions?.[p.name as Param] ?? p.description;
      if (p.name === "min") return { ...p, description, in: "query", schema: { ...p.schema, default: e.view.defaultMinRuns } };
      return { ...p, in: "query" };
    });
  const format = { name: "format", in: "query", description: "json (default) or csv; /…/x.csv is the same as format=csv", schema: { type: "string", enum: ["json", "csv"] } };
  return [...(e.pathParams ?? []).map((p) => ({ ...p, in: "path", required: true })), ...query, format];
}

const json = (schema: z.ZodType) => ({ "application/json": { schema: z.toJSONSchema(schema, { target: "draft-2020-12" }) } });
const error = (description: string) => ({ description, content: json(S.ErrorSchema) });

export function openApiDocument() {
  const paths: Record<string, unknown> = {};
  for (const e of ENDPOINTS) {
    paths[e.path] = {
      get: {
        summary: e.summary,
        parameters: parameters(e),
        responses: {
          "200": { description: `OK. With format=csv: ${e.csv} as CSV.`, content: { ...json(e.schema), "text/csv": { schema: { type: "string" } } } },
          "400": error("a parameter cannot be used: format other than json or csv, or a page after page.pages of a paged list"),
          "404": error("unknown app or exit code"),
          "429": error("too many uncached requests from one client; see Retry-After"),
          "503": error("the statistics source is unavailable; see Retry-After"),
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Proxmox VE script installs — public statistics API",
      // Version 1 of the API; the minor version counts the releases of its changelog.
      version: `1.${API_CHANGELOG.length}.0`,
      description: `Read-only statistics of install runs. Unknown parameters and invalid values are ignored and listed in \`notes\`. Rates are fractions. Paged lists (\`page\` beside \`data\`) serve their first ${MAX_LIST_ROWS} rows: \`page.total\` counts every matching row, \`page.pages\` the pages that can be fetched, and a later page answers 400 naming the last one. Responses are cacheable (Cache-Control, ETag) and allow any origin (CORS).`,
    },
    paths,
  };
}
