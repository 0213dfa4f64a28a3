import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { AppRuns } from "@/components/AppRuns";
import { OutcomeChart } from "@/components/charts/OutcomeChart";
import { RateChart } from "@/components/charts/RateChart";
import { BackLink, CopyLink } from "@/components/ClientLinks";
import { DataTable } from "@/components/DataTable";
import type { Column } from "@/lib/table";
import { FailingCommands } from "@/components/FailingCommands";
import { HardwarePlatform } from "@/components/HardwarePlatform";
import { FilterLinks } from "@/components/FilterLinks";
import { Notes } from "@/components/Notes";
import { STORED_SERIES } from "@/lib/outcome-style";
import { PageHead } from "@/components/PageHead";
import { Loaded, Section, Skeleton } from "@/components/Section";
import { StatCards } from "@/components/StatCards";
import { UnknownApp } from "@/components/UnknownApp";
import { InstallTime, InstallTimeFactors, InstallTrend } from "@/components/InstallTime";
import Link from "next/link";
import { pointOf } from "@/lib/buckets";
import { headers } from "next/headers";
import {
  loadAppChanges,
  loadAppCodes,
  loadAppDurationFactors,
  loadAppDurations,
  loadInstallTrend,
  loadAppEnvironment,
  loadAppExists,
  loadAppInsights,
  loadAppResources,
  loadAppSummary,
  loadInsights,
  loadLikelyCauses,
  readViewState,
} from "@/lib/data";
import { changeMarks } from "@/lib/changes/markers";
import type { Suspect } from "@/lib/changes/likely-cause";
import { regressionIssueUrl } from "@/lib/changes/regression-report";
import { originFromHeaders } from "@/lib/http/origin";
import { ChangeList } from "@/components/ChangeList";
import { explainExitCode } from "@/lib/exit-codes";
import { formatInt, formatInterval, formatPercent, formatRate, truncate } from "@/lib/format";
import type { Marker } from "@/components/charts/series";
import type { Regression } from "@/lib/insights/find-regressions";
import { viewHref, type RawParams, type ViewState } from "@/lib/params";
import type { Breakdown } from "@/lib/data";
import { customRange, spanLabel } from "@/lib/range";
import { APPS } from "@/lib/reference/apps";
import { wilson } from "@/lib/stats";
import { bucketLabel, utcDay, utcHour } from "@/lib/time";
import { describeApp } from "@/lib/meta/describe";
import { pageMetadata } from "@/lib/meta/page";
import { metaContext } from "@/lib/meta/request";
import { isActiveApp } from "@/lib/meta/active";
import { appPreview, previewImagePath } from "@/lib/og/paths";
import { VIEWS } from "@/lib/views";

const VIEW = VIEWS.app;

type Props = { params: Promise<{ nsapp: string }>; searchParams: Promise<RawParams> };

function appName(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const nsapp = appName((await params).nsapp);
  if (nsapp === null || nsapp.length > 128) return { title: "Unknown app", robots: { index: false } };
  const path = `/apps/${encodeURIComponent(nsapp)}`;
  const m = await metaContext(VIEW, path, await searchParams);
  const [exists, summary] = await Promise.all([loadAppExists(nsapp), loadAppSummary(nsapp, m.state.range)]);
  if (exists.ok && !exists.value) return { title: `Unknown app “${nsapp.slice(0, 64)}”`, robots: { index: false } };
  const totals = summary.ok ? summary.value.totals : null;
  const name = APPS.find((a) => a.nsapp === nsapp)?.name ?? nsapp;
  return pageMetadata(m.origin, {
    title: `${name}: installs and success rate`,
    description: totals ? describeApp(nsapp, totals, m.state) : `${nsapp}: install statistics of the Proxmox VE community script.`,
    canonical: m.canonical,
    image: previewImagePath(appPreview(nsapp), m.state),
    imageAlt: `${nsapp}: runs per ${m.state.range.bucket} by outcome and success rate`,
    feeds: [{ path: viewHref(VIEWS.feed, `${path}/feed.xml`, m.state), title: `${nsapp.slice(0, 64)}: regressions and weekly changes (Atom)` }],
    // Indexed: the default view of an app with runs in the sitemap's window (lib/meta/sitemap.ts).
    index: !m.permutation && (await isActiveApp(nsapp, m.now)),
  });
}

