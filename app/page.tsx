import { dehydrate } from "@tanstack/react-query";
import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { CategoryTable } from "@/components/CategoryTable";
import { DataTable } from "@/components/DataTable";
import { LiveOverview } from "@/components/LiveOverview";
import { Notes } from "@/components/Notes";
import { PageHead } from "@/components/PageHead";
import { Loaded, Section, Skeleton } from "@/components/Section";
import { loadAppRanking, loadExitCodeRanking, loadFailureOverview, loadOsSplit, loadOverview, readViewState } from "@/lib/data";
import { serverConfig } from "@/lib/config";
import { explainExitCode } from "@/lib/exit-codes";
import { formatRate } from "@/lib/format";
import { summaryQuery } from "@/lib/live";
import { describeOverview } from "@/lib/meta/describe";
import { pageMetadata, SITE_DESCRIPTION, SITE_FEED } from "@/lib/meta/page";
import { metaContext } from "@/lib/meta/request";
import { previewImagePath } from "@/lib/og/paths";
import { rangeQuery, repoQuery, viewHref, type RawParams, type ViewState } from "@/lib/params";
import { getQueryClient } from "@/lib/query-client";
import { previousRange, presetTitle, spanLabel } from "@/lib/range";
import { bucketLabel } from "@/lib/time";
import { MIN_RUNS_FLOOR, VIEWS } from "@/lib/views";

const appHref = (nsapp: string, state: ViewState) => viewHref(VIEWS.app, `/apps/${encodeURIComponent(nsapp)}`, state, { page: 1, outcome: null });
const shareOf = (n: number, total: number) => (total ? n / total : 0);

async function LiveFigures({ state }: { state: ViewState }) {
  const { range } = state;
  const [current, previous, ranking] = await Promise.all([loadOverview(range, null), loadOverview(previousRange(range), null), loadAppRanking(range)]);
  return (
    <Loaded result={current}>
      {(o) => {
        const queryClient = getQueryClient();
        // Day ranges are pinned by their dates so a poll after midnight keeps the view; 24 h rolls on. The selection goes along.
        const pinned = range.grain === "hour" ? rangeQuery(state) : `from=${range.from}&to=${range.to}`;
        const live = [pinned, repoQuery(range.repo)].filter(Boolean).join("&");
        queryClient.setQueryData(summaryQuery(live).queryKey, { totals: o.totals, series: o.series, asOf: o.asOf });
        return (
          <LiveOverview
            state={dehydrate(queryClient)}
            range={live}
            unit={range.bucket}
            span={`${bucketLabel(range.from)} to ${bucketLabel(range.to)} UTC`}
            previous={previous.ok ? previous.value.totals : null}
            apps={ranking.ok ? ranking.value.apps : null}
            unfinishedAfterMinutes={Math.round(serverConfig().unfinishedAfterMs / 60_000)}
          />
        );
      }}
    </Loaded>
  );
}

async function TopApps({ state }: { state: ViewState }) {
  return (
    <Loaded result={await loadAppRanking(state.range)}>
      {(r) => (
        <DataTable
          testId="top-apps"
          rows={r.topApps}
          rowKey={(a) => `${a.nsapp}/${a.type}`}
          columns={[
            { key: "app", label: "App", cell: (a) => ({ kind: "link", value: String(a.nsapp), href: appHref(String(a.nsapp), state) }) },
            { key: "runs", label: "Runs", cell: (a) => ({ kind: "integer", value: a.runs }) },
            { key: "share", label: "Share", priority: 2, cell: (a) => ({ kind: "percent", value: shareOf(a.runs, r.runs) }) },
            { key: "rate", label: "Failure rate", cell: (a) => ({ kind: "rate", value: a.failure_rate }) },
          ]}
          empty="No runs in this range."
        />
      )}
    </Loaded>
  );
}

async function MostFailing({ state }: { state: ViewState }) {
  return (
    <Loaded result={await loadAppRanking(state.range)}>
      {(r) => (
        <DataTable
          testId="most-failing"
          rows={r.mostFailing}
          rowKey={(a) => `${a.nsapp}/${a.type}`}
          columns={[
            { key: "app", label: "App", cell: (a) => ({ kind: "link", value: String(a.nsapp), href: appHref(String(a.nsapp), state) }) },
            { key: "failed", label: "Failures", priority: 2, cell: (a) => ({ kind: "integer", value: a.failed, of: a.runs }) },
            { key: "rate", label: "Failure rate (95 % interval)", cell: (a) => ({ kind: "rate", value: a.failure_rate, low: a.failure_low, high: a.failure_high }) },
          ]}
          empty={`No app with at least ${MIN_RUNS_FLOOR} runs failed in this range.`}
        />
      )}
    </Loaded>
  );
}

async function TopCodes({ state }: { state: ViewState }) {
  return (
    <Loaded result={await loadExitCodeRanking(state.range, false)}>
      {(r) => (
        <DataTable
          testId="top-codes"
          rows={r.codes.slice(0, 8)}
          rowKey={(c) => String(c.exitCode)}
          columns={[
            {
              key: "code",
              label: "Exit code",
              cell: (c) => ({ kind: "code", code: c.exitCode, text: explainExitCode(c.exitCode), href: viewHref(VIEWS.error, `/errors/${c.exitCode}`, state) }),
            },
            { key: "runs", label: "Failures", cell: (c) => ({ kind: "integer", value: c.total }) },
            { key: "share", label: "Share", priority: 2, cell: (c) => ({ kind: "percent", value: c.share }) },
          ]}
          empty="No failures in this range."
        />
      )}
    </Loaded>
  );
}

