import type { Metadata } from "next";
import Link from "next/link";
import { CodeTrendChart } from "@/components/charts/CodeTrendChart";
import { BackLink } from "@/components/ClientLinks";
import { DataTable } from "@/components/DataTable";
import { Notes } from "@/components/Notes";
import { PageHead } from "@/components/PageHead";
import { Pagination } from "@/components/Pagination";
import { PastLastPage } from "@/components/PastLastPage";
import { Suspense } from "react";
import { Loaded, Skeleton } from "@/components/Section";
import { StatCards } from "@/components/StatCards";
import { loadExitCodeDetail, readViewState } from "@/lib/data";
import { explainExitCode, exitCodeInfo } from "@/lib/exit-codes";
import { formatInt } from "@/lib/format";
import { isExitCodeParam } from "@/lib/exit-codes";
import { viewHref, type RawParams, type ViewState } from "@/lib/params";
import { noteNotFound } from "@/lib/request-context";
import { bucketLabel, daysBetween } from "@/lib/time";
import { VIEWS } from "@/lib/views";
import { isActiveCode } from "@/lib/meta/active";
import { describeExitCode } from "@/lib/meta/describe";
import { pageMetadata } from "@/lib/meta/page";
import { metaContext } from "@/lib/meta/request";
import { previewImagePath } from "@/lib/og/paths";

const VIEW = VIEWS.error;

interface Props {
  params: Promise<{ code: string }>;
  searchParams: Promise<RawParams>;
}

/** Other messages the code had on days of the range (a code reused since), with their spans. */
function earlierMeanings(code: number, current: string, from: string, to: string) {
  const spans: { meant: string; from: string; to: string }[] = [];
  for (const day of daysBetween(from, to)) {
    const meant = explainExitCode(code, day);
    const last = spans[spans.length - 1];
    if (last && last.meant === meant) last.to = day;
    else spans.push({ meant, from: day, to: day });
  }
  return spans.filter((s) => s.meant !== current);
}

export async function generateMetadata({ params, searchParams }: Props): Promise<Metadata> {
  const raw = (await params).code;
  if (!isExitCodeParam(raw)) return { title: "Exit code not found", robots: { index: false } };
  const code = Number(raw);
  const m = await metaContext(VIEW, `/errors/${code}`, await searchParams);
  // The same arguments as the page's section: one load for both.
  const detail = await loadExitCodeDetail(code, m.state.range, { page: m.state.page, perPage: m.state.pageSize });
  const message = explainExitCode(code);
  return pageMetadata(m.origin, {
    title: `Exit code ${code}: ${message}`,
    description: detail.ok ? describeExitCode(code, message, detail.value, m.state) : `Exit code ${code} (${message}): failed and aborted install runs, apps and OS versions.`,
    canonical: m.canonical,
    image: previewImagePath({ kind: "code", code }, m.state),
    imageAlt: `Exit code ${code}: failed and aborted runs per ${m.state.range.bucket}`,
    // Indexed: the default view of a code with failed or aborted runs in the sitemap's window.
    index: !m.permutation && (await isActiveCode(code, m.now)),
  });
}

function UnknownCode({ raw }: { raw: string }) {
  noteNotFound();
  return (
    <main>
      <h1>No exit code “{raw.slice(0, 16)}”</h1>
      <p className="lede">
        Exit codes are whole numbers from 0 to 255, written without signs or leading zeros (e.g.{" "}
        <Link prefetch={false} href="/errors/100">
          100
        </Link>
        ).
      </p>
      <p>
        <Link prefetch={false} href="/errors">
          All exit codes seen →
        </Link>
      </p>
    </main>
  );
}

