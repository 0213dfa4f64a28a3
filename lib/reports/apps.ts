/**
 * The apps report — /apps, /api/v1/apps, its CSV and its OpenAPI entry — declared once: its
 * parameters are the view definitions' (lib/views.ts: `apps` for the page, `apiApps` for the
 * API), its rows come from the one loader (lib/data: loadAppList/fetchAppList, which reads
 * lib/data/queries/apps.ts), and every column is a field below. To add a column, add a field.
 */
import { z } from "zod";
import type { AppListRow } from "../data";
import { viewHref, type ViewState } from "../params";
import { spanLabel } from "../range";
import { change } from "../stats";
import { VIEWS } from "../views";
import { formatDuration, formatInt } from "../format";
import { field, report, tableOnly } from "./report";

/** What every column reads besides its row: the request's view state and where the sparklines start. */
export interface AppsContext {
  state: ViewState;
  sparkFrom: string;
}

const int = z.number().int().nonnegative();
const seconds = z.number().int().nonnegative().nullable();
const INSTALL_TIME = z
  .strictObject({
    n: int.describe("successful runs of the app with a duration (today's protocol) in the range"),
    p50: seconds.describe("median in seconds (nearest rank, rounded down to its bucket: within 5 s under a minute, at most 8.3 % below up to 2 h; /methodology); null when n = 0"),
    p90: seconds.describe("90th percentile in seconds, same method; null when n = 0"),
  })
  .describe("the app's successful install time over the range: every install type of the app, runs from the official repository (sort=install_time sorts by p50)");
const rate = z.number().min(0).max(1).nullable();

/** Failure rate of the previous period, for the change in points. */
function previousRate(r: AppListRow): number | null {
  const decided = r.previous.success + r.previous.failed;
  return decided ? r.previous.failed / decided : null;
}

const count = (name: "success" | "failed" | "aborted" | "unknown" | "installing", table?: { label: string; priority: 2 | 3 }) =>
  field<AppListRow, AppsContext, number>(name, int, (r) => r[name], table ? { table: { ...table, sortable: true, cell: (r) => ({ kind: "integer", value: r[name] }) } } : {});

const rateChange = z
  .strictObject({
    change: z
      .number()
      .min(-1)
      .max(1)
      .nullable()
      .describe("failure_rate minus the previous period's failure rate, a fraction like every rate (0.0068 = +0.68 percentage points); null without decided runs in either period"),
    points: z
      .number()
      .min(-1)
      .max(1)
      .nullable()
      .meta({ deprecated: true })
      .describe("deprecated: the same fraction as `change` (not percentage points, despite the name); kept for v1 clients"),
    significant: z.boolean(),
    newly_failing: z.boolean(),
    recovered: z.boolean(),
  })
  .nullable()
  .describe(
    "this row's (app and type, on the filter's OS) failure rate against its previous period: two-proportion test, Benjamini–Hochberg at 5 % over every app and type with runs in the range (/methodology); null when the row was not compared",
  );

export const APPS = report<AppListRow, AppsContext>([
  field("nsapp", z.string(), (r) => r.nsapp, {
    table: {
      label: "App",
      sortable: true,
      firstDescending: false,
      cell: (r, { state }) => ({
        kind: "link",
        value: r.nsapp,
        href: viewHref(VIEWS.app, `/apps/${encodeURIComponent(r.nsapp)}`, state, { page: 1, outcome: null }),
        note: r.type,
      }),
    },
  }),
  field("type", z.string(), (r) => r.type),
  field("runs", int, (r) => r.runs, { table: { label: "Runs", sortable: true, cell: (r) => ({ kind: "integer", value: r.runs }) } }),
  count("success", { label: "Successes", priority: 3 }),
  count("failed", { label: "Failures", priority: 2 }),
  count("aborted"),
  count("unknown"),
  count("installing"),
  field("failure_rate", rate, (r) => r.failure_rate),
  field("failure_low", rate, (r) => r.failure_low, {
    table: { label: "Failure rate (95 % interval)", sortable: true, cell: (r) => ({ kind: "rate", value: r.failure_rate, low: r.failure_low, high: r.failure_high }) },
  }),
  field("failure_high", rate, (r) => r.failure_high),
  field("decided", int.describe("runs that ended either way (success + failed): the n of failure_rate and its interval"), (r) => r.success + r.failed, {
    csv: { decided: { value: (n) => n, added: 2 } },
  }),
  field("previous", z.strictObject({ runs: int, success: int, failed: int }).describe("the period of equal length just before"), (r) => r.previous, {
    csv: { previous_runs: (p) => p.runs, previous_failed: (p) => p.failed, previous_success: (p) => p.success },
  }),
  field(
    "rate_change",
    rateChange,
    (r) =>
      r.change && {
        change: r.change.change,
        points: r.change.change, // deprecated: the same fraction under its first, misleading name (docs/API-CHANGELOG.md)
        significant: r.change.significant,
        newly_failing: r.change.newlyFailing,
        recovered: r.change.recovered,
      },
    {
      csv: {
        rate_change_points: (c) => c?.change ?? null,
        rate_change_significant: (c) => c?.significant ?? false,
        newly_failing: (c) => c?.newly_failing ?? false,
        recovered: (c) => c?.recovered ?? false,
        rate_change: { value: (c) => c?.change ?? null, added: 1 },
      },
      table: {
        key: "change",
        label: ({ state }) => `Failure rate vs previous ${spanLabel(state.range)}`,
        sortable: true,
        priority: 3,
        cell: (r) => {
          const c = r.change;
          const flag = c?.significant ? (c.newlyFailing ? "newly failing" : c.recovered ? "recovered" : c.change !== null && c.change > 0 ? "worse" : "better") : undefined;
          return { kind: "change", points: c?.change ?? (r.failure_rate !== null && previousRate(r) !== null ? r.failure_rate - previousRate(r)! : null), flag };
        },
      },
    },
  ),
  tableOnly("runs_change", {
    label: ({ state }) => `Runs vs previous ${spanLabel(state.range)}`,
    priority: 3,
    cell: (r) => ({ kind: "change", relative: change(r.runs, r.previous.runs).relative, hadPrevious: r.previous.runs > 0 }),
  }),
  field("runs_series", z.array(int).describe("runs per day (per hour for 24h) from runs_series_from"), (r) => r.spark, {
    csv: false,
    table: {
      key: "spark",
      label: ({ state, sparkFrom }) => `${state.range.grain === "hour" ? "Hourly" : "Daily"} runs${sparkFrom !== state.range.from ? ` since ${sparkFrom}` : ""}`,
      priority: 2,
      cell: (r, { state }) => ({
        kind: "spark",
        values: r.spark,
        label: `${formatInt(r.spark.reduce((a, b) => a + b, 0))} runs, ${state.range.grain === "hour" ? "hourly" : "daily"}`,
      }),
    },
  }),
  field("runs_series_from", z.string(), (_r, { sparkFrom }) => sparkFrom, { csv: false }),
  field("install_time", INSTALL_TIME, (r) => r.installTime, {
    csv: {
      install_time_n: { value: (t) => t.n, added: 4 },
      install_time_p50: { value: (t) => t.p50, added: 4 },
      install_time_p90: { value: (t) => t.p90, added: 4 },
    },
    table: {
      label: "Typical install",
      sortable: true,
      priority: 3,
      testId: "app-install-time",
      cell: (r) => ({
        kind: "text",
        value: r.installTime.p50 === null ? null : formatDuration(r.installTime.p50),
        note: r.installTime.n ? `n ${formatInt(r.installTime.n)}` : undefined,
        nowrap: true,
      }),
    },
  }),
]);
