/**
 * The public API's contract: one zod schema per response, from which /api/v1/openapi.json is
 * generated (lib/openapi.ts) and against which the tests check every endpoint's answer.
 *
 * One envelope everywhere: `range` (what was asked, resolved), `notes` (parameters ignored and
 * why), `data_as_of` (when its figures were read), optional `page` (paging of `data`) and `data`. Names are snake_case; a series point
 * is `{ bucket, partial, …counts }` and `range.bucket` says whether it is an hour, day, week
 * or month. Rates are fractions (0.031 = 3.1 %), null when no run ended either way.
 */
import { z } from "zod";
import { APPS } from "./reports/apps";
import { DURATION_FACTOR_VALUES, durationSide } from "./reports/duration-factors";
import { ERRORS } from "./reports/errors";
import { FAILING_COMMANDS } from "./reports/failing-commands";
import { HARDWARE } from "./reports/hardware";
import { OS } from "./reports/os";
import { RUNS } from "./reports/runs";
import { MAX_LIST_ROWS } from "./params";
import { MEDIAN_MIN_RUNS } from "./testing";
import { REPOS } from "./repo";
import { DURATION_FACTORS } from "./duration-factors";
import { TYPES } from "./run-type";
import { DAILY_MAX_DAYS, RANGE_PRESET_KEYS, WEEKLY_MAX_DAYS } from "./range";

const int = z.number().int().nonnegative();
const rate = z.number().min(0).max(1).nullable();
const day = z.string().describe("UTC bucket: YYYY-MM-DD HH (hour), YYYY-MM-DD (day; a week's Monday), YYYY-MM (month)");

export const RangeSchema = z.strictObject({
  preset: z.enum([...RANGE_PRESET_KEYS, "custom"]),
  from: z.string().describe("first rollup bucket, inclusive (YYYY-MM-DD, or YYYY-MM-DD HH for 24h); for range=all the first day with data"),
  to: z.string().describe("last rollup bucket, inclusive"),
  grain: z.enum(["day", "hour"]).describe("rollups read"),
  bucket: z
    .enum(["hour", "day", "week", "month"])
    .describe(
      `what one series point is: hour for 24h; by the range's length in days otherwise — day up to ${DAILY_MAX_DAYS}, week (Monday–Sunday, keyed by its Monday) up to ${WEEKLY_MAX_DAYS}, month beyond; presets, custom ranges and all time alike`,
    ),
  repo: z
    .enum(REPOS)
    .describe(
      "whose runs the figures count (repo=): official (with the older protocol's runs, which name no repository), dev, fork or all; official on endpoints without repo= (scripts in testing read the development repository by definition)",
    ),
});

export const PageSchema = z
  .strictObject({
    number: z.number().int().positive().describe("this page, from 1"),
    size: z.number().int().positive(),
    total: int.describe("every matching row, also those past the last page that can be fetched"),
    pages: z.number().int().positive().describe(`the pages that can be fetched: ceil(min(total, ${MAX_LIST_ROWS}) / size), at least 1; a later page answers 400`),
  })
  .describe(`paging: every paged list serves its first ${MAX_LIST_ROWS} rows`);

const DataAsOf = z
  .string()
  .nullable()
  .describe(
    "when the oldest figure of this answer was read from the statistics source (UTC, ISO 8601; also the Last-Modified header): at most a minute before the dashboard sent it, complete weeks (the digest) up to 15 minutes; a shared cache in front keeps its copy longer (README, Caching and freshness)",
  );

function envelope<D extends z.ZodType, E extends z.ZodRawShape = Record<never, never>>(data: D, extra?: E) {
  return z.strictObject({ range: RangeSchema, notes: z.array(z.string()), data_as_of: DataAsOf, ...(extra ?? ({} as E)), data });
}

const outcomeCounts = { success: int, failed: int, aborted: int, unknown: int, unfinished: int, running: int };
const storedCounts = { success: int, failed: int, aborted: int, unknown: int, installing: int };
const rateWithInterval = { failure_rate: rate, failure_low: rate, failure_high: rate };

export const SummarySchema = envelope(
  z.strictObject({
    type: z.enum(TYPES).nullable(),
    totals: z.strictObject({ ...outcomeCounts, runs: int, success_rate: rate }),
    series: z.array(z.strictObject({ bucket: day, partial: z.boolean(), ...outcomeCounts })),
    as_of: z.string().nullable().describe("start time of the newest run (any range)"),
  }),
);

/** The apps report's row (lib/reports/apps.ts declares its fields). */
export const AppRowSchema = APPS.rowSchema;
export const AppsSchema = envelope(z.array(AppRowSchema), { page: PageSchema });

