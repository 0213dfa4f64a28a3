import type { Metadata } from "next";
import { Suspense } from "react";
import { CodeTrendChart } from "@/components/charts/CodeTrendChart";
import { ListMemory } from "@/components/ClientLinks";
import { DataTable } from "@/components/DataTable";
import { FilterLinks } from "@/components/FilterLinks";
import { Notes } from "@/components/Notes";
import { PageHead } from "@/components/PageHead";
import { Loaded, Section, Skeleton } from "@/components/Section";
import { StatCards } from "@/components/StatCards";
import { loadExitCodeRanking, loadExitCodeTrend, readViewState } from "@/lib/data";
import { exitCodeInfo } from "@/lib/exit-codes";
import { formatInt, formatPercent } from "@/lib/format";
import { viewHref, type RawParams, type ViewState } from "@/lib/params";
import type { ExitCodeRank } from "@/lib/data";
import { bucketLabel } from "@/lib/time";
import { VIEWS } from "@/lib/views";
import { describeErrors } from "@/lib/meta/describe";
import { pageMetadata } from "@/lib/meta/page";
import { ERRORS } from "@/lib/reports/errors";
import { shareContext } from "@/lib/reports/report";
import { metaContext } from "@/lib/meta/request";
import { previewImagePath } from "@/lib/og/paths";

const VIEW = VIEWS.errors;
const PATH = "/errors";
const TREND_CODES = 5;
/** Codes beyond this many rows are folded behind "Show all". */
const FOLD = 20;

function sortCodes(codes: ExitCodeRank[], sort: string): ExitCodeRank[] {
  const key = sort.replace(/^-/, "") as "code" | "failed" | "aborted" | "total";
  const dir = sort.startsWith("-") ? -1 : 1;
  const value = (c: ExitCodeRank) => (key === "code" ? c.exitCode : c[key]);
  return [...codes].sort((a, b) => dir * (value(a) - value(b)) || b.total - a.total || a.exitCode - b.exitCode);
}

async function Figures({ state }: { state: ViewState }) {
  return (
    <Loaded result={await loadExitCodeRanking(state.range, state.aborts)}>
      {(r) => (
        <StatCards
          stats={[
            { label: "Failed runs", value: formatInt(r.failed), hint: state.aborts ? undefined : "without user-abort codes", testId: "stat-failed" },
            { label: "Aborted runs", value: state.aborts ? formatInt(r.aborted) : "left out", hint: "stopped by the user", testId: "stat-aborted" },
            { label: "Exit codes seen", value: formatInt(r.codes.length), testId: "stat-codes" },
            {
              label: "Most frequent",
              value: r.codes[0] ? String(r.codes[0].exitCode) : "–",
              hint: r.codes[0] ? `${formatPercent(r.codes[0].share)} of these runs` : undefined,
              testId: "stat-top-code",
            },
          ]}
        />
      )}
    </Loaded>
  );
}

async function Trend({ state }: { state: ViewState }) {
  const ranking = await loadExitCodeRanking(state.range, state.aborts);
  const top = ranking.ok ? ranking.value.codes.slice(0, TREND_CODES).map((c) => c.exitCode) : [];
  const { range } = state;
  return (
    <Loaded result={await loadExitCodeTrend(range, top, state.aborts)}>
      {(points) =>
        top.length === 0 ? (
          <p className="muted">No failures in this range.</p>
        ) : (
          <CodeTrendChart
            codes={top}
            unit={range.bucket}
            labels={top.map((c) => `${c} · ${exitCodeInfo(c).message}`)}
            points={points}
            label={`Line chart of runs per ${range.bucket} for exit codes ${top.join(", ")}, ${bucketLabel(range.from)} to ${bucketLabel(range.to)}`}
          />
        )
      }
    </Loaded>
  );
}

async function CodeTable({ state }: { state: ViewState }) {
  return (
    <Loaded result={await loadExitCodeRanking(state.range, state.aborts)}>
      {(r) => (
        <DataTable
          testId="exit-code-table"
          rows={sortCodes(r.codes, state.sort)}
          fold={FOLD}
          rowKey={(c) => String(c.exitCode)}
          rowProps={(c) => ({ "data-code": String(c.exitCode) })}
          sort={{ current: state.sort, href: (sort) => viewHref(VIEW, PATH, state, { sort }) }}
          columns={ERRORS.table(shareContext(state, r.codes))}
          empty="No failures in this range."
        />
      )}
    </Loaded>
  );
}

export async function generateMetadata({ searchParams }: { searchParams: Promise<RawParams> }): Promise<Metadata> {
  const m = await metaContext(VIEW, PATH, await searchParams);
  const ranking = await loadExitCodeRanking(m.state.range, m.state.aborts);
  const top = ranking.ok ? ranking.value.codes[0] : undefined;
  return pageMetadata(m.origin, {
    title: "Exit codes",
    description: ranking.ok
      ? describeErrors(ranking.value.failed, top ? { code: top.exitCode, message: exitCodeInfo(top.exitCode).message } : null, m.state)
      : "Exit codes of failed Proxmox VE script installs, explained, with the apps they hit.",
    canonical: m.canonical,
    image: previewImagePath({ kind: "site" }, m.state),
    imageAlt: `Proxmox VE script installs: runs per ${m.state.range.bucket} by outcome and success rate`,
    index: !m.permutation && ranking.ok && ranking.value.codes.length > 0,
  });
}

export default async function ErrorsPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  const now = new Date();
  const { state, notes } = await readViewState(await searchParams, now, VIEW);
  const { range } = state;
  return (
    <main>
      <PageHead
        title="Exit codes"
        lede={
          <>
            Failed runs by the exit code they reported, <span data-testid="range-from">{bucketLabel(range.from)}</span> to{" "}
            <span data-testid="range-to">{bucketLabel(range.to)}</span> (UTC).
          </>
        }
        view={VIEW}
        path={PATH}
        state={state}
        now={now}
      />
      <Notes notes={notes} />
      <Suspense>
        <ListMemory path="/errors" />
      </Suspense>
      <FilterLinks
        label="User aborts"
        view={VIEW}
        path={PATH}
        state={state}
        items={[
          { text: "Left out", patch: { aborts: false }, current: !state.aborts },
          { text: "Included", patch: { aborts: true }, current: state.aborts },
        ]}
      />
      <Suspense fallback={<Skeleton height={110} />}>
        <Figures state={state} />
      </Suspense>
      <Section id="trend-heading" title={`Top ${TREND_CODES} exit codes per ${range.bucket}`} skeleton={<Skeleton height={300} />}>
        <Trend state={state} />
      </Section>
      <Section id="codes-heading" title="All exit codes in the range">
        <CodeTable state={state} />
      </Section>
      <p className="muted">
        {state.aborts
          ? "Counts: failed and aborted runs. Share: a code's runs ÷ all of them."
          : "User aborts (aborted runs, and failures with codes 129, 130 and 143) are left out: they are the user's doing, not the script's. Share: a code's failures ÷ all counted failures."}{" "}
        Explanations are today&apos;s meaning of each code; a code&apos;s page notes older meanings.
      </p>
    </main>
  );
}
