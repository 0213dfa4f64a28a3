/**
 * The public API's changelog, as data: rendered on /api ("Changes") and written to
 * docs/API-CHANGELOG.md by `npm run gen:api-changelog` (a unit test fails when that file is
 * stale). Newest release first. Text may quote `code` in backticks. Pure.
 */
export type ChangeKind = "corrected" | "changed" | "added" | "deprecated" | "documented";

export interface ApiChange {
  kind: ChangeKind;
  /** A few words: what changed. */
  title: string;
  text: string;
}

export interface ApiRelease {
  date: string;
  title: string;
  summary: string;
  changes: ApiChange[];
}

export const CHANGE_HEADINGS: Record<ChangeKind, string> = {
  corrected: "Corrected figures",
  changed: "Changed meaning",
  added: "Additions",
  deprecated: "Deprecated",
  documented: "Documented, unchanged",
};

/** What v1 promises its clients (widgets, badges, other websites). */
export const API_RULES = [
  "Changes are additive where they can be: new fields, parameters and CSV columns (appended after the existing ones); nothing is removed or renamed.",
  "A figure that was wrong is corrected and listed under “Corrected figures”.",
  "Where a value's meaning must change, it is listed under “Changed meaning”, with what a client should do.",
  "A field kept only for older clients is marked `deprecated` in the OpenAPI document and listed under “Deprecated”.",
  "The OpenAPI document's `info.version` is 1.N.0, N the number of releases listed here.",
];