export const TestingSchema = envelope(
  z.array(
    z.strictObject({
      nsapp: z.string(),
      runs: int.describe("finished runs (successes + failures) from the development repository in the range"),
      sessions: int.describe("distinct sessions among those runs: a retry from the scripts' recovery menu is a second run of one session (sessions themselves are never listed)"),
      success: int,
      failed: int,
      ...rateWithInterval,
      verdict: z
        .enum(["ready", "not ready", "too few runs"])
        .describe("ready: at least 30 finished runs and the interval's upper bound at most the official median app failure rate + 2 percentage points (/methodology#testing)"),
      top_failing_command: z
        .strictObject({
          command: z.string().describe("the failing command, normalised (the failure signature: /methodology)"),
          line: int.describe("the script line; 0 when not reported"),
          failed: int.describe("development runs in the range that failed at it"),
        })
        .nullable()
        .describe("the command the script's development runs failed at most in the range; null when none of its failures named one"),
    }),
  ),
  {
    official_median_failure_rate: rate.describe(
      `median failure rate of apps with at least ${MEDIAN_MIN_RUNS} finished official runs in the range (official repository or older protocol; what the rule compares with)`,
    ),
  },
);

export const DurationsSchema = envelope(z.array(z.strictObject({ nsapp: z.string(), success: durationSide("successful runs"), failed: durationSide("failed runs") })), {
  page: PageSchema,
  repo: z.enum(REPOS).describe("the repository selection the figures count (repo=)"),
});

const breakdown = z.strictObject({ label: z.string(), runs: int, success: int, failed: int, ...rateWithInterval });

export const AppSchema = envelope(
  z.strictObject({
    nsapp: z.string(),
    in_catalogue: z.boolean(),
    catalogue: z.array(
      z.strictObject({
        type: z.string(),
        name: z.string().nullable().describe("the script's display name; null where the catalogue has none"),
        cpu: z.number().nullable(),
        ram_mb: z.number().nullable(),
        disk_gb: z.number().nullable(),
        os: z.string().nullable(),
        os_version: z.string().nullable(),
      }),
    ),
    totals: z.strictObject({ ...storedCounts, runs: int }),
    series: z.array(z.strictObject({ bucket: day, partial: z.boolean(), ...storedCounts })),
    exit_codes: z
      .array(z.strictObject({ exit_code: int, message: z.string(), failed: int, aborted: int }))
      .describe("exit codes of failed runs, most failures first; user aborts (aborted runs, codes 129, 130, 143) only with aborts=include, as on /errors"),
    user_aborts_included: z.boolean().describe("whether exit_codes count user aborts (aborts=include)"),
    os: z.array(breakdown),
    pve: z.array(breakdown),
    methods: z.array(breakdown),
    resources: z.array(
      z.strictObject({
        resource: z.enum(["ram", "cores", "disk"]),
        unit: z.string(),
        default: z.number().nullable(),
        choices: z.array(z.strictObject({ relation: z.enum(["below", "default", "above", "no default"]), runs: int, success: int, failed: int, failure_rate: rate })),
      }),
    ),
    install_time: z
      .strictObject({
        success: durationSide("successful runs"),
        failed: durationSide("failed runs"),
        trend: z
          .strictObject({
            unit: z.enum(["week", "month"]),
            points: z.array(
              z.strictObject({
                bucket: z.string().describe("the week's Monday (YYYY-MM-DD) or the month (YYYY-MM)"),
                partial: z.boolean().describe("the range covers only part of the point, or it is not over"),
                from: z.string().describe("first day of the point inside the range"),
                to: z.string().describe("last day of the point inside the range"),
                success: durationSide("successful runs"),
                failed: durationSide("failed runs"),
              }),
            ),
          })
          .nullable()
          .describe("install time per week (ranges of 28–92 days) or month (up to 731 days), each point's percentiles read over its own days; null for shorter or longer ranges"),
        by_factor: z
          .strictObject({
            from: z.string().describe("first day counted (a 24-hour range counts its two calendar days, UTC)"),
            to: z.string().describe("last day counted"),
            overall: durationSide("successful runs"),
            tested: int.describe("values tested (both sides with at least 10 runs): the m of Benjamini–Hochberg"),
            factors: z.array(
              z.strictObject({
                factor: z.enum(DURATION_FACTORS),
                differs: z.boolean().describe("some value differs by the rule (the app page shows only these factors)"),
                values: z.array(DURATION_FACTOR_VALUES.rowSchema).describe("most runs first, not reported last"),
              }),
            ),
          })
          .describe("successful install time by cores, RAM, install method and OS version, each value against the app's other runs (/methodology#install-time)"),
      })
      .describe("how long the app's runs from the official repository took: successes, and failures until they failed (time to fail)"),
  }),
);

export const RunSchema = RUNS.rowSchema;
export const RunsSchema = envelope(z.array(RunSchema), { page: PageSchema });

