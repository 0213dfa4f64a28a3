import type { Metadata } from "next";
import Link from "next/link";
import { DataTable } from "@/components/DataTable";
import { Notes } from "@/components/Notes";
import { PageHead } from "@/components/PageHead";
import { Loaded, Section, Skeleton } from "@/components/Section";
import { headers } from "next/headers";
import { loadInsights, loadLikelyCauses, readViewState } from "@/lib/data";
import type { Suspect } from "@/lib/changes/likely-cause";
import { regressionIssueUrl } from "@/lib/changes/regression-report";
import { originFromHeaders } from "@/lib/http/origin";
import { explainExitCode } from "@/lib/exit-codes";
import { formatInt, formatRate, truncate } from "@/lib/format";
import type { Incident } from "@/lib/insights/find-incidents";
import { CATALOGUE_APPS } from "@/lib/insights/catalogue";
import { failingCommandSentence, type Regression } from "@/lib/insights/find-regressions";
import { customRange } from "@/lib/range";
import { viewHref, type RawParams, type ViewState } from "@/lib/params";
import { bucketLabel } from "@/lib/time";
import { VIEWS } from "@/lib/views";
import { describeRegressions } from "@/lib/meta/describe";
import { pageMetadata, SITE_FEED } from "@/lib/meta/page";
import { metaContext } from "@/lib/meta/request";
import { previewImagePath } from "@/lib/og/paths";

const VIEW = VIEWS.regressions;

export async function generateMetadata({ searchParams }: { searchParams: Promise<RawParams> }): Promise<Metadata> {
  const m = await metaContext(VIEW, "/regressions", await searchParams);
  const found = await loadInsights(m.state.range);
  return pageMetadata(m.origin, {
    title: "Regressions and incidents",
    description: found.ok
      ? describeRegressions(found.value.regressions.length, found.value.incidents.length, m.state)
      : "Apps whose failure rate rose above their own baseline, and incidents across apps.",
    canonical: m.canonical,
    image: previewImagePath({ kind: "site" }, m.state),
    imageAlt: `Proxmox VE script installs: runs per ${m.state.range.bucket} by outcome and success rate`,
    feeds: [SITE_FEED],
    // None found is a finding too: the default view is indexed either way.
    index: !m.permutation,
  });
}

/** A page of one app over a regression's window: its failed runs of those days. */
function windowHref(nsapp: string, start: string, last: string, state: ViewState): string {
  const from = start.slice(0, 10);
  const to = last.slice(0, 10);
  const window: ViewState = { ...state, preset: "custom", range: customRange(from, to), outcome: null, page: 1 };
  return `${viewHref(VIEWS.app, `/apps/${encodeURIComponent(nsapp)}`, window)}#runs`;
}

const when = (b: string | null) => (b === null ? "open" : bucketLabel(b));

async function RegressionTable({ state }: { state: ViewState }) {
  const [found, suspects, requestHeaders] = await Promise.all([loadInsights(state.range), loadLikelyCauses(state.range), headers()]);
  const origin = originFromHeaders(requestHeaders, "localhost");
  // Without the changes (PocketBase refused that read) the table still shows every figure, and no change is named.
  const top = (r: Regression): Suspect | null => (suspects.ok ? (suspects.value[`${r.nsapp} ${r.start}`]?.[0] ?? null) : null);
  return (
    <Loaded result={found}>
      {({ regressions }) => (
        <DataTable
          testId="regressions"
          rows={regressions}
          rowKey={(r: Regression) => `${r.nsapp}/${r.start}`}
          rowProps={(r) => ({ "data-app": r.nsapp, "data-start": r.start })}
          columns={[
            {
              key: "app",
              label: "App",
              cell: (r) => ({ kind: "link", value: r.nsapp, href: windowHref(r.nsapp, r.start, r.last, state), note: r.end === null ? "still open" : undefined }),
            },
            { key: "start", label: "Started (UTC)", cell: (r) => ({ kind: "text", value: bucketLabel(r.start), nowrap: true }) },
            { key: "end", label: "Ended", priority: 2, cell: (r) => ({ kind: "text", value: when(r.end), muted: r.end === null, nowrap: true }) },
            {
              key: "rate",
              label: "Failure rate: usual → during",
              cell: (r) => ({ kind: "text", value: `${formatRate(r.baseline_rate)} → ${formatRate(r.rate)}`, note: `peak ${formatRate(r.peak_rate)}`, nowrap: true }),
            },
            { key: "excess", label: "Excess failures", priority: 2, cell: (r) => ({ kind: "integer", value: Math.round(r.excess_failures), of: r.failed }) },
            {
              key: "why",
              label: "Exit codes that rose, and what stands out",
              priority: 3,
              cell: (r) => ({
                kind: "text",
                value:
                  [
                    ...r.exit_codes.slice(0, 2).map((c) => `${c.exit_code} (${explainExitCode(c.exit_code, r.start)})`),
                    ...r.causes.slice(0, 2).map((c) => c.sentence),
                    ...(r.failing_command ? [failingCommandSentence(r)!] : []),
                    ...(r.incident ? [`part of the incident of exit code ${r.incident.exit_code ?? r.incident.category} from ${bucketLabel(r.incident.start)}`] : []),
                  ].join(" · ") || (r.described ? "no single exit code or environment stands out" : "details on the app's page"),
              }),
            },
            {
              key: "change",
              label: "Likely change",
              priority: 3,
              cell: (r) => {
                const s = top(r);
                if (!s) return { kind: "text", value: "none found", muted: true };
                const when = s.hoursBefore === 0 ? "when it began" : `${s.hoursBefore < 10 ? s.hoursBefore.toFixed(1) : Math.round(s.hoursBefore)} h before`;
                return {
                  kind: "link",
                  value: truncate(s.change.message || s.change.sha.slice(0, 7), 60),
                  href: s.change.url,
                  note: `${s.kind === "shared" ? "shared library, " : ""}${when}`,
                };
              },
            },
            {
              key: "report",
              label: "Report",
              priority: 2,
              cell: (r) => ({ kind: "link", value: "Report on GitHub", href: regressionIssueUrl(origin, r, top(r)) }),
            },
          ]}
          empty="No regression in this range: no app's failure rate rose clearly above its own baseline."
        />
      )}
    </Loaded>
  );
}