async function Categories({ state }: { state: ViewState }) {
  return (
    <Loaded result={await loadFailureOverview(state.range)}>
      {(f) => (
        <>
          <p>
            Actionable failure rate: <strong data-testid="actionable-rate">{f.totals.actionable_rate === null ? "–" : formatRate(f.totals.actionable_rate)}</strong>{" "}
            <span className="muted">
              — failures a script can fix, leaving out those of the user&apos;s network, storage, host or an abort (all failures:{" "}
              {f.totals.rate === null ? "–" : formatRate(f.totals.rate)})
            </span>
          </p>
          <CategoryTable testId="categories" rows={f.categories.slice(0, 8)} share="bar" />
        </>
      )}
    </Loaded>
  );
}

async function Environments({ state }: { state: ViewState }) {
  const [os, overview] = await Promise.all([loadOsSplit(state.range), loadOverview(state.range, null)]);
  return (
    <Loaded result={os}>
      {(rows) => {
        const total = rows.reduce((n, r) => n + r.runs, 0);
        const types = overview.ok ? Object.entries(overview.value.byType).sort((a, b) => b[1] - a[1]) : [];
        return (
          <>
            <DataTable
              testId="os-split"
              rows={rows.slice(0, 6)}
              rowKey={(o) => o.os}
              columns={[
                { key: "os", label: "OS", cell: (o) => ({ kind: "text", value: o.os }) },
                { key: "runs", label: "Runs", cell: (o) => ({ kind: "integer", value: o.runs }) },
                { key: "share", label: "Share", cell: (o) => ({ kind: "share", value: shareOf(o.runs, total), max: shareOf(rows[0]?.runs ?? 0, total), color: "var(--accent)" }) },
              ]}
            />
            <DataTable
              testId="type-split"
              rows={types}
              rowKey={([t]) => t}
              columns={[
                { key: "type", label: "Type", cell: ([t]) => ({ kind: "text", value: t }) },
                { key: "runs", label: "Runs", cell: ([, n]) => ({ kind: "integer", value: n }) },
                { key: "share", label: "Share", cell: ([, n]) => ({ kind: "share", value: shareOf(n, total), max: shareOf(types[0]?.[1] ?? 0, total), color: "var(--accent)" }) },
              ]}
            />
          </>
        );
      }}
    </Loaded>
  );
}

export async function generateMetadata({ searchParams }: { searchParams: Promise<RawParams> }): Promise<Metadata> {
  const m = await metaContext(VIEWS.overview, "/", await searchParams);
  const [o, ranking] = await Promise.all([loadOverview(m.state.range, null), loadAppRanking(m.state.range)]);
  return pageMetadata(m.origin, {
    title: `Install runs, ${m.state.preset === "custom" ? `${m.state.range.from} to ${m.state.range.to}` : presetTitle(m.state.preset)}`,
    description: o.ok ? describeOverview(o.value.totals, ranking.ok ? ranking.value.apps.current : null, m.state) : SITE_DESCRIPTION,
    canonical: m.canonical,
    image: previewImagePath({ kind: "site" }, m.state),
    imageAlt: `Proxmox VE script installs: runs per ${m.state.range.bucket} by outcome and success rate`,
    feeds: [SITE_FEED],
    index: !m.permutation && o.ok && o.value.totals.runs > 0,
  });
}

export default async function OverviewPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  const now = new Date();
  const { state, notes } = await readViewState(await searchParams, now, VIEWS.overview);
  const { from, to } = state.range;
  const more = (path: string, patch: Partial<ViewState> = {}) => viewHref(path === "/apps" ? VIEWS.apps : path === "/errors" ? VIEWS.errors : VIEWS.os, path, state, patch);
  return (
    <main>
      <PageHead
        title={`Install runs, ${state.preset === "custom" ? `${from} to ${to}` : presetTitle(state.preset)}`}
        lede={
          <>
            <span data-testid="range-from">{bucketLabel(from)}</span> to <span data-testid="range-to">{bucketLabel(to)}</span> (UTC), compared with the {spanLabel(state.range)}{" "}
            before.
          </>
        }
        view={VIEWS.overview}
        path="/"
        state={state}
        now={now}
      />
      <Notes notes={notes} />
      <Suspense fallback={<Skeleton height={560} />}>
        <LiveFigures state={state} />
      </Suspense>
      <div className="grid-2">
        <Section id="top-apps-heading" title="Most installed apps">
          <TopApps state={state} />
          <p>
            <Link prefetch={false} href={more("/apps", { sort: "-runs" })}>
              All apps by runs →
            </Link>
          </p>
        </Section>
        <Section id="failing-apps-heading" title="Most failing apps">
          <MostFailing state={state} />
          <p className="muted">Ranked by the lower bound of the failure rate&apos;s 95 % interval; apps with at least {MIN_RUNS_FLOOR} runs.</p>
        </Section>
        <Section id="top-codes-heading" title="Top exit codes">
          <TopCodes state={state} />
          <p>
            <Link prefetch={false} href={more("/errors")}>
              All exit codes →
            </Link>{" "}
            <span className="muted">(user aborts left out)</span>
          </p>
        </Section>
        <Section id="categories-heading" title="Why installs fail">
          <Categories state={state} />
          <p>
            <Link prefetch={false} href={viewHref(VIEWS.regressions, "/regressions", state)}>
              Regressions and incidents →
            </Link>
          </p>
        </Section>
        <Section id="os-split-heading" title="Operating systems and install types">
          <Environments state={state} />
          <p>
            <Link prefetch={false} href={more("/os")}>
              OS versions and their failure rates →
            </Link>
          </p>
        </Section>
      </div>
    </main>
  );
}