export const ExitCodeRowSchema = ERRORS.rowSchema;
export const ExitCodesSchema = envelope(z.array(ExitCodeRowSchema), {
  totals: z.strictObject({ failed: int, aborted: int, user_aborts_included: z.boolean() }),
});

export const ExitCodeSchema = envelope(
  z.strictObject({
    exit_code: int,
    message: z.string(),
    section: z.string(),
    category: z.string(),
    failed: int,
    aborted: int,
    series: z.array(z.strictObject({ bucket: day, partial: z.boolean(), runs: int })),
    apps: z
      .array(z.strictObject({ nsapp: z.string(), failed: int, aborted: int }))
      .describe("the apps the code hit, one page: by the code's runs in them (failed + aborted), then failures, then name"),
    os: z
      .array(z.strictObject({ os: z.string(), version: z.string(), failed: int, aborted: int, share: z.number().min(0).max(1) }))
      .describe("OS and version labels (as every breakdown), ranked as the apps"),
  }),
  { page: PageSchema.describe("paging of data.apps") },
);

export const OsSchema = envelope(z.array(OS.rowSchema));

export const ErrorSchema = z.strictObject({ error: z.string(), notes: z.array(z.string()).optional() });

const cause = z.strictObject({
  dimension: z.string(),
  key: z.string(),
  sentence: z.string().describe('e.g. "Fails 9× more often on PVE 8.4: 31 % vs 3.4 %"'),
  failed: int,
  rate: z.number(),
  other_rate: z.number(),
  ratio: z.number().nullable(),
  p_adjusted: z.number(),
});

export const RegressionSchema = z.strictObject({
  nsapp: z.string(),
  start: z.string().describe("first elevated bucket (day, or hour inside the hourly window)"),
  end: z.string().nullable().describe("last elevated bucket; null while still open"),
  last: z.string(),
  failed: int,
  decided: int,
  rate: z.number(),
  baseline_rate: z.number(),
  baseline_failed: int.describe("the baseline's failures: the app's other buckets in the scan"),
  baseline_decided: int.describe("the baseline's decided runs (successes + failures): baseline_rate's n"),
  peak_rate: z.number(),
  peak_bucket: z.string(),
  expected_failures: z.number(),
  excess_failures: z.number(),
  q_value: z.number(),
  described: z.boolean().describe("false beyond the first 12: codes, environment and causes not read"),
  exit_codes: z.array(z.strictObject({ exit_code: int, category: z.string(), failed: int, expected: z.number(), excess: z.number() })),
  environment: z.array(z.strictObject({ dimension: z.enum(["os", "pve", "method"]), value: z.string(), failed: int, decided: int, rate: z.number().nullable() })),
  causes: z.array(cause),
  failing_command: z
    .strictObject({
      line: int.describe("the script line; 0 when not reported"),
      command: z.string().describe("the failing command, normalised (as /api/v1/apps/{nsapp}/failing-commands)"),
      failed: int.describe("failures at it inside the regression's window"),
      share: z.number().min(0).max(1).describe("of the window's failures"),
    })
    .nullable()
    .describe("the command more than half of the regression's failures failed at; null when none did, when not described, or when part of an incident"),
  incident: z.strictObject({ exit_code: int.nullable(), category: z.string().nullable(), start: z.string() }).nullable(),
});
const scriptChange = {
  repository: z.string().describe("owner/name on GitHub"),
  sha: z.string(),
  url: z.string().describe("the commit on GitHub"),
  message: z.string().describe("the commit message's first line"),
  committed: z.string().describe("the commit's own time (UTC, YYYY-MM-DD HH:MM:SS.sssZ)"),
  pushed: z.string().nullable().describe("when it reached the default branch (GitHub's push webhook); null when only the backfill saw it"),
  paths: z.array(z.string()),
};

export const LikelyCauseSchema = z
  .strictObject({
    ...scriptChange,
    kind: z.enum(["app", "shared"]).describe("app: it changed the app's own script; shared: a library the app's type loads"),
    matched_paths: z.array(z.string()).describe("the paths that tie it to the app"),
    hours_before: z.number().describe("hours from the change reaching users to the regression's first bucket (0: inside it)"),
    score: z.number().describe("relevance × recency, in (0, 1]; the list is ordered by it (method: /methodology)"),
  })
  .describe("a script change that reached users in the 72 hours before the regression began, or during its first bucket");

export const RegressionWithCausesSchema = RegressionSchema.extend({
  likely_causes: z.array(LikelyCauseSchema).describe("at most 3, best first; the first is the likely cause; empty when no change precedes it"),
});
export const RegressionsSchema = envelope(z.array(RegressionWithCausesSchema), { totals: z.strictObject({ regressions: int, open: int }) });