export const API_CHANGELOG: ApiRelease[] = [
  {
    date: "2026-12-07",
    title: "Scripts in testing: distinct sessions",
    summary: "How many sessions a script's development runs came from, so that many runs of one tester retrying are told apart from many testers.",
    changes: [
      {
        kind: "added",
        title: "sessions per script",
        text: "`GET /api/v1/testing`: `sessions` per script — the distinct sessions (the scripts' `random_id`; a retry from the recovery menu is a second run of the same session) among its finished development runs in the range. Sessions themselves are never listed. CSV column `sessions` after the others.",
      },
    ],
  },
  {
    date: "2026-12-07",
    title: "Every figure for a repository selection (issue 15)",
    summary:
      "Runs of the development repository (scripts in testing) and of forks no longer move the official figures: every endpoint that counts runs reads `repo=`, official by default. `repo=all` gives what these endpoints counted before.",
    changes: [
      {
        kind: "changed",
        title: "Official runs by default",
        text: "`/api/v1/summary`, `/apps`, `/apps/{nsapp}` (and its `/runs`, `/insights`, `/failing-commands`, `/hardware`), `/errors`, `/errors/{code}`, `/os`, `/hardware`, `/regressions`, `/incidents` and `/digest` count the official repository's runs and the older protocol's (which name no repository) unless `repo=` says otherwise; they counted every run before. A client that wants the figures as they were asks `repo=all`.",
      },
      {
        kind: "added",
        title: "repo= everywhere, and the selection in range",
        text: "`repo=official|dev|fork|all` on every endpoint above, the widgets, badges, chart images and the Atom feeds (`/feed.xml?repo=dev`). Every answer's `range` names the selection in `repo`; a CSV of another selection than the official one is named `<report>-<repo>-<from>-<to>.csv`.",
      },
      {
        kind: "added",
        title: "Scripts in testing: the command they fail at",
        text: "`GET /api/v1/testing`: `top_failing_command` per script — `command` (the normalised failure signature), `line` and `failed` (development runs that failed at it), or null when none of its failures named a command; CSV columns `top_failing_command`, `top_failing_command_line`, `top_failing_command_failed` after the others.",
      },
      {
        kind: "documented",
        title: "The promotion rule's median",
        text: "`official_median_failure_rate` was described as over apps with at least 30 finished official runs; it is over apps with at least 100 since the release before (the description now says so).",
      },
    ],
  },
  {
    date: "2026-12-07",
    title: "Scripts in testing: a steadier official median",
    summary: "The promotion rule's official median is taken over apps with at least 100 finished official runs (was 30).",
    changes: [
      {
        kind: "changed",
        title: "Official median of the promotion rule",
        text: "`GET /api/v1/testing`: `official_median_failure_rate` is the median failure rate of official apps with at least 100 finished runs in the range, not 30: at a typical 1 % failure rate an app with 30 runs shows no failure three times in four, which pulled the median towards 0 and could call a script that fails as rarely as a typical one not ready. `verdict` follows; nothing for a client to do.",
      },
    ],
  },
  {
    date: "2026-12-06",
    title: "Install time by cores, RAM, method and OS version (issue 15)",
    summary:
      "An app's successful install time broken down by core count, RAM size, install method and OS version, with which values differ from the app's other runs. Additions only.",
    changes: [
      {
        kind: "added",
        title: "Install time by factor",
        text: "`GET /api/v1/apps/{nsapp}`: `install_time.by_factor` — `from`/`to` (the days counted: a 24-hour range counts its two calendar days, UTC), `overall` (n, p50, p90 of every timed successful run), `tested` and per `factor` (`cores`, `ram`, `method`, `os`) its `values`: `value`, `success` and `rest` (n, p50, p90 of the value's runs and of the app's other runs, same precision as every install time), `ratio` (p50 ÷ the rest's), `p_adjusted` (rank-sum test, Benjamini–Hochberg over the values tested; null below 10 runs on either side) and `differs` (adjusted p ≤ 0.05 and medians at least 1.25× apart beyond bucket precision); `differs` on the factor when any value does. Counts `repo=` like `install_time`.",
      },
    ],
  },
  {
    date: "2026-12-06",
    title: "Hardware and platform (issue 15)",
    summary:
      "Runs by GPU passthrough, GPU and CPU vendor, architecture and platform, per app and over all apps, and as part of what is unusual about an app's failures. Additions only.",
    changes: [
      {
        kind: "added",
        title: "Hardware per app and overall",
        text: '`GET /api/v1/apps/{nsapp}/hardware` and `GET /api/v1/hardware` (with `type`): one row per `dimension` (`gpu_passthrough`, `gpu_vendor`, `cpu_vendor`, `arch`, `platform`) and `value` — `runs`, `share` of all runs in the range, the stored outcomes, `decided` (the n), `failure_rate` with `failure_low` and `failure_high` (Wilson 95 %); `totals.runs`. Values are lower case with blanks trimmed; `""` is not reported — every run of the older protocol, which sends none of these fields — so each dimension\'s shares sum to 1. CSV: the rows.',
      },
      {
        kind: "added",
        title: "Hardware traits",
        text: "`GET /api/v1/apps/{nsapp}/insights`: `unusual` may name a hardware value (`dimension` one of the five above, `key` the value), e.g. “Fails 5× more often with a discrete GPU passed through”, under the same false-alarm control (Fisher, Holm, 1 % per app); a value is compared with the other runs that reported the field.",
      },
    ],
  },
  {
    date: "2026-12-06",
    title: "Install time per week or month (issue 15)",
    summary: "An app's install time as a trend over the range. Additions only.",
    changes: [
      {
        kind: "added",
        title: "Install-time trend of an app",
        text: "`GET /api/v1/apps/{nsapp}`: `install_time.trend` — `unit` (`week` for ranges of 28–92 days, `month` up to 731) and `points`, each with `bucket`, `partial`, its days in the range (`from`, `to`) and `success`/`failed` (n, p50, p90) read over those days, as the whole range's are; null for shorter or longer ranges. The app page draws it (p50 and p90 of successful runs).",
      },
    ],
  },
  {
    date: "2026-12-06",
    title: "Install-time list order",
    summary: "One correction to the order of `/api/v1/durations`; figures unchanged.",
    changes: [
      {
        kind: "corrected",
        title: "Apps without a time sort last",
        text: "`GET /api/v1/durations` with `min=0` and an ascending sort on a percentile: an app whose runs in the range all failed has no success time and was listed first; it now comes last in both directions, as in every other sorted list (/methodology). Ties stay by name.",
      },
    ],
  },
  {
    date: "2026-12-06",
    title: "The command that failed (issue 15)",
    summary: "Failures grouped by the command that failed — normalised, with its script line — per app, and named in regressions. Additions only.",
    changes: [
      {
        kind: "added",
        title: "Failing commands per app",
        text: "`GET /api/v1/apps/{nsapp}/failing-commands`: the app's failures in the range by signature — `command` (normalised: versions, numbers, hashes, temporary paths, addresses, host and user names and secrets masked; /methodology), `line`, `failed`, `share` of all its failures, `first_seen`, `last_seen`, `exit_codes` — most failures first; `totals.failed` and `totals.with_command` (older scripts send no command). CSV: one row per command, exit codes as `code:failures` separated by spaces.",
      },
      {
        kind: "added",
        title: "A regression's failing command",
        text: "`GET /api/v1/regressions`: each regression gains `failing_command` (`line`, `command`, `failed`, `share`): the command more than half of its failures inside its window failed at, or null. CSV: two last columns, `failing_command` and `failing_command_line`.",
      },
    ],
  },
  {
    date: "2026-12-06",
    title: "Install time (issue 15)",
    summary:
      "Today's scripts report how long a run took and which repository it came from. Install time per app is now a figure of its own, exact like the rest; nothing existing changed meaning.",
    changes: [
      {
        kind: "added",
        title: "Install time per app",
        text: "`GET /api/v1/durations`: per app, n, p50 and p90 of successful runs' durations (`success`) and of failures' (`failed`, time to fail) in seconds, over the range; sortable by any of them, filtered by `q` and `min` (successful runs with a duration, default 10), paged; CSV one row per app. Percentiles are by nearest rank, rounded down to their bucket: within 5 s under a minute, at most 8.3 % below up to 2 hours (/methodology).",
      },
      {
        kind: "added",
        title: "Repository selection",
        text: "`repo=official|dev|fork|all` on `/api/v1/durations` (default `official`, which includes runs of the older protocol: they name no repository). The answer names the selection in `repo`. Other endpoints do not read `repo` yet and list it in `notes` as unused.",
      },
      {
        kind: "added",
        title: "Install time in the apps list and on an app",
        text: "`GET /api/v1/apps`: `install_time` per row (`n`, `p50`, `p90` of the app's successful runs, every install type of the app, official repository), `sort=install_time` (by p50; apps without one last), and the CSV columns `install_time_n`, `install_time_p50`, `install_time_p90` after the others. `GET /api/v1/apps/{nsapp}`: `install_time` with `success` and `failed` (time to fail).",
      },
      {
        kind: "added",
        title: "Scripts in testing",
        text: "`GET /api/v1/testing`: the development repository's apps with finished runs, failure rate and interval, and `verdict` (ready, not ready, too few runs) by the rule on /methodology; `official_median_failure_rate` is what the rule compares with.",
      },
      {
        kind: "added",
        title: "Install-time badge and widget line",
        text: "`/badge/{nsapp}.svg?metric=install-time` (“typically 4 min · n 312 · 30d”; grey below 10 timed successful runs); the app widget adds a line “Typically … to install” under its top exit code when it has that many.",
      },
    ],
  },
  {
    date: "2026-12-06",
    title: "Script changes (issue 17)",
    summary: "The commits of the scripts' repository are data now (docs/CHANGES.md): one app's changes have an endpoint, and each regression names the changes that preceded it.",
    changes: [
      {
        kind: "added",
        title: "One app's script changes",
        text: '`GET /api/v1/apps/{nsapp}/changes?range=30d`: the commits that reached users in the range — to the app\'s own files (`kind: "app"`) and to the shared libraries its type loads (`kind: "shared"`) — newest first, at most 500, with `totals`. CSV: one row per change, lists joined by spaces.',
      },
      {
        kind: "added",
        title: "Likely causes of a regression",
        text: "`GET /api/v1/regressions`: each regression has `likely_causes`, at most 3 changes that reached users in the 72 hours before it began, ordered by `score` (method on /methodology); the first is the likely cause, none when nothing preceded it. CSV: `likely_cause_sha`, `likely_cause_url`, `likely_cause_message`, `likely_cause_hours_before` appended.",
      },
      {
        kind: "added",
        title: "The baseline's n",
        text: "`GET /api/v1/regressions`: `baseline_failed` and `baseline_decided`, the counts behind `baseline_rate` (also appended to the CSV).",
      },
    ],
  },
  {
    date: "2026-12-06",
    title: "The n of every app's failure rate (issue 16)",
    summary:
      "The apps table's columns are now declared once for the API, its CSV, the OpenAPI document and the page; the first column added that way is the sample size of the failure rate.",
    changes: [
      {
        kind: "added",
        title: "`decided` on apps",
        text: "`GET /api/v1/apps`: `decided`, the runs that ended either way (success + failed) — the n of `failure_rate` and its 95 % interval. CSV: a last column `decided`.",
      },
      {
        kind: "documented",
        title: "Catalogue names may be null",
        text: "`GET /api/v1/apps/{nsapp}`: `data.catalogue[].name` is null for the scripts the catalogue lists without a display name (14 of them); the OpenAPI document said it was always a string. Found when every route's answer became type-checked against its documented schema.",
      },
    ],
  },
  {
    date: "2026-12-06",
    title: "One contract (issue 20)",
    summary:
      "An independent check recomputed about 60,000 figures with SQL over the raw records. All matched but two; the rest were places where the API, the OpenAPI document, the README and the pages disagreed. Each is decided below.",
    changes: [
      {
        kind: "corrected",
        title: "Rate change per app and type",
        text: "`GET /api/v1/apps`: `rate_change` (and `sort=change`, `newly_failing`, `recovered`, `significant`) was computed per app over all install types, while a row is one app and type, and it ignored `type=`. It is now the row's own — that app and type, on the filter's OS with `os=` — and the false-discovery control runs over every app and type with runs in the range.",
      },
      {
        kind: "corrected",
        title: "OS filter on sparklines and the previous period",
        text: "`GET /api/v1/apps?os=…`: `runs_series` (every day, today's partial day included) and `previous` counted every OS; they now count the filter's OS, like the row's other figures.",
      },
      {
        kind: "changed",
        title: "Paging: one rule",
        text: "Every paged list (`/apps`, `/apps/{nsapp}/runs`, `data.apps` of `/errors/{code}`) serves its first 5,000 rows. `page.pages` is the pages that can be fetched, ceil(min(total, 5000) / size): it promised pages the runs list refused (121 for docker over 7 days, while page 51 was a 400). `page.total` still counts every matching row. A page after `page.pages` answers 400 with an `error` naming the last page on every endpoint; `/apps` and `/errors/{code}` answered 200 with no rows. Page until `page.pages`, not until an empty page. The runs list now reaches 5,000 rows at any page size (it stopped at page 50).",
      },
      {
        kind: "changed",
        title: "All time starts with the data",
        text: "`range=all`: `range.from` is the first day with data (it was the calendar's 2020-01-01), and every series covers exactly the range — no leading empty months, also for a code or app without runs. Its points follow its length like any range's.",
      },
      {
        kind: "changed",
        title: "Series points by the range's length",
        text: "`range.bucket` is `hour` for 24h, otherwise by the range's length in days: `day` up to 120, `week` up to 731, `month` beyond — presets, custom ranges and all time alike (all time was always monthly). README, OpenAPI and /methodology state the thresholds.",
      },
      {
        kind: "changed",
        title: "Insights series in the range's points",
        text: "`GET /api/v1/apps/{nsapp}/insights`: `series` has one point per `range.bucket` (53 weekly points for 365 days, not 365 daily ones), each point's rate and interval over its runs, and gains `partial` like every series (CSV: a last column `partial`).",
      },
      {
        kind: "changed",
        title: "User aborts: one rule",
        text: "`GET /api/v1/apps/{nsapp}`: `exit_codes` leaves user aborts out unless `aborts=include`, as `/errors` always did — aborted runs and failures with codes 129, 130, 143 (130 topped docker's list). Totals, series and rates are unchanged. Send `aborts=include` for the old list.",
      },
      {
        kind: "changed",
        title: "Order of sorted lists",
        text: "`GET /api/v1/errors/{code}`: `data.apps` is ranked by the code's runs in each app (failed + aborted, the quantity of its `series` and `share`), then failures, then name — like `data.os`; it was ranked by failures alone. `sort=` on `/apps` and `/os`: rows without a value (a rate without decided runs, a change that cannot be computed) come last in both directions; ascending rate sorts put them first. Ties break by name, then type, in code-unit order as PocketBase sorts.",
      },
      {
        kind: "changed",
        title: "Labels in run rows and regression splits",
        text: "`GET /api/v1/apps/{nsapp}/runs`: `os_type`, `os_version`, `pve_version` and `method` are the labels every breakdown shows, not raw spellings: OS names lower case, Ubuntu `2404` is `24.04`, `n.d.`, blanks and PVE `not found` are `not reported`. `GET /api/v1/regressions`: `environment[].value` of the `os` and `method` splits likewise (`ubuntu 24.04`, not `ubuntu 2404` or `? n.d.`).",
      },
      {
        kind: "changed",
        title: "Digest weeks start with the data",
        text: "`GET /api/v1/digest`: a `week=` before the first week with data names that week in its note (it named the calendar's first week, 2020-01-06), and `data.week.previous` is null on the first week with data.",
      },
      {
        kind: "added",
        title: "Data age on every answer",
        text: "Every JSON answer has `data_as_of`: when its oldest figure was read from the statistics source (UTC); every answer — JSON, CSV, widgets, badges, feeds, pages — sends the same time as `Last-Modified`. The dashboard now sends no live figure older than 60 seconds (complete weeks: 15 minutes); the promised “about a minute and a half” did not hold after a quiet spell (up to ~4 minutes, then cached). Not to be confused with `/summary`'s `data.as_of`, the newest run's start.",
      },
      {
        kind: "added",
        title: "`rate_change.change`",
        text: "`GET /api/v1/apps`: `rate_change.change`, the failure rate minus the previous period's, a fraction like every rate (0.0068 = +0.68 percentage points). CSV: a last column `rate_change`.",
      },
      {
        kind: "added",
        title: "`aborts` on one app",
        text: "`GET /api/v1/apps/{nsapp}` takes `aborts` (it listed it as unused) and answers `data.user_aborts_included`.",
      },
      {
        kind: "deprecated",
        title: "`rate_change.points`",
        text: "The same fraction as `rate_change.change` (CSV `rate_change_points`). Its name promised percentage points, and docs/INSIGHTS.md said so, but the value always was a fraction; it is kept unchanged so that no client breaks. Read `change`.",
      },
      {
        kind: "changed",
        title: "Cache headers of refusals",
        text: "Every `400` and `404` (a bad parameter, an unknown app, exit code or endpoint, a page past the last) is shared-cacheable for a minute like the figures (`Cache-Control: public, max-age=0, s-maxage=60, stale-while-revalidate=300, stale-if-error=86400`): it depends only on the URL and the data. Some sent no `Cache-Control` before; a `500` is now `no-store`, like a `503`. Every answer — API, CSV, widgets, badges, charts, previews, feeds, sitemap — is made by one responder (`lib/http/respond.ts`).",
      },
      {
        kind: "documented",
        title: "`min` counts runs",
        text: "`min` counts runs of every outcome, as the API always did (the README said “finished runs”).",
      },
      {
        kind: "documented",
        title: "When the digest's `q_value` is null",
        text: "`q_value` is null when the test was not run: fewer than 10 decided runs in either week, or no failure (or no success) in both weeks — the schema named only the first.",
      },
    ],
  },
];

/** docs/API-CHANGELOG.md: the same entries as Markdown. */
export function changelogMarkdown(): string {
  const lines = [
    "# Public API changelog",
    "",
    "<!-- Generated from lib/api-changelog.ts by `npm run gen:api-changelog`; edit that file. -->",
    "",
    "The public API (`/api/v1/…`, described on `/api` and by `/api/v1/openapi.json`) is version 1. Widgets, badges and other websites read it, so within v1:",
    "",
    ...API_RULES.map((r) => `- ${r}`),
  ];
  for (const release of API_CHANGELOG) {
    lines.push("", `## ${release.date} — ${release.title}`, "", release.summary);
    for (const kind of Object.keys(CHANGE_HEADINGS) as ChangeKind[]) {
      const changes = release.changes.filter((c) => c.kind === kind);
      if (changes.length === 0) continue;
      lines.push("", `### ${CHANGE_HEADINGS[kind]}`, "", ...changes.map((c) => `- **${c.title}.** ${c.text}`));
    }
  }
  return `${lines.join("\n")}\n`;
}