async function Summary({ nsapp, state }: { nsapp: string; state: ViewState }) {
  return (
    <Loaded result={await loadAppSummary(nsapp, state.range)}>
      {({ totals: t }) => {
        const rate = wilson(t.success, t.success + t.failed);
        return (
          <StatCards
            stats={[
              { label: "Runs", value: formatInt(t.runs), testId: "app-runs" },
              {
                label: "Success rate",
                value: rate ? formatPercent(rate.rate) : "–",
                hint: rate ? `95 % interval ${formatInterval(rate.low, rate.high)} · n ${formatInt(t.success + t.failed)}` : undefined,
                testId: "app-success-rate",
              },
              { label: "Failures", value: formatInt(t.failed), testId: "app-failed" },
              { label: "Aborted", value: formatInt(t.aborted), testId: "app-aborted" },
              { label: "No result yet", value: formatInt(t.installing), hint: "still installing (running or unfinished)", testId: "app-installing" },
            ]}
          />
        );
      }}
    </Loaded>
  );
}

async function Durations({ nsapp, state }: { nsapp: string; state: ViewState }) {
  const [durations, trend, factors] = await Promise.all([loadAppDurations(nsapp, state.range), loadInstallTrend(nsapp, state.range), loadAppDurationFactors(nsapp, state.range)]);
  return (
    <>
      <Loaded result={durations}>{(d) => <InstallTime d={d} />}</Loaded>
      <Loaded result={trend}>{(t) => t && <InstallTrend nsapp={nsapp} trend={t} />}</Loaded>
      <Loaded result={factors}>{(f) => <InstallTimeFactors f={f} />}</Loaded>
    </>
  );
}

async function Trend({ nsapp, state }: { nsapp: string; state: ViewState }) {
  const unit = state.range.bucket;
  const [summary, insights, changes, causes, requestHeaders] = await Promise.all([
    loadAppSummary(nsapp, state.range),
    loadInsights(state.range),
    loadAppChanges(nsapp, state.range),
    loadLikelyCauses(state.range),
    headers(),
  ]);
  const origin = originFromHeaders(requestHeaders, "localhost");
  const regressions = insights.ok ? insights.value.regressions.filter((r) => r.nsapp === nsapp) : [];
  const appChanges = changes.ok ? changes.value : [];
  const { grain, from, to } = state.range;
  const changePoint = (ms: number) => {
    const raw = grain === "hour" ? utcHour(new Date(ms)) : utcDay(new Date(ms));
    return raw < from || raw > to ? null : pointOf(state.range, raw);
  };
  // Markers at the series' own points (a regression's day or hour, inside a week or month), and the app's own script changes.
  const markers: Marker[] = [
    ...regressions.flatMap((r) => [
      { bucket: pointOf(state.range, r.start), label: "regression starts", side: "left" as const },
      ...(r.end ? [{ bucket: pointOf(state.range, r.end), label: "ends", side: "right" as const }] : []),
    ]),
    ...changeMarks(appChanges, nsapp, changePoint).map((m) => ({ bucket: m.point, label: m.label, tone: "change" as const, title: m.title })),
  ];
  const causeOf = (r: Regression): Suspect | null => (causes.ok ? (causes.value[`${r.nsapp} ${r.start}`]?.[0] ?? null) : null);
  return (
    <Loaded result={summary}>
      {({ series }) => (
        <>
          <div className="grid-2 charts">
            <div>
              <h3>Runs per {unit} by outcome</h3>
              <OutcomeChart data={series} series={STORED_SERIES} markers={markers} unit={unit} label={`Runs of ${nsapp} per ${unit} by outcome, last ${spanLabel(state.range)}`} />
            </div>
            <div>
              <h3>Failure rate per {unit}</h3>
              <RateChart
                unit={unit}
                markers={markers}
                points={series.map((d) => ({
                  bucket: d.bucket,
                  partial: d.partial,
                  runs: d.success + d.failed + d.aborted + d.unknown + d.installing,
                  failed: d.failed,
                  decided: d.success + d.failed,
                }))}
                label={`Failure rate of ${nsapp} per ${unit} with its 95 % interval`}
              />
            </div>
          </div>
          {regressions.map((r) => (
            <RegressionNote key={r.start} r={r} nsapp={nsapp} state={state} cause={causeOf(r)} report={regressionIssueUrl(origin, r, causeOf(r))} />
          ))}
          <ChangeList nsapp={nsapp} changes={appChanges} failed={!changes.ok} />
        </>
      )}
    </Loaded>
  );
}