async function IncidentTable({ state }: { state: ViewState }) {
  return (
    <Loaded result={await loadInsights(state.range)}>
      {({ incidents }) => (
        <DataTable
          testId="incidents"
          rows={incidents}
          rowKey={(i: Incident) => `${i.exit_code ?? i.category}/${i.start}`}
          rowProps={(i) => ({ "data-code": String(i.exit_code ?? ""), "data-start": i.start })}
          columns={[
            {
              key: "what",
              label: "Exit code or category",
              cell: (i) =>
                i.exit_code === null
                  ? { kind: "text", value: `${i.category}: ${i.label}` }
                  : {
                      kind: "code",
                      code: i.exit_code,
                      text: i.label,
                      href: viewHref(VIEWS.error, `/errors/${i.exit_code}`, { ...state, preset: "custom", range: customRange(i.start.slice(0, 10), i.last.slice(0, 10)) }),
                    },
            },
            {
              key: "start",
              label: "Started (UTC)",
              cell: (i) => ({ kind: "text", value: bucketLabel(i.start), note: i.end === null ? "still open" : `to ${bucketLabel(i.end)}`, nowrap: true }),
            },
            { key: "apps", label: "Apps hit", cell: (i) => ({ kind: "integer", value: i.apps.length }) },
            { key: "excess", label: "Excess failures", priority: 2, cell: (i) => ({ kind: "integer", value: Math.round(i.excess_failures), of: i.failed }) },
            {
              key: "which",
              label: "Apps (most excess first)",
              priority: 3,
              cell: (i) => ({
                kind: "text",
                value:
                  i.apps
                    .slice(0, 6)
                    .map((a) => a.nsapp)
                    .join(", ") + (i.apps.length > 6 ? ` and ${i.apps.length - 6} more` : ""),
              }),
            },
          ]}
          empty="No cross-app incident in this range."
        />
      )}
    </Loaded>
  );
}

export default async function RegressionsPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  const now = new Date();
  const { state, notes } = await readViewState(await searchParams, now, VIEW);
  return (
    <main>
      <PageHead
        title="Regressions and incidents"
        lede={
          <>
            Apps whose failure rate rose clearly above their own usual rate, and exit codes that spiked across several apps at once, {bucketLabel(state.range.from)} to{" "}
            {bucketLabel(state.range.to)} (UTC). Open ones first.{" "}
            <Link prefetch={false} href="/methodology#insights">
              How they are detected
            </Link>{" "}
            — false alarms are kept rare across all {formatInt(CATALOGUE_APPS)} scripts.{" "}
            <a href={viewHref(VIEWS.feed, "/feed.xml", state)} type="application/atom+xml" data-testid="feed-link">
              Subscribe (Atom)
            </a>
            .
          </>
        }
        view={VIEW}
        path="/regressions"
        state={state}
        now={now}
      />
      <Notes notes={notes} />
      <Section id="regressions-heading" title="Regressions per app" skeleton={<Skeleton rows={8} />}>
        <RegressionTable state={state} />
      </Section>
      <Section id="incidents-heading" title="Cross-app incidents" skeleton={<Skeleton rows={4} />}>
        <IncidentTable state={state} />
      </Section>
    </main>
  );
}
