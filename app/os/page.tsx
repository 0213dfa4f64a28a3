import type { Metadata } from "next";
import { Suspense } from "react";
import { ShareChart } from "@/components/charts/ShareChart";
import { DataTable } from "@/components/DataTable";
import { FilterLinks } from "@/components/FilterLinks";
import { Notes } from "@/components/Notes";
import { PageHead } from "@/components/PageHead";
import { HardwarePlatform } from "@/components/HardwarePlatform";
import { Loaded, Section, Skeleton } from "@/components/Section";
import { StatCards } from "@/components/StatCards";
import { loadOsShareSeries, loadOsVersions, readViewState } from "@/lib/data";
import { formatInt, formatPercent } from "@/lib/format";
import { NOT_REPORTED } from "@/lib/labels";
import { OS } from "@/lib/reports/os";
import { shareContext } from "@/lib/reports/report";
import { viewHref, type RawParams, type ViewState } from "@/lib/params";
import { TYPES } from "@/lib/run-type";
import { OTHER } from "@/lib/data";
import { bucketLabel } from "@/lib/time";
import { VIEWS } from "@/lib/views";
import { describeOs } from "@/lib/meta/describe";
import { pageMetadata } from "@/lib/meta/page";
import { metaContext } from "@/lib/meta/request";
import { previewImagePath } from "@/lib/og/paths";

const VIEW = VIEWS.os;
const PATH = "/os";

const categoryLabel = (c: string, os: string | null) => (c === OTHER ? "other" : os && c !== NOT_REPORTED ? `${os} ${c}` : c);

async function OsFilter({ state }: { state: ViewState }) {
  const all = await loadOsVersions(state.range, { type: state.type });
  const names = all.ok ? [...new Set(all.value.map((r) => r.osType).filter((o) => o !== NOT_REPORTED))].sort() : [];
  return (
    <FilterLinks
      label="OS"
      view={VIEW}
      path={PATH}
      state={state}
      items={[
        { text: "All", patch: { os: null }, current: state.os === null },
        ...[...new Set([...names, ...(state.os ? [state.os] : [])])].map((o) => ({ text: o, patch: { os: o }, current: state.os === o })),
      ]}
    />
  );
}

async function Figures({ state }: { state: ViewState }) {
  const { type, os } = state;
  const [versions, series] = await Promise.all([loadOsVersions(state.range, { type, os, sort: state.sort }), loadOsShareSeries(state.range, { type, os })]);
  return (
    <Loaded result={versions}>
      {(rows) => {
        const runs = rows.reduce((n, r) => n + r.runs, 0);
        const s = series.ok ? series.value : null;
        const seriesRuns = s ? s.points.reduce((n, p) => n + p.values.reduce((a, b) => a + b, 0), 0) : 0;
        const topRuns = s ? s.points.reduce((n, p) => n + (p.values[0] ?? 0), 0) : 0;
        return (
          <StatCards
            stats={[
              { label: "Runs", value: formatInt(runs), hint: `${type ? `${type} runs` : "all types"}${os ? ` on ${os}` : ""}`, testId: "stat-runs" },
              { label: "OS versions", value: formatInt(rows.length), hint: "type × OS × version", testId: "stat-versions" },
              {
                label: os ? "Most common version" : "Most common OS",
                value: s?.categories[0] ? categoryLabel(s.categories[0], os) : "–",
                hint: seriesRuns > 0 ? `${formatPercent(topRuns / seriesRuns)} of the runs` : undefined,
                testId: "stat-top-os",
              },
            ]}
          />
        );
      }}
    </Loaded>
  );
}

async function Shares({ state }: { state: ViewState }) {
  const { range, type, os } = state;
  return (
    <Loaded result={await loadOsShareSeries(range, { type, os })}>
      {(series) =>
        series.categories.length === 0 ? (
          <p className="muted">No runs in this range.</p>
        ) : (
          <ShareChart
            categories={series.categories.map((c) => categoryLabel(c, os))}
            points={series.points}
            unit={range.bucket}
            countLabel="Runs"
            label={`Stacked area chart of the share of runs by ${os ? `${os} version` : "OS"} per ${range.bucket}${type ? ` for ${type}` : ""}, ${bucketLabel(range.from)} to ${bucketLabel(range.to)}`}
          />
        )
      }
    </Loaded>
  );
}

