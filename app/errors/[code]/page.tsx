import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { CodeTrendChart } from "@/components/charts/CodeTrendChart";
import { DataError } from "@/components/DataError";
import { Notes } from "@/components/Notes";
import { Pagination } from "@/components/Pagination";
import { RangeBar } from "@/components/RangeBar";
import { ShareCell } from "@/components/ShareCell";
import { StatCards } from "@/components/StatCards";
import { explainExitCode, exitCodeInfo } from "@/lib/exit-codes";
import { formatInt } from "@/lib/format";
import { parseViewState, viewHref, type ParseOptions, type RawParams } from "@/lib/params";
import { explainDataError } from "@/lib/queries/explain-error";
import { type ExitCodeDetail } from "@/lib/queries/exit-codes";
import { fetchExitCodeDetail } from "@/lib/cached";
import { bucketLabel, daysBetween, utcDay } from "@/lib/time";

interface Props {
  params: Promise<{ code: string }>;
  searchParams: Promise<RawParams>;
}

const OPTS: ParseOptions = { sortKeys: [], defaultSort: "" };

/** A path segment naming an exit code: 0–255 written without leading zeros or signs. */
function parseCode(raw: string): number | null {
  if (!/^(0|[1-9]\d{0,2})$/.test(raw)) return null;
  const n = Number(raw);
  return n <= 255 ? n : null;
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

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const code = parseCode((await params).code);
  if (code === null) return { title: "Exit code not found" };
  return { title: `Exit code ${code}`, description: `Exit code ${code} (${explainExitCode(code)}): failed and aborted install runs, apps and OS versions.` };
}

export default async function ExitCodePage({ params, searchParams }: Props) {
  const code = parseCode((await params).code);
  if (code === null) notFound();
  await connection(); // live figures: render per request
  const now = new Date();
  const { state, notes } = parseViewState(await searchParams, now, OPTS);
  const { range } = state;
  const path = `/errors/${code}`;
  let detail: ExitCodeDetail;
  try {
    detail = await fetchExitCodeDetail(code, range, { page: state.page, perPage: state.pageSize });
    const lastPage = Math.max(1, Math.ceil(detail.appCount / state.pageSize));
    if (state.page > lastPage) {
      notes.push(`Ignored page=${state.page}: the apps table has ${lastPage} page${lastPage === 1 ? "" : "s"} in this range.`);
      state.page = 1;
      detail = await fetchExitCodeDetail(code, range, { page: 1, perPage: state.pageSize });
    }
  } catch (err) {
    const message = explainDataError(err);
    if (message === null) throw err;
    return <DataError message={message} />;
  }
  const info = exitCodeInfo(code);
  const message = explainExitCode(code);
  const earlier = earlierMeanings(code, message, range.from.slice(0, 10), range.to.slice(0, 10));
  const span = `${bucketLabel(range.from)} to ${bucketLabel(range.to)}`;
  const unit = range.grain;
  const all = detail.failed + detail.aborted;
  const maxOsShare = Math.max(0, ...detail.os.map((o) => o.share));
  const clean = { page: 1, sort: "", type: null, os: null, q: null, outcome: null, minRuns: 0 } as const;

  return (
    <main>
      <p className="muted" style={{ margin: "0 0 6px" }}>
        <Link href={viewHref("/errors", state, clean, { defaultSort: "-total" })}>← All exit codes</Link>
      </p>
      <h1>
        Exit code <span data-testid="code">{code}</span>
      </h1>
      <p className="lede">
        <strong data-testid="code-message">{message}</strong>
        <br />
        Section: <span data-testid="code-section">{info.section}</span> · Category: <span data-testid="code-category">{info.category}</span>
        {earlier.map((e) => (
          <span key={e.from} data-testid="code-earlier">
            <br />
            {e.from === e.to ? `On ${e.from}` : `From ${e.from} to ${e.to}`} the scripts explained it as: {e.meant}
          </span>
        ))}
      </p>
      <Notes notes={notes} />
      <RangeBar path={path} state={state} opts={OPTS} today={utcDay(now)} />
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
          Failed and aborted runs with exit code {code} per {unit}
        </h2>
        <CodeTrendChart
          codes={[code]}
          labels={[`${code} · ${message}`]}
          points={detail.series}
          trimLeading={state.preset === "all"}
          label={`Line chart of failed and aborted runs per ${unit} with exit code ${code}, ${span}`}
        />
      </section>
      {all === 0 ? (
        <section className="panel">
          <p className="muted">
            No failed or aborted run reported exit code {code} between {bucketLabel(range.from)} and {bucketLabel(range.to)}.
          </p>
        </section>
      ) : (
        <div className="grid-2">
          <section className="panel" aria-labelledby="apps-heading">
            <h2 id="apps-heading">Apps affected</h2>
            <div className="table-wrap">
              <table data-testid="apps-table">
                <thead>
                  <tr>
                    <th scope="col">App</th>
                    <th scope="col">Failures</th>
                    <th scope="col">Aborted</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.apps.map((a) => (
                    <tr key={a.nsapp}>
                      <td>
                        <Link href={viewHref(`/apps/${encodeURIComponent(a.nsapp)}`, state, clean, OPTS)} prefetch={false}>
                          {a.nsapp || "(no name)"}
                        </Link>
                      </td>
                      <td>{formatInt(a.failed)}</td>
                      <td>{formatInt(a.aborted)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination
              page={state.page}
              pageSize={state.pageSize}
              total={detail.appCount}
              href={(page) => viewHref(path, state, { page }, OPTS)}
              label="Apps affected"
            />
          </section>
          <section className="panel" aria-labelledby="os-heading">
            <h2 id="os-heading">Operating systems</h2>
            <div className="table-wrap">
              <table data-testid="os-table">
                <thead>
                  <tr>
                    <th scope="col">OS</th>
                    <th scope="col" style={{ textAlign: "left" }}>
                      Version
                    </th>
                    <th scope="col">Failures</th>
                    <th scope="col">Aborted</th>
                    <th scope="col">Share</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.os.map((o) => (
                    <tr key={`${o.osType}/${o.osVersion}`}>
                      <td>{o.osType === "" ? <span className="muted">not reported</span> : o.osType}</td>
                      <td style={{ textAlign: "left" }}>{o.osVersion === "" ? <span className="muted">–</span> : o.osVersion}</td>
                      <td>{formatInt(o.failed)}</td>
                      <td>{formatInt(o.aborted)}</td>
                      <ShareCell share={o.share} max={maxOsShare} width={50} />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </div>
      )}
      <p className="footer">
        Counts are failed and aborted runs that reported exit code {code}; share is of those runs. VMs often report no OS. Days are UTC.
      </p>
    </main>
  );
}