async function Detail({ code, state, path }: { code: number; state: ViewState; path: string }) {
  const { range } = state;
  const message = explainExitCode(code);
  return (
    <Loaded result={await loadExitCodeDetail(code, range, { page: state.page, perPage: state.pageSize })}>
      {(detail) => (
        <>
          <StatCards
            stats={[
              { label: "Failed runs", value: formatInt(detail.failed), testId: "stat-failed" },
              { label: "Aborted runs", value: formatInt(detail.aborted), hint: "stopped by the user", testId: "stat-aborted" },
              { label: "Apps affected", value: formatInt(detail.appCount), testId: "stat-apps" },
              { label: "OS versions", value: formatInt(detail.os.length), testId: "stat-os" },
            ]}
          />
          <section className="panel" aria-labelledby="daily-heading">
            <h2 id="daily-heading">
              Failed and aborted runs with exit code {code} per {range.bucket}
            </h2>
            <CodeTrendChart
              codes={[code]}
              unit={range.bucket}
              labels={[`${code} · ${message}`]}
              points={detail.series}
              label={`Line chart of failed and aborted runs per ${range.bucket} with exit code ${code}, ${bucketLabel(range.from)} to ${bucketLabel(range.to)}`}
            />
          </section>
          {detail.failed + detail.aborted === 0 ? (
            <p className="panel muted">
              No failed or aborted run reported exit code {code} between {bucketLabel(range.from)} and {bucketLabel(range.to)}.
            </p>
          ) : (
            <div className="grid-2">
              <section className="panel" aria-labelledby="apps-heading">
                <h2 id="apps-heading">Apps affected</h2>
                {detail.apps.length === 0 ? (
                  <PastLastPage page={state.page} pageSize={state.pageSize} total={detail.appCount} href={(page) => viewHref(VIEW, path, state, { page })} />
                ) : (
                  <DataTable
                    testId="apps-table"
                    rows={detail.apps}
                    rowKey={(a) => a.nsapp}
                    columns={[
                      {
                        key: "app",
                        label: "App",
                        cell: (a) => ({
                          kind: "link",
                          value: a.nsapp || "(no name)",
                          href: viewHref(VIEWS.app, `/apps/${encodeURIComponent(a.nsapp)}`, state, { page: 1, outcome: null }),
                        }),
                      },
                      { key: "failed", label: "Failures", cell: (a) => ({ kind: "integer", value: a.failed }) },
                      { key: "aborted", label: "Aborted", cell: (a) => ({ kind: "integer", value: a.aborted }) },
                    ]}
                  />
                )}
                <Pagination page={state.page} pageSize={state.pageSize} total={detail.appCount} href={(page) => viewHref(VIEW, path, state, { page })} label="Apps affected" />
              </section>
              <section className="panel" aria-labelledby="os-heading">
                <h2 id="os-heading">Operating systems</h2>
                <DataTable
                  testId="os-table"
                  rows={detail.os}
                  fold={10}
                  rowKey={(o) => `${o.osType}/${o.osVersion}`}
                  columns={[
                    { key: "os", label: "OS", cell: (o) => ({ kind: "text", value: o.osType, muted: o.osType === "not reported" }) },
                    { key: "version", label: "Version", cell: (o) => ({ kind: "text", value: o.osVersion, muted: o.osVersion === "not reported" }) },
                    { key: "failed", label: "Failures", cell: (o) => ({ kind: "integer", value: o.failed }) },
                    { key: "aborted", label: "Aborted", priority: 2, cell: (o) => ({ kind: "integer", value: o.aborted }) },
                    { key: "share", label: "Share", priority: 2, cell: (o) => ({ kind: "share", value: o.share, max: Math.max(0, ...detail.os.map((x) => x.share)) }) },
                  ]}
                />
              </section>
            </div>
          )}
        </>
      )}
    </Loaded>
  );
}

export default async function ExitCodePage({ params, searchParams }: Props) {
  const raw = (await params).code;
  const now = new Date();
  const { state, notes } = await readViewState(await searchParams, now, VIEW);
  if (!isExitCodeParam(raw)) return <UnknownCode raw={raw} />;
  const code = Number(raw);
  const path = `/errors/${code}`;
  const info = exitCodeInfo(code);
  const message = explainExitCode(code);
  const earlier = earlierMeanings(code, message, state.range.from.slice(0, 10), state.range.to.slice(0, 10));
  return (
    <main>
      <PageHead
        before={
          <p className="muted back">
            <BackLink href={viewHref(VIEWS.errors, "/errors", state)} listPath="/errors" label="← All exit codes" />
          </p>
        }
        title={
          <>
            Exit code <span data-testid="code">{code}</span>
          </>
        }
        lede={
          <>
            <strong data-testid="code-message">{message}</strong>
            <br />
            Section: <span data-testid="code-section">{info.section}</span> · Category: <span data-testid="code-category">{info.category}</span>
            {earlier.map((e) => (
              <span key={e.from} data-testid="code-earlier">
                <br />
                {e.from === e.to ? `On ${e.from}` : `From ${e.from} to ${e.to}`} the scripts explained it as: {e.meant}
              </span>
            ))}
          </>
        }
        view={VIEW}
        path={path}
        state={state}
        now={now}
      />
      <Notes notes={notes} />
      <Suspense fallback={<Skeleton height={520} />}>
        <Detail code={code} state={state} path={path} />
      </Suspense>
      <p className="muted">Counts are failed and aborted runs that reported exit code {code}; share is of those runs. VMs often report no OS. Days are UTC.</p>
    </main>
  );
}
