import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { AppFilters } from "@/components/AppFilters";
import { ListMemory } from "@/components/ClientLinks";
import { DataTable } from "@/components/DataTable";
import { Notes } from "@/components/Notes";
import { PageHead } from "@/components/PageHead";
import { Pagination } from "@/components/Pagination";
import { PastLastPage } from "@/components/PastLastPage";
import { TestingScripts } from "@/components/TestingScripts";
import { Loaded, Section, Skeleton } from "@/components/Section";
import { loadAppList, readViewState } from "@/lib/data";
import { formatInt } from "@/lib/format";
import { activeFilters, describeApps } from "@/lib/meta/describe";
import { pageMetadata } from "@/lib/meta/page";
import { APPS } from "@/lib/reports/apps";
import { metaContext } from "@/lib/meta/request";
import { previewImagePath } from "@/lib/og/paths";
import { viewHref, type RawParams, type ViewState } from "@/lib/params";
import { bucketLabel } from "@/lib/time";
import { MIN_RUNS_FLOOR, VIEWS } from "@/lib/views";

const VIEW = VIEWS.apps;
const href = (state: ViewState, patch: Partial<ViewState>) => viewHref(VIEW, "/apps", state, patch);

async function AppsTable({ state }: { state: ViewState }) {
  const result = await loadAppList(state);
  return (
    <Loaded result={result}>
      {(list) => {
        if (list.total > 0 && list.rows.length === 0) {
          return <PastLastPage page={state.page} pageSize={state.pageSize} total={list.total} href={(page) => href(state, { page })} />;
        }
        return (
          <>
            <DataTable
              testId="apps-table"
              rows={list.rows}
              rowKey={(r) => `${r.nsapp}/${r.type}`}
              columns={APPS.table({ state, sparkFrom: list.sparkFrom })}
              sort={{ current: state.sort, href: (sort) => href(state, { sort, page: 1 }) }}
              empty={
                state.minRuns > 0 ? `No app with at least ${formatInt(state.minRuns)} runs matches these filters in this range.` : "No app matches these filters in this range."
              }
            />
            {list.rows.length === 0 && state.minRuns > 0 && (
              <p>
                <Link prefetch={false} href={href(state, { minRuns: 0, page: 1 })}>
                  Show apps with fewer runs too
                </Link>
              </p>
            )}
            <Pagination page={state.page} pageSize={state.pageSize} total={list.total} label="Apps" href={(page) => href(state, { page })} />
          </>
        );
      }}
    </Loaded>
  );
}

export async function generateMetadata({ searchParams }: { searchParams: Promise<RawParams> }): Promise<Metadata> {
  const m = await metaContext(VIEW, "/apps", await searchParams);
  const list = await loadAppList(m.state);
  return pageMetadata(m.origin, {
    title: "Apps",
    description: list.ok ? describeApps(list.value.total, m.state.minRuns, m.state) : "Every app's runs, failures and failure rates with their 95 % intervals.",
    canonical: m.canonical,
    image: previewImagePath({ kind: "site" }, m.state),
    imageAlt: `Proxmox VE script installs: runs per ${m.state.range.bucket} by outcome and success rate`,
    index: !m.permutation && list.ok && list.value.total > 0,
  });
}

export default async function AppsPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  const now = new Date();
  const { state, notes } = await readViewState(await searchParams, now, VIEW);
  return (
    <main>
      <PageHead
        title="Apps"
        lede={
          <>
            {bucketLabel(state.range.from)} to {bucketLabel(state.range.to)} (UTC). Default order: most failing first, by the lower bound of the failure rate&apos;s 95 % interval,
            so one failure in two runs does not outrank a chronically broken app.
          </>
        }
        view={VIEW}
        path="/apps"
        state={state}
        now={now}
        filters={{ active: activeFilters(state), form: <AppFilters state={state} action="/apps" /> }}
      />
      <Notes notes={notes} />
      <Suspense>
        <ListMemory path="/apps" />
      </Suspense>
      <p className="muted floor" data-testid="min-runs-floor">
        {state.minRuns > 0 ? (
          <>
            Showing apps with at least {formatInt(state.minRuns)} runs
            {state.minRuns === MIN_RUNS_FLOOR ? " (the default floor, as on the overview)" : ""} ·{" "}
            <Link prefetch={false} href={href(state, { minRuns: 0, page: 1 })}>
              show all apps
            </Link>
          </>
        ) : (
          <>
            Showing every app, however few runs ·{" "}
            <Link prefetch={false} href={href(state, { minRuns: MIN_RUNS_FLOOR, page: 1 })}>
              only apps with at least {MIN_RUNS_FLOOR} runs
            </Link>
          </>
        )}
      </p>
      <Section id="apps-heading" title="Apps in this range" skeleton={<Skeleton rows={Math.min(state.pageSize, 25)} />}>
        <AppsTable state={state} />
      </Section>
      <Section id="testing" title="Scripts in testing" skeleton={<Skeleton rows={4} />}>
        <TestingScripts state={state} />
      </Section>
    </main>
  );
}