function RegressionNote({ r, nsapp, state, cause, report }: { r: Regression; nsapp: string; state: ViewState; cause: Suspect | null; report: string }) {
  const window: ViewState = { ...state, preset: "custom", range: customRange(r.start.slice(0, 10), r.last.slice(0, 10)), outcome: null, page: 1 };
  const code = r.exit_codes[0];
  return (
    <div className="notes regression" data-testid="regression">
      <p>
        <strong>
          Regression {r.end ? "from" : "since"} {bucketLabel(r.start)}
          {r.end ? ` to ${bucketLabel(r.end)}` : " (still open)"}
        </strong>
        : failure rate {formatRate(r.baseline_rate)} usually, {formatRate(r.rate)} during it (peak {formatRate(r.peak_rate)} on {bucketLabel(r.peak_bucket)}), about{" "}
        {formatInt(Math.round(r.excess_failures))} more failures than usual.
        {code ? ` Mostly exit code ${code.exit_code} (${explainExitCode(code.exit_code, r.start)}).` : ""}
      </p>
      {r.causes.length > 0 && (
        <ul>
          {r.causes.map((c) => (
            <li key={c.dimension + c.key}>{c.sentence}</li>
          ))}
        </ul>
      )}
      <p>
        {cause ? (
          <>
            Likely change:{" "}
            <a href={cause.change.url} data-testid="likely-change">
              {truncate(cause.change.message || cause.change.sha.slice(0, 7), 80)}
            </a>{" "}
            ({cause.hoursBefore === 0 ? "when it began" : `${cause.hoursBefore.toFixed(1)} h before`}
            {cause.kind === "shared" ? ", a shared library" : ""}).{" "}
          </>
        ) : (
          "No change to its scripts in the 72 hours before. "
        )}
        <Link prefetch={false} href={`${viewHref(VIEWS.app, `/apps/${encodeURIComponent(nsapp)}`, window)}#runs`}>
          Failed runs of those days →
        </Link>{" "}
        ·{" "}
        <a href={report} data-testid="report-issue">
          Report on GitHub
        </a>
      </p>
    </div>
  );
}

/** What is unusual about the app's failures, its failure categories and its actionable rate. */
async function Insights({ nsapp, state }: { nsapp: string; state: ViewState }) {
  return (
    <Loaded result={await loadAppInsights(nsapp, state.range)}>
      {(ins) => (
        <div className="grid-2">
          <div>
            <h3>What stands out in its failures</h3>
            {ins.unusual.length ? (
              <ul data-testid="unusual">
                {ins.unusual.map((c) => (
                  <li key={c.dimension + c.key}>{c.sentence}</li>
                ))}
              </ul>
            ) : (
              <p className="muted" data-testid="unusual-none">
                Nothing: no OS, Proxmox VE version, method, install type, resource choice or hardware fails significantly more often than the app&apos;s other runs.
              </p>
            )}
            <p className="muted">
              Actionable failure rate (failures the script can fix):{" "}
              <strong data-testid="actionable-rate">{ins.totals.actionable_rate === null ? "–" : formatRate(ins.totals.actionable_rate)}</strong>
              {ins.totals.actionable_low !== null && ` (95 % interval ${formatInterval(ins.totals.actionable_low, ins.totals.actionable_high)})`}; all failures:{" "}
              {ins.totals.rate === null ? "–" : formatRate(ins.totals.rate)}.
            </p>
          </div>
          <div>
            <h3>Failures by category</h3>
            <DataTable
              testId="app-categories"
              rows={ins.categories}
              rowKey={(c) => c.category}
              columns={[
                {
                  key: "category",
                  label: "Category",
                  cell: (c) => ({ kind: "text", value: c.label, note: c.outside_script_control ? "(outside the script's control)" : undefined }),
                },
                { key: "failed", label: "Failures", cell: (c) => ({ kind: "integer", value: c.failed }) },
                { key: "share", label: "Share", cell: (c) => ({ kind: "percent", value: c.share }) },
              ]}
              empty="No failures in this range."
            />
          </div>
        </div>
      )}
    </Loaded>
  );
}