export const ChangesSchema = envelope(
  z.array(
    z.strictObject({
      ...scriptChange,
      apps: z.array(z.string()).describe("every app the commit's paths map to"),
      shared: z.array(z.enum(["all", "lxc", "vm"])).describe("scopes of the shared libraries it changed"),
      kind: z.enum(["app", "shared"]).describe("app: the app's own files (its website metadata included); shared: a library its type loads"),
    }),
  ),
  { totals: z.strictObject({ changes: int, app: int, shared: int }) },
);

export const IncidentSchema = z.strictObject({
  exit_code: int.nullable(),
  category: z.string(),
  label: z.string(),
  start: z.string(),
  end: z.string().nullable(),
  last: z.string(),
  failed: int,
  expected_failures: z.number(),
  excess_failures: z.number(),
  rate: z.number(),
  baseline_rate: z.number(),
  q_value: z.number(),
  apps: z.array(z.strictObject({ nsapp: z.string(), failed: int, expected_failures: z.number(), excess_failures: z.number(), p_value: z.number() })),
  other_exit_codes: z.array(int),
});
export const IncidentsSchema = envelope(z.array(IncidentSchema), { totals: z.strictObject({ incidents: int, open: int }) });

const rateFigures = {
  failed: int,
  decided: int,
  rate,
  low: rate,
  high: rate,
  outside_failed: int,
  actionable_failed: int,
  actionable_decided: int,
  actionable_rate: rate,
  actionable_low: rate,
  actionable_high: rate,
};
export const FailingCommandsSchema = envelope(z.array(FAILING_COMMANDS.rowSchema), {
  totals: z.strictObject({
    failed: int.describe("the app's failures in the range"),
    with_command: int.describe("of them, failures whose error text named the command (today's scripts; older runs carry none)"),
  }),
});

const hardwareTotals = {
  totals: z.strictObject({ runs: int.describe("every run in the range: each dimension's values (not reported included) sum to it") }),
};
export const AppHardwareSchema = envelope(z.array(HARDWARE.rowSchema), hardwareTotals);
export const HardwareSchema = envelope(z.array(HARDWARE.rowSchema), hardwareTotals);

export const AppInsightsSchema = envelope(
  z.strictObject({
    nsapp: z.string(),
    totals: z.strictObject({ ...rateFigures, runs: int }),
    categories: z.array(z.strictObject({ category: z.string(), label: z.string(), failed: int, share: z.number(), outside_script_control: z.boolean() })),
    series: z
      .array(z.strictObject({ bucket: day, partial: z.boolean(), runs: int, ...rateFigures }))
      .describe("one point per range.bucket, as every series; rate and interval over the point, null below 10 decided runs"),
    unusual: z.array(cause),
  }),
);

const weekFigures = { runs: int, previous_runs: int, failed: int, decided: int, rate, previous_failed: int, previous_decided: int, previous_rate: rate };
const digestApp = {
  nsapp: z.string(),
  ...weekFigures,
  change: z.number().min(-1).max(1).nullable().describe("rate − previous_rate (0.05 = +5 percentage points)"),
  q_value: z
    .number()
    .nullable()
    .describe(
      "Benjamini–Hochberg adjusted p of the two-proportion test; null when not tested: below 10 decided runs in either week, or no failure in both (or no success in both) — a pooled rate of 0 or 1 leaves nothing to test",
    ),
  significant: z.boolean(),
};
const regressionRef = z
  .strictObject({ start: z.string(), last: z.string(), excess_failures: z.number() })
  .nullable()
  .describe("the app's regression (method: /methodology) behind the entry, if any");
export const DigestSchema = envelope(
  z.strictObject({
    week: z.strictObject({
      monday: z.string(),
      sunday: z.string(),
      iso_year: z.number().int(),
      iso_week: z.number().int().min(1).max(53),
      previous: z.string().nullable().describe("Monday of the week before; null before the first week"),
      next: z.string().nullable().describe("Monday of the week after; null while that week is not over"),
    }),
    totals: z.strictObject(weekFigures),
    newly_failing: z.array(z.strictObject({ ...digestApp, regression: regressionRef })).describe("failure rate significantly up and at least doubled"),
    recovered: z
      .array(z.strictObject({ ...digestApp, regression: regressionRef }))
      .describe("failure rate significantly down and at least halved, or a regression that ended during the week"),
    still_failing: z
      .array(z.strictObject({ ...digestApp, reason: z.enum(["regression", "chronic"]), regression: regressionRef }))
      .describe("a regression still elevated on the week's last day, or a failure rate whose 95 % lower bound is ≥ 10 % in both weeks"),
    movers: z.strictObject({ runs: z.array(z.strictObject(digestApp)), failure_rate: z.array(z.strictObject(digestApp)) }),
    incidents: z.array(IncidentSchema),
  }),
);
