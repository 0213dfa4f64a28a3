import type { Metadata } from "next";
import { connection } from "next/server";
import { CodeTrendChart } from "@/components/charts/CodeTrendChart";
import { DataError } from "@/components/DataError";
import { ExitCode } from "@/components/ExitCode";
import { SortHeader } from "@/components/SortHeader";
import { ShareCell } from "@/components/ShareCell";
import { Notes } from "@/components/Notes";
import { RangeBar } from "@/components/RangeBar";
import { StatCards } from "@/components/StatCards";
import { exitCodeInfo } from "@/lib/exit-codes";
import { formatInt, formatPercent } from "@/lib/format";
import { parseViewState, viewHref, type ParseOptions, type RawParams } from "@/lib/params";
import { explainDataError } from "@/lib/queries/explain-error";
import { type CodeTrendPoint, type ExitCodeRank, type ExitCodeRanking } from "@/lib/queries/exit-codes";
import { fetchExitCodeRanking, fetchExitCodeTrend } from "@/lib/cached";
import { bucketLabel, utcDay } from "@/lib/time";

export const metadata: Metadata = { title: "Exit codes" };

const PATH = "/errors";
const SORT_KEYS = ["code", "failed", "aborted", "total"] as const;
type SortKey = (typeof SORT_KEYS)[number];
const OPTS: ParseOptions = { sortKeys: SORT_KEYS, defaultSort: "-total" };
const TREND_CODES = 5;

function sortCodes(codes: ExitCodeRank[], sort: string): ExitCodeRank[] {
  const key = sort.replace(/^-/, "") as SortKey;
  const dir = sort.startsWith("-") ? -1 : 1;
  const value = (c: ExitCodeRank) => (key === "code" ? c.exitCode : c[key]);
  return [...codes].sort((a, b) => dir * (value(a) - value(b)) || b.total - a.total || a.exitCode - b.exitCode);
}

export default async function ErrorsPage({ searchParams }: { searchParams: Promise<RawParams> }) {
  await connection(); // live figures: render per request
  const now = new Date();
  const { state, notes } = parseViewState(await searchParams, now, OPTS);
  const { range } = state;
  let ranking: ExitCodeRanking;
  let trend: CodeTrendPoint[];
  try {
    ranking = await fetchExitCodeRanking(range);
    trend = await fetchExitCodeTrend(range, ranking.codes.slice(0, TREND_CODES).map((c) => c.exitCode));
  } catch (err) {
    const message = explainDataError(err);
    if (message === null) throw err;
    return <DataError message={message} />;
  }
  const top = ranking.codes.slice(0, TREND_CODES);
  const rows = sortCodes(ranking.codes, state.sort);
  const maxShare = Math.max(0, ...ranking.codes.map((c) => c.share));
  const detailHref = (code: number) => viewHref(`${PATH}/${code}`, state, { sort: "", page: 1, type: null, os: null, q: null, minRuns: 0 }, { defaultSort: "" });

  return (
    <main>
      <h1>Exit codes</h1>
      <p className="lede">
        Failed and aborted runs by the exit code they reported, <span data-testid="range-from">{bucketLabel(range.from)}</span> to{" "}
        <span data-testid="range-to">{bucketLabel(range.to)}</span> (UTC).
      </p>
      <Notes notes={notes} />
      <RangeBar path={PATH} state={state} opts={OPTS} today={utcDay(now)} />
      <StatCards
        stats={[
          { label: "Failed runs", value: formatInt(ranking.failed), testId: "stat-failed" },
          { label: "Aborted runs", value: formatInt(ranking.aborted), hint: "stopped by the user", testId: "stat-aborted" },
          { label: "Exit codes seen", value: formatInt(ranking.codes.length), hint: "in failed or aborted runs", testId: "stat-codes" },
          {
            label: "Most frequent",
            value: top[0] ? String(top[0].exitCode) : "–",
            hint: top[0] ? `${formatPercent(top[0].share)} of failed + aborted` : undefined,
            testId: "stat-top-code",
          },
        ]}
      />
      {ranking.codes.length === 0 ? (
        <section className="panel">
          <p className="muted">No failed or aborted runs in this range.</p>
        </section>
      ) : (
        <>
          <section className="panel" aria-labelledby="trend-heading">
            <h2 id="trend-heading">
              Top {top.length} exit codes per {range.grain}
            </h2>
            <CodeTrendChart
              codes={top.map((c) => c.exitCode)}
              labels={top.map((c) => `${c.exitCode} · ${exitCodeInfo(c.exitCode).message}`)}
              points={trend}
              trimLeading={state.preset === "all"}
              label={`Line chart of failed and aborted runs per ${range.grain} for exit codes ${top.map((c) => c.exitCode).join(", ")}, ${bucketLabel(range.from)} to ${bucketLabel(range.to)}`}
            />
          </section>
          <section className="panel" aria-labelledby="codes-heading">
            <h2 id="codes-heading">All exit codes in the range</h2>
            <div className="table-wrap">
              <table data-testid="exit-code-table">
                <thead>
                  <tr>
                    <SortHeader path={PATH} state={state} opts={OPTS} column="code" label="Code" firstDescending={false} />
                    <th scope="col" style={{ textAlign: "left" }}>
                      Explanation
                    </th>
                    <th scope="col" style={{ textAlign: "left" }}>
                      Section
                    </th>
                    <th scope="col" style={{ textAlign: "left" }}>
                      Category
                    </th>
                    <SortHeader path={PATH} state={state} opts={OPTS} column="failed" label="Failures" />
                    <SortHeader path={PATH} state={state} opts={OPTS} column="aborted" label="Aborted" />
                    <SortHeader path={PATH} state={state} opts={OPTS} column="total" label="Share" />
                  </tr>
                </thead>
                <tbody>
                  {rows.map((c) => {
                    const info = exitCodeInfo(c.exitCode);
                    return (
                      <tr key={c.exitCode} data-code={c.exitCode}>
                        <td>
                          <ExitCode code={c.exitCode} href={detailHref(c.exitCode)} />
                        </td>
                        <td style={{ textAlign: "left" }}>{info.message}</td>
                        <td style={{ textAlign: "left" }} className="muted">
                          {info.section}
                        </td>
                        <td style={{ textAlign: "left" }}>{info.category}</td>
                        <td data-testid="code-failed">{formatInt(c.failed)}</td>
                        <td data-testid="code-aborted">{formatInt(c.aborted)}</td>
                        <ShareCell share={c.share} max={maxShare} width={60} testId="code-share" />
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
      <p className="footer">
        Share: a code&apos;s failed + aborted runs ÷ all failed + aborted runs in the range. Explanations are today&apos;s meaning of
        each code in the scripts; a code&apos;s page notes older meanings. Days are UTC.
      </p>
    </main>
  );
}
