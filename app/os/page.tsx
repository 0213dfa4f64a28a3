import type { Metadata } from "next";
import Link from "next/link";
import { FilterLinks } from "@/components/FilterLinks";
import { connection } from "next/server";
import { ShareChart } from "@/components/charts/ShareChart";
import { DataError } from "@/components/DataError";
import { Notes } from "@/components/Notes";
import { SortHeader } from "@/components/SortHeader";
import { ShareCell } from "@/components/ShareCell";
import { RangeBar } from "@/components/RangeBar";
import { Rate } from "@/components/Rate";
import { StatCards } from "@/components/StatCards";
import { formatInt, formatPercent } from "@/lib/format";
import { parseViewState, TYPES, viewHref, type ParseOptions, type RawParams } from "@/lib/params";
import { explainDataError } from "@/lib/queries/explain-error";
import { OTHER, type OsVersionRow, type ShareSeries } from "@/lib/queries/os";
import { fetchOsShareSeries, fetchOsVersions } from "@/lib/cached";
import { bucketLabel, utcDay } from "@/lib/time";

export const metadata: Metadata = { title: "Operating systems" };

const PATH = "/os";
const SORT_KEYS = ["runs", "failed", "failure_rate"] as const;
const OPTS: ParseOptions = { sortKeys: SORT_KEYS, defaultSort: "-runs" };

const categoryLabel = (c: string, os: string | null) => (c === OTHER ? "other" : c === "" ? "not reported" : os ? `${os} ${c}` : c);

export default async function OsPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  await connection(); // live figures: render per request
  const now = new Date();
  const { state, notes } = parseViewState(await searchParams, now, OPTS);
  const { range, type, os } = state;
  let series: ShareSeries;
  let versions: OsVersionRow[];
  let allOs: OsVersionRow[];
  try {
    const [s, v, a] = await Promise.all([
      fetchOsShareSeries(range, { type, os }),
      fetchOsVersions(range, { type, os, sort: state.sort }),
      os ? fetchOsVersions(range, { type }) : null, // every OS of the type, for the OS filter links
    ]);
    series = s;
    versions = v;
    allOs = a ?? v;
  } catch (err) {
    const message = explainDataError(err);
    if (message === null) throw err;
    return <DataError message={message} />;
  }
  const osTypes = [...new Set(allOs.map((r) => r.osType).filter((o) => o !== ""))].sort();
  const runs = versions.reduce((n, r) => n + r.runs, 0);
  const maxShare = Math.max(0, ...versions.map((r) => r.share));
  const labels = series.categories.map((c) => categoryLabel(c, os));
  const seriesRuns = series.points.reduce((n, p) => n + p.values.reduce((a, b) => a + b, 0), 0);
  const topRuns = series.points.reduce((n, p) => n + (p.values[0] ?? 0), 0);
  const subject = `${os ? `${os} versions` : "operating systems"}${type ? ` in ${type} runs` : ""}`;

  return (
    <main>
      <h1>Operating systems</h1>
      <p className="lede">
        Which OS and version installs run on, and how often they fail, <span data-testid="range-from">{bucketLabel(range.from)}</span> to{" "}
        <span data-testid="range-to">{bucketLabel(range.to)}</span> (UTC).
      </p>
      <Notes notes={notes} />
      <RangeBar path={PATH} state={state} opts={OPTS} today={utcDay(now)} />
      <FilterLinks
        label="Type"
        path={PATH}
        opts={OPTS}
        state={state}
        items={[{ text: "All types", patch: { type: null }, current: type === null }, ...TYPES.map((t) => ({ text: t, patch: { type: t }, current: type === t }))]}
      />
      <FilterLinks
        label="OS"
        path={PATH}
        opts={OPTS}
        state={state}
        items={[
          { text: "All", patch: { os: null }, current: os === null },
          ...[...new Set([...osTypes, ...(os ? [os] : [])])].map((o) => ({ text: o, patch: { os: o }, current: os === o })),
        ]}
      />
      <StatCards
        stats={[
          { label: "Runs", value: formatInt(runs), hint: `${type ? `${type} runs` : "all types"}${os ? ` on ${os}` : ""}`, testId: "stat-runs" },
          { label: "OS versions", value: formatInt(versions.length), hint: "type × OS × version", testId: "stat-versions" },
          {
            label: os ? "Most common version" : "Most common OS",
            value: labels[0] ?? "–",
            hint: seriesRuns > 0 ? `${formatPercent(topRuns / seriesRuns)} of the runs` : undefined,
            testId: "stat-top-os",
          },
        ]}
      />
      <section className="panel" aria-labelledby="share-heading">
        <h2 id="share-heading">
          Share of runs per {range.grain}: {subject}
        </h2>
        {series.categories.length === 0 ? (
          <p className="muted">No runs in this range.</p>
        ) : (
          <ShareChart
            categories={labels}
            points={series.points}
            countLabel="Runs"
            trimLeading={state.preset === "all"}
            label={`Stacked area chart of the ${range.grain === "hour" ? "hourly" : "daily"} share of runs by ${os ? `${os} version` : "OS"}${type ? ` for ${type}` : ""}, ${bucketLabel(range.from)} to ${bucketLabel(range.to)}`}
          />
        )}
      </section>
      <section className="panel" aria-labelledby="versions-heading">
        <h2 id="versions-heading">Failure rate per OS version</h2>
        <div className="table-wrap">
          <table data-testid="os-table">
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col" style={{ textAlign: "left" }}>
                  OS
                </th>
                <th scope="col" style={{ textAlign: "left" }}>
                  Version
                </th>
                <SortHeader path={PATH} state={state} opts={OPTS} column="runs" label="Runs" />
                <th scope="col">Share of type</th>
                <SortHeader path={PATH} state={state} opts={OPTS} column="failed" label="Failures" />
                <SortHeader path={PATH} state={state} opts={OPTS} column="failure_rate" label="Failure rate" />
              </tr>
            </thead>
            <tbody>
              {versions.map((r) => (
                <tr key={`${r.type}/${r.osType}/${r.osVersion}`} data-os={`${r.type}/${r.osType}/${r.osVersion}`}>
                  <td>{r.type}</td>
                  <td style={{ textAlign: "left" }}>
                    {r.osType === "" ? (
                      <span className="muted">not reported</span>
                    ) : (
                      <Link href={viewHref(PATH, state, { os: r.osType, page: 1 }, OPTS)} prefetch={false}>
                        {r.osType}
                      </Link>
                    )}
                  </td>
                  <td style={{ textAlign: "left" }}>{r.osVersion === "" ? <span className="muted">–</span> : r.osVersion}</td>
                  <td data-testid="os-runs">{formatInt(r.runs)}</td>
                  <ShareCell share={r.share} max={maxShare} width={50} color="var(--accent)" />
                  <td data-testid="os-failed">{formatInt(r.failed)}</td>
                  <td>
                    <Rate rate={r.failureRate} low={r.failureLow} high={r.failureHigh} />
                  </td>
                </tr>
              ))}
              {versions.length === 0 && (
                <tr>
                  <td colSpan={7} className="muted">
                    No runs in this range.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </section>
      <p className="footer">
        Failure rate: failures ÷ (successes + failures), with its 95 % interval; aborted, unknown and unfinished runs have no verdict.
        Share of type: the version&apos;s runs ÷ all runs of its type in the range. VMs often report no OS. Days are UTC.
      </p>
    </main>
  );
}
