import { dehydrate } from "@tanstack/react-query";
import Link from "next/link";
import { connection } from "next/server";
import { DataError } from "@/components/DataError";
import { ExitCode } from "@/components/ExitCode";
import { LiveOverview } from "@/components/LiveOverview";
import { Notes } from "@/components/Notes";
import { RangeBar } from "@/components/RangeBar";
import { Rate } from "@/components/Rate";
import { serverConfig } from "@/lib/config";
import { exitCodeInfo } from "@/lib/exit-codes";
import { formatInt } from "@/lib/format";
import { summaryQuery } from "@/lib/live";
import { parseViewState, rangeQuery } from "@/lib/params";
import { getQueryClient } from "@/lib/query-client";
import { explainDataError } from "@/lib/queries/explain-error";
import { MOST_FAILING_MIN_RUNS, type OverviewPage } from "@/lib/queries/overview-page";
import { fetchOverviewPage } from "@/lib/cached";
import { presetTitle, spanLabel } from "@/lib/range";
import { bucketLabel, utcDay } from "@/lib/time";

function share(n: number, total: number) {
  return total ? `${((n / total) * 100).toFixed(1)} %` : "–";
}

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection(); // figures are live: render per request, never at build time
  const now = new Date();
  const { state, notes } = parseViewState(await searchParams, now);
  const { from, to } = state.range;
  let page: OverviewPage;
  try {
    page = await fetchOverviewPage(state.range);
  } catch (err) {
    const message = explainDataError(err);
    if (message === null) throw err;
    return <DataError message={message} />;
  }
  const queryClient = getQueryClient();
  const { totals, series, asOf } = page.current;
  const rangeQs = rangeQuery(state);
  // Day ranges are pinned by their dates so a poll after midnight keeps the view; 24 h rolls on.
  const live = state.range.grain === "hour" ? rangeQs : `from=${from}&to=${to}`;
  queryClient.setQueryData(summaryQuery(live).queryKey, { totals, series, asOf });
  const runs = totals.runs;
  return (
    <main>
      <h1>Install runs, {state.preset === "custom" ? `${from} to ${to}` : presetTitle(state.preset)}</h1>
      <p className="lede">
        <span data-testid="range-from">{bucketLabel(from)}</span> to <span data-testid="range-to">{bucketLabel(to)}</span> (UTC), compared with the{" "}
        {spanLabel(state.range)} before.
      </p>
      <Notes notes={notes} />
      <RangeBar path="/" state={state} today={utcDay(now)} />
      <LiveOverview
        state={dehydrate(queryClient)}
        range={live}
        unit={state.range.grain}
        span={`${bucketLabel(from)} to ${bucketLabel(to)} UTC`}
        previous={page.previous.totals}
        apps={page.apps}
        unfinishedAfterMinutes={Math.round(serverConfig().unfinishedAfterMs / 60_000)}
      />
      <div className="grid-2">
        <section className="panel table-wrap" aria-labelledby="top-apps">
          <h2 id="top-apps">Most installed apps</h2>
          <table data-testid="top-apps">
            <thead>
              <tr>
                <th scope="col">App</th>
                <th scope="col">Runs</th>
                <th scope="col">Share</th>
                <th scope="col">Failure rate</th>
              </tr>
            </thead>
            <tbody>
              {page.topApps.map((a) => (
                <tr key={`${a.nsapp}/${a.type}`}>
                  <td>
                    <Link href={`/apps/${encodeURIComponent(String(a.nsapp))}?${rangeQs}`}>{a.nsapp}</Link>
                  </td>
                  <td>{formatInt(a.runs)}</td>
                  <td>{share(a.runs, runs)}</td>
                  <td>
                    <Rate rate={a.failure_rate} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <Link href={`/apps?${rangeQs}&sort=-runs`}>All apps by runs →</Link>
          </p>
        </section>
        <section className="panel table-wrap" aria-labelledby="failing-apps">
          <h2 id="failing-apps">Most failing apps</h2>
          <table data-testid="most-failing">
            <thead>
              <tr>
                <th scope="col">App</th>
                <th scope="col">Failures</th>
                <th scope="col">Failure rate (95 % interval)</th>
              </tr>
            </thead>
            <tbody>
              {page.mostFailing.map((a) => (
                <tr key={`${a.nsapp}/${a.type}`}>
                  <td>
                    <Link href={`/apps/${encodeURIComponent(String(a.nsapp))}?${rangeQs}`}>{a.nsapp}</Link>
                  </td>
                  <td>
                    {formatInt(a.failed)} <span className="muted">of {formatInt(a.runs)}</span>
                  </td>
                  <td>
                    <Rate rate={a.failure_rate} low={a.failure_low} high={a.failure_high} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted">Ranked by the interval&apos;s lower bound; apps with at least {MOST_FAILING_MIN_RUNS} runs.</p>
        </section>
        <section className="panel table-wrap" aria-labelledby="top-codes">
          <h2 id="top-codes">Top exit codes</h2>
          <table data-testid="top-codes">
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col" className="text">
                  Explanation
                </th>
                <th scope="col">Runs</th>
                <th scope="col">Share</th>
              </tr>
            </thead>
            <tbody>
              {page.codes.map((c) => (
                <tr key={c.exitCode}>
                  <td>
                    <ExitCode code={c.exitCode} href={`/errors/${c.exitCode}?${rangeQs}`} />
                  </td>
                  <td className="text">{exitCodeInfo(c.exitCode).message}</td>
                  <td>{formatInt(c.total)}</td>
                  <td>{(c.share * 100).toFixed(1)} %</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <Link href={`/errors?${rangeQs}`}>All exit codes →</Link>
          </p>
        </section>
        <section className="panel table-wrap" aria-labelledby="os-split">
          <h2 id="os-split">Operating systems and install types</h2>
          <table data-testid="os-split">
            <thead>
              <tr>
                <th scope="col">OS</th>
                <th scope="col">Runs</th>
                <th scope="col">Share</th>
              </tr>
            </thead>
            <tbody>
              {page.os.slice(0, 6).map((o) => (
                <tr key={o.os}>
                  <td>{o.os}</td>
                  <td>{formatInt(o.runs)}</td>
                  <td>{share(o.runs, runs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table data-testid="type-split" style={{ marginTop: 12 }}>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Runs</th>
                <th scope="col">Share</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(page.current.byType)
                .sort((a, b) => b[1] - a[1])
                .map(([type, n]) => (
                  <tr key={type}>
                    <td>{type}</td>
                    <td>{formatInt(n)}</td>
                    <td>{share(n, runs)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          <p>
            <Link href={`/os?${rangeQs}`}>OS versions and their success rates →</Link>
          </p>
        </section>
      </div>
    </main>
  );
}