/** The app's exit codes, user aborts left out unless included — the rule of every exit-code list (/errors too). */
async function Codes({ nsapp, state, path }: { nsapp: string; state: ViewState; path: string }) {
  return (
    <Loaded result={await loadAppCodes(nsapp, state.range, state.aborts)}>
      {(rows) => {
        const failed = rows.reduce((n, c) => n + c.failed, 0);
        return (
          <>
            <FilterLinks
              label="User aborts"
              view={VIEW}
              path={path}
              state={state}
              hash="#codes"
              items={[
                { text: "Left out", patch: { aborts: false }, current: !state.aborts },
                { text: "Included", patch: { aborts: true }, current: state.aborts },
              ]}
            />
            <DataTable
              testId="app-exit-codes"
              rows={rows}
              fold={8}
              rowKey={(c) => String(c.exit_code)}
              columns={[
                {
                  key: "code",
                  label: "Exit code",
                  cell: (c) => ({
                    kind: "code",
                    code: Number(c.exit_code),
                    text: explainExitCode(Number(c.exit_code)),
                    href: viewHref(VIEWS.error, `/errors/${c.exit_code}`, state),
                  }),
                },
                { key: "failed", label: "Failures", cell: (c) => ({ kind: "integer", value: c.failed }) },
                { key: "aborted", label: "Aborted", priority: 2, cell: (c) => ({ kind: "integer", value: c.aborted }) },
                { key: "share", label: "Share of failures", priority: 2, cell: (c) => ({ kind: "percent", value: failed ? c.failed / failed : null }) },
              ]}
              empty={state.aborts ? "No failed or aborted runs in this range." : "No failures in this range apart from user aborts."}
            />
          </>
        );
      }}
    </Loaded>
  );
}

function breakdownColumns(keyLabel: string): Column<Breakdown>[] {
  return [
    { key: "key", label: keyLabel, cell: (r) => ({ kind: "text", value: r.key, muted: r.key === "not reported" }) },
    { key: "runs", label: "Runs", cell: (r) => ({ kind: "integer", value: r.runs }) },
    { key: "failed", label: "Failures", priority: 2, cell: (r) => ({ kind: "integer", value: r.failed }) },
    { key: "rate", label: "Failure rate (95 % interval)", cell: (r) => ({ kind: "rate", value: r.failureRate, low: r.failureLow, high: r.failureHigh }) },
  ];
}

async function Environment({ nsapp, state, part }: { nsapp: string; state: ViewState; part: "os" | "pve" | "methods" }) {
  const label = { os: "OS", pve: "Proxmox VE", methods: "Method" }[part];
  return (
    <Loaded result={await loadAppEnvironment(nsapp, state.range)}>
      {(env) => <DataTable testId={`app-${part}`} rows={env[part]} fold={6} rowKey={(r) => r.key} columns={breakdownColumns(label)} empty="No runs in this range." />}
    </Loaded>
  );
}

async function Resources({ nsapp, state }: { nsapp: string; state: ViewState }) {
  return (
    <Loaded result={await loadAppResources(nsapp, state.range)}>
      {(resources) => (
        <div className="grid-3">
          {resources.map((res) => (
            <div key={res.resource}>
              <h3>
                {res.resource} <span className="muted">{res.default !== null ? `(default ${formatInt(res.default)} ${res.unit})` : "(no default known)"}</span>
              </h3>
              <DataTable
                testId={`app-resources-${res.resource.toLowerCase()}`}
                rows={res.choices}
                rowKey={(r) => r.relation}
                columns={[
                  {
                    key: "chosen",
                    label: "Chosen",
                    cell: (r) => ({ kind: "text", value: r.relation === "default" ? "the default" : r.relation === "no default" ? "not comparable" : `${r.relation} the default` }),
                  },
                  { key: "runs", label: "Runs", cell: (r) => ({ kind: "integer", value: r.runs }) },
                  { key: "rate", label: "Failure rate", cell: (r) => ({ kind: "rate", value: r.failureRate }) },
                ]}
              />
            </div>
          ))}
        </div>
      )}
    </Loaded>
  );
}