async function Versions({ state }: { state: ViewState }) {
  return (
    <Loaded result={await loadOsVersions(state.range, { type: state.type, os: state.os, sort: state.sort })}>
      {(rows) => (
        <DataTable
          testId="os-table"
          rows={rows}
          rowKey={(r) => `${r.type}/${r.osType}/${r.osVersion}`}
          rowProps={(r) => ({ "data-os": `${r.type}/${r.osType}/${r.osVersion}` })}
          sort={{ current: state.sort, href: (sort) => viewHref(VIEW, PATH, state, { sort }) }}
          columns={OS.table(shareContext(state, rows))}
          empty="No runs in this range."
        />
      )}
    </Loaded>
  );
}

export async function generateMetadata({ searchParams }: { searchParams: Promise<RawParams> }): Promise<Metadata> {
  const m = await metaContext(VIEW, PATH, await searchParams);
  // The same arguments as the OS filter's: one load for both.
  const rows = await loadOsVersions(m.state.range, { type: m.state.type });
  const byOs = new Map<string, number>();
  for (const r of rows.ok ? rows.value : []) if (r.osType !== NOT_REPORTED) byOs.set(`${r.osType} ${r.osVersion}`, (byOs.get(`${r.osType} ${r.osVersion}`) ?? 0) + r.runs);
  const [os, runs] = [...byOs].sort((a, b) => b[1] - a[1])[0] ?? [];
  const total = rows.ok ? rows.value.reduce((n, r) => n + r.runs, 0) : 0;
  return pageMetadata(m.origin, {
    title: "Operating systems",
    description: describeOs(total, os && runs ? { os, runs } : null, m.state),
    canonical: m.canonical,
    image: previewImagePath({ kind: "site" }, m.state),
    imageAlt: `Proxmox VE script installs: runs per ${m.state.range.bucket} by outcome and success rate`,
    index: !m.permutation && total > 0,
  });
}

export default async function OsPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  const now = new Date();
  const { state, notes } = await readViewState(await searchParams, now, VIEW);
  const { range, type, os } = state;
  const subject = `${os ? `${os} versions` : "operating systems"}${type ? ` in ${type} runs` : ""}`;
  return (
    <main>
      <PageHead
        title="Operating systems"
        lede={
          <>
            Which OS and version installs run on, and how often they fail, <span data-testid="range-from">{bucketLabel(range.from)}</span> to{" "}
            <span data-testid="range-to">{bucketLabel(range.to)}</span> (UTC).
          </>
        }
        view={VIEW}
        path={PATH}
        state={state}
        now={now}
      />
      <Notes notes={notes} />
      <FilterLinks
        label="Type"
        view={VIEW}
        path={PATH}
        state={state}
        items={[{ text: "All types", patch: { type: null }, current: type === null }, ...TYPES.map((t) => ({ text: t, patch: { type: t }, current: type === t }))]}
      />
      <Suspense fallback={<Skeleton height={40} />}>
        <OsFilter state={state} />
      </Suspense>
      <Suspense fallback={<Skeleton height={110} />}>
        <Figures state={state} />
      </Suspense>
      <Section id="share-heading" title={`Share of runs per ${range.bucket}: ${subject}`} skeleton={<Skeleton height={300} />}>
        <Shares state={state} />
      </Section>
      <Section id="versions-heading" title="Failure rate per OS version">
        <Versions state={state} />
      </Section>
      <Section id="hardware" title={`Hardware and platform: all apps${type ? `, ${type} runs` : ""}`}>
        <HardwarePlatform
          range={range}
          type={type}
          api={{ json: viewHref(VIEWS.apiHardware, "/api/v1/hardware", state), csv: viewHref(VIEWS.apiHardware, "/api/v1/hardware.csv", state) }}
        />
      </Section>
      <p className="muted">
        Failure rate: failures ÷ (successes + failures), with its 95 % interval; aborted, unknown and unfinished runs have no verdict. Share of type: the version&apos;s runs ÷ all
        runs of its type in the range. Versions are shown as the OS writes them (Ubuntu &quot;2404&quot; is 24.04); VMs often report no OS. Days are UTC.
      </p>
    </main>
  );
}