/** An app endpoint for this view (`/api/v1/apps/<nsapp>/<part>`), as JSON and CSV. */
function appApi(nsapp: string, part: "failing-commands" | "hardware", state: ViewState) {
  const view = part === "hardware" ? VIEWS.apiAppHardware : VIEWS.apiFailingCommands;
  const path = `/api/v1/apps/${encodeURIComponent(nsapp)}/${part}`;
  return { json: viewHref(view, path, state), csv: viewHref(view, `${path}.csv`, state) };
}

export default async function AppPage({ params, searchParams }: Props) {
  const now = new Date();
  const nsapp = appName((await params).nsapp);
  const { state, notes } = await readViewState(await searchParams, now, VIEW);
  if (nsapp === null || nsapp.length > 128) notFound();
  const exists = await loadAppExists(nsapp);
  if (exists.ok && !exists.value) return <UnknownApp nsapp={nsapp} />;
  const path = `/apps/${encodeURIComponent(nsapp)}`;
  const catalogue = APPS.filter((a) => a.nsapp === nsapp);
  const cat = catalogue[0];
  const p = { nsapp, state };
  return (
    <main>
      <PageHead
        before={
          <p className="muted back">
            <BackLink
              href={viewHref(VIEWS.apps, "/apps", state, { page: 1, minRuns: VIEWS.apps.defaultMinRuns, sort: VIEWS.apps.defaultSort })}
              listPath="/apps"
              label="← All apps"
            />{" "}
            <CopyLink />{" "}
            <a href={viewHref(VIEWS.feed, `${path}/feed.xml`, state)} type="application/atom+xml" data-testid="app-feed-link">
              Subscribe (Atom)
            </a>
          </p>
        }
        title={cat?.name ?? nsapp}
        lede={
          <>
            <code>{nsapp}</code> · {catalogue.map((c) => c.type).join(", ") || <strong>not in the script catalogue</strong>}
            {cat?.ramMb ? ` · script defaults: ${cat.cpu} cores, ${cat.ramMb} MB RAM, ${cat.diskGb} GB disk, ${cat.os} ${cat.osVersion}` : ""} · {bucketLabel(state.range.from)} to{" "}
            {bucketLabel(state.range.to)} (UTC)
          </>
        }
        view={VIEW}
        path={path}
        state={state}
        now={now}
      />
      <Notes notes={notes} />
      <Suspense fallback={<Skeleton height={110} />}>
        <Summary {...p} />
      </Suspense>
      <Section id="trend" title="Outcomes and failure rate" skeleton={<Skeleton height={330} />}>
        <Trend {...p} />
      </Section>
      <Section id="install-time" title="Install time" skeleton={<Skeleton height={110} />}>
        <Durations {...p} />
      </Section>
      <Section id="insights" title="Why it fails" skeleton={<Skeleton height={180} />}>
        <Insights {...p} />
      </Section>
      <Section id="commands" title="Where it fails: the failing commands">
        <FailingCommands nsapp={nsapp} range={state.range} api={appApi(nsapp, "failing-commands", state)} />
      </Section>
      <div className="grid-2">
        <Section id="codes" title="Exit codes">
          <Codes {...p} path={path} />
        </Section>
        <Section id="os" title="OS versions">
          <Environment {...p} part="os" />
        </Section>
        <Section id="pve" title="Proxmox VE versions">
          <Environment {...p} part="pve" />
        </Section>
        <Section id="methods" title="Install methods">
          <Environment {...p} part="methods" />
        </Section>
      </div>
      <Section id="resources" title="Resources against the script defaults">
        <Resources {...p} />
      </Section>
      <Section id="hardware" title="Hardware and platform">
        <HardwarePlatform nsapp={nsapp} range={state.range} api={appApi(nsapp, "hardware", state)} />
      </Section>
      <AppRuns nsapp={nsapp} path={path} state={state} />
    </main>
  );
}
